"""A story syndicated by another portal is listed once, names its copies, is found once by
search and is not its own relative; stories that only share a template stay apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.library import Library
from tests import stories_site
from tests.conftest import SAMPLE_SITE, Cli, serve_directory


def _rows(cli: Cli, *args: str) -> list[dict[str, Any]]:
    rows = cli.json("list", "--limit", "500", *args)
    assert isinstance(rows, list)
    return rows


@pytest.fixture
def copies(cli: Cli, tmp_path: Path) -> stories_site.CopySite:
    site = stories_site.build(tmp_path / "copies")
    server = serve_directory(site.root)
    site.feed(server.url)
    cli("settings", "request_delay_ms", "0")
    cli("add", (SAMPLE_SITE / "news" / "index.html").as_uri(), "--title", "云溪新闻网")
    cli("update")
    cli("add", server.url + "rss.xml", "--title", "东方资讯")
    assert "4 new" in cli("update")
    yield site
    server.stop()


def test_a_syndicated_copy_is_listed_once_under_the_original(
        cli: Cli, copies: stories_site.CopySite) -> None:
    rows = _rows(cli)
    titles = [r["title"] for r in rows]
    for original in copies.originals:
        assert titles.count(original) == 1
        [row] = [r for r in rows if r["title"] == original]
        assert row["source"] == "云溪新闻网" and row["also"] == ["东方资讯"]
    assert not [t for t in titles if t.endswith("（图）")]  # the copies are not rows
    assert titles.count("全国天气预报") == 2  # one template, other figures: two reports
    assert "云溪新闻网, 东方资讯" in cli("list")

    # The article view names the copy, and `show` opens it.
    lead = next(r for r in rows if r["title"] == copies.originals[0])
    shown = cli.json("show", str(lead["id"]))
    assert isinstance(shown, dict)
    [copy] = shown["copies"]
    assert copy["source"] == "东方资讯" and copy["title"].endswith("（图）")
    assert cli.json("show", str(copy["id"]))["copies"][0]["id"] == lead["id"]  # type: ignore[index]
    assert f"{copy['id']:>6}  东方资讯: {copy['title']}" in cli("show", str(lead["id"]))

    # The copies source's own list shows what it carries, copies included; reading the
    # story reads it there too.
    sources = cli.json("sources")
    assert isinstance(sources, list)
    own = next(s["id"] for s in sources if s["title"] == "东方资讯")
    assert len(_rows(cli, "--source", str(own))) == 4
    cli("read", str(lead["id"]))
    assert next(r for r in _rows(cli, "--source", str(own)) if r["id"] == copy["id"])["is_read"]


def test_search_finds_a_story_once_and_grouping_off_lists_every_copy(
        cli: Cli, copies: stories_site.CopySite) -> None:
    word = copies.originals[0][:4]
    hits = cli.json("search", word)
    assert isinstance(hits, list)
    assert [h["title"] for h in hits].count(copies.originals[0]) == 1
    assert not [h for h in hits if h["title"].endswith("（图）")]

    before = len(_rows(cli))
    cli("settings", "group_copies", "no")
    rows = _rows(cli)
    assert len(rows) == before + 2  # each copy a row of its own again
    assert len([r for r in rows if r["title"].endswith("（图）")]) == 2
    hits = cli.json("search", word)
    assert isinstance(hits, list)
    assert len([h for h in hits if h["title"].endswith("（图）")]) == 1


def test_the_related_pane_shows_neither_the_story_nor_its_copies(
        cli: Cli, copies: stories_site.CopySite) -> None:
    with Library(cli.data_dir) as library:
        lead = next(r for r in library.articles(limit=500) if r.title == copies.originals[0])
        story = {lead.id, *(c.id for c in library.article(lead.id).copies)}
        assert len(story) == 2
        for member in story:
            similar = library.related(member).similar
            assert similar and not {r.id for r in similar} & story
