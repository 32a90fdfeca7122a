"""Where an update runs its pure, CPU-heavy steps: reading a page, a feed or a listing into
dataclasses, and an article's story keys.

Inline (the CLI, the tests) runs them on the calling worker thread. In the window they go to
worker processes: run in the update's threads, that Python held the GIL while the GUI thread
waited for it to run its own (a 1000-article update stalled the window for 50-100 ms at a
time, with the GUI thread blocked in PyGILState_Ensure). The steps are functions of bytes and
strings to picklable dataclasses, so a process does the same work; a thread here only waits
for its result, without the GIL.

A worker process that dies (a crash in a C parser, killed) fails the steps it had as a
ParseError, that page's or source's error, and the next step gets a fresh pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from reader.errors import ParseError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Imported once by the fork server, so each worker process starts with them loaded.
_PRELOAD = ["reader.parse.article", "reader.parse.listing", "reader.parse.sites.rules",
            "reader.store.stories"]


class Parsing(Protocol):
    def run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T: ...

    def close(self) -> None: ...


class Inline:
    """The steps on the calling thread."""

    def run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        return fn(*args, **kwargs)

    def close(self) -> None:
        pass


class ProcessParsing:
    """The steps in `processes` worker processes, started on first use by a fork server (or
    spawned where there is none): never forked from a process with a GUI and threads."""

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        pool = self._current()
        try:
            return pool.submit(fn, *args, **kwargs).result()
        except BrokenProcessPool as e:
            self._discard(pool)
            raise ParseError("the parsing process ended unexpectedly") from e

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise ParseError("the update is closing")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self._processes, mp_context=_context())
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        log.warning("a parsing process ended unexpectedly; starting a new one")
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def parsing(processes: int) -> Parsing:
    """Worker processes for processes > 0, else the calling thread."""
    return ProcessParsing(processes) if processes > 0 else Inline()


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")
