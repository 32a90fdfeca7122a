"""Library.related: its time on a big library, its quality on the bundled sample site.

    .venv/bin/python bench/related.py bench/out/lib200k [--samples 30]

Time: Library.related(id) for random articles (the page's own block plus similar ones).
Quality: the sample site is added with Library.add_sample_site() and updated into a temp
folder; for each article with a related block, how many of the block's cached targets are
among its top similar articles (the editors' choice is the reference).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path

from common import summary, timed, verdict

from reader.library import Library

TARGET_MS = 100


def timing(directory: Path, samples: int) -> None:
    library = Library(directory)
    top = library.store.db.execute("SELECT max(id) FROM articles").fetchone()[0]
    rnd = random.Random(3)
    ids = [rnd.randint(1, top) for _ in range(samples)]
    library.related(ids[0])  # warm the connection and the page cache
    times = [timed(lambda i=i: library.related(i))[0] for i in ids]
    p95 = sorted(times)[round(0.95 * (len(times) - 1))]
    print(f"related on {library.count()} articles: {summary(times)}  {verdict(p95, TARGET_MS)}")
    library.close()


def quality() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(Path(tmp))
        library.set_setting("request_delay_ms", 0)
        library.add_sample_site()
        library.update()
        for limit in (3, 5, 10):
            overlap(library, limit)
        library.close()


def overlap(library: Library, limit: int) -> None:
    shares: list[float] = []
    at_all = 0
    for row in library.articles(limit=10_000):
        related = library.related(row.id, limit=limit)
        own = {r.article_id for r in related.own if r.article_id is not None}
        if not own:
            continue
        similar = {a.id for a in related.similar}
        hit = len(own & similar)
        shares.append(hit / len(own))
        at_all += hit > 0
    print(f"sample site: {library.count()} articles, {len(shares)} with cached related "
          f"blocks; own block among the top {limit} similar: median "
          f"{statistics.median(shares):.0%}, mean {statistics.mean(shares):.0%}, "
          f"at least one for {at_all}/{len(shares)}; a random pick would give "
          f"{limit / (library.count() - 1):.0%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path, nargs="?")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    quality()
    if args.dir:
        timing(args.dir, args.samples)


if __name__ == "__main__":
    main()
