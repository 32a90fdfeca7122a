"""The toolbar's search box: a query runs after a pause in typing (or on Enter), off the GUI
thread, latest wins; the list then shows the hits and the article view highlights them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from reader.ui.article_model import SearchRows, search_rows
from reader.ui.errors import describe_error

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

SEARCH_DELAY_MS = 300


class WindowSearch(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.box = window.search
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.box.textEdited.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self.run)

    def focus(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def run(self) -> None:
        self._timer.stop()
        window = self.window
        query = self.box.text().strip()
        if not query:
            window.runner.supersede("search")
            window.view.highlight([])
            if window.model.search_query is not None:
                window.status.clearMessage()
                window.model.set_filter(window.sources.chosen)
                window.reselect()
            return
        library = window.library
        # A newer query sets this one's cancel flag: its SQLite query stops where it is.
        window.runner.run_cancellable(
            lambda cancel: (search_rows(library, query, cancel), library.search_patterns(query)),
            lambda found: self._show_hits(query, *found),
            lambda error: self._search_failed(query, error), key="search")

    def _show_hits(self, query: str, hits: SearchRows, patterns: list[str]) -> None:
        window = self.window
        window.model.show_hits(query, hits)
        window.view.highlight(patterns)
        window.reselect()
        count = window.model.rowCount()
        message = (self.tr("1 result for “{}”").format(query) if count == 1
                   else self.tr("{0} results for “{1}”").format(count, query))
        window.status.showMessage(message)
        window.searched.emit(query)

    def _search_failed(self, query: str, error: Exception) -> None:
        # The list must not keep showing the hits of an earlier query under this one.
        self.window.model.show_hits(query, ([], {}))
        self.window.view.highlight([])
        self.window.status.showMessage(
            self.tr("Search failed: {}").format(describe_error(error)))
