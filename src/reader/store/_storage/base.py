"""The store's foundation: one SQLite connection per thread, explicit write transactions
behind a fair lock, the library folder lock, schema creation and migration, backup and restore,
and SQLite errors turned into messages for the user."""

from __future__ import annotations

import contextlib
import errno
import logging
import shutil
import sqlite3
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from reader.errors import StorageError
from reader.store import schema

log = logging.getLogger(__name__)


DB_NAME = "library.sqlite"
RESANITISE_BATCH = 200  # articles read, sanitised and written at a time by a restore

# What a restore runs every stored body through: (html, base url) -> safe html.
Sanitizer = Callable[[str, str], str]


class StoreBase:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DB_NAME
        # One connection per OS thread, found by the thread's id, not in a threading.local:
        # a Qt pool thread loses its thread-locals between tasks (PySide gives each call into
        # Python a fresh thread state), which opened, and kept, a connection per task (each
        # with its page cache: about 1 MB more memory per article opened in the window).
        self._connections: dict[int, tuple[threading.Thread, sqlite3.Connection]] = {}
        self._lock = threading.Lock()
        self._writer = _FairLock()
        self._documents: dict[tuple[str, int], int] = {}  # term_documents' cache
        self._documents_total = 0  # the article count it was filled at
        self.read_only = False
        try:
            self._in_use = hold(data_dir, exclusive=False)
        except ReadOnlyFolder:
            # A read-only mount: nothing can write, so nothing can restore under this reader
            # either; a lock file left there is taken shared, none is made.
            self.read_only = True
            self._in_use = hold_existing(data_dir)
        self._open_schema()

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
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.Error as e:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise storage_error(e) from e

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self.db.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as e:
            raise storage_error(e) from e

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
        fresh = not self.path.exists()
        db = self.db
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StorageError(f"{self.path} is not a Reader library: {e}") from e
        if version > schema.VERSION:
            self.close()
            raise StorageError(
                f"{self.path} was written by a newer Reader (schema {version}, this one knows "
                f"{schema.VERSION}); it was left untouched. Update Reader to open it.")
        if self.read_only:
            if version != schema.VERSION:
                self.close()
                raise StorageError(
                    f"{self.path} is on a read-only file system and " + (
                        "holds no Reader library" if version == 0 else
                        f"must first be brought to schema {schema.VERSION} (it is {version})"))
            return
        if 0 < version < schema.VERSION:
            backup = self.path.with_name(f"{DB_NAME}.before-v{schema.VERSION}")
            self.backup(backup)
            log.info("copied the library to %s before migrating it", backup)
        if version == 0 and not fresh and \
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            self.close()  # someone else's database: refused before anything touches it
            raise StorageError(f"{self.path} is not a Reader library")
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
                    schema.MIGRATIONS[step](tx)
            tx.execute(f"PRAGMA user_version = {schema.VERSION}")

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
                text, html = schema.unpack(body)
                clean = sanitize(html, url)
                if clean != html:
                    changed.append((schema.pack(text, clean), article_id))
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


class ReadOnlyFolder(Exception):
    """The library folder is on a read-only file system (its lock file cannot be made)."""


class _FairLock:
    """Writers of this process take turns, first come first served.

    SQLite's busy handler polls with sleeps of up to 100 ms, so a GUI action arriving during an
    update could sleep through one article's transaction after another (p99 0.2-0.4 s in
    bench/concurrency.py). Queued here, it waits for the one transaction running.
    """

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._turn:
            ticket = self._next
            self._next += 1
            self._turn.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc: object) -> None:
        with self._turn:
            self._serving += 1
            self._turn.notify_all()


T = TypeVar("T")


def chunks(values: Iterable[T], size: int = 500) -> Iterator[tuple[list[T], str]]:
    """Values in slices within SQLite's parameter limit, each with its `?, ?, ...` marks."""
    batch = list(values)
    for i in range(0, len(batch), size):
        chunk = batch[i:i + size]
        yield chunk, ",".join("?" * len(chunk))


def hold(data_dir: Path, *, exclusive: bool) -> IO[bytes] | None:
    """A lock on the library folder: shared while a Store is open, exclusive to restore.

    Restoring swaps the database file under any open connection, so it must wait until the
    window and every update have closed the library. (No fcntl, as on Windows: no lock.)
    """
    try:
        handle = open(data_dir / "library.lock", "ab")  # noqa: SIM115 - held open as the lock
    except OSError as e:
        if e.errno != errno.EROFS:
            raise
        if exclusive:
            raise StorageError(f"the library folder {data_dir} is on a read-only file system: "
                               "nothing can be restored into it") from None
        raise ReadOnlyFolder(data_dir) from e
    return _flock(handle, exclusive)


def hold_existing(data_dir: Path) -> IO[bytes] | None:
    """The folder lock taken shared without creating the file (a read-only folder)."""
    try:
        handle = open(data_dir / "library.lock", "rb")  # noqa: SIM115 - held open as the lock
    except FileNotFoundError:
        return None
    return _flock(handle, exclusive=False)


def _flock(handle: IO[bytes], exclusive: bool) -> IO[bytes] | None:
    try:
        import fcntl
    except ImportError:
        handle.close()
        return None
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        if exclusive:
            raise StorageError("Reader has this library open (the window or an update): "
                               "close it, then restore") from None
        raise StorageError("this library is being restored; try again in a moment") from None
    return handle


def fetch_one(tx: sqlite3.Connection, sql: str, params: Sequence[Any] = ()
              ) -> sqlite3.Row | None:
    """One row of a query inside a transaction, its columns read by name."""
    cursor = tx.execute(sql, params)
    cursor.row_factory = sqlite3.Row
    row: sqlite3.Row | None = cursor.fetchone()
    return row


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
