"""The sync service over an in-memory server and a FakeFetcher: pages of synced items are read
the way their source's own updates read them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
