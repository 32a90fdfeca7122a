"""The location path of an article page: `当前位置：首页 > 新闻 > 正文`.

Found, strongest evidence first: a labelled path (当前位置/當前位置/您的位置/You are here);
an unlabelled row of links joined by `>`/`›`/`»`/`→` next above the headline (a `/` row counts
only where its element says crumb/path/position/location or the row ends in 正文); an element
whose class or id says breadcrumb; then the page's structured BreadcrumbList, when the page
prints its items (JSON-LD is not always shown to the reader).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from reader.parse.portal import Line, within

_LABEL = re.compile(
    r"(?:当前位置|當前位置|所在位置|您的位置|你的位置|您现在的位置|您現在的位置|当前的位置|目前位置|"
    r"现在位置|現在位置|位置|you are here)\s*[:：]", re.I)
_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|/|\||＞|》)\s*")
# Separators of an unlabelled path; `|` and `/` also join menus, so they need more evidence.
_ARROW = r">>|>|»|›|→|＞|≫"
_TOKEN = re.compile(rf"\s*({_ARROW}|/|／)\s*")
_SLASH = frozenset({"/", "／"})
_HINT = re.compile(r"crumb|bread|path|position|location|locat|where|current|weizhi", re.I)
_CLASS_WORD = re.compile(r"crumb|bread|mianbao", re.I)
# A path whose separators are images or CSS: an element that says where the page is
# (`position`, `location`, `weizhi` 位置...) holding a short row of two links or more.
_PLACE_WORD = re.compile(r"path|position|location|weizhi|dqwz", re.I)
_LAST = re.compile(r"^(?:正文|正文内容|内容|內容|文章|详情|詳情|阅读|閱讀|本文)$")
_DATED = re.compile(r"\d{4}\s*[年/.-]\s*\d{1,2}")
# A date or a number split by `/`, or a rule drawn with box characters: not a place.
_NOT_ITEM = re.compile(r"^[\d\s:：.\-/年月日]+$|^[^\w]+$")
_REACH = 150  # runs above the headline where its location path may sit
_MAX_ITEMS = 8
_MAX_ITEM = 30
_MAX_ROW = 400  # characters of the element holding a path: a row, not a column


@dataclass
class _Chain:
    items: list[str]
    runs: list[Line]
    slash: bool


def find(body: HtmlElement, runs: Sequence[Line], start: int,
         structured: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The path's items in order (a trailing 正文 included); () when the page shows none."""
    found = _labelled(runs) or _row(runs, start) or _by_class(runs, start)
    return found or (structured if _printed(structured, runs[:start + 10]) else ())


def _printed(crumbs: tuple[str, ...], above: Sequence[Line]) -> bool:
    """A BreadcrumbList counts when the page prints its items (two or more) above the
    headline: one the page does not show is no location path for the reader."""
    shown = {line.text for line in above}
    return len(crumbs) >= 2 and all(c in shown for c in crumbs)


def _labelled(runs: Sequence[Line]) -> tuple[str, ...]:
    for i, line in enumerate(runs[:400]):
        if "位置" not in line.text and "ere" not in line.text:
            continue  # cheap test first: the label says 位置 or "You are here"
        m = _LABEL.search(line.text)
        if not m or len(line.text) > 60:
            continue
        rest = [line.text[m.end():]]
        owner = line.element
        if owner.find(".//a") is None:  # the label alone in its element: crumbs are siblings
            owner = owner.getparent()
        for later in runs[i + 1:i + 12]:
            if not within(later.element, owner):
                break
            rest.append(later.text)
        crumbs = _split(" > ".join(rest))
        if crumbs:
            return crumbs
    return ()


def _split(text: str) -> tuple[str, ...]:
    crumbs = []
    for part in _SPLIT.split(text):
        part = part.strip(" :：")
        if _DATED.search(part):
            break  # a time printed beside the path
        if part and _NOT_ITEM.match(part):
            continue
        if part and len(part) <= _MAX_ITEM:
            crumbs.append(part)
            if _LAST.match(part):
                break
        elif part:
            break  # reached the headline or body text
    return tuple(crumbs[:_MAX_ITEMS])


def _row(runs: Sequence[Line], start: int) -> tuple[str, ...]:
    """The unlabelled path nearest above the headline: items joined by separators."""
    window = runs[max(0, start - _REACH):start] if start else runs[:300]
    chains = [c for c in _chains(window) if _credible(c)]
    ended = [c for c in chains if _LAST.match(c.items[-1])]
    best = ended or chains
    return tuple(best[-1].items[:_MAX_ITEMS]) if best else ()


def _chains(window: Sequence[Line]) -> list[_Chain]:
    """Runs of `item SEP item SEP item`: two items side by side end a chain."""
    chains: list[_Chain] = []
    items: list[str] = []
    members: list[Line] = []
    slash = False
    pending_sep = False

    def close() -> None:
        if len(items) >= 2:
            chains.append(_Chain(list(items), list(members), slash))

    for run in window:
        for part in _TOKEN.split(run.text):
            part = part.strip()
            if not part:
                continue
            if _TOKEN.fullmatch(part):
                pending_sep = bool(items)
                slash = slash or part in _SLASH
                continue
            if len(part) > _MAX_ITEM or _NOT_ITEM.match(part):
                close()
                items, members, slash, pending_sep = [], [], False, False
                continue
            if items and not pending_sep:
                close()
                items, members, slash = [], [], False
            items.append(part.strip(" :："))
            members.append(run)
            pending_sep = False
    close()
    return chains


def _credible(chain: _Chain) -> bool:
    """One short row of one element; a `/` row also needs a crumb-like class or a 正文."""
    holder = _common(chain.runs[0].element, chain.runs[-1].element)
    if holder is None or len(holder.text_content()) > _MAX_ROW:
        return False
    if not chain.slash:
        return True
    hinted = any(_HINT.search(f"{el.get('class', '')} {el.get('id', '')}")
                 for el in (holder, *itertools.islice(holder.iterancestors(), 2)))
    return hinted or bool(_LAST.match(chain.items[-1]))


def _common(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    for node in (b, *b.iterancestors()):
        if within(a, node):
            return node
    return None


def _by_class(runs: Sequence[Line], start: int) -> tuple[str, ...]:
    """An element near the headline whose class or id says crumb (or aria-label), or says
    where the page is and holds a short row of links."""
    window = runs[max(0, start - _REACH):start + 10] if start else runs[:300]
    seen: set[HtmlElement] = set()  # the elements themselves: an id() of a freed proxy recurs
    for run in reversed(window):
        for el in (run.element, *itertools.islice(run.element.iterancestors(), 3)):
            if el in seen:
                continue
            seen.add(el)
            names = f"{el.get('class') or ''} {el.get('id') or ''}"
            if names == " " and el.get("aria-label") is None:
                continue
            crumb = _CLASS_WORD.search(names) or el.get("aria-label", "").lower() == "breadcrumb"
            if not crumb and not (_PLACE_WORD.search(names) and len(el.findall(".//a")) >= 2
                                  and len(el.text_content()) <= 100):
                continue
            crumbs = _split(" > ".join(t.strip() for t in el.itertext() if t.strip()))
            if (1 if crumb else 2) <= len(crumbs) <= _MAX_ITEMS:
                return crumbs
    return ()
