"""Work the user moved on from stops at its next step: an article's images, its related items,
the related pane's lookup when another article is shown (the search's own test is in
test_search.py; the runner's in test_tasks.py)."""

from __future__ import annotations

import threading

import pytest

from reader.errors import Cancelled
from reader.library import Library, Related
from reader.ui.article_view import load_article
from reader.ui.related_pane import RelatedPane, similar_items
from reader.ui.tasks import TaskRunner
from tests.conftest import SiteServer
from tests.fakes import CancelAfter, HeldFlag
from tests.ui.test_main_window import VOCATIONAL


def test_an_article_load_stops_before_its_next_image_once_its_flag_is_set(
        library: Library, sample_site: SiteServer) -> None:
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    assert article_id is not None
    whole = CancelAfter()
    assert len(load_article(library, article_id, whole).images) == 2
    assert whole.looks == 2  # once before each image
    cancel = CancelAfter(2)
    with pytest.raises(Cancelled):
        load_article(library, article_id, cancel)
    assert cancel.looks == 2  # the second image was not read


def test_related_items_stop_at_their_next_read_once_their_flag_is_set(
        library: Library, sample_site: SiteServer) -> None:
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    assert article_id is not None
    cancel = CancelAfter(3)
    with pytest.raises(Cancelled):
        library.related(article_id, cancel=cancel)
    assert cancel.looks == 3
    whole = CancelAfter()
    related = library.related(article_id, cancel=whole)
    assert related.own and related.similar
    assert whole.looks > 3  # the whole lookup reads on past where it stopped


def test_a_superseded_related_lookup_stops_and_its_thread_serves_the_next_article(
        qtbot, library: Library, sample_site: SiteServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = library.article_id(sample_site.url + VOCATIONAL)
    second = next(row.id for row in library.articles() if row.id != first)
    runner = TaskRunner(threads=1)  # the next lookup runs only once the first one let go
    pane = RelatedPane(library, runner)
    qtbot.addWidget(pane)
    pane.show()
    reached = threading.Event()
    held: list[HeldFlag] = []
    stopped: list[Cancelled] = []
    related = library.related

    def watched(article_id: int, *, limit: int = 10,
                cancel: threading.Event | None = None) -> Related:
        if article_id != first:
            return related(article_id, limit=limit, cancel=cancel)
        assert cancel is not None
        held.append(flag := HeldFlag(cancel, 3, reached))
        try:
            return related(article_id, limit=limit, cancel=flag)
        except Cancelled as e:
            stopped.append(e)
            raise

    monkeypatch.setattr(library, "related", watched)
    loaded: list[int] = []
    pane.loaded.connect(loaded.append)
    pane.show_for(first)
    assert reached.wait(30)
    with qtbot.waitSignal(runner.busy_changed, timeout=30_000,
                          check_params_cb=lambda busy: not busy):
        pane.show_for(second)
    assert loaded == [second]  # the first article's items never reached the pane
    assert held[0].looks == 3 and len(stopped) == 1  # stopped where it was held
    expected = similar_items(related(second), library.article(second))
    assert expected and [pane.similar.item(i) for i in range(pane.similar.rowCount())] == expected
    runner.close()
