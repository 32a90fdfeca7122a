"""The row under the mouse, for views that paint their rows' hover themselves: reading it from
`option.state` makes PySide build QStyle and its Python enums (6 ms of start-up), and a table
hovers cells, not rows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QAbstractItemView


class RowUnderMouse(QObject):
    """Follows the view's `entered` (mouse tracking on); the view calls `clear` when the
    mouse leaves it."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.row = -1
        view.setMouseTracking(True)
        view.entered.connect(self._enter)
        view.viewportEntered.connect(self.clear)  # over no row

    def _enter(self, index: QModelIndex) -> None:
        self.row = index.row()

    def clear(self) -> None:
        self.row = -1
