"""The core end to end through the CLI: a real local HTTP server, a real library folder."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library
from reader.parse.article import extract
from tests.conftest import SAMPLE_SITE, Cli, SiteServer


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli("settings", "request_delay_ms", "0")
    return cli


def _updated(cli: Cli, site: SiteServer) -> list[dict[str, object]]:
    out = cli("add", site.url + "news/index.html")
    assert "listing" in out
    summary = cli("update")
    assert re.search(r"\d+ new", summary) and "FAILED" not in summary
    return cli.json("list", "--limit", "500")  # type: ignore[return-value]


def test_add_update_list_show_then_offline(cli: Cli, site: SiteServer) -> None:
    rows = _updated(cli, site)
    assert len(rows) >= 10
    assert {"id", "url", "title", "source", "published", "views", "is_read",
            "is_favourite"} <= rows[0].keys()
    dates = [r["published"] for r in rows if r["published"]]
    assert dates == sorted(dates, reverse=True)  # newest first

    shown = [cli.json("show", str(r["id"])) for r in rows]
    with_images = [a for a in shown if a["images"]]  # type: ignore[index]
    with_related = [a for a in shown if a["related"]]  # type: ignore[index]
    assert with_images and with_related
    article = with_related[0]
    assert article["breadcrumb"] and article["title"] and article["text"]  # type: ignore[index]
    assert any(r["article_id"] for r in article["related"])  # type: ignore[index]

    site.stop()  # offline from here on
    assert cli.json("list", "--limit", "500") == rows
    for a in with_images:
        assert cli.json("show", str(a["id"])) == a  # type: ignore[index]
    with Library(cli.data_dir) as library:
        for a in with_images:
            for image in a["images"]:  # type: ignore[index]
                data = library.image(image["url"])
                assert data and data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1",
                                             b"\xff\xd8\xff\xdb")
    text = cli("show", str(article["id"]))  # type: ignore[index]
    assert article["title"] in text  # type: ignore[operator]
    assert "Related:" in text or "相关文章：" in text


def test_a_second_update_fetches_nothing_new(cli: Cli, site: SiteServer) -> None:
    _updated(cli, site)
    again = cli("update")
    assert "not modified" in again and "FAILED" not in again  # the server answered 304


def test_a_favourite_survives_removing_its_source(cli: Cli, site: SiteServer) -> None:
    rows = _updated(cli, site)
    kept = rows[0]
    before = cli.json("show", str(kept["id"]))
    cli("fav", str(kept["id"]))
    cli("remove", "1")
    after = cli.json("show", str(kept["id"]))
    assert after["is_favourite"] and after["text"] == before["text"]  # type: ignore[index]
    assert [r["id"] for r in cli.json("list", "--favourites")] == [kept["id"]]  # type: ignore[union-attr]


def test_chinese_searches_of_one_two_and_four_characters(cli: Cli, site: SiteServer) -> None:
    rows = _updated(cli, site)
    zh = [cli.json("show", str(r["id"])) for r in rows]
    article = next(a for a in zh if a["language"] == "zh")  # type: ignore[index]
    run = re.search(r"[\u4e00-\u9fff]{4}", article["text"]).group()  # type: ignore[index, union-attr]
    for query in (run[0], run[:2], run):
        hits = cli.json("search", query)
        assert article["id"] in [h["id"] for h in hits]  # type: ignore[union-attr, index]
        assert all({"id", "url", "title", "snippet", "score"} <= h.keys() for h in hits)  # type: ignore[union-attr]
    assert "«" in cli("search", run[:2])


def test_english_search_ignores_case(cli: Cli, site: SiteServer) -> None:
    cli("add", site.url + "world/index.html")
    cli("update")
    rows = cli.json("list", "--limit", "100")
    article = cli.json("show", str(rows[0]["id"]))  # type: ignore[index]
    word = max(re.findall(r"[A-Za-z]{6,}", article["text"]), key=len)  # type: ignore[index]
    for query in (word.lower(), word.upper()):
        assert article["id"] in [h["id"] for h in cli.json("search", query)]  # type: ignore[union-attr, index]


def test_english_words_match_as_prefixes_unless_quoted(cli: Cli, site: SiteServer) -> None:
    cli("add", site.url + "world/index.html")
    cli("update")
    assert "«riverside»" in cli("search", "river")
    assert cli("search", "river*") == cli("search", "river")
    assert len(cli.json("search", "volunteer")) == 2  # type: ignore[arg-type]
    assert cli("search", '"river"') == "no matches\n"


def test_bad_search_syntax_gets_a_message(cli: Cli) -> None:
    assert "unbalanced quote" in cli("search", '"open', code=1)


def test_extract_prints_the_contract(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    page = next(SAMPLE_SITE.glob("news/**/*.html"))
    capsys.readouterr()
    assert main(["extract", str(page), "--url", "http://example.com/a.html", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"url", "title", "published", "source", "author", "views", "breadcrumb",
                        "text", "html", "images", "related", "language", "encoding"}
    assert out["url"] == "http://example.com/a.html" and out["title"]


def test_a_multi_page_article_is_joined(cli: Cli, site: SiteServer) -> None:
    rows = _updated(cli, site)
    first = next(r for r in rows if str(r["url"]).endswith("t20251118_1003.html"))
    stored = cli.json("show", str(first["id"]))
    second = SAMPLE_SITE / "news/2025/11/t20251118_1003_2.html"
    page_two = extract(second.read_bytes(), site.url + "news/2025/11/t20251118_1003_2.html")
    last_paragraph = page_two.text.split("\n\n")[-1]
    assert last_paragraph and last_paragraph in stored["text"]  # type: ignore[index]
    assert len(stored["images"]) > 1  # type: ignore[index]
    assert stored["url"] == first["url"]  # type: ignore[index]
    assert not any(r["url"].endswith("_2.html") for r in rows)  # type: ignore[union-attr]


def test_retention_applies_after_each_update_and_keeps_favourites(cli: Cli,
                                                                  site: SiteServer) -> None:
    rows = _updated(cli, site)
    oldest = rows[-1]
    cli("fav", str(oldest["id"]))
    cli("settings", "keep_per_source", "3")
    cli("update")
    kept = {r["id"] for r in cli.json("list", "--limit", "500")}  # type: ignore[index]
    # The favourite stays, and so do the articles its related block points to.
    linked = {r["article_id"] for r in cli.json("show", str(oldest["id"]))["related"]  # type: ignore[index]
              if r["article_id"]}
    assert linked and kept == {r["id"] for r in rows[:3]} | {oldest["id"]} | linked


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check")
def test_reader_alone_without_a_display_says_how_to_run_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "library"))
    monkeypatch.setattr(sys, "argv", ["reader"])  # no command: the window, without a parser
    assert main() == 1
    assert "no display found" in capsys.readouterr().err
    assert (tmp_path / "library").is_dir()  # the library folder was settled as for the window
