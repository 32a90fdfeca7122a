"""The article list's layout with many rows loaded: what each page appended while paging down
costs the GUI thread (the view lays every loaded row out again for each page).

    .venv/bin/python bench/list_layout.py LIB [--rows 10000] [--repeat 7]

Loads the list of "all articles" page by page to --rows rows, then times on the GUI thread's
CPU clock: a page appended and the events it posts processed (the view's layout and repaint,
as when paging down), and a layout alone; and counts the calls into Python during one layout,
per row loaded.
Read-only on the library (no article is opened).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui.article_list import ArticleList
from reader.ui.article_model import ArticleModel


def cpu_ms(fn: Callable[[], object]) -> float:
    start = time.thread_time()
    fn()
    return (time.thread_time() - start) * 1000


def python_calls(fn: Callable[[], object]) -> int:
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication([])
    with Library(args.dir) as library:
        model = ArticleModel(library)
        model.set_filter(ArticleFilter())
        view = ArticleList(model)
        view.resize(900, 700)
        view.show()
        app.processEvents()
        while model.rowCount() < args.rows and model.canFetchMore():
            model.fetchMore()
        view.doItemsLayout()
        rows = model.rowCount()
        calls = python_calls(view.doItemsLayout)
        appended = []
        for _ in range(args.repeat):
            appended.append(cpu_ms(lambda: (model.fetchMore(), app.processEvents())))
        alone = [cpu_ms(view.doItemsLayout) for _ in range(args.repeat)]
        print(f"rows loaded {rows} -> {model.rowCount()}; Python calls in one layout: "
              f"{calls} ({calls / rows:.2f} a row)")
        for name, times in (("page appended + events", appended), ("layout alone", alone)):
            print(f"  {name:24} CPU min {min(times):.1f} ms, median "
                  f"{statistics.median(times):.1f} ms, max {max(times):.1f} ms")
        view.close()


if __name__ == "__main__":
    main()
