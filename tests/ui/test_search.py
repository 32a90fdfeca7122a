"""Search in the window: prefixes, snippets with the match, counts, highlight, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt

from reader.library import Library
from reader.ui import i18n
from reader.ui.article_model import SNIPPET_ROLE, Column
from reader.ui.main_window import MainWindow
from tests.conftest import SiteServer
from tests.ui.conftest import WORLD, subscribe
from tests.ui.test_main_window import show

NIGHT_MARKET = "world/2025/11/night-market-revival.html"  # "an old riverside quarter"


@pytest.fixture
def world(qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> MainWindow:
    subscribe(library, sample_site, WORLD)
    library.update()
    window.model.reload()
    return window


def _search(qtbot, window: MainWindow, typed: str) -> None:
    window.search.setFocus()
    window.search.selectAll()
    with qtbot.waitSignal(window.searched, timeout=10_000):
        qtbot.keyClicks(window.search, typed)
        qtbot.keyClick(window.search, Qt.Key.Key_Return)


def _snippets(window: MainWindow) -> list[str]:
    return [window.model.index(i, Column.TITLE).data(SNIPPET_ROLE)
            for i in range(window.model.rowCount())]


def test_a_latin_word_finds_the_words_it_begins_with_the_match_in_a_snippet(
        qtbot, world: MainWindow, library: Library, sample_site: SiteServer) -> None:
    _search(qtbot, world, "river")
    assert [world.model.article(0).id] == [library.article_id(sample_site.url + NIGHT_MARKET)]
    assert "«riverside»" in _snippets(world)[0]
    assert world.status.currentMessage() == "1 result for “river”"
    _search(qtbot, world, "river*")
    assert world.model.rowCount() == 1
    _search(qtbot, world, "volunteer")
    assert world.model.rowCount() == 2
    assert world.status.currentMessage() == "2 results for “volunteer”"
    assert all("«volunteer" in s.lower() for s in _snippets(world))


def test_the_opened_article_marks_the_query(qtbot, world: MainWindow) -> None:
    _search(qtbot, world, "river")
    show(qtbot, world, world.model.article(0).id)
    marked = [s.cursor.selectedText() for s in world.view.extraSelections()]
    assert marked and all(m.lower().startswith("river") for m in marked)
    world.search.clear()
    qtbot.keyClick(world.search, Qt.Key.Key_Return)
    assert not world.view.extraSelections()


def test_clearing_the_search_clears_its_status(qtbot, world: MainWindow) -> None:
    _search(qtbot, world, "night")
    assert world.status.currentMessage() == "2 results for “night”"
    world.search.clear()
    qtbot.keyClick(world.search, Qt.Key.Key_Return)
    assert world.status.currentMessage() == ""
    assert world.model.search_query is None


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    translators = i18n.install(qapp, QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_a_bad_query_empties_the_list_and_says_why_in_the_ui_language(
        qtbot, world: MainWindow, chinese: None) -> None:
    _search(qtbot, world, "night")
    assert world.model.rowCount() == 2
    world.search.setText('"night')
    qtbot.keyClick(world.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: world.model.rowCount() == 0, timeout=10_000)
    message = world.status.currentMessage()
    assert message.startswith("搜索失败") and "引号" in message, message
