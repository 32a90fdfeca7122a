"""The article list as a table: a page appended costs the same however many rows are loaded,
and the keys move from row to row as in a list."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui import article_model
from reader.ui.article_list import ArticleList
from reader.ui.article_model import ArticleModel


@pytest.fixture
def short_list(qtbot, library: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArticleList]:
    """The 12 articles in pages of 2, in a list a row high (it never fetches by itself)."""
    monkeypatch.setattr(article_model, "FIRST_PAGE", 2)
    monkeypatch.setattr(article_model, "BATCH", 2)
    view = shown_list(qtbot, library, 50)
    QApplication.processEvents()
    assert view.model().rowCount() < 8
    yield view


def shown_list(qtbot, library: Library, height: int) -> ArticleList:
    """Every article in a list of that height, on screen."""
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    view = ArticleList(model)
    qtbot.addWidget(view)
    view.resize(700, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def python_calls_laying_out(view: ArticleList) -> int:
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        view.doItemsLayout()
    finally:
        sys.setprofile(None)
    return calls


def test_laying_the_list_out_asks_nothing_of_each_loaded_row(short_list: ArticleList) -> None:
    # A QTreeView laid every loaded row out again for each page appended, calling the model's
    # rowCount and columnCount for each: 12 calls more with 6 rows more loaded.
    model = short_list.model()
    assert isinstance(model, ArticleModel)
    shallow = python_calls_laying_out(short_list)
    for _ in range(3):
        model.fetchMore()
    assert model.rowCount() >= 8
    deep = python_calls_laying_out(short_list)
    assert deep - shallow < 6, (shallow, deep)
    assert short_list.visualRect(model.index(model.rowCount() - 1, 0)).top() > 0  # laid out


def test_keys_move_from_row_to_row(qtbot, short_list: ArticleList) -> None:
    model = short_list.model()
    short_list.setCurrentIndex(model.index(1, 2))
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Right):  # none of these rows is a story's
        qtbot.keyClick(short_list, key)
        assert short_list.currentIndex().row() == 1
    last = model.rowCount() - 1
    qtbot.keyClick(short_list, Qt.Key.Key_End)  # the last row loaded (the list then reads on)
    assert short_list.currentIndex().row() == last
    qtbot.keyClick(short_list, Qt.Key.Key_Home)
    assert short_list.currentIndex().row() == 0
    qtbot.keyClick(short_list, Qt.Key.Key_Down)
    assert short_list.currentIndex().row() == 1


def test_the_row_under_the_mouse_is_shown(qtbot, library: Library) -> None:
    view = shown_list(qtbot, library, 400)
    model = view.model()
    view.clearSelection()

    def left_edge(row: int) -> str:
        """The colour at the left end of a row, where no text is drawn."""
        QApplication.processEvents()
        y = view.rowViewportPosition(row) + view.rowHeight(row) // 2
        return view.viewport().grab().toImage().pixelColor(1, y).name()

    plain = left_edge(1)
    assert left_edge(3) == plain
    qtbot.mouseMove(view.viewport(), view.visualRect(model.index(1, 1)).center())
    hovered = left_edge(1)
    assert hovered != plain
    assert left_edge(3) == plain
    qtbot.mouseMove(view.viewport(), view.visualRect(model.index(3, 1)).center())
    assert (left_edge(1), left_edge(3)) == (plain, hovered)
