"""Find the article body in a cleaned tree and turn it into paragraphs, HTML and images.

Readability-style: paragraphs (any element with enough inline text) score their ancestors
by text length and commas; scores are scaled down by link density; the best container
plus its sibling paragraphs is the body. Inside it, link-heavy or boilerplate blocks are
left out. Text is measured in UTF-8 bytes so that one CJK character weighs about as much
as a short Latin word.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from reader.parse import sanitize
from reader.parse.html import document
from reader.types import Image

BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul",
    "caption", "br",
})
CONTAINER = frozenset({"div", "section", "article", "main", "td", "body", "center", "form",
                       "font", "span", "blockquote"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
JUNK_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "applet", "svg",
             "canvas", "template", "select", "textarea", "button", "input", "map", "link",
             "meta", "frameset", "frame", "head", "dialog")
_UNLIKELY = re.compile(
    r"-ad-|^ad-|\bads?\b|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|"
    r"extra|foot|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|"
    r"skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|"
    r"yom-remote|share|sharing|newsletter|subscribe|promo|recommend|outbrain|taboola|"
    r"cookie|modal|masthead|navbar|toolbar|byline-tools|signup|paywall|login|widget|"
    r"tags?\b|hot|rank|copyright|xgwz|xgxw|tuijian", re.I)
_MAYBE = re.compile(r"and|article|body|column|content|main|mathjax|shadow|text|story|post|"
                    r"entry|detail|zw|cont", re.I)
_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|"
                       r"text|blog|story|detail|zhengwen|artibody|endtext|cont", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget|recommend|social|nav|menu|copyright", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|is-hidden|d-none|hide|visually-hidden|sr-only|"
                           r"screen-reader-text|off-screen|offscreen)(?=\s|$)", re.I)
# Widgets that sit inside article containers; unlike _NEGATIVE, a positive word in the same
# class ("article-content__newsletter") does not save them.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:newsletters?|signup|sign-up|sign-in|signin|subscribe|subscription|paywall|"
    r"promo|promos|teasers?|related|recommended|trending|most-read|popular|credits?|"
    r"image-source|copyright|ads?|advert|advertisement|ad-slot|sponsored|outbrain|taboola)"
    r"(?=$|[\s_-])", re.I)
# Containers a missing end tag makes swallow the page (unlike <script> or <textarea>, whose
# content a browser does not show as page text either).
_SWALLOWING = ("noscript", "select", "button", "object", "embed", "applet", "map", "svg",
               "canvas", "dialog")
_SWALLOWED_CHARS = 200
_FOLDED_CHARS = 200
# What is no page text even when nothing else is: code, and the markup a missing end tag
# turns into the raw text of a <textarea> or an <iframe>.
_RAW_TEXT = ("script", "style", "head", "template", "textarea", "iframe", "xmp")
# Elements that carry the attributes a test looks at, selected in C: far fewer than all.
_MAY_HIDE = lxml.etree.XPath("descendant-or-self::*[@hidden or @aria-hidden or @style]")
_CLASSED = lxml.etree.XPath("descendant-or-self::*[@class]")
_MARKED = lxml.etree.XPath("descendant-or-self::*[@class or @id or @role or self::nav or "
                           "self::aside or self::footer]")
_DESCRIPTION = lxml.etree.XPath(
    "//meta[@name='description' or @property='og:description' or @name='twitter:description']"
    "/@content")
_COMMAS = re.compile(r"[,，、。；;！？]")
_SENTENCE_END = re.compile(r"[.。!！?？\"”」)）]\s*$")
_SPACE = re.compile(r"[ \t\r\n\u00a0\u3000\u200b]+")
_BYLINE = re.compile(r"(?:^|[·|•]\s*)(?:by|posted|published|updated)\b|作者|记者", re.I)
_DATED = re.compile(r"\d{4}[-/.年]\d{1,2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                    r"[a-z]*\.? \d{1,2}\b", re.I)
# Short lines that are page furniture, not body text.
_BOILERPLATE = re.compile(
    r"^(?:[【\[]?(?:打印|关闭|收藏|纠错|返回顶部|返回页首|字号|大|中|小|推荐给朋友|发送给朋友|"
    r"关闭窗口|打印本页|打印本文|发表评论|我要评论)[】\]]?\s*[|｜]?\s*){1,}$|"
    r"^(?:责任编辑|编辑|责编|来源|(?:发布|发表|更新)?(?:时间|日期)|点击数|浏览次数)\s*[:：]|^分享到|^上一篇|^下一篇|"
    r"^(?:share|advert|advertisement|advertisment)$|"
    r"^(?:you (?:may|might) also like|recommended(?: videos| for you)?|"
    r"related (?:articles|stories))\W*$|"
    # A timestamp line on its own (`2024-05-01 | 12:42`, `Updated May 1, 6:55 AM`).
    r"^\d{4}-\d{1,2}-\d{1,2}[\s|,]*(?:\d{1,2}:\d{2})?$|^(?:updated|posted)\b.{0,30}\d:\d\d", re.I)
_MIN_PARAGRAPH = 25
_FEED_ITEMS = 8  # teasers of a feed that may outrank the article under its headline
_CLOSER = 2  # levels: how much closer to the headline an article is than a feed beside it
_COMPARABLE = 0.5
_CLASS_TRUST = 300  # bytes of text from which a box's class name counts in full
_IMAGE_EXT_BAD = re.compile(r"\.(?:svg)(?:\?|$)|logo|icon|avatar|sprite|button", re.I)


@dataclass
class Body:
    text: str
    html: str
    images: tuple[Image, ...]
    node: HtmlElement | None = None


@dataclass
class _Stats:
    total: dict[HtmlElement, int] = field(default_factory=dict)
    links: dict[HtmlElement, int] = field(default_factory=dict)
    inline: dict[HtmlElement, int] = field(default_factory=dict)

    def density(self, el: HtmlElement) -> float:
        total = self.total.get(el, 0)
        return self.links.get(el, 0) / total if total else 0.0


def clean(root: HtmlElement) -> None:
    """Drop active content, comments and hidden elements; the tree is ours to change."""
    _unwrap_swallowing(root)
    lxml.etree.strip_elements(root, *JUNK_TAGS, lxml.etree.Comment,
                              lxml.etree.ProcessingInstruction, with_tail=False)
    hidden = [el for el in _MAY_HIDE(root)
              if el.get("hidden") is not None or el.get("aria-hidden") == "true"
              or _HIDDEN_STYLE.search(el.get("style", ""))]
    for el in hidden:
        if el.getparent() is not None and el.tag != "body" and not _folded_text(el):
            _drop(el)
    # Hidden by a utility class (paywall/sign-in variants, screen-reader labels). Scripts may
    # reveal such a block, so one that holds most of the page's text stays.
    classed = [el for el in _CLASSED(root) if _HIDDEN_CLASS.search(el.get("class", ""))]
    if classed:
        page = len(root.text_content())
        for el in classed:
            if el.getparent() is not None and el.tag not in ("body", "html") \
                    and len(el.text_content()) < page / 2 and not _folded_text(el):
                _drop(el)


def _folded_text(el: HtmlElement) -> bool:
    """The rest of an article folded away under 展开全文 / Read more: hidden running text
    among the visible paragraphs it continues (a menu, a dialog or a login box is not)."""
    text = el.text_content()
    if len(text) < _FOLDED_CHARS or len(_COMMAS.findall(text)) < 3:
        return False
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    if linked > len(text) * 0.2:
        return False
    parent = el.getparent()
    return parent is not None and any(
        c.tag == "p" and c is not el and len(_COMMAS.findall(c.text_content())) >= 1
        and len(c.text_content().strip()) >= _MIN_PARAGRAPH for c in parent)


def _unwrap_swallowing(root: HtmlElement) -> None:
    """An unclosed <noscript>, <select>, <button>, <object>, <map> or <svg> takes the rest of
    the page inside it; a browser still shows that text, so one holding most of the page's
    text loses its tag, not its content."""
    big = [el for el in root.iter(*_SWALLOWING) if len(el.text_content()) > _SWALLOWED_CHARS]
    if not big:
        return
    page = len(root.text_content())
    for el in big:
        if len(el.text_content()) > page / 2 and el.getparent() is not None:
            el.drop_tag()


def extract(root: HtmlElement, base_url: str, *, skip: Iterable[HtmlElement] = (),
            title: str = "") -> Body:
    """The body of a cleaned page. ``skip`` are blocks known not to be body (related lists)."""
    body = root.find("body")
    if body is None:
        body = root
    known = set(skip)
    headline = _headline(body, title)
    best: tuple[list[HtmlElement], _Output] | None = None
    for strict in (True, False):
        excluded = known | (_unlikely(body) if strict else set())
        stats = _measure(body, excluded)
        top = _best_candidate(body, stats, excluded, headline)
        if top is None:
            continue
        nodes = _posts(top, stats, excluded) or _with_siblings(top, stats, excluded)
        out = _walk_all(nodes, stats, excluded, base_url)
        if best is None or out.size() > best[1].size():
            best = nodes, out
        if out.size() >= 500:
            break
    if best is None or not best[1].paragraphs:
        best = [body], _walk_all([body], _measure(body, known), known, base_url, lenient=True)
    return _finish(*best, base_url, title)


def rescue(html: bytes, url: str, http_charset: str | None, article_body: str) -> str:
    """The text of a page the density search found empty (its text hidden, or inside an
    element the clean-up drops): the same search over everything the page holds, hidden
    parts included; else the JSON-LD articleBody; else the page's description."""
    root, _ = document(html, url, http_charset, absolute_links=False)
    described = _DESCRIPTION(root)
    lxml.etree.strip_elements(root, *_RAW_TEXT, lxml.etree.Comment,
                              lxml.etree.ProcessingInstruction, with_tail=False)
    found = extract(root, url).text
    if found:
        return found
    if article_body.strip():
        return article_body.strip()
    return next((_SPACE.sub(" ", d).strip() for d in described if d.strip()), "")


def _walk_all(nodes: list[HtmlElement], stats: _Stats, excluded: set[HtmlElement],
              base_url: str, *, lenient: bool = False) -> _Output:
    out = _Output()
    cap = sum(stats.total.get(n, 0) for n in nodes) / 2
    for node in nodes:
        _walk(node, stats, excluded, out, base_url, lenient=lenient, cap=cap, top=True)
        out.brk()
    return out


def _finish(nodes: list[HtmlElement], out: _Output, base_url: str, title: str) -> Body:
    """Text, images and sanitised HTML of the chosen body; only now is the tree pruned."""
    images = _captioned(out.images, out.paragraphs)
    paragraphs = _drop_boilerplate(out.paragraphs, title)
    for el in out.dropped + _masthead(nodes, title):
        _drop(el)
    html = "".join(_sanitised(node, base_url) for node in nodes)
    return Body("\n\n".join(paragraphs), html, images, nodes[0] if nodes else None)


def _weight(text: str) -> int:
    return len(text.encode("utf-8"))


def _attrs(el: HtmlElement) -> str:
    ident = el.get("id", "")
    if ident.count("-") >= 3:
        ident = ""  # a slug made from a heading ("sharing-with-a-team") says nothing
    return f"{el.get('class', '')} {ident}"


def _unlikely(body: HtmlElement) -> set[HtmlElement]:
    out = set()
    verdicts: dict[str, bool] = {}  # class names repeat a lot within a page
    for el in _MARKED(body):  # only these can be unlikely: fewer elements to look at
        if el.tag in ("body", "a", "html", "article", "main", "td", "tr", "table", "tbody"):
            continue
        if el.tag in ("nav", "aside", "footer"):
            out.add(el)
            continue
        attrs = _attrs(el)
        unlikely = verdicts.get(attrs)
        if unlikely is None:
            unlikely = verdicts[attrs] = bool(attrs.strip()) and bool(
                _UNLIKELY.search(attrs)) and not _MAYBE.search(attrs)
        if unlikely or el.get("role") in ("navigation", "complementary", "menu", "dialog"):
            out.add(el)
    return out


def _measure(body: HtmlElement, excluded: set[HtmlElement]) -> _Stats:
    """Text, link text and inline text sizes of every element, in one pass."""
    stats = _Stats()
    order = [el for el in body.iter("*")]
    total, links, inline = stats.total, stats.links, stats.inline
    for el in reversed(order):
        if el in excluded:
            total[el] = links[el] = inline[el] = 0
            continue
        direct = len((el.text or "").strip().encode("utf-8"))
        t = direct
        lk = 0
        inl = direct
        for child in el:
            tail = len((child.tail or "").strip().encode("utf-8")) if child.tail else 0
            t += tail
            inl += tail
            if not isinstance(child.tag, str) or child in excluded:
                continue
            t += total[child]
            lk += links[child]
            if child.tag not in BLOCK:
                inl += inline[child]
        if el.tag == "a":
            lk = t - sum((len((c.tail or "").strip().encode("utf-8")) for c in el), 0)
        total[el], links[el], inline[el] = t, lk, inl
    return stats


def _class_weight(el: HtmlElement) -> int:
    attrs = _attrs(el)
    if not attrs.strip():
        return 0
    weight = 0
    if _NEGATIVE.search(attrs):
        weight -= 25
    if _POSITIVE.search(attrs):
        weight += 25
    return weight


def _initial(el: HtmlElement, size: int) -> float:
    base = {"div": 5, "article": 10, "main": 5, "pre": 3, "td": 3, "blockquote": 3,
            "section": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3,
            "li": -3, "form": -3, "th": -5}.get(el.tag, 0)
    if el.tag in HEADINGS:
        base = -5
    # A class name says little about a box with a line in it (a date line called
    # "article_create" is no article).
    return base + _class_weight(el) * min(1.0, size / _CLASS_TRUST)


def _inline_text(el: HtmlElement) -> str:
    """Text of ``el`` without the text of its block descendants."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _best_candidate(body: HtmlElement, stats: _Stats, excluded: set[HtmlElement],
                    headline: HtmlElement | None) -> HtmlElement | None:
    scores: dict[HtmlElement, float] = {}
    for el, size in stats.inline.items():
        if size < _MIN_PARAGRAPH or el.tag == "a" or el.tag in HEADINGS:
            continue
        if stats.density(el) > 0.5 or _skipped(el, excluded):
            continue
        text = _inline_text(el)
        points = 1 + len(_COMMAS.findall(text)) + min(size / 100, 3)
        start = el if el.tag in CONTAINER else el.getparent()
        level = 0
        node = start
        while node is not None and level < 5:
            if node not in scores:
                scores[node] = _initial(node, stats.total.get(node, 0))
            scores[node] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            if node is body:
                break
            node = node.getparent()
            level += 1
    if not scores:
        return None
    final = {el: s * (1 - stats.density(el)) for el, s in scores.items()}
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top, others = _by_headline(ranked[0], ranked[1:_FEED_ITEMS + 2], final, headline)
    return _promote(top, others[:4], final, body)


def _headline(body: HtmlElement, title: str) -> HtmlElement | None:
    """The element that shows the article's headline."""
    key = _SPACE.sub("", title)
    if not key:
        return None
    for el in body.iter(*HEADINGS):
        if _SPACE.sub("", el.text_content()) == key:
            return el
    return None


def _by_headline(top: HtmlElement, others: list[HtmlElement], final: dict[HtmlElement, float],
                 headline: HtmlElement | None) -> tuple[HtmlElement, list[HtmlElement]]:
    """A feed of teasers beside a short article can outscore it: when the top candidate is
    one of a series of same-shaped boxes, the article is the candidate of comparable score
    that shares a much closer ancestor with the headline. (A lone top candidate is kept: a
    summary box under the headline does not beat a short body.) Returns the top candidate
    and the others it may merge with (not the feed's items)."""
    if headline is None or not any(_shape(o) == _shape(top) for o in others):
        return top, others
    near = _depth(_common(top, headline)) + _CLOSER
    closer = [o for o in others if _depth(_common(o, headline)) >= near]
    if closer and final[closer[0]] >= final[top] * _COMPARABLE:
        return closer[0], closer[1:]
    return top, others


def _common(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    ancestors = {b, *b.iterancestors()}
    return next((x for x in (a, *a.iterancestors()) if x in ancestors), None)


def _depth(el: HtmlElement | None) -> int:
    return 0 if el is None else sum(1 for _ in el.iterancestors())


def _skipped(el: HtmlElement, excluded: set[HtmlElement]) -> bool:
    return any(a in excluded for a in el.iterancestors()) if excluded else False


def _promote(top: HtmlElement, others: list[HtmlElement], final: dict[HtmlElement, float],
             body: HtmlElement) -> HtmlElement:
    """Move up when the article is split across sibling containers of similar worth."""
    score = final[top]
    close = [o for o in others if final[o] >= score * 0.75]
    if len(close) >= 2:
        node = top.getparent()
        while node is not None and node is not body:
            if sum(1 for o in close if _contains(node, o)) >= 2:
                return node
            node = node.getparent()
    # A lone child holds nothing its parent lacks.
    while top.getparent() is not None and top is not body and len(top.getparent()) == 1 \
            and top.getparent().tag != "body":
        top = top.getparent()
    return top


def _contains(ancestor: HtmlElement, el: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _shape(el: HtmlElement) -> tuple[str, str, frozenset[tuple[str, str]]]:
    """What a page template stamps out: tag, class and the kinds of children."""
    return el.tag, el.get("class", ""), frozenset(
        (c.tag, c.get("class", "")) for c in el if isinstance(c.tag, str))


def _posts(top: HtmlElement, stats: _Stats, excluded: set[HtmlElement]) -> list[HtmlElement]:
    """Blog archives and threads repeat one template per post: when the body sits in one
    copy and its same-shaped siblings hold running text too, every post is the body."""
    node = top
    for _ in range(8):
        parent = node.getparent()
        if parent is None or node.tag == "body":
            return []
        shape = _shape(node)
        posts = [c for c in parent if c is node or (
            isinstance(c.tag, str) and c not in excluded and stats.total.get(c, 0) >= 200
            and stats.density(c) < 0.25 and _shape(c) == shape)]
        if len(posts) >= 3:  # two same-shaped boxes are as often layout as posts
            return posts
        node = parent
    return []


def _with_siblings(top: HtmlElement, stats: _Stats, excluded: set[HtmlElement]
                   ) -> list[HtmlElement]:
    parent = top.getparent()
    if parent is None or top.tag == "body":
        return [top]
    top_size = stats.total.get(top, 0)
    nodes = []
    top_class = top.get("class")
    for sibling in parent:
        if sibling is top:
            nodes.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling in excluded:
            continue
        size = stats.total.get(sibling, 0)
        density = stats.density(sibling)
        if top_class and sibling.get("class") == top_class and density < 0.3 \
                and size > top_size * 0.1:
            nodes.append(sibling)
        elif sibling.tag in ("p", "blockquote", "pre") or (
                sibling.tag in ("div", "section") and len(sibling) == 0):
            text = _SPACE.sub(" ", sibling.text_content()).strip()
            if (size >= 80 and density < 0.25) or (
                    0 < size < 80 and density == 0 and _SENTENCE_END.search(text)):
                nodes.append(sibling)
    return nodes


@dataclass
class _Output:
    paragraphs: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    # paragraph index, url, caption ("" = may take the next line, None = inside running text)
    images: list[tuple[int, str, str | None]] = field(default_factory=list)
    dropped: list[HtmlElement] = field(default_factory=list)

    def brk(self) -> None:
        if self.current:
            text = _SPACE.sub(" ", "".join(self.current)).strip()
            if text:
                self.paragraphs.append(text)
            self.current = []

    def size(self) -> int:
        return sum(_weight(p) for p in self.paragraphs)

    def pending(self) -> bool:
        return bool("".join(self.current).strip())


def _walk(el: HtmlElement, stats: _Stats, excluded: set[HtmlElement], out: _Output,
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


def _junk_block(el: HtmlElement, stats: _Stats, cap: float) -> bool:
    """Readability's conditional cleaning: link lists, widgets and empty boxes inside the body.
    ``cap``: a named widget holding this much of the body's text is the body itself."""
    tag = el.tag
    if tag in ("nav", "aside", "footer"):
        return True
    if _FURNITURE.search(_attrs(el)) and stats.total.get(el, 0) < cap:
        return True
    density = stats.density(el)
    if tag in HEADINGS:
        return density > 0.33 or _class_weight(el) < 0
    if tag in ("p", "li", "dd", "dt", "blockquote", "span", "font", "strong", "b"):
        return density > 0.6 and tag != "li"
    if tag not in ("div", "section", "table", "ul", "ol", "dl", "header", "center", "form"):
        return False
    weight = _class_weight(el)
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
    return len(_COMMAS.findall(el.text_content())) < 10 or density > 0.5


def _cards(el: HtmlElement, stats: _Stats) -> bool:
    """Teaser cards (headline, picture, link; no running text): other articles, not this one."""
    headings = [h for h in el.iter(*HEADINGS)]
    if len(headings) < 3 or _count(el, "a") < len(headings):
        return False
    return all(size < 120 or d.tag in HEADINGS for d in el.iter("*")
               if (size := stats.inline.get(d, 0)))


def _count(el: HtmlElement, tag: str) -> int:
    return sum(1 for _ in el.iter(tag))


def _image(el: HtmlElement, out: _Output, base_url: str) -> None:
    src = sanitize.safe_url(sanitize.image_source(el), base_url)
    if not src or sanitize.is_tracker(el, src) or _IMAGE_EXT_BAD.search(src):
        return
    caption = ""
    for level, ancestor in enumerate(el.iterancestors()):
        if ancestor.tag == "figure":
            found = ancestor.find(".//figcaption")
            if found is not None:
                caption = _SPACE.sub(" ", _caption_text(found)).strip()
            break
        if level >= 3:
            break
    out.images.append((len(out.paragraphs), src, caption if caption else
                       ("" if not out.pending() else None)))


def _caption_text(el: HtmlElement) -> str:
    """A figcaption's words without its credit line (`Photo by ... / Agency`)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not _FURNITURE.search(_attrs(child)):
            parts.append(_caption_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _captioned(found: list[tuple[int, str, str | None]], paragraphs: list[str]
               ) -> tuple[Image, ...]:
    """Images with captions: a figcaption, else the short line right after a lone image."""
    images: dict[str, Image] = {}
    for index, src, caption in found:
        if caption == "" and index < len(paragraphs) and _weight(paragraphs[index]) <= 180:
            caption = paragraphs[index]
        images.setdefault(src, Image(src, caption or ""))
    return tuple(images.values())


def _drop_boilerplate(paragraphs: list[str], title: str) -> list[str]:
    key = _SPACE.sub("", title)
    kept = []
    for i, text in enumerate(paragraphs):
        if _weight(text) < 120 and _BOILERPLATE.search(text):
            continue
        if i < 3 and ((key and _SPACE.sub("", text) == key) or _is_byline(text)):
            continue  # the headline or byline repeated over the body
        kept.append(text)
    return kept


def _is_byline(text: str) -> bool:
    """A short line with a date and who wrote it ("Published 2025-11-16 · By A. Writer")."""
    return _weight(text) < 160 and bool(_BYLINE.search(text)) and bool(_DATED.search(text))


def _masthead(nodes: list[HtmlElement], title: str) -> list[HtmlElement]:
    """The headline and byline heading the chosen body: the reader shows both above it."""
    key = _SPACE.sub("", title)
    heads = [el for node in nodes for el in node.iter("h1", "h2", "h3", "p")][:3]
    return [el for el in heads
            if (key and _SPACE.sub("", el.text_content()) == key)
            or _is_byline(_SPACE.sub(" ", el.text_content()).strip())]


def _sanitised(node: HtmlElement, base_url: str) -> str:
    holder = lxml.html.Element("div")
    holder.append(copy.deepcopy(node))
    holder[0].tail = None
    return sanitize.sanitize_element(holder, base_url)


def _drop(el: HtmlElement) -> None:
    """Remove an element and its content, keeping the words that follow it."""
    sanitize.remove_keep_tail(el, blank_tail=False)
