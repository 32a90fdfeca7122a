"""Backups made while an update writes are whole, restorable, and checked before they replace
anything (migrations: tests/store/test_migrations.py)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import quick_library
from kills import check  # the same whole-article check as after a kill
from localsite import FaultServer, Site

from reader.library import Library

DB = "library.sqlite"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def built(tmp_path: Path, server: FaultServer) -> tuple[Path, Site]:
    """A library at the current version: a small site fetched, one favourite."""
    data_dir = tmp_path / "built"
    site = Site(server, 6)
    with quick_library(data_dir) as library:
        library.add_source(site.feed_url)
        assert library.update()[0].new == 6
        library.set_favourite(library.articles()[0].id)
    return data_dir, site




def test_backup_during_an_update_is_whole_and_restores(tmp_path: Path,
                                                       server: FaultServer) -> None:
    data_dir = tmp_path / "live"
    site = Site(server, 120)
    library = quick_library(data_dir)
    library.add_source(site.feed_url)
    writer = threading.Thread(target=library.update)
    writer.start()
    backups = []
    while writer.is_alive() and len(backups) < 3:  # online copies, from another process
        target = tmp_path / f"backup-{len(backups)}.sqlite"
        done = cli(data_dir, "backup", str(target))
        assert done.returncode == 0, done.stderr
        backups.append(target)
    writer.join()
    library.close()
    assert backups, "the update ended before a backup could be taken"
    for target in backups:
        assert check(target, site, {}) == [], target  # consistent: only whole articles
    partial = sqlite3.connect(backups[0]).execute("SELECT count(*) FROM articles").fetchone()[0]

    done = cli(data_dir, "restore", str(backups[0]))
    assert done.returncode == 0, done.stderr
    with Library(data_dir) as restored:
        assert restored.count() == partial
        assert restored.update()[0].error == ""  # and it carries on from there
        assert restored.count() == site.articles
    assert check(data_dir / DB, site, {}) == []


def corrupt(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    data = bytearray(target.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[page * 2:page * 2 + 64] = b"\xff" * 64  # a b-tree page header: garbage
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("damage", ["garbled page", "truncated", "not sqlite", "empty"])
def test_a_corrupt_backup_is_refused(built: tuple[Path, Site], tmp_path: Path,
                                     damage: str) -> None:
    data_dir, _ = built
    good = tmp_path / "good.sqlite"
    with Library(data_dir) as library:
        library.store.backup(good)
    bad = tmp_path / "bad.sqlite"
    if damage == "garbled page":
        corrupt(good, bad)
    elif damage == "truncated":
        bad.write_bytes(good.read_bytes()[:good.stat().st_size // 2])
    elif damage == "not sqlite":
        bad.write_bytes(b"<html>this is not a backup</html>" * 100)
    else:
        bad.write_bytes(b"")
    before = digest(data_dir / DB)
    done = cli(data_dir, "restore", str(bad))
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("reader: ") and "Traceback" not in done.stderr, done.stderr
    assert digest(data_dir / DB) == before
    with Library(data_dir) as library:
        assert library.count() == 6
