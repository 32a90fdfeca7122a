"""The sources pane's rows: three smart views (all, unread, favourites), then each source."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import QAbstractListModel, QObject, Qt
from PySide6.QtGui import QIcon

from reader.library import Library
from reader.types import ArticleFilter, Source
from reader.ui import icons, plain
from reader.ui.errors import describe
from reader.ui.indexes import ROOT, Index

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
FIRST_SOURCE_ROW = 3  # after the smart views: a gap above it


class _Entry(NamedTuple):
    label: str
    icon: str
    filter: ArticleFilter
    unread: int | None = None  # None hides the badge
    error: str = ""


class SourcesModel(QAbstractListModel):
    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._entries: list[_Entry] = []
        self.reload()

    def reload(self) -> None:
        """Re-read sources and counts (cheap, indexed reads) after an update or a state change."""
        sources = self._library.sources()
        entries = [
            _Entry(self.tr("All articles"), "inbox", ArticleFilter()),
            _Entry(self.tr("Unread"), "circle", ArticleFilter(unread=True),
                   unread=sum(s.unread for s in sources)),
            _Entry(self.tr("Favourites"), "star", ArticleFilter(favourites=True)),
        ]
        titles = Counter(s.title or s.url for s in sources)
        entries += [self._source_entry(s, twin=titles[s.title or s.url] > 1) for s in sources]
        if [e.filter for e in entries] == [e.filter for e in self._entries]:
            # Same rows: update in place so the pane keeps its selection and scroll position.
            self._entries = entries
            self.dataChanged.emit(self.index(0), self.index(len(entries) - 1))
            return
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def _source_entry(self, source: Source, *, twin: bool) -> _Entry:
        label = source.title or source.url
        if twin:  # two sources of one name (a site from file:// and over HTTP): say where
            label += " · " + (urlsplit(source.url).hostname or self.tr("local file"))
        return _Entry(label, "alert" if source.last_error else source.kind,
                      ArticleFilter(source_id=source.id), unread=source.unread,
                      error=source.last_error)

    def row_of(self, article_filter: ArticleFilter) -> int | None:
        for i, entry in enumerate(self._entries):
            if entry.filter == article_filter:
                return i
        return None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.label
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.error:
                return plain.tooltip(
                    self.tr("Last update failed: {}").format(describe(entry.error)))
            return plain.tooltip(entry.label)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if entry.unread:
                return self.tr("{0}, {1} unread").format(entry.label, entry.unread)
            return entry.label
        if role == COUNT_ROLE:
            return entry.unread
        if role == FILTER_ROLE:
            return entry.filter
        return None

    @staticmethod
    def _icon(entry: _Entry) -> QIcon:
        return icons.icon(entry.icon, warning=bool(entry.error))
