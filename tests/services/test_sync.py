"""The sync service over an in-memory server and a FakeFetcher: pages of synced items are read
the way their source's own updates read them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from reader.services.plan import Options
from reader.services.sync import Syncer
from reader.services.update import Updater
from reader.store.storage import Store
from reader.sync import Mark, RemoteFeed, RemoteItem
from tests.fakes import FakeFetcher, article_page


@dataclass
class MemoryServer:
    """A feed server holding its feeds and items in memory (the SyncBackend protocol)."""

    feed_list: list[RemoteFeed]
    item_list: list[RemoteItem]
    marked: list[tuple[str, Mark]] = field(default_factory=list)

    @property
    def server(self) -> str:
        return "memory://server"

    def check_login(self) -> None:
        """Always signed in."""

    def feeds(self) -> list[RemoteFeed]:
        return list(self.feed_list)

    def items(self, cursor: str) -> tuple[list[RemoteItem], str]:
        return ([], cursor) if cursor else (list(self.item_list), "all")

    def items_by_id(self, item_ids: list[str]) -> list[RemoteItem]:
        return [i for i in self.item_list if i.id in item_ids]

    def unread_ids(self) -> set[str]:
        return {i.id for i in self.item_list if not i.is_read}

    def saved_ids(self) -> set[str]:
        return {i.id for i in self.item_list if i.is_saved}

    def mark_many(self, item_ids: Iterable[str], mark: Mark) -> set[str]:
        self.marked += [(i, mark) for i in item_ids]
        return set()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path)
    yield store
    store.close()


def test_a_synced_items_page_is_read_with_its_sources_settings(store: Store) -> None:
    feed_url = "http://gbk.example/rss.xml"
    source_id = store.add_source(feed_url, feed_url, "feed", "GBK portal", None, "",
                                 {"charset": "gbk", "user_agent": "Bot/1"})
    web = FakeFetcher()
    # The page says UTF-8 but is GBK, as the source's charset setting knows.
    web.serve("http://gbk.example/a/1.html", article_page("长者食堂开到家门口").encode("gbk"))
    item = RemoteItem(id="1", feed_id="f1", url="http://gbk.example/a/1.html", title="长者食堂",
                      html="", published=None, author="", is_read=False, is_saved=False)
    backend = MemoryServer([RemoteFeed("f1", feed_url, "GBK portal")], [item])
    updater = Updater(store, web, Options(prefetch_related=False))  # type: ignore[arg-type]
    result = Syncer(store, updater, backend).sync()
    assert (result.error, result.items) == ("", 1)
    assert [(r.url, r.user_agent) for r in web.requests] == [(item.url, "Bot/1")]
    article_id = store.article_id(item.url)
    assert article_id is not None
    stored = store.article(article_id)
    assert (stored.source_id, stored.article.title) == (source_id, "长者食堂开到家门口")


def _synced(store: Store, titles: list[str], saved: tuple[int, ...] = ()
            ) -> tuple[MemoryServer, Syncer]:
    """A server with one feed of these items (the ``saved`` numbers saved), each page served,
    synced once."""
    feed_url = "http://news.example.cn/rss.xml"
    web = FakeFetcher()
    items = []
    for n, title in enumerate(titles, 1):
        url = web.serve(f"http://news.example.cn/a/{n}.html", article_page(title))
        items.append(RemoteItem(id=str(n), feed_id="f1", url=url, title=title, html="",
                                published=None, author="", is_read=False, is_saved=n in saved))
    backend = MemoryServer([RemoteFeed("f1", feed_url, "Portal")], items)
    updater = Updater(store, web, Options(prefetch_related=False))  # type: ignore[arg-type]
    syncer = Syncer(store, updater, backend)
    assert syncer.sync().error == ""
    return backend, syncer


def _state(store: Store, url: str) -> tuple[bool, bool]:
    article_id = store.article_id(url)
    assert article_id is not None
    row = store.rows([article_id])[0]
    return row.is_read, row.is_favourite


@dataclass
class ListsLeaveOut(MemoryServer):
    """A server whose unread list leaves out items it still holds as unread."""

    left_out: set[str] = field(default_factory=set)

    def unread_ids(self) -> set[str]:
        return super().unread_ids() - self.left_out


def test_the_server_is_believed_where_it_names_an_item(store: Store) -> None:
    titles = ["长者食堂开到家门口", "老街换新颜", "地铁新线开通"]
    backend, syncer = _synced(store, titles, saved=(2,))
    read, gone, listed_wrong = backend.item_list
    pages = [i.url for i in backend.item_list]
    assert _state(store, gone.url) == (False, True)
    # read on another computer; gone from the server; unread but left out of the list
    syncer.backend = ListsLeaveOut(backend.feed_list, [replace(read, is_read=True), listed_wrong],
                                   left_out={listed_wrong.id})

    result = syncer.sync()

    assert (result.error, result.conflicts) == ("", ())
    assert _state(store, pages[0]) == (True, False)  # read on the server
    # gone from the server: its local state (a favourite) stays, and the item is forgotten
    assert _state(store, pages[1]) == (False, True)
    assert store.remote_items(backend.server, [gone.id]) == {}
    # left out of the unread list, but unread when asked for by id
    assert _state(store, pages[2]) == (False, False)


def test_every_item_gone_at_once_changes_nothing(store: Store) -> None:
    backend, syncer = _synced(store, ["长者食堂开到家门口", "老街换新颜"])
    pages = [i.url for i in backend.item_list]
    store.set_read(store.article_id(pages[0]), True)  # type: ignore[arg-type]
    backend.item_list = []  # the feed is still listed: a broken server, not an unsubscribe

    result = syncer.sync()

    assert "every one of the 2 items known here is gone" in result.error
    assert result.pending == 1  # the local change waits
    assert [_state(store, p) for p in pages] == [(True, False), (False, False)]
    assert len(store.remote_items(backend.server, ["1", "2"])) == 2
