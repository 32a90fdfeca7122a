"""Act on the first of a burst of changes at once, then only on the newest once they stop.

A held Page Down moves the list's current row 30 times a second; opening every row passed
(a document laid out, a related pane filled) stalled the window. A single click or key press
still acts at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# Longer than a held key's repeat interval (30-40 ms) with room for a busy machine, short
# enough that the article under the row the keys stopped on opens without a felt wait.
QUIET_MS = 150


class Debounce(QObject):
    """`act(value)` for a change that comes after a quiet spell; while changes keep coming
    within `quiet_ms` of each other, only the newest is kept, and acted on once they stop."""

    def __init__(self, act: Callable[[int], None], parent: QObject | None = None, *,
                 quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self._act = act
        self._pending: list[int] = []  # the newest value waiting for the quiet spell, if any
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._timer.timeout.connect(self._settled)

    @property
    def pending(self) -> bool:
        """A newer value is waiting: what was acted on last is no longer the latest."""
        return bool(self._pending)

    @property
    def settling(self) -> bool:
        """Within the quiet spell of the last change: the next one waits for a pause."""
        return self._timer.isActive()

    def push(self, value: int) -> None:
        if self._timer.isActive():
            self._pending = [value]
        else:
            self._pending = []
            self._act(value)
        self._timer.start()  # the quiet spell starts again with every change

    def cancel(self) -> None:
        """Forget the value waiting (something else took its place)."""
        self._pending = []

    def _settled(self) -> None:
        if self._pending:
            value = self._pending.pop()
            self._act(value)
            self._timer.start()  # a change right after this one waits its turn too
