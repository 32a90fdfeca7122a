"""Reader's window started as the `reader` command starts it, painted with the first article
open, against bare_window.py (see gui.py). Imports only what the command imports: the
figure is start-up, not the benchmark's own modules.

Two lines: `ready ... cpu=` once the list and the first article are laid out and the window
is painted (the ready point), then `settled cpu=` once no task is left (the related pane
filled, the article marked read).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/start_window.py DATA_DIR
"""

from __future__ import annotations

import gc
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import reader.cli  # noqa: F401  (the command's own imports, made before the window's)

gc.disable()  # as reader.cli.window does before the window's imports

from reader.library import Library  # noqa: E402
from reader.ui import icons  # noqa: E402
from reader.ui.app import application, collect_from_now  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from reader.ui.screenshot import settle  # noqa: E402


def start(data_dir: Path) -> tuple[Library, MainWindow]:
    """What reader.ui.app.run does up to app.exec (without the first run's sample site),
    then the first article opened as a click would, run until it is laid out, painted."""
    app = application()
    app.setWindowIcon(icons.icon("app", color="#c2410c"))
    library = Library(data_dir)
    window = MainWindow(library, data_dir, theme_name="light", restore=False)
    window.resize(1280, 800)
    window.show()
    collect_from_now()  # as run() does: the collector on again, the start's objects frozen
    if window.model.rowCount():  # an empty library shows its empty list
        target = window.model.article(0).id
        window.open_article(target)
        _until_laid_out(window, target)
    window.grab()  # paints every widget, as the first frame on screen would
    return library, window


def _until_laid_out(window: MainWindow, article_id: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    window.view.shown.connect(loop.quit)
    while window.view.article_id != article_id or not window.view.settled:
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    window.view.shown.disconnect(loop.quit)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    library, window = start(Path(sys.argv[1]))
    print(f"ready rows={window.model.rowCount()} article={window.view.article_id} "
          f"cpu={cpu_seconds():.3f}", flush=True)
    settle(window)
    print(f"settled cpu={cpu_seconds():.3f}", flush=True)
    window.shutdown()
    library.close()
