"""SQLite's failures become StorageErrors a user can read, chosen by SQLite's result code."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.errors import StorageError
from reader.store._storage.sqlite_errors import error_code, is_unique_violation, storage_error
from reader.store.storage import Store


def caught(action) -> sqlite3.Error:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def test_a_full_database_is_a_full_disk(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "small.sqlite")
    db.execute("CREATE TABLE t (x)")
    db.execute("PRAGMA max_page_count = 2")  # what a full disk looks like to SQLite
    error = caught(lambda: db.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    assert error_code(error) == "SQLITE_FULL"
    assert str(storage_error(error)).startswith("the disk is full")


def test_a_lock_held_elsewhere_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0)
    error = caught(lambda: waiter.execute("SELECT * FROM t"))
    assert str(storage_error(error)).startswith("the library is busy: ")


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"not a database at all " * 200)
    error = caught(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master"))
    assert str(storage_error(error)).startswith("the library file is damaged: ")


def test_other_errors_say_library_error() -> None:
    error = caught(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM missing"))
    assert str(storage_error(error)) == "library error: no such table: missing"
    assert error_code(ValueError("x")) == ""


def test_subscribing_twice_is_named_by_its_constraint(tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        store.add_source("http://a.example/feed", "http://a.example/feed", "feed", "A")
        with pytest.raises(StorageError, match=r"^already subscribed to http://a\.example/feed$"
                           ) as info:
            store.add_source("http://a.example/feed", "http://a.example/feed", "feed", "A")
        assert is_unique_violation(info.value.__cause__)  # type: ignore[arg-type]
    finally:
        store.close()
