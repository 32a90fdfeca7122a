"""Updating from the window: one update at a time, sources queued behind it, progress in the
status bar, a cancel button, and the outcome summed up when it ends."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from reader.errors import FetchError
from reader.types import SourceResult
from reader.ui.errors import describe_error

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

# Pages and feeds are read in worker processes: read in this process's update threads, their
# Python held the GIL that the GUI thread waits for to paint (reader.services.parse_pool).
PARSE_PROCESSES = 2


class WindowUpdate(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.runner = window.runner
        self.status = window.status
        self._cancel: threading.Event | None = None
        self._queued: list[int] = []  # sources to update once the running update ends

    def update_source(self, source_id: int) -> None:
        """One source now, or right after the update that is running (which may have listed
        the sources before this one existed)."""
        if source_id not in self._queued:
            self._queued.append(source_id)
        self.start(force=True)

    def start(self, *, force: bool) -> None:
        # The timer's update (force=False) leaves out sources within their own interval.
        if self._cancel is not None:
            return  # one update at a time; the timer may fire during a manual one
        cancel = threading.Event()
        self._cancel = cancel
        queued, self._queued = self._queued, []
        self.window.update_action.setEnabled(False)
        self.status.start_update()
        relay = _ProgressRelay(self)
        relay.progressed.connect(self.status.report)

        def work() -> list[SourceResult]:
            if not queued:
                return self.library.update(force=force, progress=relay.progressed.emit,
                                           cancel=cancel, parse_processes=PARSE_PROCESSES)
            return [result for source_id in queued
                    for result in self.library.update(source_id=source_id, force=True,
                                                      progress=relay.progressed.emit,
                                                      cancel=cancel,
                                                      parse_processes=PARSE_PROCESSES)]

        self.runner.run(work, lambda results: self._updated(relay, results),
                        lambda error: self._update_failed(relay, error))

    def cancel(self) -> None:
        self._queued.clear()
        if self._cancel is not None:
            self._cancel.set()

    def _update_ended(self, relay: _ProgressRelay) -> None:
        relay.deleteLater()
        self._cancel = None
        self.window.update_action.setEnabled(True)

    def _updated(self, relay: _ProgressRelay, results: list[SourceResult]) -> None:
        self._update_ended(relay)
        new = sum(r.new for r in results)
        failed = [r for r in results if r.error]
        self.status.set_offline(bool(results) and len(failed) == len(results))
        if failed:
            message = self.tr("{0} new articles; {1} sources failed").format(new, len(failed))
        else:
            message = self.tr("{} new articles").format(new)
        unread = sum(r.failed for r in results)
        if unread:  # each article's reason is in the log and in `reader update`'s summary
            message += self.tr("; articles that could not be read: {}").format(unread)
        unfetched = sum(len(r.unfetched) for r in results)
        if unfetched:
            message += self.tr("; pages that could not be fetched: {} (the feeds' summaries "
                               "were kept)").format(unfetched)
        self.status.end_update(message)
        self.window.reload()
        self.window.updated.emit(results)
        self._next_queued()

    def _update_failed(self, relay: _ProgressRelay, error: Exception) -> None:
        self._update_ended(relay)
        self.status.set_offline(isinstance(error, FetchError))
        self.status.end_update(self.tr("Update failed: {}").format(describe_error(error)))
        self._next_queued()

    def _next_queued(self) -> None:
        if self._queued:
            self.start(force=True)


class _ProgressRelay(QObject):
    """Carries progress reports from the update worker to the GUI thread (a queued signal)."""

    progressed = Signal(object)  # Progress
