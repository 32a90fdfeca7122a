"""Sync over the Google Reader API, against the in-process server of fake_greader.py."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.sync import LoginRefused
from tests.conftest import Cli, SiteServer
from tests.sync.fake_greader import API, EMAIL, PASSWORD, FakeGReader, serve


@pytest.fixture
def fake() -> Iterator[FakeGReader]:
    fake = FakeGReader()
    server = serve(fake)
    fake.add_feed(1, 3, folder="科技")
    fake.add_feed(2, 2)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def library(tmp_path: Path, fake: FakeGReader) -> Iterator[Library]:
    with Library(tmp_path / "lib") as lib:
        lib.set_setting("request_delay_ms", 0)
        assert lib.set_sync_account(fake.endpoint, EMAIL, PASSWORD) == "greader"
        yield lib


def _ids(library: Library) -> dict[str, int]:
    return {r.title: r.id for r in library.articles(limit=100)}


def test_a_wrong_password_is_refused(tmp_path: Path, fake: FakeGReader) -> None:
    with Library(tmp_path / "lib") as lib, pytest.raises(LoginRefused, match="login refused"):
        lib.set_sync_account(fake.endpoint, EMAIL, "wrong")


def test_cli_login_names_the_protocol(fake: FakeGReader, cli: Cli,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    out = cli("sync-login", fake.endpoint + "/reader/api/0/", EMAIL, "--password-stdin")
    assert "(Google Reader API)" in out
    cli("settings", "request_delay_ms", "0")
    assert "2 subscriptions and 5 articles pulled" in cli("sync")


def test_pull_keeps_folders_state_and_both_id_forms(library: Library,
                                                    fake: FakeGReader) -> None:
    first = min(fake.entries)
    fake.entries[first].read = True
    fake.entries[first + 1].starred = True

    result = library.sync()

    assert (result.error, result.feeds, result.items) == ("", 2, 5)
    folders = {s.title: s.folder for s in library.sources()}
    assert folders == {"Feed 1": "科技", "Feed 2": ""}
    rows = {r.title: r for r in library.articles(limit=100)}
    assert rows["Feed 1 story 0"].is_read and not rows["Feed 1 story 1"].is_read
    assert rows["Feed 1 story 1"].is_favourite
    # Contents give hex ids, id lists signed decimals: one item each, nothing read twice.
    assert sum(not r.is_read for r in rows.values()) == 4


def test_changes_go_in_batches_and_are_confirmed(library: Library, fake: FakeGReader) -> None:
    library.sync()
    ids = _ids(library)
    for n in range(3):
        library.set_read(ids[f"Feed 1 story {n}"])
    library.set_favourite(ids["Feed 2 story 0"])
    edits = len(fake.edits)

    result = library.sync()

    assert (result.error, result.pushed, result.pending) == ("", 4, 0)
    assert sorted(len(i) for i in fake.edits[edits:]) == [1, 3]  # one edit-tag per kind
    assert fake.ids(read=True) == {e.id for e in fake.entries.values() if e.feed == "feed/1"}
    assert len(fake.ids(starred=True)) == 1


def test_server_changes_are_taken_over(library: Library, fake: FakeGReader) -> None:
    library.sync()
    entry = fake.entries[min(fake.entries)]
    entry.read, entry.starred = True, True
    assert library.sync().error == ""
    row = library.rows([_ids(library)[entry.title]])[0]
    assert row.is_read and row.is_favourite


def test_an_unchanged_library_syncs_in_a_few_requests(library: Library,
                                                      fake: FakeGReader) -> None:
    library.sync()
    before = len(fake.requests)
    assert library.sync().error == ""
    api_calls = [p for p in fake.requests[before:] if p.startswith(API)]
    assert len(api_calls) <= 5, api_calls


def test_new_items_come_incrementally(library: Library, fake: FakeGReader) -> None:
    library.sync()
    fake.add_feed(3, 1)
    result = library.sync()
    assert (result.error, result.items) == ("", 1)


def test_an_id_that_cannot_be_changes_nothing(library: Library, fake: FakeGReader) -> None:
    library.sync()
    fake.overrides["stream/items/ids"] = {"itemRefs": [{"id": "not-an-id"}]}
    before = [(r.is_read, r.is_favourite) for r in library.articles(limit=100)]
    assert "implausible" in library.sync().error
    assert [(r.is_read, r.is_favourite) for r in library.articles(limit=100)] == before


def test_an_expired_token_is_a_login_error(library: Library, fake: FakeGReader) -> None:
    library.sync()
    library.set_setting("sync_api_key", "expired")
    assert "sync-login" in library.sync().error


def test_subscriptions_changed_here_change_on_the_server(library: Library, fake: FakeGReader,
                                                          sample_site: SiteServer) -> None:
    library.sync()
    by_title = {s.title: s for s in library.sources()}
    library.remove_source(by_title["Feed 2"].id)
    library.set_folder(by_title["Feed 1"].id, "新闻")
    added = library.add_source(sample_site.url + "rss.xml")

    assert library.sync().error == ""

    assert "feed/2" not in fake.feeds  # removed here: unsubscribed there
    assert fake.feeds["feed/1"][1] == "新闻"  # moved here: moved there
    new = [stream for stream in fake.feeds if stream not in ("feed/1",)]
    assert len(new) == 1  # added here: subscribed there, once
    assert library.sync().error == "" and len(fake.feeds) == 2
    assert added.source.id in {s.id for s in library.sources()}


def test_renames_and_moves_on_the_server_reach_the_library(library: Library,
                                                           fake: FakeGReader) -> None:
    library.sync()
    fake.feeds["feed/1"] = ("Feed One", "")
    fake.feeds["feed/2"] = ("Feed 2", "读书")
    assert library.sync().error == ""
    assert {(s.title, s.folder) for s in library.sources()} == {("Feed One", ""),
                                                                ("Feed 2", "读书")}


def test_tags_and_labels_merge_both_ways(library: Library, fake: FakeGReader) -> None:
    library.sync()
    ids = _ids(library)
    first, second = sorted(fake.entries)[:2]
    library.set_tags(ids["Feed 1 story 0"], ["important", "中文"])
    assert library.sync().error == ""
    assert fake.entries[first].labels == {"important", "中文"}
    assert fake.entries[first].starred

    fake.entries[first].labels.discard("important")  # removed on another computer
    fake.entries[first].labels.add("later")  # added there
    library.set_tags(ids["Feed 1 story 0"], ["important", "中文", "mine"])  # added here
    assert library.sync().error == ""

    assert library.tags() == {"later": 1, "mine": 1, "中文": 1}
    assert fake.entries[first].labels == {"later", "mine", "中文"}
    assert fake.entries[second].labels == set()
    # The feed's folder (科技) is a label on its items, not a tag.
    assert "科技" not in library.tags()
