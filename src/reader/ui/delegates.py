"""Painting: a source row with its unread badge, a related item in two lines, a search hit."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.ui.indexes import Index
from reader.ui.row_hover import RowUnderMouse

SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 20
PAD = 12


class PaintedList(QListView):
    """A list drawn by SourceDelegate or TwoLineDelegate, which ask it which row is selected
    and which is under the mouse (reader.ui.row_hover)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hover = RowUnderMouse(self)

    def row_state(self, index: Index) -> tuple[bool, bool]:
        """Whether the row is selected, and whether it is under the mouse."""
        return self.selectionModel().isSelected(index), index.row() == self._hover.row

    def leaveEvent(self, event: QEvent) -> None:
        self._hover.clear()
        super().leaveEvent(event)


def _background(painter: QPainter, option: QStyleOptionViewItem, selected: bool,
                hovered: bool, radius: int = 6) -> QPalette:
    palette = option.palette
    if selected or hovered:
        colour = QColor(palette.color(QPalette.ColorRole.Highlight))
        if not selected:
            colour.setAlphaF(0.12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(option.rect.adjusted(6, 1, -6, -1), radius, radius)
    return palette


def _text_colours(option: QStyleOptionViewItem, selected: bool) -> tuple[QColor, QColor]:
    palette = option.palette
    if selected:
        text = palette.color(QPalette.ColorRole.HighlightedText)
        return text, text
    return palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.PlaceholderText)


class SourceDelegate(QStyledItemDelegate):
    """Icon, name, and the unread count right-aligned; a gap before the first subscription."""

    def __init__(self, count_role: int, gap_row: int, view: PaintedList) -> None:
        super().__init__(view)
        self._view = view
        self._count_role = count_role
        # A row number, not a role: the pane's first layout asks every row's size, and a
        # call back into the model for each was 2 of 3.5 ms at 500 sources.
        self._gap_row = gap_row

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = QFontMetrics(option.font).height() + 14
        return QSize(180, height + (14 if index.row() == self._gap_row else 0))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.row() == self._gap_row:
            option = QStyleOptionViewItem(option)
            option.rect = option.rect.adjusted(0, 14, 0, 0)
        selected, hovered = self._view.row_state(index)
        _background(painter, option, selected, hovered)
        text, muted = _text_colours(option, selected)
        rect = option.rect.adjusted(PAD + 6, 0, -PAD - 6, 0)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            size = 16
            icon.paint(painter, QRect(rect.left(), rect.center().y() - size // 2 + 1, size, size))
            rect.setLeft(rect.left() + size + 10)
        count = index.data(self._count_role)
        if count:
            badge = f"{count:,}"
            painter.setPen(muted)
            width = QFontMetrics(option.font).horizontalAdvance(badge)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             badge)
            rect.setRight(rect.right() - width - 8)
        painter.setPen(text)
        label = QFontMetrics(option.font).elidedText(
            index.data(Qt.ItemDataRole.DisplayRole) or "", Qt.TextElideMode.ElideRight,
            rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.restore()


class TwoLineDelegate(QStyledItemDelegate):
    """A title wrapped to at most two lines, then a muted subtitle (source · date · state)."""

    LINES = 2

    def __init__(self, view: PaintedList) -> None:
        super().__init__(view)
        self._view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1.5, 7.0))
        return title, small

    def _title_rect(self, option: QStyleOptionViewItem, text: str, width: int) -> QRect:
        title_font, _ = self._fonts(option)
        bound = _wrapped_height(title_font, width, text)
        return QRect(0, 0, width, min(bound, _lines_height(title_font, self.LINES)))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = max(120, (option.rect.width() or 260) - 2 * PAD - 12)
        title = self._title_rect(option, index.data(Qt.ItemDataRole.DisplayRole) or "", width)
        _, small = self._fonts(option)
        return QSize(width, title.height() + QFontMetrics(small).height() + 18)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected, hovered = self._view.row_state(index)
        _background(painter, option, selected, hovered)
        text, muted = _text_colours(option, selected)
        title_font, small = self._fonts(option)
        left = option.rect.left() + PAD + 6
        width = option.rect.width() - 2 * PAD - 12
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        box = self._title_rect(option, title, width).translated(left, option.rect.top() + 7)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(box, _WRAP, _elide_lines(title, title_font, width, self.LINES))
        painter.setFont(small)
        painter.setPen(muted)
        sub = QFontMetrics(small).elidedText(index.data(SUBTITLE_ROLE) or "",
                                             Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, box.bottom() + 3, width, QFontMetrics(small).height()),
                         Qt.AlignmentFlag.AlignLeft, sub)
        painter.restore()


_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)


@lru_cache(maxsize=4096)
def _wrapped_height(font: QFont, width: int, text: str) -> int:
    # Cached: a related item's size hint and paint ask for the same heights again and again
    # (each open filled the pane with about 160 text layouts on the GUI thread).
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), _WRAP, text).height()


def _lines_height(font: QFont, lines: int) -> int:
    """The height `lines` wrapped lines take (not lines x lineSpacing: Qt adds leading once)."""
    return _wrapped_height(font, 10_000, "\n".join("国" * lines))


@lru_cache(maxsize=1024)
def _elide_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """Cut a wrapped text to `lines` lines, with an ellipsis at the end of the last."""
    limit = _lines_height(font, lines)
    if _wrapped_height(font, width, text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        fits = _wrapped_height(font, width, text[:mid] + "…") <= limit
        low, high = (mid, high) if fits else (low, mid - 1)
    return text[:low].rstrip() + "…"


class HitDelegate(QStyledItemDelegate):
    """The Title column of search hits: the title, and under it the snippet with the matched
    words («…» in the snippet) in bold; other rows paint as usual."""

    def __init__(self, snippet_role: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snippet_role = snippet_role

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        if index.data(self._snippet_role) is None:
            return hint
        return QSize(hint.width(), hint.height() + QFontMetrics(option.font).height() + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        snippet = index.data(self._snippet_role)
        if snippet is None:
            super().paint(painter, option, index)
            return
        line = QFontMetrics(option.font).height() + 2
        # The row's background (selection, hover) over both lines, then the title on the first.
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        full.text = ""
        style = full.widget.style() if full.widget else None
        if style is not None:
            from PySide6.QtWidgets import QStyle  # search hits only: see PaintedList

            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, full.widget)
        painter.save()
        # Selected rows keep a light (or, dark theme, dark) background: the usual colours read.
        text = option.palette.color(QPalette.ColorRole.Text)
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
        title_font = full.font  # bold while unread (the model's font role)
        title = QRect(option.rect.left() + 4, option.rect.top(), option.rect.width() - 8,
                      option.rect.height() - line)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(title, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         QFontMetrics(title_font).elidedText(
                             str(index.data() or ""),
                             Qt.TextElideMode.ElideRight, title.width()))
        rect = QRect(option.rect.left() + 4, option.rect.bottom() - line, option.rect.width() - 8,
                     line)
        x, right = rect.left(), rect.right()
        plain, bold = QFont(option.font), QFont(option.font)
        plain.setBold(False)
        bold.setBold(True)
        for i, part in enumerate(_SNIPPET_MARK.split(snippet)):
            font, colour = (bold, text) if i % 2 else (plain, muted)
            metrics = QFontMetrics(font)
            shown = metrics.elidedText(part, Qt.TextElideMode.ElideRight, right - x)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QRect(x, rect.top(), right - x, line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
            x += metrics.horizontalAdvance(shown)
            if shown != part or x >= right:
                break
        painter.restore()


_SNIPPET_MARK = re.compile("«(.*?)»")
