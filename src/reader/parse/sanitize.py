"""Allow-list HTML sanitiser for article bodies and feed summaries.

Anything not on the allow-list is unwrapped (its text kept) unless it is active content,
which goes with everything inside it. Attributes are allow-listed per tag, so on* handlers
and style (with its CSS url()) never survive; links and images must end up http(s).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from reader.parse.html import without_bad_references
from reader.text import clean, squash

KEEP = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "figure", "figcaption", "a", "img", "blockquote", "pre", "code", "br",
    "strong", "em", "b", "i", "sub", "sup", "hr",
})
DROP = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "applet", "form",
    "input", "button", "select", "textarea", "option", "noscript", "template", "svg", "math",
    "canvas", "video", "audio", "link", "meta", "base", "head", "title", "param",
})
_ATTRS = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title", "width", "height"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "ol": ("start",),
}
_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url",
               "data-echo", "original", "file")
_PLACEHOLDER = re.compile(r"^data:|blank|placeholder|spacer|loading|lazy|grey\.gif|pixel\.gif",
                          re.I)
_BEACON = re.compile(
    r"/pixel|beacon|/track(?:ing)?[/.?]|1x1|doubleclick\.net|google-analytics|googletagmanager|"
    r"scorecardresearch|quantserve|facebook\.com/tr|hm\.baidu\.com|cnzz\.com|/b/ss/|"
    r"/count(?:er)?\b|analytics", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")

# Bounds on what a body may ask of the reading view, whose layout runs on the GUI thread and
# grows exponentially with table depth (16 nested tables: seconds; 250: minutes).
MAX_NESTING = 4  # tables, lists and quotes inside one another; deeper ones become paragraphs
MAX_CELLS = 1000  # table cells in one body; rows past them are cut
MAX_IMAGES = 60  # pictures in one body; later ones go
_NESTING = ("table", "ul", "ol", "dl", "blockquote")
# How a structure that is over a bound is flattened: rows and items become paragraphs, the
# rest is unwrapped, text kept.
_AS_PARAGRAPH = frozenset({"tr", "li", "dt", "dd", "caption"})


def sanitize(fragment_html: str, base_url: str) -> str:
    """Return safe HTML for a fragment; relative links are resolved against ``base_url``."""
    if not fragment_html or not fragment_html.strip():
        return ""
    holder = _holder(fragment_html)
    return sanitize_element(holder, base_url) if holder is not None else ""


def _holder(fragment_html: str) -> HtmlElement | None:
    """Outside HTML parsed under a <div>; None when there is nothing to parse. A whole
    document whose <body> is mangled makes lxml's fragment parser fail an assertion (a fuzz
    finding): its body is taken instead."""
    # No control character or lone surrogate reaches the tree, as text or as a reference.
    text = without_bad_references(clean(fragment_html))
    try:
        return lxml.html.fragment_fromstring(text, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None
    except AssertionError:
        try:
            document = lxml.html.document_fromstring(text)
        except (lxml.etree.ParserError, ValueError):
            return None
        # libxml2 may have put the content in <head>: unwrap both, the sanitiser drops
        # <title> and <meta> as it does anywhere.
        for wrapper in list(document.iter("head", "body")):
            wrapper.drop_tag()
        document.tag = "div"
        return document


def html_text(fragment: str) -> str:
    """Plain text of a sanitised fragment, paragraphs separated by blank lines."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [" ".join(el.text_content().split()) for el in root.iter(
        "p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre", "figcaption")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) or " ".join(root.text_content().split())


def plain_text(fragment_html: str) -> str:
    """The text a reader sees in a fragment (a title with <b> or entities), on one line."""
    if "<" not in fragment_html and "&" not in fragment_html:
        return squash(fragment_html)
    holder = _holder(fragment_html)
    if holder is None:
        return squash(fragment_html)
    for node in list(holder.iter(*DROP)):
        remove_keep_tail(node)
    return squash(holder.text_content())


def image_sources(fragment: str) -> list[str]:
    """The src of every image in a sanitised fragment, in order."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [src for img in root.iter("img") if (src := img.get("src"))]


def sanitize_element(element: HtmlElement, base_url: str) -> str:
    """Sanitise ``element`` in place and return its inner HTML."""
    for node in list(element.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        remove_keep_tail(node)
    _clean_children(element, base_url)
    _bound_structure(element)
    # The leading text is text: "&lt;img onerror&gt;" in the source must not come back as a tag.
    parts = [html.escape(element.text, quote=False)] if element.text else []
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts).strip()


def _clean_children(parent: HtmlElement, base_url: str) -> None:
    for node in list(parent):
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag in DROP or (tag == "img" and not _clean_image(node, base_url)):
            remove_keep_tail(node)
            continue
        _clean_children(node, base_url)
        # libxml2 nests what follows a void element it does not know (<embed>, <source> in a
        # <picture>) inside it: the element goes, its "content" (the <img>) stays.
        if tag not in KEEP:
            node.drop_tag()
        elif tag != "img":
            _clean_attributes(node, tag, base_url)


def _bound_structure(root: HtmlElement) -> None:
    """Flatten what is nested deeper than MAX_NESTING, cut the rows of tables past MAX_CELLS
    cells, drop images past MAX_IMAGES."""
    doomed: list[HtmlElement] = []
    cuts: list[tuple[HtmlElement, int]] = []
    cells = 0
    for node in root.iter(*_NESTING):
        if node.tag == "table":
            own = sum(1 for _ in node.iter("td", "th"))
            if cells + own > MAX_CELLS:
                cuts.append((node, MAX_CELLS - cells))
            cells = min(MAX_CELLS, cells + own)
        if doomed and (node is doomed[-1] or doomed[-1] in node.iterancestors()):
            continue  # inside a structure already being flattened
        if sum(1 for _ in node.iterancestors(*_NESTING)) >= MAX_NESTING:
            doomed.append(node)
    for table, budget in cuts:
        _cut_rows(table, budget)
    for node in doomed:
        _flatten(node)
    for img in list(root.iter("img"))[MAX_IMAGES:]:
        remove_keep_tail(img)


def _cut_rows(table: HtmlElement, budget: int) -> None:
    """Keep the rows of a table that fit in `budget` cells; a "⋯" marks the cut."""
    for row in list(table.iter("tr")):
        own = sum(1 for _ in row.iter("td", "th"))
        if own > budget and row.getparent() is not None:
            row.getparent().remove(row)
        else:
            budget -= own
    table.tail = " ⋯ " + (table.tail or "")


def _flatten(structure: HtmlElement) -> None:
    for node in list(structure.iter()):
        if node is structure or not isinstance(node.tag, str):
            continue
        if node.tag in _AS_PARAGRAPH:
            node.tag = "p"
            node.attrib.clear()
        elif node.tag in _NESTING or node.tag in ("thead", "tbody", "tfoot", "td", "th"):
            node.tail = " " + (node.tail or "")
            node.drop_tag()
    structure.drop_tag()


def safe_url(url: str | None, base_url: str) -> str | None:
    """An absolute http(s) URL, or None for any other scheme (javascript:, data:, file:...).

    Only a local page that the user added (file://) may link to local files: the fetcher
    still confines those reads to the folder of that source.
    """
    if not url:
        return None
    url = _CONTROL.sub("", url)
    try:
        absolute = urljoin(base_url, url) if base_url else url
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    local = base_url.startswith("file:") and scheme == "file"
    return absolute if scheme in ("http", "https") or local else None


def image_source(img: HtmlElement) -> str | None:
    """The real picture of a lazy image: a data-* source when src is absent or a placeholder."""
    src = (img.get("src") or "").strip()
    if not src or _PLACEHOLDER.search(src):
        for name in _LAZY_ATTRS:
            lazy = (img.get(name) or "").strip()
            if lazy and not lazy.startswith("data:"):
                return lazy
        srcset = (img.get("data-srcset") or img.get("srcset") or "").strip()
        if srcset:
            return srcset.split(",")[0].split()[0]
    return src or None


def is_tracker(img: HtmlElement, src: str) -> bool:
    """A 1x1 image or a known beacon URL: counts a visit, shows nothing."""
    tiny = all((img.get(dim) or "").strip().rstrip("px") in ("0", "1")
               for dim in ("width", "height"))
    return tiny or bool(_BEACON.search(src))


def _clean_image(img: HtmlElement, base_url: str) -> bool:
    """Fix up an image in place; False when it should go (tracker, unsafe or no source)."""
    src = safe_url(image_source(img), base_url)
    if not src or is_tracker(img, src):
        return False
    img.set("src", src)
    _clean_attributes(img, "img", base_url)
    return True


def _clean_attributes(node: HtmlElement, tag: str, base_url: str) -> None:
    allowed = _ATTRS.get(tag, ())
    # Rebuild rather than delete: hostile attribute names cannot always be addressed by name.
    kept = [(name, value) for name, value in node.attrib.items() if name.lower() in allowed]
    node.attrib.clear()
    for name, value in kept:
        node.set(name, value)
    if tag == "a" and "href" in node.attrib:
        href = safe_url(node.get("href"), base_url)
        if href:
            node.set("href", href)
        else:
            del node.attrib["href"]


def remove_keep_tail(node: lxml.etree._Element, *, blank_tail: bool = True) -> None:
    """Remove a node and its content but not the text that follows it (nor whitespace, unless
    `blank_tail` is False)."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    parent.remove(node)
    if tail and (blank_tail or tail.strip()):
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
