"""Which container is the body: paragraphs score their ancestors (commas, length, class hints),
scaled down by link density; a feed of teasers beside the headline does not win, an article
split across sibling boxes is taken whole, with its sibling paragraphs or its sibling posts."""

from __future__ import annotations

import re

import lxml.etree
from lxml.html import HtmlElement

from reader.parse.density import (
    BLOCK,
    COMMAS,
    HEADINGS,
    MIN_PARAGRAPH,
    SPACE,
    Stats,
    class_and_id,
    class_weight,
)

CONTAINER = frozenset({"div", "section", "article", "main", "td", "body", "center", "form",
                       "font", "span", "blockquote"})
_UNLIKELY = re.compile(
    r"-ad-|^ad-|\bads?\b|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|"
    r"extra|foot|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|"
    r"skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|"
    r"yom-remote|share|sharing|newsletter|subscribe|promo|recommend|outbrain|taboola|"
    r"cookie|modal|masthead|navbar|toolbar|byline-tools|signup|paywall|login|widget|"
    r"tags?\b|hot|rank|copyright|xgwz|xgxw|tuijian", re.I)
_MAYBE = re.compile(r"and|article|body|column|content|main|mathjax|shadow|text|story|post|"
                    r"entry|detail|zw|cont", re.I)
_MARKED = lxml.etree.XPath("descendant-or-self::*[@class or @id or @role or self::nav or "
                           "self::aside or self::footer]")
_SENTENCE_END = re.compile(r"[.。!！?？\"”」)）]\s*$")
_FEED_ITEMS = 8  # teasers of a feed that may outrank the article under its headline
_CLOSER = 2  # levels: how much closer to the headline an article is than a feed beside it
_COMPARABLE = 0.5
_CLASS_TRUST = 300  # bytes of text from which a box's class name counts in full


def unlikely(body: HtmlElement) -> set[HtmlElement]:
    out = set()
    verdicts: dict[str, bool] = {}  # class names repeat a lot within a page
    for el in _MARKED(body):  # only these can be unlikely: fewer elements to look at
        if el.tag in ("body", "a", "html", "article", "main", "td", "tr", "table", "tbody"):
            continue
        if el.tag in ("nav", "aside", "footer"):
            out.add(el)
            continue
        attrs = class_and_id(el)
        verdict = verdicts.get(attrs)
        if verdict is None:
            verdict = verdicts[attrs] = bool(attrs.strip()) and bool(
                _UNLIKELY.search(attrs)) and not _MAYBE.search(attrs)
        if verdict or el.get("role") in ("navigation", "complementary", "menu", "dialog"):
            out.add(el)
    return out


def _initial(el: HtmlElement, size: int) -> float:
    base = {"div": 5, "article": 10, "main": 5, "pre": 3, "td": 3, "blockquote": 3,
            "section": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3,
            "li": -3, "form": -3, "th": -5}.get(el.tag, 0)
    if el.tag in HEADINGS:
        base = -5
    # A class name says little about a box with a line in it (a date line called
    # "article_create" is no article).
    return base + class_weight(el) * min(1.0, size / _CLASS_TRUST)


def _inline_text(el: HtmlElement) -> str:
    """Text of ``el`` without the text of its block descendants."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def best_candidate(body: HtmlElement, stats: Stats, excluded: set[HtmlElement],
                    headline: HtmlElement | None) -> HtmlElement | None:
    scores: dict[HtmlElement, float] = {}
    for el, size in stats.inline.items():
        if size < MIN_PARAGRAPH or el.tag == "a" or el.tag in HEADINGS:
            continue
        if stats.density(el) > 0.5 or _skipped(el, excluded):
            continue
        text = _inline_text(el)
        points = 1 + len(COMMAS.findall(text)) + min(size / 100, 3)
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


def find_headline(body: HtmlElement, title: str) -> HtmlElement | None:
    """The element that shows the article's headline."""
    key = SPACE.sub("", title)
    if not key:
        return None
    for el in body.iter(*HEADINGS):
        if SPACE.sub("", el.text_content()) == key:
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


def posts(top: HtmlElement, stats: Stats, excluded: set[HtmlElement]) -> list[HtmlElement]:
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


def with_siblings(top: HtmlElement, stats: Stats, excluded: set[HtmlElement]
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
            text = SPACE.sub(" ", sibling.text_content()).strip()
            if (size >= 80 and density < 0.25) or (
                    0 < size < 80 and density == 0 and _SENTENCE_END.search(text)):
                nodes.append(sibling)
    return nodes
