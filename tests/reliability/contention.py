"""The GUI reads and marks articles while the updater writes: no "database is locked", short waits.

One thread plays the GUI (articles / article / search in a loop, and set_read, which takes the
write lock like any GUI action); the calling thread runs Library.update on a generated site.
Reports every call's latency: a read never waits for a writer under WAL, a write waits at most
for one article's transaction.

    .venv/bin/python bench/concurrency.py --articles 600
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from localsite import FaultServer, Site

from reader.errors import ReaderError
from reader.library import Library


@dataclass
class Stats:
    reads: list[float] = field(default_factory=list)  # seconds per read call
    writes: list[float] = field(default_factory=list)  # seconds per set_read (lock wait + work)
    errors: list[str] = field(default_factory=list)
    stored: int = 0

    @staticmethod
    def p99(values: list[float]) -> float:
        return statistics.quantiles(values, n=100)[98] if len(values) >= 2 else 0.0


def gui(library: Library, stop: threading.Event, stats: Stats) -> None:
    while not stop.is_set():
        try:
            started = time.perf_counter()
            rows = library.articles(limit=50)
            if rows:
                library.article(rows[0].id)
            library.search("测试 新闻")
            stats.reads.append(time.perf_counter() - started)
            if rows:
                started = time.perf_counter()
                library.set_read(rows[-1].id, not rows[-1].is_read)
                stats.writes.append(time.perf_counter() - started)
        except ReaderError as e:
            stats.errors.append(str(e))


def measure(data_dir: Path, articles: int) -> Stats:
    server = FaultServer()
    stats = Stats()
    try:
        site = Site(server, articles)
        with Library(data_dir) as library:
            library.set_setting("request_delay_ms", 0)
            library.add_source(site.feed_url)
            stop = threading.Event()
            reader = threading.Thread(target=gui, args=(library, stop, stats))
            reader.start()
            try:
                results = library.update()
            finally:
                stop.set()
                reader.join()
            stats.errors += [r.error for r in results if r.error]
            stats.stored = library.count()
    finally:
        server.close()
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-conc-") as tmp:
        stats = measure(Path(tmp), args.articles)
    print(f"{stats.stored} articles stored while the GUI thread made {len(stats.reads)} read "
          f"rounds and {len(stats.writes)} writes; {len(stats.errors)} errors")
    print(f"read round p50 {statistics.median(stats.reads) * 1000:.1f} ms, "
          f"p99 {Stats.p99(stats.reads) * 1000:.1f} ms, max {max(stats.reads) * 1000:.1f} ms")
    print(f"write (lock wait) p50 {statistics.median(stats.writes) * 1000:.1f} ms, "
          f"p99 {Stats.p99(stats.writes) * 1000:.1f} ms, max {max(stats.writes) * 1000:.1f} ms")
    for error in stats.errors[:10]:
        print("  " + error)
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
