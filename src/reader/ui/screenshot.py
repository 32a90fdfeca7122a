"""`reader screenshot OUT.png`: render the main window offscreen once the article has loaded."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.library import Library

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

log = logging.getLogger(__name__)

TIMEOUT_MS = 15_000


def render(data_dir: Path, out: Path, *, article_id: int | None = None,
           size: tuple[int, int] = (1280, 800), theme: str = "light") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt picks a platform
    from PySide6.QtCore import qInstallMessageHandler

    from reader.ui.app import application  # Qt is imported only once the platform is chosen
    from reader.ui.main_window import MainWindow

    application()
    previous = qInstallMessageHandler(_quiet)
    library = Library(data_dir)
    try:
        window = MainWindow(library, data_dir, theme_name=theme, restore=False)
        window.resize(*size)
        window.show()
        target = article_id
        if target is None and window.model.rowCount():
            target = window.model.article(0).id
        if target is not None:
            window.open_article(target)
        settle(window)
        if target is not None and window.view.article_id != target:
            raise ReaderError(f"article {target} could not be shown")
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise ReaderError(f"could not write {out}")
        log.info("wrote %s", out)
        window.shutdown()
        window.deleteLater()
    finally:
        library.close()
        qInstallMessageHandler(previous)


def _quiet(kind: object, context: object, message: str) -> None:
    """Qt's messages, less the offscreen platform's notice that it cannot resize to hints
    (nothing is wrong: there is no window manager to ask)."""
    if "propagateSizeHints" not in message:
        log.log(logging.WARNING, "Qt: %s", message)


def settle(window: MainWindow) -> None:
    """Run the event loop until no task is running and the article is laid out: the article
    and related items are shown."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QTimer

    loop = QEventLoop()
    deadline = QDeadlineTimer(TIMEOUT_MS)
    window.runner.busy_changed.connect(loop.quit)
    window.view.shown.connect(loop.quit)  # its images decoded after the task, one per turn
    try:
        while (window.runner.busy or not window.view.settled or window.related.pending) \
                and not deadline.hasExpired():
            QTimer.singleShot(100, loop.quit)
            loop.exec()
    finally:
        window.runner.busy_changed.disconnect(loop.quit)
        window.view.shown.disconnect(loop.quit)
    QCoreApplication.processEvents()  # paint what the last results laid out
