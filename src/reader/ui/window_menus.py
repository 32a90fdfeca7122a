"""The main window's toolbar and menu bar, and the toolbar's fit to the window's width.

The window makes the actions (they are its wiring); this lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QToolBar, QWidget

from reader.ui import icons

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from reader.ui.main_window import MainWindow


def make_toolbar(window: MainWindow) -> tuple[QToolBar, QAction]:
    """Update and Add, the article actions, then the search box and Settings at the right;
    returns the bar and the search box's icon (themed again when the theme changes)."""
    bar = QToolBar(window.tr("Main"), window)
    bar.setObjectName("main-toolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(18, 18))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.addAction(window.update_action)
    bar.addAction(window.add_action)
    bar.addSeparator()
    for action in window.article_actions:
        bar.addAction(action)
    spacer = QWidget(bar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    search = window.search
    search.setObjectName("search")
    search.setPlaceholderText(window.tr("Search articles  (Ctrl+F)"))
    search.setAccessibleName(window.tr("Search"))
    search.setClearButtonEnabled(True)
    search_icon = search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
    bar.addWidget(search)
    bar.addAction(window.settings_action)
    window.addToolBar(bar)
    return bar, search_icon


def make_menus(window: MainWindow) -> None:
    menus = window.menuBar()
    file = menus.addMenu(window.tr("&File"))
    w = window
    for action in (w.add_action, w.remove_action, w.source_settings_action,
                   w.update_action, None,
                   w.import_action, w.export_opml_action, w.export_action,
                   w.backup_action, w.restore_action, None, w.sync_action,
                   w.sync_account_action, None, w.settings_action):
        file.addAction(action) if action else file.addSeparator()
    file.addSeparator()
    file.addAction(w.quit_action)
    article = menus.addMenu(window.tr("&Article"))
    for action in (w.next_action, w.previous_action, None, *w.article_menu_actions,
                   w.mark_all_action, None, w.search_action):
        article.addAction(action) if action else article.addSeparator()
    view = menus.addMenu(window.tr("&View"))
    view.addAction(w.zoom_in_action)
    view.addAction(w.zoom_out_action)


class ToolbarFit:
    """Labels beside the icons while they fit, icons alone below: the search box and
    Settings must stay in a small window (the labels remain as tooltips)."""

    def __init__(self, bar: QToolBar) -> None:
        self.bar = bar
        self._labelled_width = 0

    def fit(self, width: int, *, measure: bool = False) -> None:
        bar = self.bar
        labelled = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if measure and bar.toolButtonStyle() != labelled:
            bar.setToolButtonStyle(labelled)
        if bar.toolButtonStyle() == labelled:
            self._labelled_width = bar.sizeHint().width()
        style = labelled if self._labelled_width <= width else (
            Qt.ToolButtonStyle.ToolButtonIconOnly)
        if style != bar.toolButtonStyle():
            bar.setToolButtonStyle(style)
