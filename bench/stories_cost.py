"""What story grouping costs: CPU time with it and without, alternated in one run.

    .venv/bin/python bench/stories_cost.py insert [--count 10000] [--rounds 2]
    .venv/bin/python bench/stories_cost.py read bench/out/lib200k
    .venv/bin/python bench/stories_cost.py saves COPY_OF_A_LIBRARY [--rounds 16]

insert: bench/make_library.py's library built with grouping (story keys, candidates, checks)
and without (those three replaced by no-ops), in child processes, alternately; CPU seconds of
each build (the machine is shared: wall time mostly measures the others), and of its write
transactions alone: the story keys are computed before them (Store.save_articles, and the
update's page workers, which run beside the writing thread), so that is what grouping costs
the writing thread.
read: on one library, Library.search over make_library's queries and the first page of the
list (count + 200 rows), with the setting group_copies on and off, alternately.
saves: into an existing library (a copy: it adds articles), make_library's articles stored one
transaction each, their keys computed before (as an update's writing thread stores them), in
groups of 100 per variant, the variants in a new order each round: grouping off, on, only its
key rows inserted, only its lookups; the writing thread's CPU per article. What grows with
the library is the lookups' table in memory (copies.StoryIndex; the key rows are one row per
article at the end of story_keys since schema v13).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

_BUILD = """
import sys, time
sys.path[:0] = [{bench!r}, {src!r}]
from reader.store._storage import articles, copies
from reader.store.stories import Keys
if {off}:
    copies.lookup = lambda *a, **k: []
    copies.file = lambda *a, **k: None
    copies.same_text = lambda *a, **k: None
    copies.prepare = lambda article: Keys(None, (), False)
written = [0.0]
def timed(fn, sign):
    def run(*args, **kwargs):
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            written[0] += sign * (time.thread_time() - start)
    return run
copies.prepare = timed(copies.prepare, -1)
articles.ArticlesMixin.save_articles = timed(articles.ArticlesMixin.save_articles, 1)
import make_library
sys.argv = ["make_library.py", {count!r}, {out!r}]
make_library.main()
print("written", written[0])
"""


def build(grouping: bool, count: int) -> tuple[float, float]:
    """CPU seconds of one make_library build in a child process, and of its writes."""
    with tempfile.TemporaryDirectory() as folder:
        code = _BUILD.format(bench=str(HERE), src=str(HERE.parent / "src"), off=not grouping,
                             count=str(count), out=str(Path(folder) / "lib"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    written = float(done.stdout.rsplit("written ", 1)[1])
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), written


def cpu_ms(fn: object, times: int) -> float:
    spent = []
    for _ in range(times):
        start = time.process_time()
        fn()  # type: ignore[operator]
        spent.append((time.process_time() - start) * 1000)
    return statistics.median(spent)


def read(folder: Path, rounds: int) -> None:
    from make_library import queries, vocabulary

    from reader.library import Library
    from reader.types import ArticleFilter

    words = [q for group in queries(vocabulary()).values() for q in group]
    library = Library(folder)
    kept = library.setting("group_copies")
    results: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
    try:
        for _ in range(rounds):
            for grouping in (True, False):
                library.set_setting("group_copies", grouping)
                per = sorted(cpu_ms(lambda q=q: library.search(q), 3) for q in words)
                page = cpu_ms(lambda: (library.count(ArticleFilter()),
                                       library.articles(ArticleFilter(), limit=200)), 30)
                results[grouping].append((statistics.median(per), per[int(len(per) * .95)],
                                          page))
    finally:
        library.set_setting("group_copies", kept)
        library.close()
    for grouping, runs in results.items():
        print(f"group_copies {'on ' if grouping else 'off'}: "
              + "; ".join(f"search median {m:.1f} ms, p95 {p:.1f} ms, first page {f:.2f} ms"
                          for m, p, f in runs) + " (CPU)")


def saves(folder: Path, rounds: int) -> None:
    import dataclasses
    import random

    from make_library import Generator, vocabulary

    from reader.store._storage import copies
    from reader.store.storage import Store

    real = (copies.file, copies.same_text, copies.lookup)

    def nothing(*args: object, **kwargs: object) -> None:
        return None

    def no_rows(*args: object, **kwargs: object) -> list[tuple[int, int]]:
        return []

    variants = {"off": (nothing, nothing, no_rows), "on": real,
                "key rows only": (real[0], nothing, no_rows),
                "lookups only": (nothing, real[1], real[2])}
    store = Store(folder)
    sources = store.source_ids()
    rnd = random.Random(rounds)
    generator = Generator(vocabulary(), seed=rnd.randrange(1000))
    number = 50_000_000 + rnd.randrange(10**6) * 100  # addresses no library holds yet
    spent: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for _ in range(rounds):
            for name in rnd.sample(list(variants), len(variants)):
                batch = []
                for _ in range(100):
                    source = rnd.choice(sources)
                    article, _ = generator.article(number, source, rnd.random() < 0.6)
                    article = dataclasses.replace(article, images=type(article.images)())
                    batch.append((source, article, copies.prepare(article)))
                    number += 1
                copies.file, copies.same_text, copies.lookup = variants[name]
                start = time.thread_time()
                for source, article, keys in batch:
                    store.save_article(source, article, [], keys=keys)
                spent[name].append((time.thread_time() - start) * 1000 / len(batch))
    finally:
        copies.file, copies.same_text, copies.lookup = real
        store.close()
    off = statistics.median(spent["off"])
    for name, runs in spent.items():
        median = statistics.median(runs)
        print(f"{name}: {median:.3f} ms CPU per article ({median / off:.2f}x off; "
              f"{rounds} groups of 100)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("insert", "read", "saves"))
    parser.add_argument("dir", type=Path, nargs="?")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.what in ("read", "saves"):
        if args.dir is None:
            parser.error(f"{args.what} needs a library folder")
        (read if args.what == "read" else saves)(args.dir, args.rounds)
        return 0
    spent: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(args.rounds):
        for grouping in (False, True):
            spent[grouping].append(build(grouping, args.count))
            total, written = spent[grouping][-1]
            print(f"  grouping {'on ' if grouping else 'off'}: {total:.1f} s CPU, "
                  f"of which writes {written:.1f} s", flush=True)
    for what, i in (("build", 0), ("writes", 1)):
        on = statistics.median(s[i] for s in spent[True])
        off = statistics.median(s[i] for s in spent[False])
        print(f"{args.count} articles, {what}: {off:.1f} s CPU without grouping, {on:.1f} s "
              f"with ({on / off:.2f}x; {(on - off) * 1000 / args.count:.2f} ms more per "
              f"article)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
