"""`reader` with no arguments: the window over the user's library."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog

from reader.library import Library
from reader.ui import i18n, icons, theme
from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

MIN_NOTICE_MS = 300  # opening takes longer than this: show the progress dialog


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
    app = theme.new_application(sys.argv[0] if sys.argv else "reader")
    app.setApplicationName("Reader")
    app.setOrganizationName("reader")
    app.setDesktopFileName("reader-news")  # matches resources/desktop/reader-news.desktop
    i18n.install(app)
    return app


class _Done(QObject):
    finished = Signal()  # emitted from the worker; delivered on the GUI thread


def open_library(app: QApplication, data_dir: Path) -> tuple[Library, bool]:
    """The library, opened in a worker, and whether this is the first run.

    Opening may first bring the library to this version's format (minutes for 200,000
    articles), and a first run subscribes to the bundled sample site (reading its pages): both
    run in a worker while the event loop keeps going, behind a progress dialog that repaints.
    """
    outcome: dict[str, Any] = {}
    done = _Done()

    def work() -> None:
        try:
            library = Library(data_dir)
            outcome["library"] = library
            # Only a library without sources gets them (file:// pages: a new user sees real
            # articles); asking for its ids is cheaper than reading every source (3-4 ms).
            outcome["first_run"] = bool(library.add_sample_site())
        except BaseException as e:  # re-raised on the GUI thread below
            outcome["error"] = e
        finally:
            done.finished.emit()

    migrating = Library.needs_migration(data_dir)
    if migrating:
        gc.enable()  # minutes of work: the collector as usual (see collect_from_now)
    dialogs: list[QProgressDialog] = []

    def notice() -> None:
        dialog = QProgressDialog(QCoreApplication.translate(
            "App", "Updating your library to this version of Reader (once; a copy is kept)…")
            if migrating else QCoreApplication.translate("App", "Opening your library…"),
            "", 0, 0)
        dialog.setWindowTitle("Reader")
        dialog.setCancelButton(None)  # type: ignore[arg-type]  # a migration is not cut short
        dialog.show()
        dialogs.append(dialog)

    # Made only when shown: a quick open shows no dialog, and making one costs start-up.
    later = QTimer()
    later.setSingleShot(True)
    later.timeout.connect(notice)
    if migrating:
        notice()
    else:
        later.start(MIN_NOTICE_MS)
    loop = QEventLoop()
    done.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    worker = threading.Thread(target=work, name="open-library", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    later.stop()
    for dialog in dialogs:
        dialog.close()
    if "error" in outcome:
        if "library" in outcome:
            outcome["library"].close()
        raise outcome["error"]
    return outcome["library"], outcome["first_run"]


def collect_from_now() -> None:
    """Once the window is shown. What start-up made lives as long as the window: out of the
    collector's full passes, which otherwise walk it all (7-13 ms on the GUI thread, a stall
    while paging down). `reader` starts the window with the collector off (cli.window): it
    is turned on here."""
    gc.freeze()
    gc.enable()


def run(data_dir: Path) -> int:
    if display_missing():
        print("reader: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
              "on a server run `xvfb-run -a reader`, or use the command-line subcommands",
              file=sys.stderr)
        return 1
    app = application()
    app.setWindowIcon(icons.icon("app", color="#c2410c"))
    library, first_run = open_library(app, data_dir)
    try:
        window = MainWindow(library, data_dir)
        window.show()
        collect_from_now()
        if first_run:
            window.update_all()
        code = app.exec()
        window.shutdown()
        return code
    finally:
        library.close()
