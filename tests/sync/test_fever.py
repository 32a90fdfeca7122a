"""Sync against a real Fever server: coldsweat, in its own venv (scripts/coldsweat.sh), fed by
the sample site over HTTP. The server is shared by the module; each test starts from the
server state it needs and its own library."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.sync import LoginRefused
from tests.conftest import SAMPLE_SITE, Cli, serve_directory
from tests.sync.conftest import EMAIL, PASSWORD, Coldsweat


@pytest.fixture
def library(tmp_path: Path, server: Coldsweat) -> Iterator[Library]:
    with Library(tmp_path / "lib") as lib:
        lib.set_setting("request_delay_ms", 0)  # one local host serves every page
        lib.set_sync_account(server.endpoint, EMAIL, PASSWORD)
        yield lib


def _ids(library: Library) -> dict[str, int]:
    """Article id by title."""
    return {r.title: r.id for r in library.articles(limit=100)}


def test_login_refused_with_a_wrong_password(tmp_path: Path, server: Coldsweat) -> None:
    with Library(tmp_path / "lib") as lib:
        with pytest.raises(LoginRefused, match="login refused"):
            lib.set_sync_account(server.endpoint, EMAIL, "wrong password!!")
        assert lib.setting("sync_api_key") == ""


def test_cli_login_and_sync(cli: Cli, server: Coldsweat,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert "logged in" in cli("sync-login", server.endpoint + "?api", EMAIL, "--password-stdin")
    shown = cli("settings", "sync_api_key")  # as good as the password: never printed
    assert "(set, not shown)" in shown and PASSWORD not in shown
    with Library(cli.data_dir) as lib:
        assert lib.setting("sync_api_key") == hashlib.md5(
            f"{EMAIL}:{PASSWORD}".encode()).hexdigest()
    assert server.endpoint in cli("settings", "sync_endpoint")
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong password!!\n"))
    assert "login refused" in cli("sync-login", server.endpoint, EMAIL, "--password-stdin",
                                  code=1)
    cli("settings", "request_delay_ms", "0")
    assert "1 subscription and 10 articles pulled, 0 changes sent" in cli("sync")
    server.stop()
    try:
        assert "sync failed: sync server" in cli("sync", code=1)
    finally:
        server.start()


def test_pull_creates_sources_and_articles_with_state(library: Library,
                                                      server: Coldsweat) -> None:
    items = server.items()
    read, saved = items["Coastal wind farm powers up its first turbines after years of delay"], \
        items["Rail freight corridor doubles its weekly trains as ports fill up"]
    server.set_state(read["id"], "read")
    server.set_state(saved["id"], "saved")

    result = library.sync()

    assert (result.error, result.feeds, result.items, result.conflicts) == ("", 1, 10, ())
    [source] = library.sources()
    assert (source.kind, source.url, source.total) == ("feed", server.feed_url, 10)
    rows = {r.title: r for r in library.articles(limit=100)}
    assert set(rows) == set(items)
    assert [t for t, r in rows.items() if r.is_read] == [read["title"]]
    assert [t for t, r in rows.items() if r.is_favourite] == [saved["title"]]
    # Reader's own extractor ran on the page: the full text and cached images, not the
    # server's one-line summary.
    article = library.article(rows[saved["title"]].id)
    assert article.article.url == server.site.url + saved["url"]
    assert len(article.article.text) > 3 * len(saved["html"])
    assert article.article.images and library.image(article.article.images[0].url)

    again = library.sync()
    assert (again.error, again.feeds, again.items, again.pushed) == ("", 0, 0, 0)
    assert library.count() == 10


def test_pull_reuses_a_subscription_and_its_articles(library: Library,
                                                     server: Coldsweat) -> None:
    library.add_source(server.feed_url)
    library.update()  # also caches related pages: more than the feed's ten
    first = _ids(library)
    library.set_read(first["Coastal wind farm powers up its first turbines after years of delay"])

    result = library.sync()

    assert (result.error, result.feeds, result.items) == ("", 0, 0)  # none of them new
    assert len(library.sources()) == 1 and _ids(library) == first
    # What was read here before the server knew the article goes to the server.
    assert result.pushed == 1
    wind = server.items()["Coastal wind farm powers up its first turbines after years of delay"]
    assert wind["id"] not in server.unread()


def test_local_read_and_favourite_reach_the_server(library: Library,
                                                   server: Coldsweat) -> None:
    library.sync()
    ids, items = _ids(library), server.items()
    title_read, title_fav = list(items)[:2]
    library.set_read(ids[title_read])
    library.set_favourite(ids[title_fav])
    library.set_read(ids[title_fav])
    library.set_read(ids[title_fav], False)  # toggled back: only the last state is sent

    result = library.sync()

    assert (result.error, result.pushed, result.pending, result.conflicts) == ("", 3, 0, ())
    assert items[title_read]["id"] not in server.unread()
    assert items[title_fav]["id"] in server.unread()
    assert server.saved() == {items[title_fav]["id"]}

    library.set_favourite(ids[title_fav], False)
    library.mark_all_read()
    result = library.sync()
    assert (result.error, result.pending) == ("", 0)
    assert server.saved() == set() and server.unread() == set()


def test_server_state_is_taken_over(library: Library, server: Coldsweat) -> None:
    library.sync()
    item = next(iter(server.items().values()))
    server.set_state(item["id"], "read", "saved")

    assert library.sync().error == ""

    row = library.rows([_ids(library)[item["title"]]])[0]
    assert row.is_read and row.is_favourite


def test_server_down_keeps_the_queue(library: Library, server: Coldsweat) -> None:
    library.sync()
    item = next(iter(server.items().values()))
    server.stop()
    try:
        library.set_read(_ids(library)[item["title"]])
        result = library.sync()
        assert "connection refused" in result.error
        assert (result.pushed, result.pending) == (0, 1)
    finally:
        server.start()
    assert item["id"] in server.unread()

    result = library.sync()

    assert (result.error, result.pushed, result.pending) == ("", 1, 0)
    assert item["id"] not in server.unread()


def test_conflict_is_reported_and_the_local_change_wins(library: Library,
                                                        server: Coldsweat) -> None:
    library.sync()
    item = next(iter(server.items().values()))
    article_id = _ids(library)[item["title"]]
    # Read and put back to unread here, while another computer read it on the server.
    library.set_read(article_id)
    library.set_read(article_id, False)
    server.set_state(item["id"], "read")

    result = library.sync()

    assert result.error == ""
    assert result.conflicts == (f"{item['title']}: unread here, read on the server",)
    assert not library.rows([article_id])[0].is_read
    assert item["id"] in server.unread()
    assert library.sync().conflicts == ()


def test_unreachable_page_keeps_the_servers_copy(library: Library, server: Coldsweat) -> None:
    port = server.site.server.server_address[1]
    server.site.stop()
    try:
        result = library.sync()
    finally:
        server.site = serve_directory(SAMPLE_SITE, port)

    assert (result.error, result.items) == ("", 10)
    for item in server.items().values():
        stored = library.article(_ids(library)[item["title"]]).article
        assert stored.text == item["html"] and stored.url == server.site.url + item["url"]
