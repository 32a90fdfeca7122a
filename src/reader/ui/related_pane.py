"""The related pane: the page's own 相关文章 block, then similar articles already in the library.

Clicking a related page that is not cached fetches it in the background; offline, the pane
says so instead of waiting.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QObject,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QLabel, QListView, QProgressBar, QVBoxLayout, QWidget

from reader.errors import FetchError
from reader.library import Library, Related
from reader.text import squash
from reader.types import StoredArticle
from reader.ui import plain
from reader.ui.delegates import SUBTITLE_ROLE, PaintedList, TwoLineDelegate
from reader.ui.errors import describe_error
from reader.ui.indexes import ROOT, Index
from reader.ui.tasks import TaskRunner
from reader.urls import is_web_url

log = logging.getLogger(__name__)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
OWN_MAX_HEIGHT = 420  # beyond this the page's block scrolls, leaving room for similar ones
# Posted at this priority, an event is handled after the paint Qt has queued (also low).
AFTER_PAINT = Qt.EventPriority.LowEventPriority.value


class FetchState(StrEnum):
    """Where fetching a related page the library lacks stands."""

    IDLE = ""  # not asked for, or fetched
    FETCHING = "fetching"
    OFFLINE = "offline"  # no network: try again later
    FAILED = "failed"


class RelatedItem(NamedTuple):
    title: str
    url: str
    source: str
    published: datetime | None
    article_id: int | None  # None: not cached yet
    state: FetchState = FetchState.IDLE


class RelatedModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[RelatedItem] = []

    def set_items(self, items: list[RelatedItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> RelatedItem:
        return self._items[row]

    def update_url(self, url: str, **changes: Any) -> None:
        for i, item in enumerate(self._items):
            if item.url == url:
                self._items[i] = item._replace(**changes)
                self.dataChanged.emit(self.index(i), self.index(i))

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(item.title)
        if role == SUBTITLE_ROLE:
            return self._subtitle(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.title}, {self._subtitle(item)}"
        if role == ITEM_ROLE:
            return item
        return None

    def _subtitle(self, item: RelatedItem) -> str:
        parts = [item.source]
        if item.published:
            parts.append(item.published.strftime("%Y-%m-%d"))
        if item.state == FetchState.FETCHING:
            parts.append(self.tr("Fetching…"))
        elif item.state == FetchState.OFFLINE:
            parts.append(self.tr("Not available offline"))
        elif item.state == FetchState.FAILED:
            parts.append(self.tr("Could not be fetched"))
        elif item.article_id is None:
            parts.append(self.tr("Not cached"))
        return "  ·  ".join(p for p in parts if p)


def own_items(related: Related, page: StoredArticle) -> list[RelatedItem]:
    """The page's related links: on the page's own host they share its source, else the host."""
    page_site = urlsplit(page.article.url)[:2]  # scheme and host: file:// pages have no host
    items = []
    for r in related.own:
        if r.url == page.article.url or (r.article_id is not None and r.article_id == page.id):
            continue  # a block that links the page itself
        parts = urlsplit(r.url)
        source = page.source_title if parts[:2] == page_site else parts.hostname or ""
        items.append(RelatedItem(r.title or r.url, r.url, source, r.published, r.article_id))
    return items


def similar_items(related: Related, page: StoredArticle) -> list[RelatedItem]:
    """Similar articles, less those the page's own block already lists and the page itself
    (also its copy from another source: the same title)."""
    listed = {r.article_id for r in related.own} | {page.id}
    title = squash(page.article.title).casefold()
    return [RelatedItem(r.title or r.url, r.url, r.source, r.published, r.id)
            for r in related.similar
            if r.id not in listed and not (title and squash(r.title).casefold() == title)]


class RelatedPane(QWidget):
    open_article = Signal(int)
    fetched = Signal(int)  # a related page was fetched into the library
    loaded = Signal(int)  # related items for this article are shown
    offline = Signal()  # a fetch could not reach the network

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relatedPane")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAccessibleName(self.tr("Related articles"))
        self._library = library
        self._runner = runner
        self._fetching: set[str] = set()
        self._wanted: str | None = None  # the page clicked last: the only one opened when it lands
        self._due: int | None = None  # the article whose items load once it is painted
        self._painted: int | None = None  # the article the posted event follows

        self.own = RelatedModel(self)
        self.similar = RelatedModel(self)
        self.own_view = self._list(self.own, self.tr("Related on the page"))
        self.similar_view = self._list(self.similar, self.tr("Similar in your library"))
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # an indeterminate bar: a fetch is running
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(self.tr("Fetching related article"))
        self.busy.hide()
        self.notice = plain.label(QLabel(self))
        self.notice.setProperty("role", "notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(0)
        self.own_heading = self._heading(self.tr("Related articles"))
        layout.addWidget(self.own_heading)
        layout.addWidget(self.busy)
        layout.addWidget(self.notice)
        layout.addWidget(self.own_view)
        self.similar_heading = self._heading(self.tr("Similar in your library"))
        layout.addWidget(self.similar_heading)
        layout.addWidget(self.similar_view, 1)
        self._empty()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text.upper() if text.isascii() else text, self)
        label.setProperty("role", "heading")
        return label

    def _list(self, model: RelatedModel, name: str) -> QListView:
        view = _RowsList(self)
        view.setProperty("role", "related")
        view.setAccessibleName(name)
        view.setModel(model)
        view.setItemDelegate(TwoLineDelegate(view))
        view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        view.setWordWrap(True)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        view.clicked.connect(lambda index: self.activate(model.item(index.row())))
        view.activated.connect(lambda index: self.activate(model.item(index.row())))
        return view

    # --- showing --------------------------------------------------------------------------

    def show_after_article(self, article_id: int) -> None:
        """Load the related items once `article_shown` says the article is laid out, behind its
        paint: the similarity query (cold at start-up: 25-50 ms) and these lists' layout do
        not delay the article. The items shown until then are dropped if they arrive."""
        self._runner.supersede("related")
        self._due = article_id

    def article_shown(self, article_id: int) -> None:
        if article_id == self._due:
            self._painted = article_id
            QCoreApplication.postEvent(self, QEvent(QEvent.Type.User), AFTER_PAINT)

    def customEvent(self, event: QEvent) -> None:
        if self._due is not None and self._due == self._painted:
            self.show_for(self._due)

    @property
    def pending(self) -> bool:
        """Items are due for an article that is not painted yet."""
        return self._due is not None

    def show_for(self, article_id: int) -> None:
        """Load the related items for an article in a worker; a newer call wins."""
        self._due = None
        self.notice.hide()
        library = self._library
        self._runner.run_cancellable(
            lambda cancel: (library.related(article_id, cancel=cancel),
                            library.article(article_id)),
            lambda result: self._show(article_id, *result),
            lambda error: self._failed_to_load(article_id, error), key="related")

    def clear(self) -> None:
        self._due = None
        self._runner.supersede("related")
        self.own.set_items([])
        self.similar.set_items([])
        self._empty()

    def _empty(self) -> None:
        """No article: say what the pane will show instead of two empty headings."""
        for widget in (self.own_heading, self.own_view, self.similar_heading):
            widget.hide()
        self._say(self.tr("Open an article to see the pages it links as related, and similar "
                          "articles in your library."))

    def _show(self, article_id: int, related: Related, page: StoredArticle) -> None:
        self.own.set_items(own_items(related, page))
        self.similar.set_items(similar_items(related, page))
        _fit_to_rows(self.own_view)
        self.own_heading.setVisible(bool(related.own))
        self.own_view.setVisible(bool(related.own))
        self.similar_heading.show()
        self.notice.hide()
        if not related.own and not related.similar:
            self._say(self.tr("No related articles."))
        self.loaded.emit(article_id)

    def _failed_to_load(self, article_id: int, error: Exception) -> None:
        log.warning("related for %s failed: %s", article_id, error)
        self._say(self.tr("Related articles could not be loaded."))

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    # --- opening --------------------------------------------------------------------------

    def activate(self, item: RelatedItem) -> None:
        if item.article_id is not None:
            self.open_article.emit(item.article_id)
            return
        self._wanted = item.url
        if item.url in self._fetching:
            return
        self._fetching.add(item.url)
        self.own.update_url(item.url, state=FetchState.FETCHING)
        self.notice.hide()
        self.busy.show()
        # No task key: every fetch reports, so no item is left showing "fetching".
        self._runner.run(lambda: self._library.fetch_article(item.url),
                         lambda article_id: self._fetched(item.url, article_id),
                         lambda error: self._fetch_failed(item.url, error))

    def _fetch_ended(self, url: str) -> bool:
        """Bookkeeping for a finished fetch; True when the user still wants this page."""
        self._fetching.discard(url)
        self.busy.setVisible(bool(self._fetching))
        return url == self._wanted

    def _fetched(self, url: str, article_id: int) -> None:
        self.own.update_url(url, article_id=article_id, state=FetchState.IDLE)
        self.fetched.emit(article_id)
        if self._fetch_ended(url):
            self.open_article.emit(article_id)

    def _fetch_failed(self, url: str, error: Exception) -> None:
        # No HTTP status from a web address: the network itself failed (offline), not the page.
        # A local file that cannot be read is no network failure: say what happened.
        offline = isinstance(error, FetchError) and error.status is None and is_web_url(url)
        self.own.update_url(url, state=FetchState.OFFLINE if offline else FetchState.FAILED)
        log.info("related fetch failed: %s", error)
        if offline:
            self.offline.emit()
        if not self._fetch_ended(url):
            return
        if offline:
            self._say(self.tr("Not available offline."))
        else:
            self._say(self.tr("This page could not be fetched: {}").format(
                describe_error(error)))


class _RowsList(PaintedList):
    """A list that asks for the height of its rows (up to its maximum), not a fixed 192 px."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.maximumHeight() if self.maximumHeight() < 10_000
                     else hint.height())


def _fit_to_rows(view: QListView) -> None:
    """Size a list to its rows, so the page's own block takes no more room than it needs; a
    small window may squeeze it down to about one row (it scrolls), never grow past them."""
    rows = view.model().rowCount()
    frame = 2 * view.frameWidth() + 4
    height = sum(view.sizeHintForRow(i) for i in range(rows)) + frame
    view.setMaximumHeight(min(height, OWN_MAX_HEIGHT))
    view.setMinimumHeight(min(height, (view.sizeHintForRow(0) if rows else 0) + frame))
