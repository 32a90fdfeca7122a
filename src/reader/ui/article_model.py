"""The article list: rows loaded in keyset pages through canFetchMore/fetchMore.

Only the rows the view has scrolled to are in memory, so a library of 200,000 articles opens as
fast as one of 20. In the window the next page is read in a worker: its 200 rows lie on as many
pages of the library, which a cold disk (after a reboot) takes tens of milliseconds to read.
A search shows a fixed list of hits in the same model.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QObject,
    Qt,
)
from PySide6.QtGui import QFont

from reader.library import Library
from reader.types import ArticleFilter, ArticleRow
from reader.ui import plain
from reader.ui.article_folds import FOLD_ROLE, StoryFolds
from reader.ui.indexes import ROOT, Index
from reader.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

BATCH = 200  # rows read each time the list is scrolled to its end
# A new list's first rows: more than a tall window shows (a list they do not fill reads on).
# 200 rows are scattered over 200 pages of the library: 3-4 ms of CPU at 10k or 200k once
# the file is cached, up to 29 ms (and as many disk reads) when it is not; 50 rows 1-2 ms.
FIRST_PAGE = 50
# Title, source or views order the list in memory, so only a list this short (a source, a
# search); a longer one keeps the date order, which walks an index.
SORT_IN_MEMORY = 5000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3  # a search hit's snippet, matches in « »
_NEXT_PAGE = "list-next-page"  # the runner's key for a page being read


class Column:
    TITLE, SOURCE, PUBLISHED, VIEWS, STAR = range(5)


def format_published(value: datetime | None) -> str:
    """Today: the time; this year: month and day; else the full date. Locale-neutral digits."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value
    now = datetime.now(local.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d")


class ArticleModel(StoryFolds, QAbstractTableModel):
    def __init__(self, library: Library, parent: QObject | None = None, *,
                 runner: TaskRunner | None = None) -> None:
        """runner: reads the next page off the GUI thread (without one, fetchMore reads it)."""
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self._reading = False  # a page is being read by the runner
        self._filter = ArticleFilter()
        self._rows: list[ArticleRow] = []
        self._total = 0
        self._search: str | None = None  # set while the list shows search hits
        self._snippets: dict[int, str] = {}
        self._oldest_first = False
        self._order: tuple[int, bool] | None = None  # (column, descending) other than the date
        self._bold = QFont()
        self._bold.setBold(True)
        # Each cell's text, made once per reset (a date formatted, "also in" translated):
        # the view asks again for every cell of every repaint while the list scrolls.
        self._shown: dict[tuple[int, int], str] = {}
        self.modelReset.connect(self._shown.clear)
        self.modelAboutToBeReset.connect(self._forget_page)  # read after rows now gone
        # Stories opened in the list (their copies shown as rows under them), and those rows:
        # the copies are read when a story opens, never for the rows of closed ones.
        self._open: set[int] = set()
        self._copy_rows: set[int] = set()

    # --- what the list shows --------------------------------------------------------------

    @property
    def article_filter(self) -> ArticleFilter:
        return self._filter

    @property
    def search_query(self) -> str | None:
        return self._search

    @property
    def oldest_first(self) -> bool:
        return self._oldest_first

    @property
    def order(self) -> tuple[int, bool] | None:
        return self._order

    def set_oldest_first(self, oldest_first: bool) -> None:
        """Order by date either way; search hits keep their ranking."""
        self._oldest_first = oldest_first
        self._order = None
        if self._search is None:
            self._load(FIRST_PAGE)

    def set_order(self, column: int, descending: bool) -> bool:
        """Order by the title, source, views or star (A-Z, most first...); False when the list
        is too long to order in memory (it keeps its order)."""
        if self._search is None and self._total > SORT_IN_MEMORY:
            return False
        self._order = (column, descending)
        if self._search is None:
            self._load(FIRST_PAGE)
        else:
            self.beginResetModel()
            self._rows = self._unfolded(_ordered(self._leads(), self._order))
            self.endResetModel()
        return True

    def set_filter(self, article_filter: ArticleFilter) -> None:
        self._filter = article_filter
        self._search = None
        self._load(FIRST_PAGE)

    def show_hits(self, query: str, hits: SearchRows) -> None:
        """Show search results (already resolved to rows in a worker) instead of a filter."""
        rows, self._snippets = hits
        self.beginResetModel()
        self._search = query
        self._rows = self._unfolded(_ordered(rows, self._order))
        self._total = len(rows)
        self.endResetModel()

    def reload(self) -> None:
        """Re-read after an update; as many rows stay loaded as before, so a reselect finds them."""
        if self._search is None:
            self._load(max(FIRST_PAGE, len(self._rows) - len(self._copy_rows)))

    def _load(self, limit: int) -> None:
        self.beginResetModel()
        self._total = self._library.count(self._filter)
        if self._order is not None and self._total > SORT_IN_MEMORY:
            self._order = None  # a longer list than the order can hold: back to the date
        if self._order is not None:
            limit = max(limit, self._total)
        self._rows = self._unfolded(_ordered(
            self._library.articles(self._filter, limit=limit, oldest_first=self._oldest_first),
            self._order))
        self.endResetModel()

    # --- rows by id -----------------------------------------------------------------------

    def row_of(self, article_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == article_id:
                return i
        return None

    def article(self, row: int) -> ArticleRow:
        return self._rows[row]

    def patch(self, article_id: int, **changes: Any) -> None:
        """Reflect a state change (read, favourite) made elsewhere without a reload; reading
        an open story's row or one of its copies reads the rows of all of them (as the
        library does with group_copies)."""
        i = self.row_of(article_id)
        if i is None:
            return
        story = self._story_rows(self.lead_of(i))
        rows = story if "is_read" in changes and len(story) > 1 else range(i, i + 1)
        for r in rows:
            self._rows[r] = self._rows[r]._replace(
                **(changes if r == i else {"is_read": changes["is_read"]}))
            for column in range(Column.STAR + 1):
                self._shown.pop((self._rows[r].id, column), None)
        self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], Column.STAR))

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 5

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return (not parent.isValid() and self._search is None
                and len(self._rows) - len(self._copy_rows) < self._total)

    def fetchMore(self, parent: Index = ROOT) -> None:
        """The next page, from the runner when there is one (the view asks again and again
        while it waits at the end: one read at a time)."""
        if not self.canFetchMore(parent) or self._reading:
            return
        if self._runner is None:
            self._append(self._next_page()())
            return
        self._reading = True
        self._runner.run(self._next_page(), self._page_read, self._page_failed, key=_NEXT_PAGE)

    def fetch_now(self) -> None:
        """The next page read at once (a key that steps past the last row)."""
        if self.canFetchMore():
            self._forget_page()
            self._append(self._next_page()())

    def _next_page(self) -> Callable[[], list[ArticleRow]]:
        """The read of the page after the last row, its arguments taken now (on the GUI
        thread: a worker must not look at the rows while they change)."""
        return functools.partial(self._library.articles, self._filter, limit=BATCH,
                                 after=self._rows[self.lead_of(len(self._rows) - 1)],
                                 oldest_first=self._oldest_first)

    def _forget_page(self) -> None:
        if self._reading and self._runner is not None:
            self._runner.supersede(_NEXT_PAGE)  # its rows would follow rows no longer there
        self._reading = False

    def _page_read(self, batch: list[ArticleRow]) -> None:
        self._reading = False
        self._append(batch)

    def _page_failed(self, error: Exception) -> None:
        self._reading = False
        log.warning("the list's next page could not be read: %s", error)

    def _append(self, batch: list[ArticleRow]) -> None:
        if not batch:
            # The library shrank under us (articles removed): stop asking.
            self._total = len(self._rows) - len(self._copy_rows)
            return
        first = len(self._rows)
        self.beginInsertRows(ROOT, first, first + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for every role of every cell painted: the decoration first (only a title may
        # have an arrow), then the roles the list has no answer for (colours, check state...).
        if role == _DECORATION:
            return self._fold_icon(index.row()) if index.column() == Column.TITLE else None
        if role not in _ANSWERED or not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == _DISPLAY:
            key = (row.id, column)
            text = self._shown.get(key)
            if text is None:
                text = self._shown[key] = self._display(row, column)
            return text
        if role == _FONT:
            return None if row.is_read else self._bold
        if role == _ALIGNMENT:
            return _RIGHT if column == Column.VIEWS else _CENTRED if column == Column.STAR \
                else None
        return self._seldom_asked(index.row(), row, column, role)

    def _seldom_asked(self, i: int, row: ArticleRow, column: int, role: int) -> Any:
        """The roles asked of a cell now and then (hover, a reader, the delegates), apart
        from the ones asked at every paint above."""
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if column == Column.TITLE:
            if role == FOLD_ROLE:
                return self.fold(i)
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain.tooltip(row.title)
            if role == SNIPPET_ROLE and self._search is not None:
                return self._snippets.get(row.id, "")
        if role == Qt.ItemDataRole.AccessibleTextRole and column == Column.STAR:
            return self.tr("Favourite") if row.is_favourite else self.tr("Not favourite")
        return None

    def _display(self, row: ArticleRow, column: int) -> str:
        if column == Column.TITLE:
            return (row.title or row.url) + self._also(row)
        if column == Column.SOURCE:
            return row.source
        if column == Column.PUBLISHED:
            return format_published(row.published)
        if column == Column.VIEWS:
            return "" if row.views is None else f"{row.views:,}"
        return "★" if row.is_favourite else ""

    def _also(self, row: ArticleRow) -> str:
        """The other sources that carry the story, after the title (the source column is
        narrow): "  ·  also in 网易, 新浪 (+3)"."""
        if not row.also:
            return ""
        names = ", ".join(row.also[:2]) + (f" (+{len(row.also) - 2})" if len(row.also) > 2
                                           else "")
        return "  ·  " + self.tr("also in {}").format(names)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 5:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Title"), self.tr("Source"), self.tr("Published"),
                    self.tr("Views"), "★")[section]
        if role == Qt.ItemDataRole.InitialSortOrderRole:  # most read, favourites, newest first
            return (Qt.SortOrder.AscendingOrder if section in (Column.TITLE, Column.SOURCE)
                    else Qt.SortOrder.DescendingOrder)
        if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.VIEWS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and section == Column.STAR:
            return self.tr("Favourite")
        return None

    # No flags(): QAbstractTableModel's own gives a row enabled, selectable and never with
    # children without a call into Python; the view asks twice for every row loaded each time
    # it lays the list out (20,000 calls for 10,000 rows at every batch appended).


# Computed once: the view asks for them for every cell it paints, and or-ing Python enums
# (or only reading their members) there was a tenth of the GUI thread's time while paging
# down the list.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_ANSWERED = frozenset({_DISPLAY, _FONT, _ALIGNMENT, Qt.ItemDataRole.ToolTipRole,
                       Qt.ItemDataRole.AccessibleTextRole, ID_ROLE, ROW_ROLE, SNIPPET_ROLE,
                       FOLD_ROLE})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRED = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)


def _ordered(rows: list[ArticleRow], order: tuple[int, bool] | None) -> list[ArticleRow]:
    if order is None:
        return list(rows)
    column, descending = order
    keys = {Column.TITLE: lambda r: (r.title or r.url).casefold(),
            Column.SOURCE: lambda r: r.source.casefold(),
            Column.VIEWS: lambda r: -1 if r.views is None else r.views,
            Column.STAR: lambda r: r.is_favourite}
    key = keys.get(column)
    return sorted(rows, key=key, reverse=descending) if key else list(rows)


SearchRows = tuple[list[ArticleRow], dict[int, str]]  # rows best first, snippets by id


def search_rows(library: Library, query: str,
                cancel: threading.Event | None = None) -> SearchRows:
    """Search hits as list rows, best first, with their snippets. Runs in a worker; stops
    with Cancelled once `cancel` is set."""
    hits = library.search(query, cancel=cancel)
    return library.rows([hit.id for hit in hits]), {hit.id: hit.snippet for hit in hits}
