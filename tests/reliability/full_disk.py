"""Fill the disk under the library during an update; prove the user is told and nothing is lost.

The library lives on a small tmpfs (`mount -t tmpfs -o size=10m`, so this needs root). A filler
file leaves little room; a first update stores a few articles, some become favourites; then
the site grows (large images) and `reader update` runs until the disk is full. It must end
with a clear "the disk is full" message and no traceback, the database must pass
integrity_check with everything saved before byte-identical, and once the filler is deleted
the next update must store the rest.

    sudo .venv/bin/python bench/full_disk.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kills import snapshot
from localsite import FaultServer, Site

from reader.library import Library

MB = 2**20


@dataclass
class Report:
    runs: int = 0
    disk_full_reported: int = 0
    problems: list[str] = field(default_factory=list)


def mount_tmpfs(size: str = "10m") -> Path | None:
    """A fresh tmpfs, or None when this process may not mount one."""
    point = Path(tempfile.mkdtemp(prefix="reader-full-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True)
    if done.returncode != 0:
        point.rmdir()
        return None
    return point


def unmount(point: Path) -> None:
    subprocess.run(["umount", str(point)], check=False)
    shutil.rmtree(point, ignore_errors=True)


def reader(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def fill(point: Path, leave: int) -> Path:
    """A filler file taking all but `leave` bytes of the file system."""
    filler = point / "filler"
    free = shutil.disk_usage(point).free
    with open(filler, "wb") as f:
        f.write(b"\0" * max(free - leave, 0))
    return filler


def one_run(point: Path, seed: int) -> tuple[bool, list[str]]:
    """One fill-and-recover cycle on the tmpfs at point: (disk full reported, problems)."""
    problems: list[str] = []
    data_dir = point / "library"
    server = FaultServer()
    try:
        site = Site(server, 40, prefix=f"/run{seed}", image_bytes=60_000)
        site.visible = 3
        for args in (("settings", "request_delay_ms", "0"), ("settings", "prefetch_related", "no"),
                     ("add", site.feed_url)):
            done = reader(data_dir, *args)
            if done.returncode != 0:
                return False, [f"{' '.join(args)} failed: {done.stdout} {done.stderr}"]
        first = reader(data_dir, "update")
        if first.returncode != 0:
            return False, [f"first update failed: {first.stdout} {first.stderr}"]
        with Library(data_dir) as library:
            for row in library.articles(limit=2):
                library.set_favourite(row.id)
        db = sqlite3.connect(data_dir / "library.sqlite")
        saved = {i: snapshot(db, i) for (i,) in db.execute("SELECT id FROM articles")}
        db.close()

        filler = fill(point, leave=1 * MB)
        site.visible = site.articles
        full = reader(data_dir, "update")
        said = full.stdout + full.stderr
        reported = "the disk is full" in said
        if not reported:
            problems.append(f"no disk-full message: rc {full.returncode}: {said[-400:]}")
        if "Traceback" in said:
            problems.append(f"traceback: {said[-800:]}")

        db = sqlite3.connect(data_dir / "library.sqlite")
        if (ok := db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"integrity_check: {ok}")
        for article_id, before in saved.items():
            if snapshot(db, article_id) != before:
                problems.append(f"article {article_id}, saved before, changed")
        db.close()

        filler.unlink()
        after = reader(data_dir, "update")
        if after.returncode != 0 or "FAILED" in after.stdout:
            problems.append(f"update after freeing space: {after.stdout[-400:]}")
        db = sqlite3.connect(data_dir / "library.sqlite")
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored != site.articles:
            problems.append(f"after freeing space {stored} of {site.articles} articles")
        if (ok := db.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"integrity_check after recovery: {ok}")
        db.close()
        return reported, problems
    finally:
        server.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def run(runs: int) -> Report | None:
    report = Report()
    for seed in range(runs):
        point = mount_tmpfs()
        if point is None:
            return None
        try:
            reported, problems = one_run(point, seed)
        finally:
            unmount(point)
        report.runs += 1
        report.disk_full_reported += reported
        report.problems += [f"run {seed + 1}: {p}" for p in problems]
        print(f"run {seed + 1}: {'disk full reported' if reported else 'NOT reported'}, "
              f"{len(problems)} problems", flush=True)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    report = run(parser.parse_args().runs)
    if report is None:
        print("cannot mount a tmpfs here (needs root)")
        return 2
    print(f"\n{report.runs} runs, disk full reported in {report.disk_full_reported}, "
          f"{len(report.problems)} problems")
    for problem in report.problems:
        print("  " + problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
