"""Run library calls in a QThreadPool; hand results back to the GUI thread by signals.

A task started under a key supersedes the previous task with that key: when the older one
finishes, its result is dropped (latest wins), so a slow detail or related load never paints
over the article the user moved on to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    # Emitted from the worker thread; Qt queues them to the GUI thread where this object lives.
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as e:  # a result for the GUI to show, not a crash of the pool
            log.debug("task failed", exc_info=True)
            self._signals.failed.emit(e)
        else:
            self._signals.succeeded.emit(result)


class TaskRunner(QObject):
    """Starts work off the GUI thread; `busy_changed` says when all is quiet (for tests too)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._generation: dict[str, int] = {}
        self._live: set[_Signals] = set()  # keeps the signal objects alive until they report

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
        generation = 0
        if key is not None:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation

        def current() -> bool:
            return key is None or self._generation.get(key) == generation

        signals = _Signals()
        signals.succeeded.connect(lambda result: self._finish(signals, current(), done, result))
        signals.failed.connect(
            lambda error: self._finish(signals, current(), failed or _log_failure, error)
        )
        was_busy = self.busy
        self._live.add(signals)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, signals))

    def supersede(self, key: str) -> None:
        """Forget the running task under `key`: its result will be dropped."""
        self._generation[key] = self._generation.get(key, 0) + 1

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is empty (for shutdown); True when it is."""
        return self._pool.waitForDone(msecs)

    def _finish(self, signals: _Signals, current: bool, handler: Callable[[Any], None],
                value: Any) -> None:
        try:
            if current:
                handler(value)
        finally:
            # Discarded after the handler, so a task it starts keeps the runner busy throughout.
            self._live.discard(signals)
            signals.deleteLater()
            if not self.busy:
                self.busy_changed.emit(False)


def _log_failure(error: Exception) -> None:
    log.warning("background task failed: %s", error)
