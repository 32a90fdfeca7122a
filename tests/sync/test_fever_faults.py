"""A Fever server that says yes and keeps nothing, or answers nonsense with `auth=1`: no change,
favourite or tag is lost (the in-process server of fake_fever.py; coldsweat never does this)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from tests.conftest import Cli
from tests.sync.fake_fever import EMAIL, KEY, PASSWORD, FakeFever, serve


@pytest.fixture
def fever() -> Iterator[FakeFever]:
    fever = FakeFever()
    server = serve(fever)
    fever.add_feed(1, 3, first_id=101)
    fever.add_feed(2, 3, first_id=201)
    yield fever
    server.shutdown()
    server.server_close()


@pytest.fixture
def library(tmp_path: Path, fever: FakeFever) -> Iterator[Library]:
    with Library(tmp_path / "lib") as lib:
        lib.set_setting("request_delay_ms", 0)
        lib.set_sync_account(fever.endpoint, EMAIL, PASSWORD)
        assert lib.sync().error == ""
        yield lib


def _ids(library: Library) -> dict[str, int]:
    return {r.title: r.id for r in library.articles(limit=100)}


def _state(library: Library, title: str) -> tuple[bool, bool]:
    row = library.rows([_ids(library)[title]])[0]
    return row.is_read, row.is_favourite


def test_a_change_the_server_did_not_keep_stays_queued(library: Library,
                                                       fever: FakeFever) -> None:
    ids = _ids(library)
    library.set_read(ids["Feed 1 story 0"])
    library.set_favourite(ids["Feed 1 story 1"])
    fever.fault = "keeps_nothing"

    result = library.sync()

    assert (result.pushed, result.pending) == (0, 2)
    assert "not kept by the server" in result.error
    assert _state(library, "Feed 1 story 0") == (True, False)
    assert _state(library, "Feed 1 story 1") == (False, True)

    fever.fault = ""
    result = library.sync()
    assert (result.error, result.pushed, result.pending) == ("", 2, 0)
    assert 101 not in fever.unread() and fever.saved() == {102}


def test_empty_lists_with_auth_change_nothing(library: Library, fever: FakeFever) -> None:
    ids = _ids(library)
    library.set_favourite(ids["Feed 1 story 0"])
    library.set_tags(ids["Feed 1 story 0"], ["important", "中文"])
    assert library.sync().error == ""
    library.set_read(ids["Feed 2 story 2"])  # queued
    fever.fault = "broken_db"

    result = library.sync()

    assert "implausible" in result.error
    assert result.pending == 1
    assert len(library.store.remote_feeds(fever.endpoint)) == 2  # the subscriptions stay known
    assert _state(library, "Feed 1 story 0") == (False, True)
    assert library.tags() == {"important": 1, "中文": 1}
    assert sum(not r.is_read for r in library.articles(limit=100)) == 5


def test_a_negative_total_is_refused(library: Library, fever: FakeFever) -> None:
    fever.overrides["items"] = {"items": [], "total_items": -1}
    result = library.sync()
    assert "implausible" in result.error


def test_ids_that_cannot_be_are_refused(library: Library, fever: FakeFever) -> None:
    fever.overrides["unread_item_ids"] = {"unread_item_ids": "1,two,3"}
    before = [(r.is_read, r.is_favourite) for r in library.articles(limit=100)]
    result = library.sync()
    assert "implausible" in result.error
    assert [(r.is_read, r.is_favourite) for r in library.articles(limit=100)] == before


def test_an_unsubscribed_feed_leaves_local_state_alone(library: Library,
                                                       fever: FakeFever) -> None:
    ids = _ids(library)
    library.set_favourite(ids["Feed 1 story 2"])
    assert library.sync().error == ""
    fever.unsubscribe(1)

    result = library.sync()

    assert result.error == ""
    assert _state(library, "Feed 1 story 0") == (False, False)
    assert _state(library, "Feed 1 story 2") == (False, True)
    # The vanished ids are forgotten: a later change is not sent to them.
    library.set_read(ids["Feed 1 story 0"])
    calls = len(fever.calls)
    assert library.sync().pushed == 0
    assert "mark" not in fever.calls[calls:]


def test_a_tagged_favourite_keeps_its_tags_when_unsaved_elsewhere(library: Library,
                                                                   fever: FakeFever) -> None:
    ids = _ids(library)
    library.set_tags(ids["Feed 2 story 0"], ["keep"])
    assert library.sync().error == ""
    fever.items[201].is_saved = False  # unsaved on another computer

    result = library.sync()

    assert result.error == ""
    assert _state(library, "Feed 2 story 0") == (False, True)
    assert library.tags() == {"keep": 1}
    assert any("tagged here" in c for c in result.conflicts)
    assert fever.saved() == {201}


def test_a_reposted_url_follows_the_item_that_changed(library: Library,
                                                      fever: FakeFever) -> None:
    fever.add_feed(3, 0, first_id=301)
    original = fever.items[101]
    fever.items[301] = type(original)(301, 3, original.title, url=fever.page(101))
    assert library.sync().error == ""
    article = _ids(library)["Feed 1 story 0"]
    library.set_read(article)
    assert library.sync().error == ""
    assert {101, 301}.isdisjoint(fever.unread())  # both items of the article are marked

    fever.items[101].is_read = False
    fever.items[101].is_saved = True  # on another computer, through the original

    assert library.sync().error == ""
    assert library.rows([article])[0].is_read is False
    assert library.rows([article])[0].is_favourite is True


def test_sync_cli_counts_articles_hides_the_key_and_says_an_error_once(
        fever: FakeFever, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    cli("sync-login", fever.endpoint, EMAIL, "--password-stdin")
    cli("settings", "request_delay_ms", "0")
    assert "2 subscriptions and 6 articles pulled, 0 changes sent" in cli("sync")
    assert "0 articles pulled" in cli("sync")  # nothing new is nothing pulled
    assert "(set, not shown)" in cli("settings") and KEY not in cli("settings")
    fever.fault = "broken_db"
    assert cli("sync", code=1).count("implausible") == 1


def test_a_refused_login_says_how_to_sign_in_again(library: Library, fever: FakeFever) -> None:
    library.set_setting("sync_api_key", "0" * 32)
    assert "reader sync-login" in library.sync().error


def test_hostile_replies_end_as_a_sync_error(library: Library, fever: FakeFever) -> None:
    fever.raw["items"] = b'{"auth": 1, "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "implausible" in library.sync().error
    fever.raw = {}
    for command, answer in [("items", {"items": "nope", "total_items": 9}),
                            ("feeds", {"feeds": [{"id": "x", "url": "http://a.example/"}]}),
                            ("items", {"items": [{"id": 999, "feed_id": 1, "url": "h",
                                                  "is_read": 5}], "total_items": 1})]:
        fever.overrides = {command: answer}
        assert "implausible" in library.sync().error, answer
    fever.overrides = {"items": {"items": [{"id": 998, "feed_id": 1, "title": {"a": [1]},
                                            "url": fever.page(101)}], "total_items": 7}}
    assert library.sync().error == ""  # a title of the wrong type is no title, not a failure
    fever.overrides = {}
    assert library.sync().error == ""


def test_unsafe_feed_and_item_links_are_not_stored(library: Library, fever: FakeFever) -> None:
    fever.feeds[9] = "file:///etc/passwd"
    fever.feeds[10] = "javascript:alert(1)"
    from tests.sync.fake_fever import Item
    fever.items[901] = Item(901, 1, "Local file", url="file:///etc/passwd")
    fever.items[902] = Item(902, 1, "No link at all \ud800\x1b[2J", url=" ")
    result = library.sync()
    assert (result.error, result.skipped) == ("", 2)
    assert all(s.url.startswith("http") for s in library.sources())
    assert "Local file" not in _ids(library)


def test_a_server_that_never_stops_sending_items_is_cut_off(library: Library,
                                                            fever: FakeFever) -> None:
    from reader.services.sync import MAX_ITEMS
    fever.fault = "endless"
    calls = len(fever.calls)
    result = library.sync()
    assert result.skipped == MAX_ITEMS  # every item of it link-less: nothing to fetch
    assert fever.calls[calls:].count("items") == MAX_ITEMS // 50


def test_renames_and_moves_on_the_server_reach_the_library(library: Library,
                                                           fever: FakeFever) -> None:
    by_title = {s.title: s for s in library.sources()}
    library.set_folder(by_title["Feed 2"].id, "mine")  # Fever cannot take it: stays here
    fever.names[1] = "Feed One"
    fever.folders[1] = "科技"

    assert library.sync().error == ""

    assert {(s.title, s.folder) for s in library.sources()} == {("Feed One", "科技"),
                                                                ("Feed 2", "mine")}


def test_freshrss_full_width_escapes_are_undone() -> None:
    from reader.sync.fever import freshrss_name, freshrss_title
    assert freshrss_title("AT＆T ＜b＞ profits，上涨") == "AT&T <b> profits，上涨"
    assert freshrss_name("Ars Technica／Science；Tech？") == "Ars Technica/Science;Tech?"
    assert freshrss_name("新闻，财经／科技") == "新闻，财经／科技"  # Chinese keeps its forms
