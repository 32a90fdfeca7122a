"""Search latency through Library.search, by kind of query.

    .venv/bin/python bench/search.py bench/out/lib200k [--repeat 5]

Query terms come from make_library's vocabularies, from the commonest (a character in nearly
every article) to rare ones. The reference in the same run is one brute-force scan of the text
(what a search without an index costs). Each search also runs, interleaved, with a cancel flag
that is never set, as the window searches (SQLite's progress handler looks at it): the ratio of
the two medians is what stopping on demand costs.
"""

from __future__ import annotations

import argparse
import statistics
import threading
from pathlib import Path

from common import summary, timed, verdict
from make_library import queries, vocabulary

from reader.library import Library
from reader.store import tokens
from reader.store.packing import unpack

TARGET_P95_MS = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    library = Library(args.dir)
    workload = queries(vocabulary())
    total = library.count()
    print(f"library: {total} articles")
    db = library.store.db
    needle = workload["zh-2"][3]
    scan_ms, _ = timed(lambda: sum(needle in unpack(body)[0] for (body,) in db.execute(
        "SELECT body FROM articles")))
    print(f"reference: one brute-force scan of the text {scan_ms:.0f} ms")
    worst = 0.0
    flag = threading.Event()
    flagged: list[float] = []
    ratios: list[float] = []
    for kind, terms in workload.items():
        times: list[float] = []
        for term in terms:
            library.search(term)  # the first call warms the page cache
            with_flag: list[float] = []
            for _ in range(args.repeat):
                ms, hits = timed(lambda t=term: library.search(t))
                times.append(ms)
                with_flag.append(timed(lambda t=term: library.search(t, cancel=flag))[0])
            flagged += with_flag
            ratios.append(statistics.median(with_flag) / statistics.median(times[-args.repeat:]))
            matched = db.execute("SELECT count(*) FROM search WHERE search MATCH ?",
                                 (tokens.parse_query(term).fts,)).fetchone()[0]
            print(f"  {kind:9} {term:28} index candidates {matched:7}  hits {len(hits):3}  "
                  f"median {sorted(times[-args.repeat:])[args.repeat // 2]:7.1f} ms")
        p95 = sorted(times)[round(0.95 * (len(times) - 1))]
        worst = max(worst, p95)
        print(f"{kind:9} {summary(times)}  {verdict(p95, TARGET_P95_MS)}")
    print(f"with a cancel flag (as the window searches): {summary(flagged)}; median of the "
          f"per-query ratios to without {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")
    print(f"worst p95 {worst:.1f} ms: {verdict(worst, TARGET_P95_MS)}; "
          f"brute-force scan / worst p95 = {scan_ms / worst:.0f}x")
    library.close()


if __name__ == "__main__":
    main()
