"""The sync queue and item mapping in the store, and the conflict rule; no server needed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.errors import NotFound
from reader.services.sync import conflicts
from reader.store import schema
from reader.store.storage import DB_NAME, RemoteFeedState, RemoteState, Store
from reader.types import Article
from tests.conftest import make_v1_library
from tests.fakes import FakeClock

SERVER = "https://feeds.example/fever/"


def _article(store: Store, url: str, item_id: str | None = None) -> int:
    article = Article(url=url, title=url, text="body", html="<p>body</p>")
    if item_id is None:
        return store.save_article(None, article, [])[0]
    return store.save_remote_article(SERVER, item_id, url, None, (article, [], []),
                                     read=False, saved=False)[0]


def test_changes_to_server_items_are_queued_with_the_change(tmp_path: Path) -> None:
    clock = FakeClock()  # each change a minute after the one before
    store = Store(tmp_path, now=clock.utc)
    remote = _article(store, "https://a.example/1", "101")
    local = _article(store, "https://a.example/2")

    store.set_read(remote, True)
    clock.advance(60)
    store.set_read(local, True)
    clock.advance(60)
    store.set_favourite(remote, True)
    clock.advance(60)
    store.set_favourite(remote, False)  # only the last state of a field waits
    clock.advance(60)
    assert store.queued_changes(SERVER) == [(remote, "101", "read", True),
                                            (remote, "101", "saved", False)]

    store.change_sent(SERVER, remote, "read", True)
    store.change_sent(SERVER, remote, "saved", False)
    unread = _article(store, "https://a.example/3", "103")
    store.set_tags(remote, ["later"])  # tagging saves, so the server hears of it
    clock.advance(60)
    assert store.mark_all_read(None) == 1
    assert store.queued_changes(SERVER) == [(remote, "101", "saved", True),
                                            (unread, "103", "read", True)]
    with pytest.raises(NotFound):
        store.set_read(9999, True)
    store.close()


def test_a_newer_change_stays_queued_after_sending(tmp_path: Path) -> None:
    clock = FakeClock()
    store = Store(tmp_path, now=clock.utc)
    remote = _article(store, "https://a.example/1", "101")
    store.set_read(remote, True)
    [(_, _, field, value)] = store.queued_changes(SERVER)
    clock.advance(5)
    store.set_read(remote, False)  # while the first change was on its way
    store.change_sent(SERVER, remote, field, value)
    assert store.queued_changes(SERVER) == [(remote, "101", "read", False)]
    store.close()


def test_conflict_only_when_both_sides_changed_and_disagree() -> None:
    def state(server_read: bool, queued: bool | None) -> RemoteState:
        return RemoteState("7", 1, "Title", bool(queued), False, server_read, False, queued,
                           None)

    # Our unsent change, the server untouched since the last sync: no conflict.
    assert conflicts([state(False, True)], unread={"7"}, saved=set()) == []
    # Both sides read it: they agree.
    assert conflicts([state(False, True)], unread=set(), saved=set()) == []
    # Put back to unread here, read on the server meanwhile.
    assert conflicts([state(False, False)], unread=set(), saved=set()) == [
        "Title: unread here, read on the server"]


def test_an_old_library_gains_the_sync_tables(tmp_path: Path) -> None:
    make_v1_library(tmp_path / "old", 3)
    store = Store(tmp_path / "old")
    remote = _article(store, "https://a.example/1", "101")
    store.set_read(remote, True)
    assert store.queued_changes(SERVER) == [(remote, "101", "read", True)]
    # v8: subscriptions and labels as the server had them
    store.set_tags(remote, ["b", "a"])
    store.apply_labels(SERVER, [("101", remote, frozenset({"a", "c"}))])
    assert store.remote_labels(SERVER)[0].server_tags == {"a", "c"}
    store.record_remote_feeds(SERVER, [RemoteFeedState("feed/1", None, "T", "F")])
    assert store.remote_feeds(SERVER) == [RemoteFeedState("feed/1", None, "T", "F")]
    store.close()
    db = sqlite3.connect(tmp_path / "old" / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    db.close()
