"""The main window: sources | article list over the reading pane | related articles.

It wires the panes together and owns the actions; every slow call goes through the TaskRunner.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QSplitter

from reader.library import AddResult, Library
from reader.types import ArticleFilter, StoredArticle
from reader.ui import icons, theme
from reader.ui.article_list import ArticleList
from reader.ui.article_model import SORT_IN_MEMORY, ArticleModel
from reader.ui.article_view import ArticleView, LoadedArticle, load_article
from reader.ui.debounce import Debounce
from reader.ui.errors import describe_error
from reader.ui.library_actions import LibraryActions
from reader.ui.related_pane import RelatedPane
from reader.ui.sources_pane import SourcesPane
from reader.ui.status_bar import StatusBar
from reader.ui.tasks import TaskRunner
from reader.ui.window_menus import ToolbarFit, make_menus, make_toolbar
from reader.ui.window_search import WindowSearch
from reader.ui.window_state import WindowState
from reader.ui.window_update import WindowUpdate
from reader.urls import is_web_url

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    updated = Signal(object)  # list[SourceResult], after the list has been reloaded
    searched = Signal(str)  # the list now shows the hits for this query

    def __init__(self, library: Library, data_dir: Path, *, theme_name: str | None = None,
                 restore: bool = True) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Reader"))
        self.library = library
        self._theme = theme_name  # None: follow the setting
        # Fonts and palette first: widgets made before a stylesheet change keep stale fonts.
        theme.apply(_application(), self._theme or library.setting("theme"))
        self.runner = TaskRunner(self)
        self._state = WindowState(data_dir / "window.ini")

        # Each pane is made in its splitter (a splitter takes its children in the order they
        # are made): a pane moved there afterwards had its styled widgets polished again.
        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.sources = SourcesPane(library, self.outer)
        self.inner = QSplitter(Qt.Orientation.Vertical, self.outer)
        self.model = ArticleModel(library, self, runner=self.runner)
        self.list = ArticleList(self.model, self.inner)
        self.view = ArticleView(library, self.inner)
        self.related = RelatedPane(library, self.runner, self.outer)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.search = QLineEdit(self)

        # A smaller window takes room from every pane in proportion, not from one alone.
        for splitter, stretches in ((self.outer, (2, 7, 3)), (self.inner, (2, 3))):
            for i, stretch in enumerate(stretches):
                splitter.setStretchFactor(i, stretch)
        self.outer.setChildrenCollapsible(False)
        self.outer.setSizes([220, 780, 280])
        self.inner.setSizes([300, 500])
        self.setCentralWidget(self.outer)

        self.chores = LibraryActions(self)
        self.updates = WindowUpdate(self)
        self.searching = WindowSearch(self)
        self._make_actions()
        self.toolbar, self.search_icon = make_toolbar(self)
        self._toolbar_fit = ToolbarFit(self.toolbar)
        make_menus(self)
        self._connect()
        self.auto_update = QTimer(self)
        self.auto_update.timeout.connect(lambda: self.updates.start(force=False))
        self.ensurePolished()  # styled now, as on show, so what apply_settings measures holds
        self.apply_settings()
        self.model.set_filter(self.sources.chosen)
        self.source_settings_action.setEnabled(self.sources.chosen.source_id is not None)
        self.resize(1280, 800)
        if restore and (last := self._state.restore(self)) is not None:
            self.open_article(last)

    # --- construction ---------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: str | QKeySequence.StandardKey = "",
                *, icon: str = "", extra: tuple[str, ...] = ()) -> QAction:
        action = QAction(text, self)
        # Toolbar labels without mnemonics, also the CJK "(&U)" form Qt does not strip there.
        action.setIconText(re.sub(r"\(&\w\)|&", "", text).removesuffix("…"))
        action.setProperty("icon_name", icon)
        keys = [QKeySequence(shortcut)] if shortcut else []
        keys += [QKeySequence(k) for k in extra]
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the action is in no visible menu
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.update_action = a(self.tr("&Update all"), self.update_all, "Ctrl+R", icon="refresh")
        self.add_action = a(self.tr("&Add source…"), self.add_source, "Ctrl+N", icon="plus")
        self.settings_action = a(self.tr("&Settings…"), self.edit_settings, "Ctrl+,",
                                 icon="settings")
        self.quit_action = a(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.next_action = a(self.tr("&Next article"), lambda: self.step(1), "J")
        self.previous_action = a(self.tr("&Previous article"), lambda: self.step(-1), "K")
        self.star_action = a(self.tr("&Favourite"), self.toggle_favourite, "S", icon="star")
        self.read_action = a(self.tr("Mark &read/unread"), self.toggle_read, "M", icon="check")
        self.browser_action = a(self.tr("&Open in browser"), self.open_in_browser, "O",
                                icon="external")
        self.search_action = a(self.tr("&Search"), self.searching.focus, "Ctrl+F", extra=("/",))
        self.zoom_in_action = a(self.tr("Zoom &in"), lambda: self.view.zoom(1), "Ctrl+=",
                                extra=("Ctrl++",))
        self.zoom_out_action = a(self.tr("Zoom &out"), lambda: self.view.zoom(-1), "Ctrl+-")
        self.mark_all_action = a(self.tr("Mark all as read"), self.mark_all_read, "Ctrl+Shift+M")
        self.remove_action = a(self.tr("&Remove source"), self.chores.remove_source)
        self.source_settings_action = a(self.tr("Source se&ttings…"), self.edit_source_settings)
        self.import_action = a(self.tr("&Import OPML…"), self.chores.ask_import_opml)
        self.export_opml_action = a(self.tr("&Export OPML…"), self.chores.ask_export_opml)
        self.export_action = a(self.tr("E&xport articles…"), self.chores.ask_export)
        self.backup_action = a(self.tr("&Back up library…"), self.chores.ask_backup)
        self.restore_action = a(self.tr("Res&tore library…"), self.chores.ask_restore)
        self.tags_action = a(self.tr("&Tags…"), self.chores.ask_tags, "T")
        self.sync_action = a(self.tr("S&ync now"), self.chores.sync_now, "Ctrl+Shift+R")
        self.sync_account_action = a(self.tr("Sync &account…"), self.chores.edit_sync_account)
        self.star_action.setCheckable(True)  # checked: the article shown is a favourite
        self.article_actions = (self.star_action, self.read_action, self.browser_action)
        self.article_menu_actions = (*self.article_actions, self.tags_action)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._toolbar_fit.fit(self.width())

    def _connect(self) -> None:
        self.sources.filter_chosen.connect(self._filter_chosen)
        # A held key opens the article of the row it stops on, not of every row it passes.
        self.row_opener = Debounce(self._open, self)
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list.activated.connect(lambda _index: self.view.setFocus())
        self.model.modelReset.connect(self._sync_actions)
        self.list.order_changed.connect(self.reselect)
        self.list.order_refused.connect(lambda: self.status.showMessage(self.tr(
            "Only the date orders a list of more than {} articles.").format(SORT_IN_MEMORY)))
        self.view.article_requested.connect(self.open_article)
        self.view.state_changed.connect(self._sync_actions)
        self.view.shown.connect(self.related.article_shown)
        self.related.open_article.connect(self.open_article)
        self.related.fetched.connect(lambda _id: self._refresh_counts())
        self.related.offline.connect(lambda: self.status.set_offline(True))
        self.status.cancel_requested.connect(self.cancel_update)

    # --- settings, theme, state -----------------------------------------------------------

    def apply_settings(self) -> None:
        colours = theme.apply(_application(), self._theme or self.library.setting("theme"))
        self.view.set_theme(colours)
        self.view.set_font_size(self.library.setting("font_size"))
        minutes = self.library.setting("update_interval_minutes")
        if minutes:
            self.auto_update.start(minutes * 60_000)
        else:
            self.auto_update.stop()
        self._refresh_icons()
        # Fonts may have changed the labels' width.
        self._toolbar_fit.fit(self.width(), measure=True)

    def _refresh_icons(self) -> None:
        for action in self.actions():
            name = action.property("icon_name")
            if name:
                action.setIcon(icons.icon(name))
        self.search_icon.setIcon(icons.icon("search"))
        self.status.refresh_icons()
        self.sources.update()

    def save_state(self) -> None:
        self._state.save(self)

    def edit_settings(self) -> None:
        from reader.ui.settings_dialog import SettingsDialog  # dialogs: imported when opened

        dialog = SettingsDialog(self.library, self)
        if dialog.exec():
            self.apply_settings()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop background work before the library closes (workers must not outlive it)."""
        self.cancel_update()
        self.auto_update.stop()
        self.runner.close()

    # --- the list -------------------------------------------------------------------------

    def _filter_chosen(self, article_filter: ArticleFilter) -> None:
        if self.model.search_query is not None:
            self.status.clearMessage()
        self.search.clear()
        self.runner.supersede("search")
        self.view.highlight([])
        self.model.set_filter(article_filter)
        self.source_settings_action.setEnabled(article_filter.source_id is not None)
        self.reselect()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.model.article(current.row())
            if row.id != self.view.article_id:
                self.row_opener.push(row.id)
            else:
                self.row_opener.cancel()  # back on the article shown: nothing to open
        self._sync_actions()

    def reselect(self) -> None:
        """After a reload, select the article on display again if the list still holds it."""
        article_id = self.view.article_id
        row = None if article_id is None else self.model.row_of(article_id)
        if row is not None:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.list.scrollTo(self.model.index(row, 0))
        self._sync_actions()

    def step(self, delta: int) -> None:
        """j/k: the next or previous article, loading more rows at the end of the list."""
        current = self.list.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        if row >= self.model.rowCount():
            self.model.fetch_now()
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)

    def _sync_actions(self) -> None:
        for action in self.article_menu_actions:
            action.setEnabled(self.view.article_id is not None)
        shown = self.view.current
        self.star_action.setChecked(bool(shown and shown.stored.is_favourite))

    # --- the article ----------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article (a link, the related pane); a newer call wins, also over a row the
        list's keys were moving to."""
        self.row_opener.cancel()
        self._open(article_id)

    def _open(self, article_id: int) -> None:
        self.runner.run_cancellable(lambda cancel: load_article(self.library, article_id, cancel),
                                    self._show, lambda error: self._load_failed(article_id, error),
                                    key="detail")
        self.related.show_after_article(article_id)

    def _show(self, loaded: LoadedArticle) -> None:
        self.view.show_article(loaded)
        row = self.model.row_of(loaded.stored.id)
        # Not while the keys move on: the list would jump back to the row of this article.
        if row is not None and not self.row_opener.pending \
                and self.list.currentIndex().row() != row:
            self.list.setCurrentIndex(self.model.index(row, 0))
        if not loaded.stored.is_read:
            self._set_read(loaded.stored.id, True)
        self._sync_actions()

    def _load_failed(self, article_id: int, error: Exception) -> None:
        log.warning("article %s could not be opened: %s", article_id, error)
        self.view.show_placeholder(self.tr("This article could not be opened: {}").format(
            describe_error(error)))
        self.related.clear()

    def _target(self) -> StoredArticle | None:
        """The article the actions apply to: the one on display (the list's current row)."""
        shown = self.view.current
        return shown.stored if shown else None

    def toggle_favourite(self) -> None:
        target = self._target()
        if target is None:
            return
        article_id, favourite = target.id, target.is_favourite
        self.model.patch(article_id, is_favourite=not favourite)
        self.view.patch(is_favourite=not favourite)
        self.runner.run(lambda: self.library.set_favourite(article_id, not favourite),
                        lambda _none: self._refresh_counts(), self._state_failed)

    def toggle_read(self) -> None:
        target = self._target()
        if target is not None:
            self._set_read(target.id, not target.is_read)

    def _set_read(self, article_id: int, read: bool) -> None:
        self.model.patch(article_id, is_read=read)
        if self.view.article_id == article_id:
            self.view.patch(is_read=read)
        self.runner.run(lambda: self.library.set_read(article_id, read),
                        lambda _none: self._refresh_counts(), self._state_failed)

    def mark_all_read(self) -> None:
        source_id = self.sources.chosen.source_id
        self.runner.run(lambda: self.library.mark_all_read(source_id),
                        lambda _n: self.reload(), self._state_failed)

    def _state_failed(self, error: Exception) -> None:
        self.status.showMessage(self.tr("Could not save: {}").format(describe_error(error)))
        self.reload()

    def open_in_browser(self) -> None:
        """Only http(s) leaves Reader: a stored file:, javascript: or smb: address does not."""
        target = self._target()
        if target is None:
            return
        if is_web_url(target.article.url):
            QDesktopServices.openUrl(QUrl(target.article.url))
        else:
            self.status.showMessage(self.tr("Not a web address: {}").format(target.article.url))

    def _refresh_counts(self) -> None:
        self.sources.reload()

    def reload(self) -> None:
        self.sources.reload()
        self.model.reload()
        self.reselect()

    # --- updating and search (ui/window_update.py, ui/window_search.py) ------------------

    def update_all(self) -> None:
        """Every source, even those updated within their own interval (the user asked)."""
        self.updates.start(force=True)

    def cancel_update(self) -> None:
        self.updates.cancel()

    def run_search(self) -> None:
        self.searching.run()

    # --- sources --------------------------------------------------------------------------

    def add_source(self) -> None:
        from reader.ui.add_source_dialog import AddSourceDialog

        dialog = AddSourceDialog(self.library, self.runner, self)
        dialog.added.connect(self.source_added)
        dialog.open()

    def edit_source_settings(self) -> None:
        source_id = self.sources.chosen.source_id
        if source_id is None:
            self.status.showMessage(self.tr("Choose a source in the list on the left first."))
            return
        from reader.ui.source_settings_dialog import SourceSettingsDialog

        SourceSettingsDialog(self.library, self.runner, source_id, self).open()

    def source_added(self, result: AddResult) -> None:
        self.status.showMessage(self.tr("Subscribed to {}").format(result.source.title))
        self.sources.reload()
        self.sources.choose(ArticleFilter(source_id=result.source.id))
        self.updates.update_source(result.source.id)


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "MainWindow needs a QApplication"
    return app

