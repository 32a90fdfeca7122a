"""`reader restore` installs only a Reader library: hostile backup files, through the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.store._storage import restore
from reader.store.packing import pack, unpack
from reader.store.storage import DB_NAME, Store
from tests.conftest import Cli, SiteServer, make_v1_library


@pytest.fixture
def backed_up(cli: Cli, sample_site: SiteServer, tmp_path: Path) -> Path:
    """A library with articles, and a good backup of it."""
    cli("settings", "request_delay_ms", "0")
    cli("add", sample_site.url + "news/index.html")
    cli("update")
    backup = tmp_path / "good.sqlite"
    cli("backup", str(backup))
    return backup


def _titles(cli: Cli) -> list[object]:
    return [r["title"] for r in cli.json("list", "--limit", "500")]  # type: ignore[union-attr,index]


def test_a_uri_query_in_the_name_cannot_swap_the_file(cli: Cli, backed_up: Path) -> None:
    before = _titles(cli)
    evil = backed_up.with_name("evil.sqlite")
    evil.write_bytes(backed_up.read_bytes())  # what an SQLite URI "evil.sqlite?x" would read
    other = backed_up.with_name("evil.sqlite?x")
    other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)  # what would be installed
    error = cli("restore", str(other), code=1)
    assert "not a" in error
    assert _titles(cli) == before


def test_names_with_hash_and_spaces_restore_and_leave_no_stray_file(
        cli: Cli, backed_up: Path) -> None:
    before = _titles(cli)
    odd = backed_up.with_name("backup #2.sqlite")
    odd.write_bytes(backed_up.read_bytes())
    listing = set(backed_up.parent.iterdir())
    assert "restored" in cli("restore", str(odd))
    assert set(backed_up.parent.iterdir()) == listing  # no "backup " file made on the way
    assert _titles(cli) == before
    assert not list(cli.data_dir.glob(".restoring-*"))


def test_an_empty_file_claiming_a_version_is_refused(cli: Cli, backed_up: Path) -> None:
    before = _titles(cli)
    empty = backed_up.with_name("empty.sqlite")
    db = sqlite3.connect(empty)
    db.execute("PRAGMA user_version = 7")
    db.close()
    assert "not a" in cli("restore", str(empty), code=1)
    assert _titles(cli) == before


@pytest.mark.parametrize("plant", [
    "CREATE TRIGGER steal AFTER UPDATE ON settings BEGIN "
    "UPDATE settings SET value = '\"http://evil.test/fever\"' WHERE name = 'sync_endpoint'; END",
    "CREATE VIEW peek AS SELECT * FROM settings",
    "CREATE INDEX extra ON settings (value)",
    "CREATE TABLE extra (x)",
    "ALTER TABLE sources ADD COLUMN extra TEXT",
    "DROP TRIGGER listed",
])
def test_a_schema_reader_does_not_make_is_refused(cli: Cli, backed_up: Path,
                                                  plant: str) -> None:
    before = _titles(cli)
    db = sqlite3.connect(backed_up)
    db.execute(plant)
    db.commit()
    db.close()
    assert "not a Reader library" in cli("restore", str(backed_up), code=1)
    assert _titles(cli) == before
    assert (cli.data_dir / DB_NAME).exists()


def test_an_old_library_is_restored_and_brought_up_to_date(cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "v1"
    make_v1_library(old, 5)
    cli("sources")
    assert "restored" in cli("restore", str(old / DB_NAME))
    assert {f"标题{n} 供暖季开启" for n in range(2, 7)} <= set(_titles(cli))


def test_bodies_planted_in_a_backup_are_sanitised_again(
        cli: Cli, backed_up: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stored body of the restored copy goes through the sanitiser an update uses, in
    batches (made small here so that the restore crosses several)."""
    monkeypatch.setattr(restore, "RESANITISE_BATCH", 2)
    db = sqlite3.connect(backed_up)
    rows = db.execute("SELECT id, body FROM articles").fetchall()
    assert len(rows) > 4
    for article_id, body in rows:
        text, html = unpack(body)
        planted = html + ('<script>alert("planted")</script>'
                          '<img src="http://x.test/a.png" onerror="alert(2)">'
                          '<a href="javascript:alert(3)">链接</a>')
        db.execute("UPDATE articles SET body = ? WHERE id = ?", (pack(text, planted), article_id))
    db.commit()
    db.close()
    assert "restored" in cli("restore", str(backed_up))
    store = Store(cli.data_dir)
    try:
        bodies = [store.article(article_id).article.html for article_id, _ in rows]
    finally:
        store.close()
    assert all(bodies)
    for html in bodies:
        assert "<script" not in html and "planted" not in html
        assert "onerror" not in html and "javascript:" not in html
        assert "链接" in html  # the link's text stays
