"""The page's own related-articles block (`相关文章`, `Related articles`): its links, titles,
dates and snippets, and the elements to keep out of the body.

A block is found from its heading, never from a class name: a short text run that says
相关新闻/延伸阅读/推荐阅读/... and the list of article links that follows it. The list may
sit inside the heading's element, beside it, or after an ancestor that holds nothing but the
heading (a title bar, a tab bar). A tab's list is the panel at the tab's position. Site-wide
lists (热门, 排行, 为你推荐, 猜你喜欢) are not the page's own block; their headings are not
accepted. A list that says "加载中" (filled by a script) is no block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import tzinfo

from lxml.html import HtmlElement

from reader.parse.dates import parse_date
from reader.parse.portal import DATE_LIKE, Line, within
from reader.parse.sanitize import safe_url
from reader.text import CJK_RE, SPACE_RE
from reader.types import RelatedLink

# Matched against the heading with everything but letters and digits removed.
_HEADING = re.compile(
    r"(?:更多|其他|其它)?(?:相关|相關)(?:文章|新闻|新聞|阅读|閱讀|报道|報導|報道|链接|鏈接|资讯|資訊|"
    r"内容|內容|推荐|推薦|专题|專題|稿件)(?:推荐|推薦|列表)?|"
    r"(?:推荐|推薦|延伸|扩展|擴展|关键词|關鍵詞)(?:阅读|閱讀)|延伸(?:推荐|推薦)|"
    r"related(?:articles|stories|news|posts|content|reading|coverage|links)?|readmore|seealso|"
    r"moreonthis(?:story|topic)|関連(?:記事|ニュース)|관련(?:기사|뉴스)")
# Words every heading above holds: a cheap first test for the thousands of runs on a page.
_HINT = re.compile(r"相[关關]|推[荐薦]|延伸|[扩擴]展|[关關][键鍵]|related|read|see|more|関連|관련",
                   re.I)
_NOT_WORD = re.compile(r"[\W_]+")
_LOADING = re.compile(r"加载中|加載中|載入中|正在加载|loading", re.I)
_HEADING_CHARS = 30  # a heading is a short run; longer text is a sentence that mentions one
_CLIMB_EXTRA = 40  # an ancestor of a heading may add this much text (tab names, "更多") and no more
_TAB_CHARS = 10  # a tab's label
_LABEL_CHARS = 4  # a word between a heading and its list ("广告", "AD")
_MAX_LEVELS = 5
# A page's own block lists a handful of articles; an endless recommendation feed under a
# related heading is cut here (its pages are fetched ahead when they are on the source's site).
_MAX_ITEMS = 20
_LIST_TAGS = frozenset({"li", "dd", "dt", "tr", "article"})
_CARD_TITLES = ("h1", "h2", "h3", "h4", "h5", "h6")
_DATE_ONLY = re.compile(
    r"^\W*(?:\d{2,4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?|\d{1,2}[-/.月]\d{1,2}日?|"
    r"\d{1,2}:\d{2}(?::\d{2})?|\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月|年)前|刚刚|剛剛|"
    r"昨天|前天|今天|\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\W*$", re.I)
_CLOCK_EDGE = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*|\s*\d{1,2}:\d{2}(?::\d{2})?\s*$")


def related(body: HtmlElement, runs: list[Line], base_url: str, tz: tzinfo
            ) -> tuple[tuple[RelatedLink, ...], list[HtmlElement]]:
    """The page's own related-articles block(s), and their elements (to keep out of the body)."""
    items: list[RelatedLink] = []
    blocks: list[HtmlElement] = []
    page = _no_fragment(base_url)
    for line in runs:
        if len(line.text) > _HEADING_CHARS or not is_heading(line.text):
            continue
        if any(within(line.element, b) for b in blocks):
            continue
        box = _heading_box(line.element)
        lists = _lists_after(box, page)
        if not lists:
            continue
        blocks += _with_heading(box, lists)
        for block in lists:
            items += _items(block, page, tz)
    seen: set[str] = set()
    unique = [r for r in items if not (r.url in seen or seen.add(r.url))]  # type: ignore[func-returns-value]
    return tuple(unique[:_MAX_ITEMS]), blocks


def is_heading(text: str) -> bool:
    """A related block's heading: 相关新闻, 延伸閱讀, `Related stories:`..."""
    return bool(_HINT.search(text)) and bool(_HEADING.fullmatch(_NOT_WORD.sub("", text).lower()))


def _heading_box(element: HtmlElement) -> HtmlElement:
    """<div class="hd"><h3><span>相关新闻</span></h3></div>: the whole title, not the span."""
    heading = _words(element.text_content())
    box = element
    while (parent := box.getparent()) is not None and parent.tag != "body" \
            and _words(parent.text_content()) == heading:
        box = parent
    return box


def _lists_after(box: HtmlElement, page: str) -> list[HtmlElement]:
    """The list of article links that a heading heads: [] when there is none (or it is empty)."""
    heading = _words(box.text_content())
    tab, tabs = _tab_position(box)
    node = box
    for _ in range(_MAX_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        found, stop = _list_beside(node, page, tab, tabs)
        if found:
            return found
        if stop or len(_words(parent.text_content())) - len(heading) > _CLIMB_EXTRA:
            break
        node = parent
    return _inline_list(box, page)


def _inline_list(box: HtmlElement, page: str) -> list[HtmlElement]:
    """<p>相关阅读：<a>…</a><br><a>…</a></p>: the links inside the heading's own element."""
    links = _article_links(box, page)
    if len(links) >= 2 and len(_words(box.text_content())) <= 40 * len(links):
        return [box]
    return []


def _tab_position(box: HtmlElement) -> tuple[int, int]:
    """Where a heading sits in a row of tabs (adjacent siblings of its tag with short labels):
    its index and the number of tabs; (0, 1) when it is no tab."""
    before = 0
    sibling = box.getprevious()
    while sibling is not None and sibling.tag == box.tag and _is_label(sibling):
        before += 1
        sibling = sibling.getprevious()
    after = 0
    sibling = box.getnext()
    while sibling is not None and sibling.tag == box.tag and _is_label(sibling):
        after += 1
        sibling = sibling.getnext()
    return before, before + 1 + after


def _is_label(el: HtmlElement) -> bool:
    """A tab's name: a few words, not a list and not a "loading" placeholder."""
    text = _words(el.text_content())
    return 0 < len(text) <= _TAB_CHARS and not _LOADING.search(text)


def _list_beside(node: HtmlElement, page: str, tab: int, tabs: int
                 ) -> tuple[list[HtmlElement], bool]:
    """The list among the following siblings of ``node``, and whether to stop looking (a
    sibling with words but no article links: "加载中", another section)."""
    siblings = _following(node)
    for sibling in siblings:
        if tabs > 1 and sibling.tag == node.tag and _is_label(sibling):
            continue  # the other tabs of the row
        if not _article_links(sibling, page):
            if _ends_search(sibling):
                return [], True
            continue
        if not _is_item(sibling):
            return _panel(node, sibling, page, tab, tabs), True
        run = [sibling, *_more_items(siblings, sibling, page)]
        if len(run) >= 2 or run[0].tag != "a":
            return run, True
        return [], False  # one bare link is no list
    return [], False


def _ends_search(sibling: HtmlElement) -> bool:
    """A sibling without article links before the list: "加载中" (a script fills the list) or
    the words of another section end the search; spacers, an "广告" label, "更多>>" and
    keyword links are passed over."""
    words = _words(sibling.text_content())
    if _LOADING.search(words):
        return True
    return len(words) > _LABEL_CHARS and not _all_link_text(sibling)


def _is_item(el: HtmlElement, first: HtmlElement | None = None) -> bool:
    """An item of a list: <li> and kin, a bare <a>, or after the ``first`` item, an element
    of its tag."""
    return el.tag in _LIST_TAGS or el.tag == "a" or (first is not None and el.tag == first.tag)


def _more_items(siblings: Iterator[HtmlElement], first: HtmlElement, page: str
                ) -> list[HtmlElement]:
    """The items that follow ``first`` (taken from ``siblings``) up to the first that is not
    one; <br> between bare links is passed over."""
    items = []
    for sibling in siblings:
        if not _article_links(sibling, page):
            if _words(sibling.text_content()):
                break
            continue
        if not _is_item(sibling, first):
            break
        items.append(sibling)
    return items


def _panel(node: HtmlElement, first: HtmlElement, page: str, tab: int, tabs: int
           ) -> list[HtmlElement]:
    """The list for tab number ``tab`` of ``tabs``: panels are the same-tag siblings after the
    tab row, or the children of the one box that follows it."""
    if tabs <= 1:
        return [first]
    panels = [s for s in _following(node) if s.tag == first.tag]
    while len(panels) == 1:
        inner = [c for c in panels[0] if isinstance(c.tag, str)]
        if len(inner) < tabs or any(c.tag in _LIST_TAGS or c.tag == "a" for c in inner):
            break  # the one panel left (others hidden) is a list, not a box of panels
        panels = inner
    if tab >= len(panels):
        return []
    return [panels[tab]] if _article_links(panels[tab], page) else []


def _with_heading(box: HtmlElement, found: list[HtmlElement]) -> list[HtmlElement]:
    """The elements to keep out of the body: the heading and its list, or their common parent
    when it holds nothing else."""
    parent = box.getparent()
    if parent is not None and all(f.getparent() is parent for f in found):
        inside = len(_words(parent.text_content()))
        if inside <= len(_words(box.text_content())) + sum(
                len(_words(f.text_content())) for f in found) + _CLIMB_EXTRA:
            return [parent]
    return [box, *found]


def _following(node: HtmlElement) -> Iterator[HtmlElement]:
    sibling = node.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str):
            yield sibling
        sibling = sibling.getnext()


def _article_links(el: HtmlElement, page: str) -> list[HtmlElement]:
    """Links under ``el`` that may be articles: a web URL other than this page, and a title."""
    return [a for a in el.iter("a") if _href(a, page) and _is_title(_title(a))]


def _all_link_text(el: HtmlElement) -> bool:
    linked = sum(len(_words(a.text_content())) for a in el.iter("a"))
    return len(_words(el.text_content())) <= linked


def _href(a: HtmlElement, page: str) -> str | None:
    href = safe_url(a.get("href", "").strip(), page)
    if not href or _no_fragment(href) == page:
        return None
    return href


def _no_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _words(text: str) -> str:
    return _NOT_WORD.sub("", text)


def _is_title(text: str) -> bool:
    """Long enough for a headline: five CJK characters or three words (not 更多, 香港, Share)."""
    return len(CJK_RE.findall(text)) >= 5 or len(re.findall(r"[^\W\d_]{2,}", text)) >= 3


def _title(a: HtmlElement) -> str:
    """An anchor's headline: its heading element, else its text without a date or an age
    ("6小时前", "2020-09-27"); the title attribute when the text is cut short ("…") or empty."""
    for heading in a.iter(*_CARD_TITLES):
        text = _squash(heading.text_content())
        if text:
            return text
    text = _squash("".join(t for t in a.itertext() if not _DATE_ONLY.match(t)))
    full = _squash(a.get("title", ""))
    cut = text.rstrip(".…。 ")
    if not text or (cut != text and len(full) > len(cut) and full.startswith(cut)):
        return full
    return text


def _squash(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


def _items(block: HtmlElement, page: str, tz: tzinfo) -> list[RelatedLink]:
    """One link per item: the item's headline link (not its picture, account or tag links)."""
    best: dict[HtmlElement, tuple[str, str, str]] = {}  # item -> (url, title, shown), in order
    for a in block.iter("a"):
        href = _href(a, page)
        if not href:
            continue
        unit = _item_of(a, block)
        title = _title(a) or _card_title(unit)
        if _is_title(title) and (unit not in best or len(title) > len(best[unit][1])):
            best[unit] = href, title, _squash(a.text_content())
    return [_item(unit, *found, tz) for unit, found in best.items()]


def _card_title(unit: HtmlElement) -> str:
    """The headline of a card whose link wraps only a picture: its heading, else its first
    line that is not a date."""
    for heading in unit.iter(*_CARD_TITLES):
        text = _squash(heading.text_content())
        if text:
            return text
    for text in unit.itertext():
        text = _squash(text)
        if _is_title(text) and not _DATE_ONLY.match(text):
            return text
    return ""


def _item(unit: HtmlElement, href: str, title: str, shown: str, tz: tzinfo) -> RelatedLink:
    """The item's link with its date and the rest of its words (a summary, an outlet) as the
    snippet; ``shown`` is the link's text, which may be a cut-short title."""
    text = _squash(unit.text_content())
    rest = (text.replace(title, "", 1) if title in text else text.replace(shown, "", 1)).strip()
    when = DATE_LIKE.search(rest)
    published = parse_date(rest[when.start():when.start() + 25], tz=tz) if when else None
    snippet = (rest[:when.start()] + rest[when.end():]).strip() if when else rest
    snippet = _CLOCK_EDGE.sub("", snippet)
    return RelatedLink(href, title, snippet[:300], published)


def _item_of(a: HtmlElement, block: HtmlElement) -> HtmlElement:
    """The repeated unit (li, or the child of the block) that holds one link."""
    node = a
    while node.getparent() is not None and node.getparent() is not block:
        if node.tag in _LIST_TAGS:
            return node
        node = node.getparent()
    if node.tag in _LIST_TAGS:
        return node
    return node if sum(1 for _ in node.iter("a")) <= 3 else a
