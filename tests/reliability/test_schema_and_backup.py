"""Old libraries migrate (with a copy first), newer ones are refused untouched, and backups made
while an update writes are whole, restorable, and checked before they replace anything."""

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

from reader.errors import StorageError
from reader.library import Library
from reader.store import schema
from reader.store.schema import unpack
from tests.conftest import make_v1_library

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




def rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Each article's id, title, text, html, read state, images and related links. A v1
    library keeps text and html in columns of their own, v5 deflates them into `body`."""
    columns = {c[1] for c in db.execute("PRAGMA table_info(articles)")}
    content = "a.body" if "body" in columns else "a.text, a.html"
    found = db.execute(f"SELECT a.id, a.title, {content}, a.is_read, i.url, i.hash, r.url "
                       "FROM articles a LEFT JOIN article_images i ON i.article_id = a.id "
                       "LEFT JOIN related_links r ON r.article_id = a.id ORDER BY a.id")
    if "body" not in columns:
        return [tuple(row) for row in found]
    return [(*row[:2], *unpack(row[2]), *row[3:]) for row in found]


def test_a_version_1_library_migrates_after_a_copy(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    make_v1_library(data_dir, 50)
    before = rows(sqlite3.connect(data_dir / DB))
    with Library(data_dir) as library:
        assert library.count() == 51
        [source] = library.sources()
        assert (source.total, source.unread) == (51, 26)  # v3 counters filled from v1 rows
        assert library.article(2).is_favourite
        assert {h.id for h in library.search("长者食堂", limit=100)} == set(range(2, 52))
        assert library.image("https://example.org/7.png") == bytes([7])
    db = sqlite3.connect(data_dir / DB)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert rows(db) == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = sqlite3.connect(data_dir / f"{DB}.before-v{schema.VERSION}")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert rows(copy) == before


def test_a_failing_migration_leaves_the_library_as_it_was(
        built: tuple[Path, Site], monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, site = built
    current = schema.VERSION

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE articles ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
        db.execute("UPDATE articles SET title = 'overwritten'")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(schema, "VERSION", current + 1)
    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, current: broken})
    with pytest.raises(StorageError):
        Library(data_dir)
    db = sqlite3.connect(data_dir / DB)
    assert db.execute("PRAGMA user_version").fetchone()[0] == current
    columns = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    assert "summary" not in columns  # the ALTER went with the rolled-back transaction
    assert check(data_dir / DB, site, {}) == []  # titles as they were
    assert (data_dir / f"{DB}.before-v{current + 1}").exists()
    monkeypatch.undo()
    with Library(data_dir) as library:
        assert library.count() == 6


def test_a_newer_library_is_refused_untouched(built: tuple[Path, Site]) -> None:
    data_dir, _ = built
    db = sqlite3.connect(data_dir / DB)
    db.execute("PRAGMA journal_mode = DELETE")  # one file, so "untouched" is one digest
    db.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    db.close()
    before = digest(data_dir / DB)
    done = cli(data_dir, "list")
    assert done.returncode == 1
    assert "newer Reader" in done.stderr and "Traceback" not in done.stderr
    assert digest(data_dir / DB) == before
    assert not list(data_dir.glob(f"{DB}.before-*"))


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
