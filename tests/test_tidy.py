"""Keeping a library tidy: retention, mute words, tags on favourites, mark all read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.library import Library
from reader.types import Article, ArticleFilter, RelatedLink
from tests.conftest import Cli
from tests.fakes import FakeClock


def _fill(data_dir: Path) -> dict[str, int]:
    """Two sources; articles 0..9 days old; the oldest is a favourite linking to another."""
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    with Library(data_dir) as library:
        store = library.store
        for name in ("a", "b"):
            source = store.add_source(f"http://{name}/", f"http://{name}/feed", "feed", name)
            for day in range(10):
                related = (RelatedLink(f"http://{name}/8.html", "linked"),) if day == 9 else ()
                article = Article(url=f"http://{name}/{day}.html",
                                  title=f"{name} day {day}" + (" 广告 Sponsored" if day == 1
                                                               else ""),
                                  published=now - timedelta(days=day, minutes=1),
                                  text="t", html="<p>t</p>", related=related)
                ids[f"{name}{day}"] = store.save_article(source, article, [])[0]
        library.set_favourite(ids["a9"])
    return ids


def _titles(cli: Cli, *args: str) -> list[str]:
    return [r["title"] for r in json.loads(cli("list", "--limit", "100", "--json", *args))]


def test_clean_by_age_and_by_count_keeps_favourites_and_their_links(
        cli: Cli, tmp_path: Path) -> None:
    ids = _fill(cli.data_dir)
    # Older than 7 days: days 7, 8, 9 of both sources, but a9 is a favourite and a8 its link.
    assert "removed 4 articles" in cli("clean", "--days", "7")
    # Keep the 3 newest of each source: b3..b6 and a3..a6 go; a8 and a9 stay.
    assert "removed 8 articles" in cli("clean", "--keep", "3")
    left = set(_titles(cli))
    assert left == {"a day 0", "a day 1 广告 Sponsored", "a day 2", "a day 8", "a day 9",
                    "b day 0", "b day 1 广告 Sponsored", "b day 2"}
    with Library(cli.data_dir) as library:
        assert library.article(ids["a9"]).is_favourite
        assert library.search("day", limit=50)  # the index forgot only what went
        assert {h.id for h in library.search("day", limit=50)} <= {
            ids[k] for k in ("a0", "a1", "a2", "a8", "a9", "b0", "b1", "b2")}


def test_clean_follows_the_retention_settings(cli: Cli) -> None:
    _fill(cli.data_dir)
    assert "removed 0 articles" in cli("clean")  # both settings default to "keep everything"
    cli("settings", "keep_per_source", "5")
    assert "removed 8 articles" in cli("clean")  # a5-a7 and b5-b9; a8 and a9 stay


def test_mute_words_hide_titles_but_never_favourites(cli: Cli) -> None:
    ids = _fill(cli.data_dir)
    cli("settings", "mute_words", "sponsored, 推广")
    with Library(cli.data_dir) as library:
        assert library.setting("mute_words") == ["sponsored", "推广"]
    titles = _titles(cli)
    assert len(titles) == 18 and not [t for t in titles if "Sponsored" in t]
    cli("fav", str(ids["b1"]))
    assert "b day 1 广告 Sponsored" in _titles(cli)
    cli("settings", "mute_words", "广告")
    assert [t for t in _titles(cli) if "广告" in t] == ["b day 1 广告 Sponsored"]
    with Library(cli.data_dir) as library:
        assert library.count() == 19


def test_tags_on_favourites(cli: Cli) -> None:
    ids = _fill(cli.data_dir)
    assert cli("tag", str(ids["a0"]), "tea", "long read,tea") == f"{ids['a0']}: tea, long read\n"
    cli("tag", str(ids["b0"]), "teapot")
    assert _titles(cli, "--tag", "tea") == ["a day 0"]  # "teapot" is another tag
    assert _titles(cli, "--tag", "long read") == ["a day 0"]
    with Library(cli.data_dir) as library:
        assert library.article(ids["a0"]).is_favourite  # tagging saved it
        assert library.tags() == {"long read": 1, "tea": 1, "teapot": 1}
        assert library.count(ArticleFilter(favourites=True)) == 3
    assert json.loads(cli("show", str(ids["a0"]), "--json"))["tags"] == ["tea", "long read"]
    assert cli("tag", str(ids["a0"])).endswith("no tags\n")
    assert _titles(cli, "--tag", "tea") == []
    assert "no article with id 9999" in cli("tag", "9999", "x", code=1)


def test_mark_all_read_per_source_and_everywhere(cli: Cli) -> None:
    _fill(cli.data_dir)
    sources = json.loads(cli("sources", "--json"))
    assert "marked 10 articles read" in cli("mark-all-read", "--source", str(sources[0]["id"]))
    assert len(_titles(cli, "--unread")) == 10
    assert "marked 10 articles read" in cli("mark-all-read")
    assert _titles(cli, "--unread") == []


def test_retention_by_age_is_measured_on_the_librarys_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    with Library(tmp_path, now=clock.utc) as library:
        source = library.store.add_source("http://a/", "http://a/feed", "feed", "a")
        for day in range(5):
            article = Article(url=f"http://a/{day}.html", title=f"第{day}天", text="t",
                              html="<p>t</p>",
                              published=clock.now - timedelta(days=day, minutes=1))
            library.store.save_article(source, article, [])
        assert library.clean(days=3) == 2  # days 3 and 4
        clock.advance(86400)
        assert library.clean(days=3) == 1  # a day later, day 2 is past three days too
        assert [r.title for r in library.articles()] == ["第0天", "第1天"]
