"""Restoring a backup: a copy is proved to be a Reader library (integrity, the exact schema
once migrated), its bodies are sanitised again, and only then is it put in place."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from reader.errors import StorageError
from reader.store import schema
from reader.store._storage.base import DB_NAME, StoreBase
from reader.store._storage.locks import hold
from reader.store.packing import pack, unpack

RESANITISE_BATCH = 200  # articles read, sanitised and written at a time by a restore

# What a restore runs every stored body through: (html, base url) -> safe html.
Sanitizer = Callable[[str, str], str]


class RestoreMixin(StoreBase):
    @classmethod
    def restore(cls, data_dir: Path, source: Path, sanitize: Sanitizer) -> None:
        """Replace the library in data_dir with a backup, once the backup proved to be a
        Reader library. The file is copied once (read as a file, never as an SQLite URI, so
        `?` and `#` in its name are only characters); the copy is opened as a library in a
        folder of its own, which brings it to this version's schema, and must then have
        exactly the tables, columns, indexes, triggers and views Reader creates and pass
        integrity_check; its bodies were not written by this Reader, so each goes through
        `sanitize` (the one an update uses) again. Only that copy is put in place."""
        if not source.is_file():
            raise StorageError(f"no such file: {source}")
        staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=data_dir))
        try:
            copy = staging / DB_NAME
            try:
                shutil.copyfile(source, copy)
            except OSError as e:
                raise StorageError(f"cannot read {source}: {e.strerror}") from e
            _check_backup(copy, source)
            cls(staging).close()  # migrated to this version, or refused
            _check_shape(copy, source)
            _sanitize_bodies(copy, sanitize)
            lock = hold(data_dir, exclusive=True)
            try:
                target = data_dir / DB_NAME
                if target.exists():  # the library being replaced stays at hand, whole
                    current = sqlite3.connect(target)
                    keep = sqlite3.connect(target.with_name(DB_NAME + ".before-restore"))
                    current.backup(keep)
                    keep.close()
                    current.close()
                for suffix in ("-wal", "-shm"):
                    target.with_name(DB_NAME + suffix).unlink(missing_ok=True)
                copy.replace(target)
            except (OSError, sqlite3.Error) as e:
                raise StorageError(f"could not restore {source}: {e}") from e
            finally:
                if lock:
                    lock.close()
        finally:
            shutil.rmtree(staging, ignore_errors=True)



def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; the path made a URI by pathlib, so no character of the file's
    name can add URI parameters or cut it short."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _check_backup(copy: Path, source: Path) -> None:
    try:
        check = _read_only(copy)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            version = check.execute("PRAGMA user_version").fetchone()[0]
            tables = check.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            check.close()
    except sqlite3.Error as e:
        raise StorageError(f"{source} is not a Reader library: {e}") from e
    if ok != "ok" or not 0 < version <= schema.VERSION or not tables:
        raise StorageError(f"{source} is not a usable Reader library ({ok}, v{version}, "
                           f"{tables} tables)")


def _sanitize_bodies(copy: Path, sanitize: Sanitizer) -> None:
    """Every article's html sanitised again, a batch per transaction so memory stays bounded
    whatever the library's size; the text (search, stories) is kept as stored."""
    db = sqlite3.connect(copy, isolation_level=None)
    try:
        last = 0
        while rows := db.execute("SELECT id, url, body FROM articles WHERE id > ? ORDER BY id "
                                 "LIMIT ?", (last, RESANITISE_BATCH)).fetchall():
            last = rows[-1][0]
            changed = []
            for article_id, url, body in rows:
                text, html = unpack(body)
                clean = sanitize(html, url)
                if clean != html:
                    changed.append((pack(text, clean), article_id))
            db.execute("BEGIN IMMEDIATE")
            db.executemany("UPDATE articles SET body = ? WHERE id = ?", changed)
            db.execute("COMMIT")
    except (sqlite3.Error, zlib.error, UnicodeDecodeError) as e:
        raise StorageError(f"the backup's articles could not be read: {e}") from e
    finally:
        db.close()


def _shape(db: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """Every table (with its columns) and every index, trigger and view (with its SQL)."""
    shape: dict[tuple[str, str], object] = {}
    for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
        if kind == "table":  # columns in any order: a migration adds them at the end
            shape[kind, name] = frozenset(
                (column, declared.upper(), notnull, primary) for _, column, declared, notnull, _,
                primary in db.execute("SELECT * FROM pragma_table_info(?)", (name,)))
        else:
            shape[kind, name] = " ".join((sql or "").lower().split())
    return shape


def _check_shape(copy: Path, source: Path) -> None:
    """The migrated copy's schema is the one Reader creates, nothing more or less."""
    fresh = sqlite3.connect(":memory:")
    for statement in schema.statements(schema.SCHEMA):
        fresh.execute(statement)
    want = _shape(fresh)
    fresh.close()
    check = _read_only(copy)
    try:
        got = _shape(check)
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as e:
        raise StorageError(f"{source} is not a Reader library: {e}") from e
    finally:
        check.close()
    odd = sorted(f"{kind} {name}" for kind, name in got.keys() - want.keys())
    odd += sorted(f"missing {kind} {name}" for kind, name in want.keys() - got.keys())
    odd += sorted(f"{kind} {name} differs" for (kind, name) in got.keys() & want.keys()
                  if got[kind, name] != want[kind, name])
    if odd or ok != "ok":
        raise StorageError(f"{source} is not a Reader library as this version makes it: "
                           + ", ".join(odd[:5] or [ok]))
