"""Kill `reader update` with SIGKILL at random moments and prove nothing is lost or half-written.

A generated site (tests/reliability/localsite.py: every page says which images and related
links it has) is served on 127.0.0.1. Each round starts `reader update` in a subprocess, kills
it with -9 after a random delay, then checks the library: PRAGMA integrity_check is ok, every
favourite made before is byte-identical, and every stored article carries exactly the images
and related links its page has. A last update must then run to the end.

    .venv/bin/python bench/kill_test.py --kills 30 --articles 1500
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from localsite import FaultServer, Site

from reader.library import Library


@dataclass
class Report:
    kills: int = 0
    killed_while_running: int = 0  # the update had not finished when the signal came
    problems: list[str] = field(default_factory=list)
    articles: int = 0  # stored at the end
    favourites: int = 0
    seconds: float = 0.0


def reader(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args]


def snapshot(db: sqlite3.Connection, article_id: int) -> tuple[object, ...]:
    """Everything stored for one article, as bytes on disk would compare."""
    row = db.execute("SELECT url, title, body, content_hash FROM articles WHERE id = ?",
                     (article_id,)).fetchone()
    images = db.execute("SELECT position, url, caption, hash FROM article_images "
                        "WHERE article_id = ? ORDER BY position", (article_id,)).fetchall()
    related = db.execute("SELECT position, url, title FROM related_links WHERE article_id = ? "
                         "ORDER BY position", (article_id,)).fetchall()
    return (row, tuple(images), tuple(related))


def check(path: Path, site: Site, favourites: dict[int, tuple[object, ...]]) -> list[str]:
    """What is wrong with the library after a kill; empty when nothing is."""
    problems: list[str] = []
    db = sqlite3.connect(path)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            problems.append(f"integrity_check: {ok}")
        if db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign keys broken")
        for article_id, saved in favourites.items():
            if snapshot(db, article_id) != saved:
                problems.append(f"favourite {article_id} changed")
        prefix = site.server.url(f"{site.prefix}/a/")
        rows = db.execute("SELECT id, url, title FROM articles").fetchall()
        for article_id, url, title in rows:
            if not url.startswith(prefix):
                continue  # not one of the generated pages
            page = site.page(int(url[len(prefix):].split(".")[0]))
            _, images, related = snapshot(db, article_id)
            if title != page.title:
                problems.append(f"{url}: title {title!r}")
            if [i[1] for i in images] != [src for src, _ in page.images]:
                problems.append(f"{url}: images {len(images)} of {len(page.images)}")
            if [r[1] for r in related] != [href for href, _ in page.related]:
                problems.append(f"{url}: related {len(related)} of {len(page.related)}")
            for _, image_url, _, digest in images:
                if digest is not None and not db.execute(
                        "SELECT 1 FROM images WHERE hash = ?", (digest,)).fetchone():
                    problems.append(f"{url}: image {image_url} has no blob")
        # Every generated title holds 测试: the index must count each article exactly once.
        generated = sum(url.startswith(prefix) for _, url, _ in rows)
        indexed = db.execute("SELECT count(*) FROM search WHERE search MATCH ?",
                             ('"测试"',)).fetchone()[0]
        if indexed != generated:
            problems.append(f"search index counts {indexed} articles of {generated}")
    finally:
        db.close()
    return problems


def favour(data_dir: Path, rng: random.Random, favourites: dict[int, tuple[object, ...]],
           count: int) -> None:
    """Make a few stored articles favourites and remember exactly what they hold."""
    with Library(data_dir) as library:
        ids = [r.id for r in library.articles(limit=10_000) if r.id not in favourites]
        for article_id in rng.sample(ids, min(count, len(ids))):
            library.set_favourite(article_id)
    db = sqlite3.connect(data_dir / "library.sqlite")
    try:
        for (article_id,) in db.execute("SELECT article_id FROM favourites").fetchall():
            favourites.setdefault(article_id, snapshot(db, article_id))
    finally:
        db.close()


def run(*, kills: int, articles: int, seed: int, max_delay: float, data_dir: Path,
        log: bool = True) -> Report:
    rng = random.Random(seed)
    report = Report()
    started = time.monotonic()
    server = FaultServer()
    try:
        site = Site(server, articles)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for args in (("settings", "request_delay_ms", "0"), ("add", site.feed_url)):
            subprocess.run(reader(data_dir, *args), check=True, env=env,
                           stdout=subprocess.DEVNULL)
        favourites: dict[int, tuple[object, ...]] = {}
        for round_ in range(kills):
            process = subprocess.Popen(reader(data_dir, "update"), env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, max_delay))
            running = process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.wait()
            report.kills += 1
            report.killed_while_running += running
            problems = check(data_dir / "library.sqlite", site, favourites)
            report.problems += [f"kill {round_ + 1}: {p}" for p in problems]
            if log:
                count = sqlite3.connect(data_dir / "library.sqlite").execute(
                    "SELECT count(*) FROM articles").fetchone()[0]
                print(f"kill {round_ + 1:>3}: {'mid-update' if running else 'after the end'}, "
                      f"{count} articles, {len(problems)} problems", flush=True)
            favour(data_dir, rng, favourites, 2)
        final = subprocess.run(reader(data_dir, "update"), env=env, capture_output=True,
                               text=True, timeout=600)
        if final.returncode != 0 or "FAILED" in final.stdout:
            report.problems.append(f"final update: {final.returncode} {final.stdout[-500:]}")
        report.problems += [f"after the final update: {p}" for p in
                            check(data_dir / "library.sqlite", site, favourites)]
        db = sqlite3.connect(data_dir / "library.sqlite")
        report.articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.close()
        if report.articles != articles:
            report.problems.append(f"final update stored {report.articles} of {articles}")
        report.favourites = len(favourites)
    finally:
        server.close()
    report.seconds = time.monotonic() - started
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=3.0,
                        help="longest wait before a kill, in seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-kill-") as tmp:
        report = run(kills=args.kills, articles=args.articles, seed=args.seed,
                     max_delay=args.max_delay, data_dir=Path(tmp))
    print(f"\n{report.kills} kills ({report.killed_while_running} mid-update), "
          f"{report.favourites} favourites checked, {report.articles} articles at the end, "
          f"{len(report.problems)} problems, {report.seconds:.0f} s")
    for problem in report.problems:
        print("  " + problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
