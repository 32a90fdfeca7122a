"""A library written before folders existed opens, keeps its data and gains the column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.library import Library
from reader.store import schema
from reader.store.storage import DB_NAME

V1 = Path(__file__).resolve().parent.parent / "data" / "library-v1.sql"


def test_a_version_1_library_migrates(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(V1.read_text(encoding="utf-8"))
    db.close()

    with Library(tmp_path) as library:
        [source] = library.sources()
        assert (source.title, source.folder) == ("Example", "")
        assert library.article(1).article.title == "Kept across the migration"
        library.set_folder(source.id, " News / Tech ")
        assert library.source(source.id).folder == "News/Tech"

    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert (tmp_path / f"{DB_NAME}.before-v{schema.VERSION}").exists()  # the copy made first
