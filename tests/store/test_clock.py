"""The store reads the time only from the clock it is given: every time it records (an
article's fetch, a source's addition and updates, a favourite, a change queued for sync, a
sync) comes from a FakeClock here, and the queue's oldest-first order follows it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.store.storage import NewSource, Store
from reader.types import Article
from tests.fakes import FakeClock

SERVER = "https://feeds.example/fever/"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    store = Store(tmp_path, now=clock.utc)
    yield store
    store.close()


def _article(n: int) -> Article:
    return Article(url=f"https://a.example/{n}.html", title=f"第{n}篇 长者食堂",
                   text=f"正文{n}", html=f"<p>正文{n}</p>")


def _seconds(clock: FakeClock) -> int:
    return int(clock.now.timestamp())


def _column(store: Store, sql: str, *params: object) -> object:
    """One value read from the library file itself, on a connection of the test's own."""
    db = sqlite3.connect(store.path)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def test_a_saved_article_is_stamped_by_the_store_clock_unless_told_otherwise(
        store: Store, clock: FakeClock) -> None:
    source = store.add_source("https://a.example/", "https://a.example/feed", "feed", "A")
    first, _ = store.save_article(source, _article(1), [])
    clock.advance(3600)
    [(second, _)] = store.save_articles([(source, _article(2), [], [])])
    given = datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    third, _ = store.save_article(source, _article(3), [], fetched_at=given)
    assert store.article(first).fetched_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert store.article(second).fetched_at == datetime(2024, 5, 1, 11, 0, tzinfo=UTC)
    assert store.article(third).fetched_at == given
    # An article with no date of its own sorts by when it was first stored.
    assert _column(store, "SELECT sort_key FROM articles WHERE id = ?", first) == int(
        datetime(2024, 5, 1, 10, 0, tzinfo=UTC).timestamp())


def test_sources_are_stamped_by_the_store_clock(store: Store, clock: FakeClock) -> None:
    added = store.add_source("https://a.example/", "https://a.example/feed", "feed", "A")
    assert _column(store, "SELECT added_at FROM sources WHERE id = ?", added) == \
        _seconds(clock)
    clock.advance(60)
    [imported] = store.add_sources([NewSource("https://b.example/feed", "feed", "B")])
    assert _column(store, "SELECT added_at FROM sources WHERE id = ?", imported) == \
        _seconds(clock)
    clock.advance(600)
    store.finish_update(added, title=None, etag=None, last_modified=None,
                        counts=(1, 0, 0, 0), error="")
    assert store.source_state(added).last_updated == _seconds(clock)
    assert [s.last_updated for s in store.sources() if s.id == added] == [clock.now]
    assert _column(store, "SELECT finished_at FROM fetch_log WHERE source_id = ?", added) == \
        _seconds(clock)


def test_favourites_and_sync_are_stamped_by_the_store_clock(
        store: Store, clock: FakeClock) -> None:
    local, _ = store.save_article(None, _article(1), [])
    store.set_favourite(local, True)
    assert _column(store, "SELECT saved_at FROM favourites WHERE article_id = ?", local) == \
        _seconds(clock)
    clock.advance(60)
    tagged, _ = store.save_article(None, _article(2), [])
    store.set_tags(tagged, ["养老"])
    assert _column(store, "SELECT saved_at FROM favourites WHERE article_id = ?", tagged) == \
        _seconds(clock)
    clock.advance(60)
    remote, _ = store.save_remote_article(SERVER, "101", _article(3).url, None,
                                          (_article(3), [], []), read=False, saved=True)
    assert store.article(remote).fetched_at == clock.now
    assert _column(store, "SELECT saved_at FROM favourites WHERE article_id = ?", remote) == \
        _seconds(clock)
    clock.advance(60)
    store.set_read(remote, True)
    assert _column(store, "SELECT queued_at FROM sync_queue WHERE article_id = ?", remote) == \
        _seconds(clock)
    clock.advance(60)
    store.set_sync_cursor(SERVER, "42")
    assert _column(store, "SELECT last_sync FROM sync_servers WHERE server = ?", SERVER) == \
        _seconds(clock)


def test_queued_changes_go_oldest_first_by_the_store_clock(
        store: Store, clock: FakeClock) -> None:
    """The later article is changed first: the queue follows the clock, not the ids."""
    articles = [store.save_remote_article(SERVER, str(100 + n), _article(n).url, None,
                                          (_article(n), [], []), read=False, saved=False)[0]
                for n in (1, 2, 3)]
    store.set_read(articles[2], True)
    clock.advance(1)
    store.set_favourite(articles[0], True)
    clock.advance(1)
    assert store.mark_all_read(None) == 2  # queues the other two at this time
    assert store.queued_changes(SERVER) == [
        (articles[2], "103", "read", True),
        (articles[0], "101", "saved", True),
        (articles[0], "101", "read", True),
        (articles[1], "102", "read", True)]
