"""The article list through Library.articles/count/sources, as the window uses it.

    .venv/bin/python bench/list.py bench/out/lib200k [--page 200] [--repeat 5]

Steps: the sources pane (sources with counts), "all articles" (count + first page), scrolling
to the end in keyset pages (per-page time), switching sources, the unread and favourites
filters. The reference in the same run is a query loading every row sorted by date (what
sorting without the index costs).
"""

from __future__ import annotations

import argparse
import random
import statistics
from pathlib import Path

from common import percentile, summary, timed, verdict

from reader.library import Library
from reader.types import ArticleFilter, ArticleRow

TARGET_MS = 30


def first_screen(library: Library, filter: ArticleFilter, page: int) -> list[ArticleRow]:
    library.count(filter)
    return library.articles(filter, limit=page)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--page", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    library = Library(args.dir)
    print(f"library: {library.count()} articles, {len(library.sources())} sources")
    db = library.store.db
    full_ms, _ = timed(lambda: db.execute(
        "SELECT id, title, published FROM articles ORDER BY published DESC").fetchall())
    print(f"reference: loading every row sorted by an unindexed date {full_ms:.0f} ms")
    plan = " / ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM articles a ORDER BY a.sort_key DESC, a.id DESC "
        "LIMIT 200"))
    print(f"plan of the first page: {plan}")
    worst: dict[str, float] = {}

    def step(name: str, fn: object, repeat: int = args.repeat) -> None:
        times = [timed(fn)[0] for _ in range(repeat)]  # type: ignore[arg-type]
        worst[name] = percentile(times, 95)
        print(f"  {name:34} {summary(times)}")

    step("sources pane (counts)", library.sources)
    step("all: count + first page", lambda: first_screen(library, ArticleFilter(), args.page))
    step("unread: count + first page",
         lambda: first_screen(library, ArticleFilter(unread=True), args.page))
    step("favourites: count + first page",
         lambda: first_screen(library, ArticleFilter(favourites=True), args.page))
    sources = sorted(library.sources(), key=lambda s: s.total, reverse=True)
    rnd = random.Random(1)
    picks = sources[:3] + rnd.sample(sources, 7)
    switch = [timed(lambda s=s: first_screen(library, ArticleFilter(source_id=s.id), args.page))[0]
              for s in picks for _ in range(args.repeat)]
    worst["switch source"] = percentile(switch, 95)
    print(f"  {'switch source: count + first page':34} {summary(switch)}")
    unread_source = [timed(lambda s=s: first_screen(
        library, ArticleFilter(source_id=s.id, unread=True), args.page))[0] for s in picks]
    worst["source + unread"] = percentile(unread_source, 95)
    print(f"  {'source + unread: count + first page':34} {summary(unread_source)}")

    for name, filter in (("scroll all", ArticleFilter()), ("scroll unread",
                                                            ArticleFilter(unread=True))):
        pages: list[float] = []
        after: ArticleRow | None = None
        while True:
            ms, rows = timed(lambda f=filter, a=after: library.articles(
                f, limit=args.page, after=a))
            pages.append(ms)
            if len(rows) < args.page:
                break
            after = rows[-1]
        worst[name] = percentile(pages, 95)
        print(f"  {name + ' to the end, per page':34} {summary(pages)}  "
              f"total {sum(pages) / 1000:.1f} s")
    for name, value in worst.items():
        print(f"{name:34} p95 {value:7.1f} ms  {verdict(value, TARGET_MS)}")
    print(f"worst step p95 {max(worst.values()):.1f} ms; median of steps "
          f"{statistics.median(worst.values()):.1f} ms; full sort / worst = "
          f"{full_ms / max(worst.values()):.1f}x")
    library.close()


if __name__ == "__main__":
    main()
