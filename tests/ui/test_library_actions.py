"""Adding a source from the window fetches that source, and only it, even during an update."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from reader.library import Library
from reader.types import ArticleFilter, SourceResult
from reader.ui.main_window import MainWindow
from tests.conftest import SAMPLE_SITE, QuietHandler, SiteServer, serve_directory
from tests.ui.conftest import NEWS, WORLD
from tests.ui.test_main_window import show


class _Gate(QuietHandler):
    """Holds requests for news/ pages while `closed` is set, so an update stays running."""

    closed = threading.Event()
    opened = threading.Event()
    waiting = threading.Event()

    def do_GET(self) -> None:
        if self.path.startswith("/news/") and self.closed.is_set():
            self.waiting.set()
            self.opened.wait(timeout=120)  # a safety net only: the test opens the gate
        super().do_GET()


@pytest.fixture
def gated() -> Iterator[SiteServer]:
    for event in (_Gate.closed, _Gate.opened, _Gate.waiting):
        event.clear()
    server = serve_directory(SAMPLE_SITE, handler_class=_Gate)
    yield server
    _Gate.opened.set()
    server.stop()


def _record(window: MainWindow) -> list[list[SourceResult]]:
    updates: list[list[SourceResult]] = []
    window.updated.connect(updates.append)
    return updates


def test_adding_a_source_fetches_only_that_source(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    news = library.sources()[0].id
    updates = _record(window)
    world = library.add_source(sample_site.url + WORLD)
    window.source_added(world)
    qtbot.waitUntil(lambda: bool(updates), timeout=30_000)
    assert [r.source_id for r in updates[0]] == [world.source.id]  # news is not updated again
    assert library.count(ArticleFilter(source_id=world.source.id)) > 0
    assert window.sources.chosen.source_id == world.source.id != news


def test_a_source_added_during_an_update_is_fetched_after_it(
        qtbot, window: MainWindow, library: Library, gated: SiteServer,
        sample_site: SiteServer) -> None:
    held = library.add_source(gated.url + NEWS).source.id
    updates = _record(window)
    _Gate.closed.set()
    window.update_all()
    assert _Gate.waiting.wait(timeout=60)  # the update is running, held at the gate
    world = library.add_source(sample_site.url + WORLD)
    window.source_added(world)
    _Gate.opened.set()
    qtbot.waitUntil(lambda: len(updates) == 2, timeout=60_000)
    assert world.source.id not in {r.source_id for r in updates[0]}
    assert [r.source_id for r in updates[1]] == [world.source.id]
    assert library.count(ArticleFilter(source_id=world.source.id)) > 0
    assert library.count(ArticleFilter(source_id=held)) > 0


def _answer_dialog(qtbot, answer) -> None:
    """Answer the next modal dialog once it is up (QInputDialog.getText blocks the test)."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            answer(dialog)
    QTimer.singleShot(0, poll)


def test_an_empty_tags_dialog_accepted_leaves_the_article_alone(
        qtbot, window: MainWindow, library: Library) -> None:
    article_id = window.model.article(0).id
    show(qtbot, window, article_id)
    window.list.setFocus()
    _answer_dialog(qtbot, lambda dialog: dialog.accept())
    qtbot.keyClick(window.list, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    assert not library.article(article_id).is_favourite
    assert not window.model.article(0).is_favourite
    assert not window.view.current.stored.is_favourite
    assert "Tags" not in window.status.currentMessage()


def test_clearing_a_favourites_tags_keeps_it_a_favourite(
        qtbot, window: MainWindow, library: Library) -> None:
    article_id = window.model.article(0).id
    show(qtbot, window, article_id)
    library.set_tags(article_id, ["教育"])
    window.chores.set_tags(article_id, " , ")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    stored = library.article(article_id)
    assert stored.is_favourite and stored.tags == ()
