"""How the CLI prints: JSON, a progress bar on a terminal, update and sync summaries, sources,
list rows, search hits, an article as text."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

from reader.types import (
    Article,
    ArticleRow,
    ParsedSource,
    Progress,
    SearchHit,
    Source,
    SourceResult,
    StoredArticle,
    iso,
)

if TYPE_CHECKING:
    from reader.sync import SyncResult


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()


class ProgressBar:
    """Each source's line as soon as that source is done, and on a terminal a progress bar."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()
        self.printed: set[int] = set()

    def __call__(self, p: Progress) -> None:
        with self.lock:
            if p.finished is not None:
                self.close()
                print(update_summary(p.finished), flush=True)
                self.printed.add(p.finished.source_id)
            if not self.tty:
                return
            width = 30
            filled = width * p.done // max(p.total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                             f"{p.done}/{p.total} {p.source[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\r" + " " * 90 + "\r")


def update_summary(r: SourceResult) -> str:
    line = (f"{r.source_id:>4} {r.title}: {r.new} new, {r.updated} updated, "
            f"{r.unchanged} unchanged, {r.failed} failed")
    if r.not_modified:
        line = f"{r.source_id:>4} {r.title}: not modified since the last update"
    if r.error:  # the source itself failed: no counts to give
        line = f"{r.source_id:>4} {r.title}: failed: {r.error}"
    if r.unfetched:
        reasons = Counter(u.split(": ", 1)[-1] for u in r.unfetched)
        line += (f"; {len(r.unfetched)} kept the feed's summary: the page could not be "
                 f"fetched ({reasons.most_common(1)[0][0]})")
    for reason in r.errors[:3]:
        line += f"\n       {reason}"
    if len(r.errors) > 3:
        line += f"\n       ... and {len(r.errors) - 3} more"
    return line


# `show` labels in the UI language (the locale's), whatever the article's language.
_LABELS = {"en": {"source": "Source: {}", "author": "Author: {}", "views": "{:,} views",
                  "related": "Related:", "copies": "Also in:"},
           "zh": {"source": "来源：{}", "author": "作者：{}", "views": "{}次浏览",
                  "related": "相关文章：", "copies": "又见于："}}


def ui_language() -> str:
    """"zh" when the locale asks for Chinese, else "en"."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(name):
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def article_text(stored: StoredArticle) -> str:
    label = _LABELS[ui_language()]
    lines = [*_heading(stored, label), "", stored.article.text]
    a = stored.article
    if a.images:
        lines += ["", "Images:"]
        lines += [f"  {i.url}" + (f"\n    {i.caption}" if i.caption else "") for i in a.images]
    if stored.related:
        lines += ["", label["related"], *_related_lines(stored)]
    return "\n".join(lines)


def _heading(stored: StoredArticle, label: dict[str, str]) -> list[str]:
    """Breadcrumb, title, meta line, address, and what stands before the text."""
    a = stored.article
    meta = [label["source"].format(a.source) if a.source else "",
            label["author"].format(a.author) if a.author else "",
            a.published.strftime("%Y-%m-%d %H:%M %z") if a.published else "",
            label["views"].format(a.views) if a.views is not None else ""]
    lines = []
    if a.breadcrumb:
        lines.append(" > ".join(a.breadcrumb))
    lines += [a.title, "  ".join(m for m in meta if m),
              f"{a.url}{'  ★ favourite' if stored.is_favourite else ''}"]
    if a.page_error:
        lines.append(f"Summary from the feed; the page could not be fetched ({a.page_error}).")
    lines += [f"{e.type or 'file'}: {e.url}" for e in a.enclosures]
    if stored.copies:  # the same story on other sites, `reader show ID` opens them
        lines += [label["copies"]] + [f"  {c.id:>6}  {c.source}: {c.title}"
                                      for c in stored.copies]
    return lines


def _related_lines(stored: StoredArticle) -> list[str]:
    lines = []
    for r in stored.related:
        state = f"cached as {r.article_id}" if r.article_id else "not cached"
        date = r.published.strftime("%Y-%m-%d %H:%M") if r.published else ""
        lines.append(f"  [{state}] {r.title}  {date}")
        if r.snippet:
            lines.append(f"      {r.snippet[:100]}")
    return lines


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def source_json(s: Source) -> dict[str, Any]:
    return {"id": s.id, "url": s.url, "kind": s.kind, "title": s.title, "folder": s.folder,
            "unread": s.unread, "total": s.total, "last_error": s.last_error}


def source_line(s: Source) -> str:
    state = f"  ! {s.last_error}" if s.last_error else ""
    folder = f"{s.folder}/" if s.folder else ""
    return (f"{s.id:>4}  {s.kind:<7} {s.unread:>5}/{s.total:<5} {folder}{s.title}  "
            f"<{s.url}>{state}")


def row_line(r: ArticleRow) -> str:
    mark = ("*" if r.is_favourite else " ") + (" " if r.is_read else "•")
    # Local time with its offset: the pages' own zones differ, the order is by instant.
    date = (r.published.astimezone().strftime("%Y-%m-%d %H:%M %z") if r.published
            else " " * 22)
    return f"{r.id:>6} {mark} {date}  {r.title}  [{', '.join((r.source, *r.also))}]"


def hit_text(h: SearchHit) -> str:
    return f"{h.id:>6}  {h.title}  [{h.source}]\n        {h.snippet}"


def rule_result_text(found: ParsedSource | Article, url: str) -> str:
    """What `test-rule` read: a listing's entries, or an article's title, date and start."""
    if isinstance(found, ParsedSource):
        lines = [f"{len(found.entries)} entries on {found.title or url}"
                 + (f"; next page {found.next_page}" if found.next_page else "")]
        lines += [f"  {e.title}  <{e.url}>" for e in found.entries]
        return "\n".join(lines)
    return "\n".join((found.title, iso(found.published) or "(no date)", found.text[:500]))


def sync_summary(result: SyncResult) -> str:
    lines = [f"{count(result.feeds, 'subscription')} and {count(result.items, 'article')} "
             f"pulled, {count(result.pushed, 'change')} sent, {result.pending} waiting"]
    if result.skipped:
        lines.append(f"{count(result.skipped, 'server item')} without a web link not stored")
    if result.conflicts:
        lines.append(f"{len(result.conflicts)} conflicts (the change made here was kept):")
        lines += [f"  {conflict}" for conflict in result.conflicts]
    return "\n".join(lines)
