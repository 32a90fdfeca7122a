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
from localsite import FaultServer, Site

from reader.errors import StorageError
from reader.library import Library
from reader.store import schema

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from kill_test import check  # the same whole-article check as after a kill

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


V1 = Path(__file__).resolve().parents[1] / "data" / "library-v1.sql"


def v1_library(data_dir: Path, articles: int) -> None:
    """A realistic version-1 library (the released v1 schema, tests/data/library-v1.sql):
    Chinese articles with images, related links and favourites, indexed as v1 did."""
    data_dir.mkdir()
    db = sqlite3.connect(data_dir / DB)
    db.executescript(V1.read_text(encoding="utf-8"))
    for n in range(2, articles + 2):
        text = f"第{n}篇 长者食堂开到家门口 老人吃饭不再犯愁 " + "社区志愿者" * 20
        db.execute("INSERT INTO articles (id, source_id, url, title, sort_key, text, html, "
                   "content_hash, fetched_at, is_read) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (n, f"https://example.org/{n}.html", f"标题{n} 供暖季开启", 1700000000 + n,
                    text, f"<p>{text}</p>", f"h{n}", 1700000000, n % 2))
        db.execute("INSERT INTO images VALUES (?, 'image/png', 8, 8, ?)", (f"i{n}", bytes([n])))
        db.execute("INSERT INTO article_images VALUES (?, 0, ?, '说明', ?)",
                   (n, f"https://example.org/{n}.png", f"i{n}"))
        db.execute("INSERT INTO related_links VALUES (?, 0, ?, '相关', '', NULL)",
                   (n, f"https://example.org/{n + 1}.html"))
        db.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                   (n, f"标题{n}", text))  # v1 tokens differ: the migration must re-index
    db.execute("INSERT INTO favourites VALUES (2, 1700000000, '')")
    db.commit()
    db.close()


ROWS = ("SELECT a.id, a.title, a.text, a.html, a.is_read, i.url, i.hash, r.url FROM articles a "
        "LEFT JOIN article_images i ON i.article_id = a.id "
        "LEFT JOIN related_links r ON r.article_id = a.id ORDER BY a.id")


def test_a_version_1_library_migrates_after_a_copy(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    v1_library(data_dir, 50)
    before = sqlite3.connect(data_dir / DB).execute(ROWS).fetchall()
    with Library(data_dir) as library:
        assert library.count() == 51
        [source] = library.sources()
        assert (source.total, source.unread) == (51, 26)  # v3 counters filled from v1 rows
        assert library.article(2).is_favourite
        assert {h.id for h in library.search("长者食堂", limit=100)} == set(range(2, 52))
        assert library.image("https://example.org/7.png") == bytes([7])
    db = sqlite3.connect(data_dir / DB)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert db.execute(ROWS).fetchall() == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = sqlite3.connect(data_dir / f"{DB}.before-v{schema.VERSION}")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute(ROWS).fetchall() == before


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
