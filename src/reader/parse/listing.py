"""Portal section pages: the article links on them, the next page, the advertised feed.

Generic heuristics, no per-site rules: links are grouped by their DOM path signature (list
items of one list share it, and so do the sublists of a list split by day), clutter
containers (header, nav, footer, sidebars) are dropped, and the group with the longest, most
article-like links wins, with the headlines set apart in its own container (a channel
page's lead story above its topic lists). A link is the site's when it is on the page's
registrable domain (any subdomain: news., dy., money.). A list of documents (PDF notices) is
a list of items too.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from urllib.parse import urldefrag, urlsplit

import lxml.html

from reader import charset
from reader.errors import ParseError, parse_boundary
from reader.parse.dates import CHINA, parse_date
from reader.parse.feed import looks_like_feed, parse_feed
from reader.parse.html import document
from reader.text import CJK_RE, HAN, HAN_RE, squash
from reader.types import Entry, ParsedSource
from reader.urls import document_type, same_site

log = logging.getLogger(__name__)

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json",
               "application/json+feed"}
_NEXT_WORDS = {"下一页", "下页", "后页", "下一頁", "next", "nextpage", "older", "olderposts"}
_NEXT_SYMBOLS = {"»", "›", ">", ">>", "→"}
_DECOR = re.compile(r"[\s\[\]【】()()<>《》«»‹›→]+")
_CLUTTER_TAGS = ("header", "nav", "footer", "aside", "script", "style", "noscript", "form")
_CLUTTER_WORDS = {"nav", "navbar", "menu", "header", "footer", "sidebar", "side", "aside",
                  "topbar", "top-bar", "toolbar", "breadcrumb", "crumb", "position", "share",
                  "copyright", "banner", "login", "friendlink", "links", "ad", "ads"}
# The header or footer of one item (entry-header, post-footer, card-header) is part of it.
_ITEM_WORDS = {"entry", "post", "article", "story", "card", "item"}
_CRUMB_WORDS = {"breadcrumb", "breadcrumbs", "crumb", "crumbs", "position", "location",
                "curpos", "dqwz", "weizhi"}
_CRUMB_PREFIX = re.compile(r"^\s*(?:所在位置|当前位置|您的位置|你的位置|您现在的位置|现在位置"
                           r"|you are here|location)\s*[::]?", re.I)
_CRUMB_SPLIT = re.compile(r"\s*(?:>|›|»|→|/|>|\|)\s*")
# "国内新闻_示例网", "World | Times", and "国内新闻-示例新闻网" (bare hyphens only between Han).
_TITLE_SPLIT = re.compile(rf"\s+[-_|–—·]\s+|\s*[|_—–]\s*|(?<=[{HAN}])-+(?=[{HAN}])")
# An article's address carries an id, a date or a long slug; a trailing slash says nothing.
_ARTICLE_PATH = re.compile(r"\d{4,}|/20\d{2}[-/]?\d{1,2}/|[a-z0-9]+(?:-[a-z0-9]+){3,}", re.I)
_INDEX_PAGE = re.compile(r"/(?:index|default)(?:_\d+)?\.\w+$", re.I)
_NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|xml|rss|css|js)$", re.I)
_DIGITS = re.compile(r"\d+")
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?![\d:])")
_HEADING_LEVELS = 3  # from a list item up to the sublist that a date heading opens
_TITLE_WEIGHT = 16  # about 8 CJK characters or 16 Latin ones: shorter is a menu item
_MAX_WEIGHT = 80
_MAX_HEADLINES = 3  # links of a headline block; a group of more is a list of its own


@dataclass
class _Link:
    element: lxml.html.HtmlElement
    url: str
    text: str
    weight: int  # text length, CJK counting double (a Chinese title is half as long)
    article_like: bool


@parse_boundary
def parse_listing(body: bytes, url: str, http_charset: str | None = None) -> ParsedSource:
    root, _ = document(body, url, http_charset)
    return _listing(root, url)


@parse_boundary
def discover_feed(body: bytes, url: str, http_charset: str | None = None) -> str | None:
    """The feed a page advertises with <link rel="alternate" type="...">, absolute."""
    root, _ = document(body, url, http_charset)
    return _advertised_feed(root)


@parse_boundary
def parse_source(body: bytes, url: str, content_type: str = "",
                 http_charset: str | None = None) -> ParsedSource:
    """A feed or a section page, judged by the bytes: servers mislabel both."""
    if not body.strip():
        raise ParseError("the page is empty")
    if looks_like_feed(body):
        if "html" in content_type.lower():
            log.info("%s is served as %s but is a feed", url, content_type)
        return parse_feed(body, url, http_charset)
    if not _looks_like_html(body):
        raise ParseError("neither a feed nor an HTML page")
    root, _ = document(body, url, http_charset)
    feed_url = _advertised_feed(root)
    try:
        listing = _listing(root, url)
    except ParseError:
        if not feed_url:
            raise
        # The caller fetches the feed instead.
        return ParsedSource(kind="listing", title=_section_title(root, url), entries=(),
                            feed_url=feed_url)
    return replace(listing, feed_url=feed_url)


def _looks_like_html(body: bytes) -> bool:
    text, _ = charset.decode(body[:65536])
    return bool(re.search(r"<(?:!doctype\s+html|html|head|body|div|table|ul|a\s)", text, re.I))


def _advertised_feed(root: lxml.html.HtmlElement) -> str | None:
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES and link.get("href"):
            return link.get("href").strip()
    return None


def _listing(root: lxml.html.HtmlElement, url: str) -> ParsedSource:
    title = _section_title(root, url)
    next_page = _next_page(root, url)
    _drop_clutter(root)
    links = _candidate_links(root, url, next_page)
    group = _best_group(links)
    if not group:
        raise ParseError("no article links found")
    entries, seen = [], set()
    for link in group:
        if link.url not in seen:
            seen.add(link.url)
            entries.append(_entry(link, group))
    log.debug("listing %s: %d entries, next page %s", url, len(entries), next_page)
    return ParsedSource(kind="listing", title=title, entries=tuple(entries), next_page=next_page)


# --- title and pagination -------------------------------------------------------------------


def _words(element: lxml.html.HtmlElement) -> set[str]:
    """The class and id of an element as lower-case words (`side-box` -> side, box)."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return set(re.split(r"[\s_-]+", raw)) | set(raw.split())


def _section_title(root: lxml.html.HtmlElement, url: str) -> str:
    crumb = _last_crumb(root)
    if crumb:
        return crumb
    title = squash(root.findtext(".//title", ""))
    if title:
        return _TITLE_SPLIT.split(title)[0].strip()
    heading = root.find(".//h1")
    return squash(heading.text_content()) if heading is not None else url


def _last_crumb(root: lxml.html.HtmlElement) -> str:
    for element in root.iter("div", "p", "nav", "span", "ol", "ul", "section"):
        text = squash(element.text_content())
        if len(text) > 200:
            continue
        if _words(element) & _CRUMB_WORDS or _CRUMB_PREFIX.match(text):
            crumbs = [c for c in _CRUMB_SPLIT.split(_CRUMB_PREFIX.sub("", text)) if c.strip()]
            if crumbs:
                return crumbs[-1].strip()
    return ""


def _next_page(root: lxml.html.HtmlElement, url: str) -> str | None:
    page = urldefrag(url)[0]
    for element in root.iter("a", "link"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith("javascript:") or urldefrag(href)[0] == page:
            continue
        rel = (element.get("rel") or "").lower().split()
        text = element.text_content().strip() if element.tag == "a" else ""
        if "next" in rel or text in _NEXT_SYMBOLS or _DECOR.sub("", text).lower() in _NEXT_WORDS:
            return urldefrag(href)[0]
    return None


# --- links ----------------------------------------------------------------------------------


def _clutter(element: lxml.html.HtmlElement) -> bool:
    words = _words(element)
    return bool(words & _CLUTTER_WORDS) and not words & _ITEM_WORDS


def _drop_clutter(root: lxml.html.HtmlElement) -> None:
    body = root.find("body")
    for element in list(root.iter(*_CLUTTER_TAGS)):
        element.drop_tree()
    for element in list(root.iter()):
        if element is not body and isinstance(element.tag, str) and (
                _clutter(element)) and element.getparent() is not None:
            element.drop_tree()


def _candidate_links(root: lxml.html.HtmlElement, page: str, next_page: str | None
                     ) -> list[_Link]:
    page = urldefrag(page)[0]
    links = []
    for a in root.iter("a"):
        url = urldefrag((a.get("href") or "").strip())[0]
        if not url or url in (page, next_page) or not same_site(url, page):
            continue
        parts = urlsplit(url)
        if _NOT_PAGES.search(parts.path):
            continue
        text = squash(a.text_content()) or squash(a.get("title") or "")
        if not text or text.isdigit():
            continue
        weight = min(len(text) + len(CJK_RE.findall(text)), _MAX_WEIGHT)
        article_like = bool(document_type(url)) or (
            bool(_ARTICLE_PATH.search(f"{parts.path}?{parts.query}"))
            and not _INDEX_PAGE.search(parts.path))
        links.append(_Link(a, url, text, weight, article_like))
    return links


def _signature(element: lxml.html.HtmlElement, numbered: bool = True) -> str:
    """The tag path to the root, with each element's first class: list items share it.
    Without numbers in the classes, the sublists of a list split by day or by index
    (day-1201, day-1130; list_1, list_2) share it too."""
    parts = []
    while element is not None:
        classes = (element.get("class") or "").split()
        first = classes[0] if classes else ""
        parts.append(f"{element.tag}.{first if numbered else _DIGITS.sub('', first)}")
        element = element.getparent()
    return "/".join(parts)


def _groups(links: list[_Link]) -> list[list[_Link]]:
    """The links of each list. A list split into sublists (one per day, under its date)
    counts whole: groups whose signatures differ only by numbers in a class join when the
    numbered sublists are siblings under one parent and their items have the same shape,
    which a 排行 box beside them rarely has."""
    exact: dict[str, list[_Link]] = {}
    for link in links:
        exact.setdefault(_signature(link.element), []).append(link)
    unnumbered: dict[str, list[list[_Link]]] = {}
    for group in exact.values():
        unnumbered.setdefault(_signature(group[0].element, numbered=False), []).append(group)
    joined: list[list[_Link]] = []
    for alike in unnumbered.values():
        if len(alike) == 1:
            joined.extend(alike)
            continue
        # Keyed by the parent element itself: the key keeps lxml's proxy (and its identity).
        sublists: dict[tuple[lxml.html.HtmlElement | None, tuple[str, ...]], list[_Link]] = {}
        for group in alike:
            key = (_numbered_parent(group[0].element), _item_shape(group))
            sublists.setdefault(key, []).extend(group)
        joined.extend(sublists.values())
    return joined


def _numbered_parent(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The parent of the nearest ancestor whose first class carries a number (day-1201)."""
    for ancestor in element.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if classes and _DIGITS.search(classes[0]):
            return ancestor.getparent()
    return None


def _item_shape(group: list[_Link]) -> tuple[str, ...]:
    """The commonest sequence of child tags of the group's list items (a, span: a title and
    its time; em, a: a rank and a title)."""
    shapes = Counter(tuple(child.tag for child in _item(k, group) if isinstance(child.tag, str))
                     for k in group)
    return shapes.most_common(1)[0][0]


def _titled(link: _Link) -> bool:
    """An item rather than a menu entry or a tag: a title's length or an article's address
    (a short 国内 or Europe linking a section, in the list's own items, is neither)."""
    return link.weight >= _TITLE_WEIGHT or link.article_like


def _best_group(links: list[_Link]) -> list[_Link]:
    """The page's list: the heaviest group, with the headlines set apart in its container."""
    groups = _groups(links)
    scores = [_score(group) for group in groups]
    top = max(scores, default=0.0)
    if top <= 0:
        return []
    best = groups[scores.index(top)]
    chosen = {id(k) for k in best if _titled(k)}
    chosen.update(id(k) for k in _headlines_beside(best, groups))
    return [k for k in links if id(k) in chosen]


def _score(group: list[_Link]) -> float:
    """Its titles' weight, times 0.5 to 1.5 by the share of links to articles' addresses."""
    share = sum(k.article_like for k in group) / len(group)
    return sum(k.weight for k in group if _titled(k)) * (0.5 + share)


def _headlines_beside(best: list[_Link], groups: list[list[_Link]]) -> list[_Link]:
    """Headlines set apart in the list's own container (a lead story and its follow-ups), not
    another list there (a 排行 box); none when the list spans the page (no container)."""
    column = _common_ancestor([k.element for k in best])
    if column.tag in ("body", "html"):
        return []
    return [k for group in groups if len(group) <= _MAX_HEADLINES for k in group
            if k.weight >= _TITLE_WEIGHT and k.article_like
            and column in k.element.iterancestors()]


def _common_ancestor(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The innermost element holding them all (the element itself when there is one)."""
    shared = [elements[0], *elements[0].iterancestors()]
    for element in elements[1:]:
        mine = {id(e) for e in (element, *element.iterancestors())}
        shared = [e for e in shared if id(e) in mine]
    return shared[0]


# --- entries --------------------------------------------------------------------------------


def _item(link: _Link, group: list[_Link]) -> lxml.html.HtmlElement:
    """The widest ancestor that holds this link and no other of its group (the list item)."""
    others = {id(k.element) for k in group if k.url != link.url}
    item = link.element
    parent = item.getparent()
    while parent is not None and parent.tag != "body" and not any(
            id(a) in others for a in parent.iter("a")):
        item, parent = parent, parent.getparent()
    return item


def _entry(link: _Link, group: list[_Link]) -> Entry:
    item = _item(link, group)
    zone = CHINA if HAN_RE.search(item.text_content()) else None
    published = _date_in(item, link.element, zone) or _dated_by_heading(item, link.element, zone)
    return Entry(url=link.url, title=link.text, published=published,
                 summary_html=_summary(item, link))


def _outside(element: lxml.html.HtmlElement, anchor: lxml.html.HtmlElement) -> bool:
    return element is not anchor and anchor not in element.iterancestors() and (
        element not in anchor.iterancestors())


def _date_in(item: lxml.html.HtmlElement, anchor: lxml.html.HtmlElement, zone: tzinfo | None
             ) -> datetime | None:
    for time in item.iter("time"):
        found = parse_date(time.get("datetime") or time.text_content(), tz=zone)
        if found:
            return found
    for element in item.iter():
        if isinstance(element.tag, str) and _outside(element, anchor):
            text = element.text_content()
            if len(text) < 40:
                found = parse_date(text, tz=zone)
                if found:
                    return found
    return None


def _dated_by_heading(item: lxml.html.HtmlElement, anchor: lxml.html.HtmlElement,
                      zone: tzinfo | None) -> datetime | None:
    """The day of a per-day sublist (the date heading above it) at the item's own time of
    day (10:21, or 12-01 10:21 with no year)."""
    day = None
    element = item
    for _ in range(_HEADING_LEVELS):
        heading = next((s for s in element.itersiblings(preceding=True)
                        if isinstance(s.tag, str) and s.tag != element.tag), None)
        text = heading.text_content() if heading is not None else ""
        day = parse_date(text, tz=zone) if len(text) < 40 else None
        parent = element.getparent()
        if day or parent is None or parent.tag == "body":
            break
        element = parent
    if day is None:
        return None
    texts = (e.text_content() for e in item.iter() if isinstance(e.tag, str)
             and _outside(e, anchor) and len(e.text_content()) < 40)
    clock = next(filter(None, map(_CLOCK.search, texts)), None)
    if clock is None:
        return day
    hour, minute, second = (int(g or 0) for g in clock.groups())
    return day.replace(hour=hour, minute=minute, second=second)


def _summary(item: lxml.html.HtmlElement, link: _Link) -> str:
    """The longest text block of the item besides its title, as a short HTML paragraph."""
    texts = [squash(e.text_content()) for e in item.iter("p", "div", "span")
             if _outside(e, link.element)]
    text = max(texts, key=len, default="")
    return f"<p>{html.escape(text)}</p>" if len(text) >= 15 else ""
