"""The chosen body as paragraphs and images: a walk that leaves out link lists, widgets, teaser
cards and empty boxes (Readability's conditional cleaning), and keeps figures with captions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from reader.parse import sanitize
from reader.parse.density import (
    BLOCK,
    COMMAS,
    HEADINGS,
    SPACE,
    Stats,
    class_and_id,
    class_weight,
    utf8_size,
)
from reader.types import Image

# Widgets that sit inside article containers; unlike density's negative class words, a
# positive word in the same class ("article-content__newsletter") does not save them.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:newsletters?|signup|sign-up|sign-in|signin|subscribe|subscription|paywall|"
    r"promo|promos|teasers?|related|recommended|trending|most-read|popular|credits?|"
    r"image-source|copyright|ads?|advert|advertisement|ad-slot|sponsored|outbrain|taboola)"
    r"(?=$|[\s_-])", re.I)
_IMAGE_EXT_BAD = re.compile(r"\.(?:svg)(?:\?|$)|logo|icon|avatar|sprite|button", re.I)


@dataclass
class Output:
    paragraphs: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    # paragraph index, url, caption ("" = may take the next line, None = inside running text)
    images: list[tuple[int, str, str | None]] = field(default_factory=list)
    dropped: list[HtmlElement] = field(default_factory=list)

    def brk(self) -> None:
        if self.current:
            text = SPACE.sub(" ", "".join(self.current)).strip()
            if text:
                self.paragraphs.append(text)
            self.current = []

    def size(self) -> int:
        return sum(utf8_size(p) for p in self.paragraphs)

    def pending(self) -> bool:
        return bool("".join(self.current).strip())


def walk_all(nodes: list[HtmlElement], stats: Stats, excluded: set[HtmlElement],
              base_url: str, *, lenient: bool = False) -> Output:
    out = Output()
    cap = sum(stats.total.get(n, 0) for n in nodes) / 2
    for node in nodes:
        _walk(node, stats, excluded, out, base_url, lenient=lenient, cap=cap, top=True)
        out.brk()
    return out


def _walk(el: HtmlElement, stats: Stats, excluded: set[HtmlElement], out: Output,
          base_url: str, *, lenient: bool, cap: float, top: bool = False) -> None:
    tag = el.tag
    if not isinstance(tag, str):
        return
    if not top and (el in excluded or (not lenient and _junk_block(el, stats, cap))):
        out.dropped.append(el)
        return
    if tag == "br":
        out.brk()
        return
    if tag == "img":
        _image(el, out, base_url)
        return
    block = tag in BLOCK
    if block:
        out.brk()
    if el.text:
        out.current.append(el.text)
    for child in el:
        _walk(child, stats, excluded, out, base_url, lenient=lenient, cap=cap)
        if child.tail:
            out.current.append(child.tail)
    if block:
        out.brk()


def _junk_block(el: HtmlElement, stats: Stats, cap: float) -> bool:
    """Readability's conditional cleaning: link lists, widgets and empty boxes inside the body.
    ``cap``: a named widget holding this much of the body's text is the body itself."""
    tag = el.tag
    if tag in ("nav", "aside", "footer"):
        return True
    if _FURNITURE.search(class_and_id(el)) and stats.total.get(el, 0) < cap:
        return True
    density = stats.density(el)
    if tag in HEADINGS:
        return density > 0.33 or class_weight(el) < 0
    if tag in ("p", "li", "dd", "dt", "blockquote", "span", "font", "strong", "b"):
        return density > 0.6 and tag != "li"
    if tag not in ("div", "section", "table", "ul", "ol", "dl", "header", "center", "form"):
        return False
    weight = class_weight(el)
    if weight < 0:
        return True
    size = stats.total.get(el, 0)
    is_list = tag in ("ul", "ol")
    if is_list:
        suspicious = density > (0.5 if weight >= 25 else 0.6)
    else:
        suspicious = (weight < 25 and density > 0.2) or density > 0.5 or (
            size < 25 and density > 0) or _count(el, "li") > _count(el, "p") + 100
    if not suspicious:
        return _cards(el, stats)
    return len(COMMAS.findall(el.text_content())) < 10 or density > 0.5


def _cards(el: HtmlElement, stats: Stats) -> bool:
    """Teaser cards (headline, picture, link; no running text): other articles, not this one."""
    headings = [h for h in el.iter(*HEADINGS)]
    if len(headings) < 3 or _count(el, "a") < len(headings):
        return False
    return all(size < 120 or d.tag in HEADINGS for d in el.iter("*")
               if (size := stats.inline.get(d, 0)))


def _count(el: HtmlElement, tag: str) -> int:
    return sum(1 for _ in el.iter(tag))


def _image(el: HtmlElement, out: Output, base_url: str) -> None:
    src = sanitize.safe_url(sanitize.image_source(el), base_url)
    if not src or sanitize.is_tracker(el, src) or _IMAGE_EXT_BAD.search(src):
        return
    caption = ""
    for level, ancestor in enumerate(el.iterancestors()):
        if ancestor.tag == "figure":
            found = ancestor.find(".//figcaption")
            if found is not None:
                caption = SPACE.sub(" ", _caption_text(found)).strip()
            break
        if level >= 3:
            break
    out.images.append((len(out.paragraphs), src, caption if caption else
                       ("" if not out.pending() else None)))


def _caption_text(el: HtmlElement) -> str:
    """A figcaption's words without its credit line (`Photo by ... / Agency`)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not _FURNITURE.search(class_and_id(child)):
            parts.append(_caption_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def captioned(found: list[tuple[int, str, str | None]], paragraphs: list[str]
               ) -> tuple[Image, ...]:
    """Images with captions: a figcaption, else the short line right after a lone image."""
    images: dict[str, Image] = {}
    for index, src, caption in found:
        if caption == "" and index < len(paragraphs) and utf8_size(paragraphs[index]) <= 180:
            caption = paragraphs[index]
        images.setdefault(src, Image(src, caption or ""))
    return tuple(images.values())
