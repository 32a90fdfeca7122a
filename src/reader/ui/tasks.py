"""Run library calls in a QThreadPool; hand results back to the GUI thread by signals.

A task started under a key supersedes the previous task with that key (latest wins): the older
one is taken back from the pool's queue if it has not started, so a burst of keystrokes does
not leave stale searches occupying the threads; one already running has its cancel flag set
(a plain threading.Event, which the library's reads stop on) and its result, if it still
comes, is dropped, so a slow detail or related load never paints over the article the user
moved on to. Closing sets every running task's flag.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    # Emitted from the worker thread; Qt queues them to the GUI thread where this object lives.
    succeeded = Signal(object)
    failed = Signal(object)
    skipped = Signal()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[threading.Event], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self.signals = signals
        self.cancel = threading.Event()  # set when superseded or closed: stop, nobody waits
        # Guards the start against being taken back from the queue at the same moment: a job
        # is only ever taken back (tryTake) while it has not started, so it is still alive.
        self.lock = threading.Lock()
        self.started = False
        self.cancelled = False

    def run(self) -> None:
        with self.lock:
            self.started = True
            cancelled = self.cancelled
        if cancelled:  # superseded between leaving the queue and starting
            self.signals.skipped.emit()
            return
        self._run()

    def _run(self) -> None:
        try:
            result = self._fn(self.cancel)
        except Exception as e:  # a result for the GUI to show, not a crash of the pool
            log.debug("task failed", exc_info=True)
            self.signals.failed.emit(e)
        else:
            self.signals.succeeded.emit(result)


class TaskRunner(QObject):
    """Starts work off the GUI thread; `busy_changed` says when all is quiet (for tests too)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._generation: dict[str, int] = {}
        self._jobs: dict[str, _Job] = {}  # the latest job under each key, until it reports
        # The signal objects, kept alive until they report, and their tasks' cancel flags.
        self._live: dict[_Signals, threading.Event] = {}
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        self.run_cancellable(lambda _cancel: fn(), done, failed, key=key)

    def run_cancellable(
        self,
        fn: Callable[[threading.Event], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """As run, with `fn` given its cancel flag: set once the task is superseded or the
        runner closes, when it should stop (raising reader.errors.Cancelled, say)."""
        generation = 0
        if key is not None:
            self.supersede(key)
            generation = self._generation[key]

        def current() -> bool:
            return key is None or self._generation.get(key) == generation

        signals = _Signals()
        signals.succeeded.connect(lambda result: self._finish(signals, current(), done, result))
        signals.failed.connect(
            lambda error: self._finish(signals, current(), failed or _log_failure, error)
        )
        signals.skipped.connect(lambda: self._release(signals))
        was_busy = self.busy
        job = _Job(fn, signals)
        self._live[signals] = job.cancel
        if not was_busy:
            self.busy_changed.emit(True)
        if key is not None:
            self._jobs[key] = job
        self._pool.start(job)

    def supersede(self, key: str) -> None:
        """Forget the task under `key`: taken back if still queued, else told to stop (its
        cancel flag) and its result dropped."""
        self._generation[key] = self._generation.get(key, 0) + 1
        job = self._jobs.pop(key, None)
        if job is None:
            return
        job.cancel.set()
        with job.lock:
            job.cancelled = True
            taken = not job.started and self._pool.tryTake(job)
        if taken:
            self._release(job.signals)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is empty; True when it is."""
        return self._pool.waitForDone(msecs)

    def close(self) -> None:
        """The window is going: queued tasks never start, running ones are told to stop and
        waited for, and no result is handed on after this. A result a worker sent just before
        is still in the event queue; it must not reach widgets that are deleted by the time it
        is read."""
        self._closed = True
        self._pool.clear()
        for cancel in self._live.values():
            cancel.set()
        self._pool.waitForDone()

    def _finish(self, signals: _Signals, current: bool, handler: Callable[[Any], None],
                value: Any) -> None:
        if self._closed:
            return
        try:
            if current:
                handler(value)
        finally:
            # Released after the handler, so a task it starts keeps the runner busy throughout.
            self._release(signals)

    def _release(self, signals: _Signals) -> None:
        if self._closed or signals not in self._live:
            return
        self._jobs = {k: j for k, j in self._jobs.items() if j.signals is not signals}
        del self._live[signals]
        signals.deleteLater()
        if not self.busy:
            self.busy_changed.emit(False)


def _log_failure(error: Exception) -> None:
    log.warning("background task failed: %s", error)
