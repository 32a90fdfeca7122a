"""Search in the window: prefixes, snippets with the match, counts, highlight, errors, and a
superseded search that stops."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt

from reader.errors import Cancelled
from reader.library import Library
from reader.types import Article
from reader.ui import i18n, window_search
from reader.ui.article_model import SNIPPET_ROLE, Column, SearchRows, search_rows
from reader.ui.main_window import MainWindow
from tests.conftest import SiteServer
from tests.fakes import HeldFlag
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


CITIES = ["江城", "海州", "云溪", "北塘", "南浦", "东岭"]
TOPICS = ["地铁新线通车", "老旧小区改造", "社区食堂开业", "公交线路调整", "公园夜间开放",
          "图书馆延时"]


def _city_news(rng: random.Random, n: int) -> Article:
    city, topic = rng.choice(CITIES), rng.choice(TOPICS)
    text = "".join(f"{city}市{rng.choice(TOPICS)}，第{rng.randint(2, 99)}批项目{rng.randint(3, 40)}"
                   f"日启动，涉及{rng.randint(1, 900)}户居民。" for _ in range(rng.randint(3, 9)))
    return Article(url=f"http://news.example/{n}.html", title=f"{city}市{topic}（{n}）",
                   text=text, html=f"<p>{text}</p>")


def test_a_superseded_search_stops_inside_its_query_and_frees_its_thread_for_the_next(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    library.store.save_articles([(None, _city_news(rng, n), [], []) for n in range(2000)])
    reached = threading.Event()
    held: list[HeldFlag] = []
    stopped: list[Cancelled] = []

    def watched(library: Library, query: str, cancel: threading.Event | None = None
                ) -> SearchRows:
        if query != "市":
            return search_rows(library, query, cancel)
        assert cancel is not None
        held.append(flag := HeldFlag(cancel, 5, reached))
        try:
            return search_rows(library, query, flag)
        except Cancelled as e:
            stopped.append(e)
            raise

    monkeypatch.setattr(window_search, "search_rows", watched)
    shown: list[str] = []
    window.searched.connect(shown.append)
    window.search.setText("市")  # in every one of the 2000 articles: a long ranking
    window.run_search()
    assert reached.wait(30)
    with qtbot.waitSignal(window.runner.busy_changed, timeout=30_000,
                          check_params_cb=lambda busy: not busy):
        window.search.setText("供暖")
        window.run_search()
    assert shown == ["供暖"]  # the stale search never reached the list
    assert [window.model.article(i).url for i in range(window.model.rowCount())] == [
        sample_site.url + "news/2025/11/t20251112_1009.html"]
    # It stopped where it was held: no look at its flag, no step of its statement, after.
    assert held[0].looks == 5
    cause = stopped[0].__cause__
    assert isinstance(cause, sqlite3.OperationalError)
    assert cause.sqlite_errorname == "SQLITE_INTERRUPT"
    assert not window.runner.busy


def test_hits_take_two_lines_with_their_snippet_and_the_list_one_after(
        qtbot, world: MainWindow) -> None:
    plain = world.list.visualRect(world.model.index(0, Column.TITLE)).height()
    _search(qtbot, world, "volunteer")
    assert world.list.visualRect(world.model.index(0, Column.TITLE)).height() > plain * 1.5
    world.search.clear()
    world.run_search()  # back to the list: painted as Qt paints it, one line a row
    qtbot.waitUntil(lambda: world.model.search_query is None)
    assert world.list.visualRect(world.model.index(0, Column.TITLE)).height() == plain
