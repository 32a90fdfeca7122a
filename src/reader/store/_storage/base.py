"""The store's foundation: one SQLite connection per thread, explicit write transactions
behind the fair writer lock, schema creation and migration on open, and the online backup.
(The locks: locks; SQLite errors as messages: sqlite_errors; restoring a backup: restore.)"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from reader.errors import Cancelled, StorageError
from reader.store import migrations, schema
from reader.store._storage.copies import StoryIndex
from reader.store._storage.locks import FairLock, ReadOnlyFolder, hold, hold_existing
from reader.store._storage.sqlite_errors import error_code, storage_error

log = logging.getLogger(__name__)


DB_NAME = "library.sqlite"
# How many SQLite virtual machine steps a read runs between looks at its cancel flag: a
# Python call each time, a few microseconds of work in between.
STOP_CHECK_STEPS = 1000

# What the store reads the time from: now, in UTC.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    def __init__(self, data_dir: Path, *, now: Clock = utc_now) -> None:
        """now: the clock that stamps what the store records (an article's fetch, a source's
        addition and updates, a favourite, a change queued for sync); tests pass a fake one."""
        self.path = data_dir / DB_NAME
        self.now = now
        # One connection per OS thread, found by the thread's id, not in a threading.local:
        # a Qt pool thread loses its thread-locals between tasks (PySide gives each call into
        # Python a fresh thread state), which opened, and kept, a connection per task (each
        # with its page cache: about 1 MB more memory per article opened in the window).
        self._connections: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}
        self._stops: dict[int, threading.Event] = {}  # stopped_by's flag, by thread id
        self._lock = threading.Lock()
        self._writer = FairLock()
        self._documents: dict[tuple[str, int], int] = {}  # term_documents' cache
        self._documents_total = 0  # the article count it was filled at
        self.story_index = StoryIndex()  # story keys in memory, for writes
        self.read_only = False
        try:
            self._in_use = hold(data_dir, exclusive=False)
        except ReadOnlyFolder:
            # A read-only mount: nothing can write, so nothing can restore under this reader
            # either; a lock file left there is taken shared, none is made.
            self.read_only = True
            self._in_use = hold_existing(data_dir)
        self._open_schema()

    def _seconds(self) -> int:
        """The store's clock in Unix seconds, as the tables keep times."""
        return int(self.now().timestamp())

    # connections and transactions

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self._address(), isolation_level=None, timeout=10,
                                 check_same_thread=False, uri=self.read_only)
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = NORMAL")  # safe against crashes in WAL mode
        except sqlite3.Error as e:
            raise StorageError(f"cannot open the library {self.path}: {e}") from e
        return db

    def _address(self) -> str | Path:
        """The database file; on a read-only folder as a read-only URI, immutable when no WAL
        is left to read (SQLite cannot make the -shm file it would otherwise need)."""
        if not self.read_only:
            return self.path
        wal = self.path.with_name(DB_NAME + "-wal")
        return f"{self.path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")

    @property
    def db(self) -> sqlite3.Connection:
        ident, thread = threading.get_ident(), threading.current_thread()
        found = self._connections.get(ident)
        if found is not None and found[0] is thread:
            return found[1]
        with self._lock:
            # Looked up again under the lock: another thread's clean-up below may have closed
            # and dropped the entry between the look outside it and here.
            found = self._connections.get(ident)
            if found is not None:  # a new thread under a dead one's id takes its connection
                self._connections[ident] = (thread, found[1])
                return found[1]
            db = self._connect()
            # Worker threads come and go with each update: close what the dead ones left.
            for key, (owner, old) in list(self._connections.items()):
                if not owner.is_alive():
                    with contextlib.suppress(sqlite3.Error):
                        old.close()
                    del self._connections[key]
            self._connections[ident] = (thread, db)
        return db

    def close(self) -> None:
        with self._lock:
            for _, db in self._connections.values():
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            self._connections.clear()
        if self._in_use:
            self._in_use.close()  # releases the lock
            self._in_use = None

    def check_writable(self) -> None:
        """StorageError when the library is on a read-only file system; called first by what
        would fetch before writing, so nothing is fetched only to be lost."""
        if self.read_only:
            raise StorageError(f"the library {self.path} is on a read-only file system: it can "
                               "be read, listed, searched and exported, not changed")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.check_writable()
        db = self.db
        with self._writer:
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    self.story_index.forget()  # it may have read this transaction's rows
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.Error as e:
                self.story_index.forget()
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise storage_error(e) from e

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        stop = self._stops.get(threading.get_ident())
        if stop is not None and stop.is_set():
            raise Cancelled("cancelled")
        try:
            cursor = self.db.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as e:
            if error_code(e) == "SQLITE_INTERRUPT":  # stopped_by's flag was set mid-statement
                raise Cancelled("cancelled") from e
            raise storage_error(e) from e

    @contextlib.contextmanager
    def stopped_by(self, cancel: threading.Event | None) -> Iterator[None]:
        """Reads on this thread inside the block stop once `cancel` is set, raising Cancelled:
        a statement running then is interrupted (SQLite's progress handler looks at the flag
        every STOP_CHECK_STEPS steps), a later one does not start."""
        if cancel is None:
            yield
            return
        db, ident = self.db, threading.get_ident()
        self._stops[ident] = cancel
        db.set_progress_handler(cancel.is_set, STOP_CHECK_STEPS)
        try:
            yield
        finally:
            db.set_progress_handler(None, STOP_CHECK_STEPS)
            del self._stops[ident]

    @staticmethod
    def needs_migration(data_dir: Path) -> bool:
        """Whether opening this library will first migrate it (which takes a while when big)."""
        path = data_dir / DB_NAME
        if not path.exists():
            return False
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return 0 < int(db.execute("PRAGMA user_version").fetchone()[0]) < schema.VERSION
            finally:
                db.close()
        except sqlite3.Error:
            return False  # opening it will say what is wrong

    def _open_schema(self) -> None:
        """Create the schema in a new library, or migrate an older one, after a copy of it;
        a library this Reader cannot open is closed again, untouched."""
        fresh = not self.path.exists()
        db = self.db
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StorageError(f"{self.path} is not a Reader library: {e}") from e
        refusal = self._refusal(version, fresh)
        if refusal:
            self.close()
            raise StorageError(refusal)
        if self.read_only:
            return
        if 0 < version < schema.VERSION:
            backup = self.path.with_name(f"{DB_NAME}.before-v{schema.VERSION}")
            self.backup(backup)
            log.info("copied the library to %s before migrating it", backup)
        try:
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as e:
            raise storage_error(e) from e
        with self._write() as tx:
            if version == 0:
                for statement in schema.statements(schema.SCHEMA):
                    tx.execute(statement)
            else:
                for step in range(version, schema.VERSION):
                    migrations.MIGRATIONS[step](tx)
            tx.execute(f"PRAGMA user_version = {schema.VERSION}")

    def _refusal(self, version: int, fresh: bool) -> str:
        """Why this Reader cannot open a library at this schema version ("" when it can)."""
        if version > schema.VERSION:
            return (f"{self.path} was written by a newer Reader (schema {version}, this one "
                    f"knows {schema.VERSION}); it was left untouched. Update Reader to open it.")
        if self.read_only:
            if version == schema.VERSION:
                return ""
            return f"{self.path} is on a read-only file system and " + (
                "holds no Reader library" if version == 0 else
                f"must first be brought to schema {schema.VERSION} (it is {version})")
        # Someone else's database: refused before anything touches it.
        if version == 0 and not fresh and \
                self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return f"{self.path} is not a Reader library"
        return ""

    def backup(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API)."""
        if not target.parent.is_dir():
            raise StorageError(f"no such folder: {target.parent}")
        tmp = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(tmp)
            with dest:
                self.db.backup(dest)
            dest.close()
            tmp.replace(target)
        except sqlite3.Error as e:
            tmp.unlink(missing_ok=True)
            raise storage_error(e) from e


T = TypeVar("T")


def chunks(values: Iterable[T], size: int = 500) -> Iterator[tuple[list[T], str]]:
    """Values in slices within SQLite's parameter limit, each with its `?, ?, ...` marks."""
    batch = list(values)
    for i in range(0, len(batch), size):
        chunk = batch[i:i + size]
        yield chunk, ",".join("?" * len(chunk))


def fetch_one(tx: sqlite3.Connection, sql: str, params: Sequence[Any] = ()
              ) -> sqlite3.Row | None:
    """One row of a query inside a transaction, its columns read by name."""
    cursor = tx.execute(sql, params)
    cursor.row_factory = sqlite3.Row
    row: sqlite3.Row | None = cursor.fetchone()
    return row


