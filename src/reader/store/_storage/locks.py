"""The store's two locks: the fair writer lock that queues this process's writers in arrival
order, and the lock on the library folder (shared while a Store is open, exclusive to
restore)."""

from __future__ import annotations

import errno
import threading
from pathlib import Path
from typing import IO

from reader.errors import StorageError


class ReadOnlyFolder(Exception):
    """The library folder is on a read-only file system (its lock file cannot be made)."""


class FairLock:
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
