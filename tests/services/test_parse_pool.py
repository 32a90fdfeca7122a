"""An update whose parsers run in worker processes (as the window runs it) stores what an
inline one does, and a parsing process that dies is that page's error, not a hung update."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from reader.errors import ParseError
from reader.parse.article import extract
from reader.services.parse_pool import Inline, Parsing, ProcessParsing
from reader.services.plan import Options
from reader.services.update import Updater
from reader.store.storage import Store
from tests.fakes import FakeFetcher, article_page
from tests.services.test_update import rss

T = TypeVar("T")

FEED = "http://a.example/feed"
TITLES = ["长者食堂开到家门口", "社区医院夜间门诊开放", "Night market returns to the old quarter"]
PAGES = [(f"http://a.example/{i}.html", title) for i, title in enumerate(TITLES)]


def site() -> FakeFetcher:
    web = FakeFetcher()
    web.serve(FEED, rss(*PAGES), content_type="application/rss+xml")
    for url, title in PAGES:
        web.serve(url, article_page(title).replace(
            "</article>", f"<p>{title}：这一段只属于这篇文章。</p></article>"))
    return web


@pytest.fixture
def processes() -> Iterator[ProcessParsing]:
    parsing = ProcessParsing(2)
    yield parsing
    parsing.close()


def update(tmp_path: Path, name: str, parsing: Parsing, web: FakeFetcher) -> Store:
    (tmp_path / name).mkdir()
    store = Store(tmp_path / name)
    source_id = store.add_source(FEED, FEED, "feed", "A", None, "", {})
    updater = Updater(store, web, Options(prefetch_related=False, download_images=False),  # type: ignore[arg-type]
                      parsing=parsing)
    [result] = updater.update([source_id])
    assert result.error == ""
    return store


def stored(store: Store) -> dict[str, tuple[str, str, list[str]]]:
    """url -> (title, text, the addresses of its story) of every stored article: the story
    comes from the keys computed in the update."""
    urls = {}
    for url, _ in PAGES:
        if (article_id := store.article_id(url)) is not None:
            urls[article_id] = url
    found = {}
    for article_id, url in urls.items():
        article = store.article(article_id).article
        found[url] = (article.title, article.text, [urls[i] for i in store.story(article_id)])
    return found


def test_parsed_in_processes_an_update_stores_what_it_stores_inline(
        tmp_path: Path, processes: ProcessParsing) -> None:
    inline = update(tmp_path, "inline", Inline(), site())
    pooled = update(tmp_path, "pooled", processes, site())
    try:
        assert len(stored(pooled)) == len(PAGES)
        assert stored(pooled) == stored(inline)
        article = inline.article(inline.article_id(PAGES[0][0]) or 0).article
        assert processes.run(Store.prepare_keys, article) == Store.prepare_keys(article)
        assert processes.run(os.getpid) != os.getpid()  # the steps did leave this process
    finally:
        inline.close()
        pooled.close()


class Crashing(ProcessParsing):
    """Parses as the window does, but the process reading `page` dies (as a crash in a C
    parser would take it down)."""

    def __init__(self, page: str) -> None:
        super().__init__(2)
        self.page = page

    def run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        if fn is extract and args[1] == self.page:
            return super().run(os._exit, 3)  # type: ignore[arg-type]
        return super().run(fn, *args, **kwargs)


def test_a_parsing_process_that_dies_fails_its_page_and_the_update_goes_on(
        tmp_path: Path) -> None:
    crashed = PAGES[1][0]
    parsing = Crashing(crashed)
    store = Store(tmp_path)
    try:
        source_id = store.add_source(FEED, FEED, "feed", "A", None, "", {})
        updater = Updater(store, site(), Options(prefetch_related=False,  # type: ignore[arg-type]
                                                 download_images=False, page_workers=1),
                          parsing=parsing)
        [result] = updater.update([source_id])
        assert result.error == ""
        assert result.new == len(PAGES) - 1
        [failure] = result.errors
        assert failure.startswith(crashed) and "parsing process ended" in failure
        assert set(stored(store)) == {url for url, _ in PAGES} - {crashed}
    finally:
        parsing.close()
        store.close()


def test_a_dead_process_is_replaced_for_the_next_step(processes: ProcessParsing) -> None:
    with pytest.raises(ParseError):
        processes.run(os._exit, 3)
    assert processes.run(len, "新的进程") == 4


def test_a_closed_pool_refuses_new_steps(processes: ProcessParsing) -> None:
    processes.close()
    with pytest.raises(ParseError):
        processes.run(len, "x")
