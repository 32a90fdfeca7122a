"""Every item model passes qtmodeltester; the article list pages by keyset."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from reader.library import Library
from reader.types import ArticleFilter, ArticleRow
from reader.ui import article_model
from reader.ui.article_model import ArticleModel
from reader.ui.delegates import SUBTITLE_ROLE
from reader.ui.related_pane import RelatedItem, RelatedModel
from reader.ui.sources_model import COUNT_ROLE, SourcesModel
from reader.ui.tasks import TaskRunner


def test_article_model_passes_modeltester(qtmodeltester, library: Library) -> None:
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    assert model.rowCount() == library.count()
    qtmodeltester.check(model)


def test_article_model_loads_in_keyset_batches(qtmodeltester, library: Library,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article_model, "FIRST_PAGE", 3)
    monkeypatch.setattr(article_model, "BATCH", 5)
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    total = library.count()
    assert total > 10, "the sample site should give more than two batches"
    assert model.rowCount() == 3 and model.canFetchMore()  # a new list reads its first page
    model.fetchMore()
    assert model.rowCount() == 8  # then a batch each time the list is scrolled to its end
    while model.canFetchMore():
        model.fetchMore()
    ids = [model.article(i).id for i in range(model.rowCount())]
    assert ids == [row.id for row in library.articles(limit=total)]
    qtmodeltester.check(model)


def test_rows_are_enabled_selectable_and_never_have_children(library: Library) -> None:
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    flags = model.flags(model.index(0, 0))
    assert flags == (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                     | Qt.ItemFlag.ItemNeverHasChildren)  # the view lays rows out without asking
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_unread_rows_are_bold_and_patch_updates_in_place(library: Library) -> None:
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    first = model.index(0, 0)
    assert first.data(Qt.ItemDataRole.FontRole).bold()
    model.patch(model.article(0).id, is_read=True, is_favourite=True)
    assert first.data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, article_model.Column.STAR).data() == "★"


def test_sources_model_passes_modeltester(qapp, qtmodeltester, library: Library) -> None:
    model = SourcesModel(library)
    labels = [model.index(i).data() for i in range(model.rowCount())]
    assert labels[:3] == ["All articles", "Unread", "Favourites"]
    [source] = library.sources()
    assert labels[3] == source.title
    assert model.index(3).data(COUNT_ROLE) == source.unread > 0
    qtmodeltester.check(model)


def test_related_model_passes_modeltester(qtmodeltester) -> None:
    model = RelatedModel()
    model.set_items([
        RelatedItem("清水河治理三年记", "http://example.com/a", "example.com",
                    datetime(2025, 11, 18, tzinfo=UTC), 3),
        RelatedItem("Not cached yet", "http://example.com/b", "example.com", None, None),
    ])
    qtmodeltester.check(model)
    model.update_url("http://example.com/b", state="fetching")
    assert "Fetching" in model.index(1).data(SUBTITLE_ROLE)


def test_own_related_items_name_their_source() -> None:
    from reader.library import Related
    from reader.types import Article, StoredArticle, StoredRelated
    from reader.ui.related_pane import own_items

    def page(url: str) -> StoredArticle:
        return StoredArticle(id=1, source_id=1, source_title="实时讯息",
                             article=Article(url=url, title="t"), related=(), is_read=False,
                             is_favourite=False)

    links = Related(own=(StoredRelated("file:///site/news/b.html", "同站"),
                         StoredRelated("https://other.example/c.html", "别站")), similar=())
    local = own_items(links, page("file:///site/news/a.html"))
    assert [i.source for i in local] == ["实时讯息", "other.example"]
    web = own_items(Related(own=(StoredRelated("https://news.example/b.html", "x"),),
                            similar=()), page("https://news.example/a.html"))
    assert [i.source for i in web] == ["实时讯息"]


def test_with_a_runner_the_next_page_is_read_in_a_worker_and_a_stale_one_is_dropped(
        qtbot, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's list reads its next page off the GUI thread (a cold disk takes tens of
    milliseconds for 200 rows); a page read for rows since replaced is not appended."""
    monkeypatch.setattr(article_model, "FIRST_PAGE", 3)
    monkeypatch.setattr(article_model, "BATCH", 5)
    runner = TaskRunner()
    model = ArticleModel(library, runner=runner)
    model.set_filter(ArticleFilter())
    gate, threads = threading.Event(), []
    real = library.articles

    def held(*args: object, **kwargs: object) -> list[ArticleRow]:
        threads.append(threading.current_thread())
        gate.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "articles", held)
    model.fetchMore()
    model.fetchMore()  # the view asks again while it waits: still one read
    qtbot.waitUntil(lambda: len(threads) == 1)
    assert threads[0] is not threading.main_thread() and model.rowCount() == 3
    gate.set()
    qtbot.waitUntil(lambda: model.rowCount() == 8)
    assert [model.article(i).id for i in range(8)] == [r.id for r in real(limit=8)]
    assert len(threads) == 1

    # A page still being read when the list is reset (another source chosen) is dropped.
    gate.clear()
    model.fetchMore()
    qtbot.waitUntil(lambda: len(threads) == 2)
    monkeypatch.setattr(library, "articles", real)
    unread = ArticleFilter(unread=True)
    library.set_read(model.article(0).id)
    model.set_filter(unread)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert [model.article(i).id for i in range(model.rowCount())] == \
        [r.id for r in real(unread, limit=3)]
    runner.close()
