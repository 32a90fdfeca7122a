"""Opening articles in the window: from the click to the article laid out and painted.

    .venv/bin/python bench/open_article.py bench/out/lib200k [--count 200]

Qt offscreen, in one process. For `count` articles spread over the library (newest to
oldest), each opened as a click does (MainWindow.open_article): the time until the view has
laid it out and painted (its `shown` signal, then a repaint; images are decoded before, one
per turn of the loop), and the time until the related pane has filled (in a worker; checked
every 20 ms). In wall time, in wall time less the GUI thread's waits for a CPU (gui.unqueued:
GIL contention with the workers counts, a busy machine does not) and in the GUI thread's own
CPU time, and the longest stall of a 5 ms timer measured the three ways. Prints medians and
p95.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gui import GapMeter, spin, unqueued


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()

    from reader.library import Library
    from reader.ui.app import application
    from reader.ui.main_window import MainWindow
    from reader.ui.screenshot import settle

    application()
    library = Library(args.data_dir)
    window = MainWindow(library, args.data_dir, theme_name="light", restore=False)
    window.resize(1280, 800)
    window.show()
    settle(window)
    ids = [r.id for r in library.articles(limit=1_000_000)]
    step = max(1, len(ids) // args.count)
    chosen = ids[::step][:args.count]
    from PySide6.QtCore import QEventLoop

    figures: dict[str, list[float]] = {name: [] for name in (
        "shown wall", "shown wall without CPU waits", "shown GUI CPU", "related wall",
        "related wall without CPU waits", "related GUI CPU")}
    meters = GapMeter(), GapMeter(unqueued), GapMeter(time.thread_time)
    for article_id in chosen:
        start, start_own, start_cpu = time.perf_counter(), unqueued(), time.thread_time()
        loop = QEventLoop()
        window.view.shown.connect(loop.quit)
        window.open_article(article_id)
        loop.exec()
        window.view.shown.disconnect(loop.quit)
        window.view.viewport().repaint()
        figures["shown wall"].append((time.perf_counter() - start) * 1000)
        figures["shown wall without CPU waits"].append((unqueued() - start_own) * 1000)
        figures["shown GUI CPU"].append((time.thread_time() - start_cpu) * 1000)
        # The related pane starts its query once the article is painted (`related.pending`).
        spin(lambda: not window.runner.busy and not window.related.pending, 30)
        figures["related wall"].append((time.perf_counter() - start) * 1000)
        figures["related wall without CPU waits"].append((unqueued() - start_own) * 1000)
        figures["related GUI CPU"].append((time.thread_time() - start_cpu) * 1000)
    stalls = [meter.stop() for meter in meters]
    print(f"articles opened: {len(chosen)} of {library.count()}")
    for name, values in figures.items():
        print(f"{name}: median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms")
    print(f"longest event-loop stall: {stalls[0]:.1f} ms wall, {stalls[1]:.1f} ms wall without "
          f"CPU waits, {stalls[2]:.1f} ms GUI CPU")
    window.shutdown()
    library.close()


if __name__ == "__main__":
    main()
