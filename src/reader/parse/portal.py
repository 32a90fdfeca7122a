"""Conventions of Chinese news portals, read off the visible text of the page.

The meta line under the headline (`发布时间`, `123次浏览`) and the `下一页` of a long article
(rel=next too). The location path is in breadcrumb.py, the related block in related_block.py,
the 来源 in outlet.py and the author in credits.py.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from reader.parse.dates import parse_date
from reader.text import SPACE_RE

_VIEWS = re.compile(r"(\d[\d,]*)\s*(?:次浏览|次阅读|次点击|人阅读|人浏览|次|views|reads)(?!\w)|"
                    r"(?:浏览|阅读|点击|访问)(?:量|数|次数)?\s*[:：]?\s*(\d[\d,]*)")
_DATE_LABEL = re.compile(r"(?:发布|发表|更新|出版)?(?:时间|日期)\s*[:：]|发布于|发表于|posted on|"
                         r"published(?: on)?", re.I)
DATE_LIKE = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}|"
                        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? "
                        r"\d{4}\b", re.I)
_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年?$")
_PIECES = re.compile(r"^((?:19|20)\d{2})\s*\D{1,3}\s*(\d{1,2})\s*\D{1,3}\s*(\d{1,2})\D{0,3}?"
                     r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?")
_YEAR_MONTH = re.compile(r"^((?:19|20)\d{2})\s*[年/.-]\s*(\d{1,2})\s*月?$")
_NEXT_TEXT = re.compile(r"^\W*(?:下一页|下页|next page|next)\W*$", re.I)
_PAGE_SUFFIX = re.compile(r"^(.*?)(?:_(\d+))?(\.[a-z]+)?$", re.I)
_MAX_PAGES = 50  # higher `_N` suffixes are article ids, not page numbers
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|p|pn|pg)=(\d+)", re.I)
_BLOCKS = frozenset({"p", "div", "li", "td", "th", "dd", "dt", "section", "article", "header",
                     "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                     "ul", "ol", "body"})


@dataclass
class Line:
    text: str
    element: HtmlElement


def lines(body: HtmlElement) -> list[Line]:
    """Visible text runs in document order, each with the element holding it."""
    out = []
    for el in body.iter("*"):
        if el.text and el.text.strip():
            out.append(Line(SPACE_RE.sub(" ", el.text).strip(), el))
        if el.tail and el.tail.strip() and el.getparent() is not None:
            out.append(Line(SPACE_RE.sub(" ", el.tail).strip(), el.getparent()))
    return out


def within(el: HtmlElement, ancestor: HtmlElement | None) -> bool:
    if ancestor is None:
        return False
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


@dataclass
class MetaLine:
    published: datetime | None = None
    views: int | None = None


def meta_line(runs: list[Line], start: int, tz: tzinfo) -> MetaLine:
    """The publish time and view count near the headline (from ``start``, the headline's run).
    Its 来源 is read by outlet.py, its author by credits.py."""
    found = MetaLine()
    window = runs[max(0, start - 3):start + 40]
    text_runs = [r.text for r in window if len(r.text) <= 200]
    for i, text in enumerate(text_runs):
        if found.published is None and _DATE_LABEL.search(text):
            found.published = parse_date(" ".join(text_runs[i:i + 2])[:120], tz=tz)
        if found.views is None:
            m = _VIEWS.search(text)
            if m and (m.group(1) or m.group(2)):
                found.views = int((m.group(1) or m.group(2)).replace(",", ""))
    if found.published is None:
        found.published = (_badge_date(window, tz) or _pieced_date(runs[max(0, start - 8):
                                                                        start + 40], tz)
                           or _first_date([r for r in window if len(r.text) <= 200], tz))
    return found


def _pieced_date(window: list[Line], tz: tzinfo) -> datetime | None:
    """A time printed in pieces (`<em>2024</em><em>01</em>/<em>05</em> 08:21:22`): the year
    alone in an element, the rest in the elements around it."""
    for run in window:
        if not _YEAR.match(run.text):
            continue
        for holder in (run.element, *itertools.islice(run.element.iterancestors(), 2)):
            joined = " ".join(t.strip() for t in holder.itertext() if t.strip())
            m = _PIECES.match(joined) if len(joined) <= 40 else None
            if m:
                y, mo, d, h, mi, sec = m.groups()
                try:
                    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0),
                                    int(sec or 0), tzinfo=tz)
                except ValueError:
                    return None
    return None


def _badge_date(window: list[Line], tz: tzinfo) -> datetime | None:
    """A calendar badge: the day in one element, `2024年02月` or `2024-02` in the next."""
    for before, run in itertools.pairwise(window):
        for day, month in ((before.text, run.text), (run.text, before.text)):
            m = _YEAR_MONTH.match(month)
            if m and day.isdigit() and 1 <= int(day) <= 31:
                found = parse_date(f"{m.group(1)}-{m.group(2)}-{day}", tz=tz)
                if found:
                    return found
    return None


def page_date(runs: list[Line], start: int, tz: tzinfo) -> datetime | None:
    """A date anywhere on the page: labelled first, then the first after the headline."""
    short = [r for r in runs if len(r.text) <= 200]
    texts = [r.text for r in short]
    for i, text in enumerate(texts):
        if _DATE_LABEL.search(text):
            found = parse_date(" ".join(texts[i:i + 2])[:120], tz=tz)
            if found:
                return found
    after = [r for r in runs[start:] if len(r.text) <= 200]
    return _first_date(after, tz) or _first_date(short, tz)


def _first_date(runs: list[Line], tz: tzinfo) -> datetime | None:
    """The first unlabelled date; dates in links or link lists (archives, "see also") are
    other pages' dates, so they only count when nothing else is there."""
    fallback = None
    for run in runs:
        if not DATE_LIKE.search(run.text):
            continue
        found = parse_date(run.text, tz=tz)
        if not found:
            continue
        if not _in_links(run.element):
            return found
        fallback = fallback or found
    return fallback


def _in_links(el: HtmlElement) -> bool:
    """Inside a link, or in a block whose text is mostly link text."""
    block = el
    for node in (el, *el.iterancestors()):
        if node.tag == "a":
            return True
        if node.tag in _BLOCKS:
            block = node
            break
    total = len(SPACE_RE.sub("", block.text_content()))
    linked = sum(len(SPACE_RE.sub("", a.text_content())) for a in block.iter("a"))
    return total > 0 and linked / total > 0.5


def next_page(body: HtmlElement, page_url: str, base_url: str) -> str | None:
    """The continuation of this article: a 下一页 / rel=next link, or `name_2.html`."""
    here = urlsplit(page_url)
    leaf = re.split(r"[_.]", here.path.rsplit("/", 1)[-1])[0]
    for a in body.iter("a"):
        raw = a.get("href", "")
        label = SPACE_RE.sub(" ", a.text_content()).strip()
        labelled = a.get("rel") == "next" or bool(_NEXT_TEXT.match(label))
        if not raw or not (labelled or (leaf and leaf in raw)):
            continue  # cheap filter: most links are neither labelled nor like this page
        href = urljoin(base_url, raw)
        there = urlsplit(href)
        if there.netloc != here.netloc or href.split("#")[0] == page_url:
            continue
        page = _later_page(here.path, there.path)
        same_path_paged = there.path == here.path and _query_page(there.query) > _query_page(
            here.query)
        if labelled and (page or same_path_paged):
            return href
        if page == _page_number(here.path) + 1:
            return href
    return None


def _page_number(path: str) -> int:
    """The page a path is: `name_3.html` is 3 when 3 is a small number; otherwise 1."""
    m = _PAGE_SUFFIX.match(path)
    number = int(m.group(2)) if m and m.group(2) else 1
    return number if number <= _MAX_PAGES else 1


def _later_page(here: str, there: str) -> int:
    """The page number of `there` when it continues the article at `here`, else 0.

    `name_2.html` continues `name.html` and `name_3.html` continues `name_2.html`; article
    names often end in `_digits` themselves (t20251118_1003.html), so only small numbers are
    pages, and a page of `name.html` must carry its whole name.
    """
    h, t = _PAGE_SUFFIX.match(here), _PAGE_SUFFIX.match(there)
    if not h or not t or (h.group(3) or "") != (t.group(3) or ""):
        return 0
    number = int(t.group(2)) if t.group(2) else 1
    if not 1 < number <= _MAX_PAGES:
        return 0
    if t.group(1) == h.group(1) + (f"_{h.group(2)}" if h.group(2) else ""):
        return number  # name_2 after name (whatever name ends in)
    if t.group(1) == h.group(1) and _page_number(here) < number:
        return number  # name_3 after name_2
    return 0


def _query_page(query: str) -> int:
    m = _PAGE_QUERY.search(query)
    return int(m.group(1)) if m else 1
