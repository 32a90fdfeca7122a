"""The article list view: the Title column takes the spare width; the others shrink first.

A table, not a tree: QTreeView lays every loaded row out again (a call into the model's Python
for each) whenever rows are appended, so paging down 10,000 rows deep cost 16-23 ms of the GUI
thread's CPU for each page read; QTableView's rows are sections of its vertical header, kept in
C++, and appending a page costs about the same at any depth."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from reader.ui.article_folds import Fold
from reader.ui.article_model import SNIPPET_ROLE, ArticleModel, Column
from reader.ui.delegates import HitDelegate
from reader.ui.row_hover import RowUnderMouse

# Widest width of the side columns and their share of the list's width; each keeps at least
# the width of its widest usual text.
SIDE_COLUMNS = {Column.SOURCE: (150, 0.16, "World News"),
                Column.PUBLISHED: (130, 0.13, "2025-11-20"), Column.VIEWS: (80, 0.08, "99,999")}
STAR_WIDTH = 36
PADDING = 16
VIEWS_FROM = 560  # a narrower list drops the view counts to leave the title room
FOLD_WIDTH = 28  # a story's arrow, at the start of its title: the cell's padding and icon


class ArticleList(QTableView):
    order_changed = Signal()  # the list was reordered (reloaded)
    order_refused = Signal()  # too long a list to order by that column

    def __init__(self, model: ArticleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("articles")
        self.setAccessibleName(self.tr("Articles"))
        self.setModel(model)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as from any list
        self._hover = RowUnderMouse(self)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row asked for its size
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # In the middle: a story's row ends with the other sites that carry it ("also in").
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # Only for search hits: a delegate in Python is called for every title painted, and
        # the other lists paint as Qt does without one.
        self._hits = HitDelegate(SNIPPET_ROLE, self)
        model.modelReset.connect(self._choose_delegate)  # and the rows' height with it
        header = self.horizontalHeader()
        header.setHighlightSections(False)  # a table's default: the selected row's columns
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(32)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in SIDE_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.STAR, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.STAR, STAR_WIDTH)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(Column.PUBLISHED, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._sort_clicked)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Every row as high as the first (as a tree with uniform row heights has them)."""
        if self._model.rowCount():
            self.verticalHeader().setDefaultSectionSize(self.sizeHintForRow(0))

    def _choose_delegate(self) -> None:
        hits = self._model.search_query is not None
        if (self.itemDelegateForColumn(Column.TITLE) is self._hits) != hits:
            self.setItemDelegateForColumn(Column.TITLE, self._hits if hits else self.itemDelegate())
        self._fit_rows()

    def _sort_clicked(self, column: int) -> None:
        header = self.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        if column == Column.PUBLISHED:
            self._model.set_oldest_first(not descending)
        elif not self._model.set_order(column, descending):
            # Too long to order by this column: the indicator goes back to the date.
            order = (Qt.SortOrder.AscendingOrder if self._model.oldest_first
                     else Qt.SortOrder.DescendingOrder)
            header.setSortIndicator(Column.PUBLISHED, order)
            self.order_refused.emit()
            return
        self.order_changed.emit()

    # A story's row opens on its copies (rows under it) with a click on its arrow, or Right;
    # Left closes it (from one of its copies too).

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        fold = self._model.fold(index.row()) if index.isValid() else None
        if (fold in (Fold.OPEN, Fold.CLOSED) and index.column() == Column.TITLE
                and event.position().x() < self.visualRect(index).left() + FOLD_WIDTH):
            self._model.set_open(index.row(), fold == Fold.CLOSED)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        fold = self._model.fold(current.row()) if current.isValid() else None
        if event.key() == Qt.Key.Key_Right and fold == Fold.CLOSED:
            self._model.set_open(current.row(), True)
        elif event.key() == Qt.Key.Key_Left and fold in (Fold.OPEN, Fold.COPY):
            lead = self._model.lead_of(current.row())
            self.setCurrentIndex(self._model.index(lead, 0))
            self._model.set_open(lead, False)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        # Rows, not cells: Home and End go to the first and last row (a table's go along the
        # row), Left and Right stay on the row.
        action = QAbstractItemView.CursorAction
        if cursorAction in (action.MoveLeft, action.MoveRight):
            return self.currentIndex()
        if cursorAction in (action.MoveHome, action.MoveEnd):
            row = super().moveCursor(cursorAction, Qt.KeyboardModifier.ControlModifier).row()
            return self._model.index(row, max(0, self.currentIndex().column()))
        return super().moveCursor(cursorAction, modifiers)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover.clear()
        self.viewport().update()
        super().leaveEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # The row under the mouse, under its cells (a table's style hovers cells), in a
        # neutral tint: the accent's is the selection's when the list is not focused.
        row = self._hover.row
        if 0 <= row < self._model.rowCount() and not self.selectionModel().isRowSelected(row):
            colour = QColor(self.palette().color(QPalette.ColorRole.Text))
            colour.setAlphaF(0.07)
            painter = QPainter(self.viewport())
            painter.fillRect(0, self.rowViewportPosition(row), self.viewport().width(),
                             self.rowHeight(row), colour)
            painter.end()
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Side columns give up width before the title does (the user may still drag them).
        width = event.size().width()
        header = self.horizontalHeader()
        self.setColumnHidden(Column.VIEWS, width < VIEWS_FROM)
        bold = QFont(self.font())
        bold.setBold(True)  # unread rows
        metrics = QFontMetrics(bold)
        for column, (widest, share, sample) in SIDE_COLUMNS.items():
            narrowest = metrics.horizontalAdvance(sample) + PADDING
            header.resizeSection(column, max(narrowest, min(widest, round(width * share))))
        super().resizeEvent(event)
