"""The left pane: smart views and subscriptions; choosing one filters the article list."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QWidget

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui.delegates import PaintedList, SourceDelegate
from reader.ui.sources_model import COUNT_ROLE, FILTER_ROLE, FIRST_SOURCE_ROW, SourcesModel


class SourcesPane(PaintedList):
    filter_chosen = Signal(object)  # ArticleFilter

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sources")
        self.setAccessibleName(self.tr("Sources"))
        self.sources = SourcesModel(library, self)
        self.setModel(self.sources)
        self.setItemDelegate(SourceDelegate(COUNT_ROLE, FIRST_SOURCE_ROW, self))
        self.setUniformItemSizes(False)
        # The delegate elides names and keeps counts in view: never scroll sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self.sources.modelReset.connect(self._reselect)
        self._chosen = ArticleFilter()
        self.choose(self._chosen)

    @property
    def chosen(self) -> ArticleFilter:
        return self._chosen

    def choose(self, article_filter: ArticleFilter) -> None:
        row = self.sources.row_of(article_filter)
        self.setCurrentIndex(self.sources.index(0 if row is None else row))

    def reload(self) -> None:
        self.sources.reload()

    def _reselect(self) -> None:
        # After sources were added or removed, keep the same view chosen (or fall back to all).
        self.choose(self._chosen)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        chosen = indexes[0].data(FILTER_ROLE)
        if chosen != self._chosen:
            self._chosen = chosen
            self.filter_chosen.emit(chosen)
