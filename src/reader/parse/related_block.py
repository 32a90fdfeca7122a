"""The page's own related-articles block (`相关文章`, `Related articles`): its links, titles,
dates and snippets, and the elements to keep out of the body."""

from __future__ import annotations

import re
from datetime import tzinfo

from lxml.html import HtmlElement

from reader.parse.dates import parse_date
from reader.parse.portal import DATE_LIKE, Line, within
from reader.parse.sanitize import safe_url
from reader.text import SPACE_RE
from reader.types import RelatedLink

_RELATED_HEAD = re.compile(
    r"^\W*(?:相关(?:文章|新闻|阅读|报道|链接|资讯)|推荐阅读|延伸阅读|猜你喜欢|热点推荐|"
    r"related(?: articles| stories| news| posts| content| reading)?|read more|more stories|"
    r"you (?:may|might) also like)\W*$", re.I)


def related(body: HtmlElement, runs: list[Line], base_url: str, tz: tzinfo
            ) -> tuple[tuple[RelatedLink, ...], list[HtmlElement]]:
    """The page's own related-articles block(s), and their elements (to keep out of the body)."""
    items: list[RelatedLink] = []
    blocks: list[HtmlElement] = []
    for line in runs:
        if len(line.text) > 30 or not _RELATED_HEAD.match(line.text):
            continue
        block = _block_of(line.element)
        if block is None or any(within(block, b) for b in blocks):
            continue
        blocks.append(block)
        items += _related_items(block, base_url, tz)
    seen: set[str] = set()
    unique = [r for r in items if not (r.url in seen or seen.add(r.url))]  # type: ignore[func-returns-value]
    return tuple(unique), blocks


def _block_of(heading: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor of a heading that holds two links and starts with the heading."""
    node = heading
    for _ in range(5):
        node = node.getparent()
        if node is None or node.tag == "body":
            return None
        if sum(1 for _ in node.iter("a")) >= 2:
            opening = [t for t in node.itertext() if t.strip()][:3]
            heading_text = heading.text_content().strip()
            return node if any(heading_text in t for t in opening) else None
    return None


def _related_items(block: HtmlElement, page_url: str, tz: tzinfo) -> list[RelatedLink]:
    out = []
    for a in block.iter("a"):
        href = safe_url(a.get("href", "").strip(), page_url)
        title = SPACE_RE.sub(" ", a.text_content()).strip() or a.get("title", "")
        if not href or len(title) < 4 or href == page_url:
            continue
        item = _item_of(a, block)
        text = SPACE_RE.sub(" ", item.text_content()).strip() if item is not a else title
        rest = text.replace(title, "", 1).strip()
        when = DATE_LIKE.search(rest)
        published = parse_date(rest[when.start():when.start() + 25], tz=tz) if when else None
        snippet = (rest[:when.start()] + rest[when.end():]).strip() if when else rest
        snippet = re.sub(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*|\s*\d{1,2}:\d{2}(?::\d{2})?\s*$",
                         "", snippet)
        out.append(RelatedLink(href, title, snippet[:300], published))
    return out


def _item_of(a: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The repeated unit (li, or the child of the block) that holds one link."""
    node = a
    while node.getparent() is not None and node.getparent() is not block:
        if node.tag in ("li", "dl", "tr"):
            return node
        node = node.getparent()
    return node if sum(1 for _ in node.iter("a")) <= 2 else a
