"""SQLite errors as messages for the user, chosen by SQLite's own result code name
(sqlite3.Error.sqlite_errorname), never by matching the message text."""

from __future__ import annotations

import sqlite3

from reader.errors import StorageError


def storage_error(e: sqlite3.Error) -> StorageError:
    """A message for the user, chosen by SQLite's result code (primary code: the part before
    an extended one's suffix, e.g. SQLITE_BUSY for SQLITE_BUSY_SNAPSHOT)."""
    code = error_code(e)
    if code == "SQLITE_FULL":
        return StorageError("the disk is full: free some space; nothing saved before was lost")
    if code in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return StorageError(f"the library is busy: {e}")
    if code == "SQLITE_READONLY":
        return StorageError(f"the library is read-only: {e}")
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return StorageError(f"the library file is damaged: {e}")
    return StorageError(f"library error: {e}")


def error_code(e: BaseException | None) -> str:
    """SQLite's primary result code name of an error (SQLITE_FULL, ...); "" when not SQLite's."""
    name = getattr(e, "sqlite_errorname", None) or ""
    return "_".join(name.split("_")[:2])


def is_unique_violation(e: BaseException) -> bool:
    """A StorageError (or the sqlite3 error under it) from a UNIQUE constraint."""
    cause = e if isinstance(e, sqlite3.Error) else e.__cause__
    return getattr(cause, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_UNIQUE"
