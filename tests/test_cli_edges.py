"""The command line's rough edges: addresses without a scheme, counts in words, files that are
missing, unknown sources, times with their zone, labels in the UI language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import Cli, SiteServer


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli("settings", "request_delay_ms", "0")
    return cli


def test_an_address_without_a_scheme_is_added_as_a_browser_would(
        cli: Cli, site: SiteServer) -> None:
    bare = site.url.removeprefix("http://") + "world/index.html"  # 127.0.0.1:PORT/world/…
    out = cli("add", bare)
    assert "added source 1" in out
    assert cli.json("sources")[0]["url"] == "http://" + bare  # type: ignore[index]


def test_a_non_web_address_is_refused_in_plain_words(cli: Cli) -> None:
    err = cli("add", "ftp://example.com/news", code=1)
    assert "refused non-http URL" not in err
    assert "http://" in err and "https://" in err


def test_add_says_what_the_first_page_holds_and_update_failures_read_plainly(
        cli: Cli, site: SiteServer) -> None:
    out = cli("add", site.url + "world/index.html")
    assert re.search(r"\d+ articles on the first page; `reader update` follows the next pages",
                     out), out
    site.stop()
    cli.capsys.readouterr()
    assert main(["--data-dir", str(cli.data_dir), "update", "--all"]) == 1
    failed = cli.capsys.readouterr().out
    assert "0 failed" not in failed and "FAILED" not in failed
    assert re.search(r"World: failed: connection refused", failed), failed


def test_counts_in_singular_and_md_export_to_a_file(cli: Cli, site: SiteServer,
                                                    tmp_path: Path) -> None:
    cli("add", site.url + "world/index.html")
    cli("update")
    first = cli.json("list")[0]["id"]  # type: ignore[index]
    cli("fav", str(first))
    assert cli("export", "--favourites", "--format", "json", str(tmp_path / "f.json")) \
        .startswith("exported 1 article to ")
    out = tmp_path / "x.md"
    cli("export", "--favourites", "--format", "md", str(out))
    assert out.is_file() and out.read_text().startswith("# ")
    assert "## Related" in out.read_text() and "相关文章" not in out.read_text()
    exported = json.loads((tmp_path / "f.json").read_text())
    listed = cli.json("list")[0]  # type: ignore[index]
    assert exported[0]["source"] == listed["source"] == "World"  # type: ignore[index]


def test_backup_and_restore_name_the_missing_path(cli: Cli, tmp_path: Path) -> None:
    cli("sources")
    err = cli("backup", str(tmp_path / "no" / "dir" / "x.bak"), code=1)
    assert "no such folder" in err and "unable to open database file" not in err
    err = cli("restore", str(tmp_path / "nope.bak"), code=1)
    assert "no such file" in err and "not a Reader library" not in err


def test_list_of_an_unknown_source_is_an_error(cli: Cli) -> None:
    assert "no source with id 999" in cli("list", "--source", "999", code=1)


def test_list_shows_local_times_with_their_zone(cli: Cli, site: SiteServer) -> None:
    cli("add", site.url + "world/index.html")
    cli("update")
    lines = cli("list").splitlines()
    assert lines and all(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4}", line)
                         for line in lines), lines


def test_show_labels_follow_the_ui_language(cli: Cli, site: SiteServer,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cli("add", site.url + "news/index.html")
    cli("update")
    article = cli.json("list")[0]["id"]  # type: ignore[index]
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    english = cli("show", str(article))
    assert "作者" not in english and "次浏览" not in english
    assert "Author: " in english and " views" in english
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = cli("show", str(article))
    assert "作者：" in chinese and "次浏览" in chinese


def test_a_source_whose_articles_other_sources_hold_still_lists_them(
        cli: Cli, site: SiteServer) -> None:
    for section in ("news/index.html", "world/index.html"):
        cli("add", site.url + section)
    cli("update")
    home = cli("add", site.url + "index.html")  # the home page's feed: all already stored
    source = re.search(r"added source (\d+)", home).group(1)  # type: ignore[union-attr]
    cli("update", "--source", source)
    listed = cli.json("list", "--source", source)
    [total] = [s["total"] for s in cli.json("sources")  # type: ignore[index, union-attr]
               if str(s["id"]) == source]  # type: ignore[index]
    assert listed and len(listed) == total  # type: ignore[arg-type]
