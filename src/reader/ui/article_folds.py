"""A story's copies shown as rows right under its row in the article list, and taken away.

A mixin of ArticleModel: it works on the model's loaded rows, reads a story's copies only when
the story is opened, and never for the rows of closed ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from reader.types import ArticleRow
from reader.ui.icons import icon
from reader.ui.indexes import ROOT

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel

    from reader.library import Library

    _Model = QAbstractItemModel
else:
    _Model = object

FOLD_ROLE = Qt.ItemDataRole.UserRole + 4  # Fold: a story's row that opens, or one of its copies


class Fold:
    """A row's place in a story: its copies shown under it or not, or one of those copies."""

    CLOSED, OPEN, COPY = range(1, 4)


# What the title shows before it: an arrow that opens or closes the story, a copy's corner.
_FOLD_ICONS = {Fold.CLOSED: "chevron-right", Fold.OPEN: "chevron-down",
               Fold.COPY: "corner-down-right"}


class StoryFolds(_Model):
    """Which stories are open (`_open`, their ids) and which rows are their copies
    (`_copy_rows`); the model sets both up and keeps its rows in `_rows`."""

    _rows: list[ArticleRow]
    _library: Library
    _open: set[int]
    _copy_rows: set[int]

    def fold(self, row: int) -> int | None:
        """Fold.OPEN or CLOSED for a story's row with copies, COPY for a copy, else None."""
        found = self._rows[row]
        if found.id in self._copy_rows:
            return Fold.COPY
        if not found.copies:
            return None
        return Fold.OPEN if found.id in self._open else Fold.CLOSED

    def lead_of(self, row: int) -> int:
        """The row of the story a copy's row is shown under (the row itself for others)."""
        while row > 0 and self._rows[row].id in self._copy_rows:
            row -= 1
        return row

    def set_open(self, row: int, shown: bool) -> None:
        """Show a story's copies as rows right under its row, or take them away."""
        fold = self.fold(row)
        if fold not in (Fold.OPEN, Fold.CLOSED) or (fold == Fold.OPEN) == shown:
            return
        lead = self._rows[row]
        if shown:
            copies = [c for c in self._library.copies(lead.id) if c.id not in self._copy_rows]
            self._open.add(lead.id)
            if copies:
                self.beginInsertRows(ROOT, row + 1, row + len(copies))
                self._rows[row + 1:row + 1] = copies
                self._copy_rows.update(c.id for c in copies)
                self.endInsertRows()
        else:
            self._open.discard(lead.id)
            end = self._story_rows(row).stop
            if end > row + 1:
                self.beginRemoveRows(ROOT, row + 1, end - 1)
                self._copy_rows.difference_update(r.id for r in self._rows[row + 1:end])
                del self._rows[row + 1:end]
                self.endRemoveRows()
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _story_rows(self, lead: int) -> range:
        """A story's row and the rows of its copies shown under it."""
        end = lead + 1
        while end < len(self._rows) and self._rows[end].id in self._copy_rows:
            end += 1
        return range(lead, end)

    def _leads(self) -> list[ArticleRow]:
        return [r for r in self._rows if r.id not in self._copy_rows]

    def _unfolded(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        """New rows with the stories that were open still open (their copies read again)."""
        self._copy_rows = set()
        if not self._open:
            return rows
        self._open &= {r.id for r in rows if r.copies}
        out: list[ArticleRow] = []
        for row in rows:
            out.append(row)
            if row.id in self._open:
                copies = [c for c in self._library.copies(row.id) if c.id not in self._copy_rows]
                out.extend(copies)
                self._copy_rows.update(c.id for c in copies)
        return out

    def _fold_icon(self, row: int) -> QIcon | None:
        if not 0 <= row < len(self._rows) or not (self._rows[row].copies or self._copy_rows):
            return None
        fold = self.fold(row)
        return None if fold is None else icon(_FOLD_ICONS[fold])
