"""`reader` with no arguments: the window over the user's library."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel

from reader.library import Library
from reader.ui import i18n, icons
from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def display_missing() -> bool:
    """True when Qt would abort for want of a display (Linux without X11 or Wayland)."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def application() -> QApplication:
    """The one QApplication, made on first use (tests and screenshots may have one already)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Reader")
    app.setOrganizationName("reader")
    app.setDesktopFileName("reader-news")  # matches resources/desktop/reader-news.desktop
    i18n.install(app)
    return app


def open_library(app: QApplication, data_dir: Path) -> Library:
    """The library, saying so in a window when it must first be brought to this version's
    format: a one-time step that takes minutes for a library of 200,000 articles."""
    if not Library.needs_migration(data_dir):
        return Library(data_dir)
    notice = QLabel(QCoreApplication.translate(
        "App", "Updating your library to this version of Reader (once; a copy is kept)…"))
    notice.setWindowTitle("Reader")
    notice.setMargin(24)
    notice.show()
    app.processEvents()
    try:
        return Library(data_dir)
    finally:
        notice.close()


def run(data_dir: Path) -> int:
    if display_missing():
        print("reader: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
              "on a server run `xvfb-run -a reader`, or use the command-line subcommands",
              file=sys.stderr)
        return 1
    app = application()
    app.setWindowIcon(icons.icon("app", color="#c2410c"))
    library = open_library(app, data_dir)
    try:
        first_run = not library.sources()
        if first_run:
            library.add_sample_site()  # file:// pages: quick, and a new user sees real articles
        window = MainWindow(library, data_dir)
        window.show()
        if first_run:
            window.update_all()
        code = app.exec()
        window.shutdown()
        return code
    finally:
        library.close()
