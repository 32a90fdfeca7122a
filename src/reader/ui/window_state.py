"""What the window keeps between runs in its own file (window.ini beside the library): its
geometry, where the splitters stand and the article last on display."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


class WindowState:
    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: MainWindow) -> int | None:
        """Put the window and its splitters back; the id of the article to open again."""
        settings = self._settings
        if geometry := settings.value("geometry"):
            window.restoreGeometry(QByteArray(geometry))
        for key, splitter in (("outer", window.outer), ("inner", window.inner)):
            if saved := settings.value(key):
                splitter.restoreState(QByteArray(saved))
        last = settings.value("last_article")
        return None if last is None else int(last)

    def save(self, window: MainWindow) -> None:
        settings = self._settings
        settings.setValue("geometry", window.saveGeometry())
        settings.setValue("outer", window.outer.saveState())
        settings.setValue("inner", window.inner.saveState())
        if window.view.article_id is not None:
            settings.setValue("last_article", window.view.article_id)
        settings.sync()
