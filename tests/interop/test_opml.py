"""OPML import and export: folders and titles kept, all or nothing, no network at import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from reader.interop import opml
from reader.library import Library
from tests.conftest import Cli, SiteServer
from tests.interop.conftest import OPML


def _sources(cli: Cli) -> list[dict[str, object]]:
    return json.loads(cli("sources", "--json"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(("name", "expected"), [
    ("feedly.opml", {("Tech", "The Verge", "feed"), ("Tech", "Ars Technica", "feed"),
                     ("新闻", "BBC 中文", "feed")}),
    ("freshrss.opml", {("Uncategorized", "FreshRSS releases", "feed"),
                       ("Portals", "Example news", "listing"), ("Portals", "LWN.net", "feed")}),
    ("rssguard.opml", {("Linux/Distributions", "Debian News", "feed"),
                       ("Linux", "Planet KDE", "feed"), ("", "Hacker News", "feed")}),
])
def test_import_keeps_folders_and_titles_without_fetching(
        cli: Cli, name: str, expected: set[tuple[str, str, str]]) -> None:
    # These addresses are on the internet; the import must not try them (no server needed).
    out = cli("import-opml", str(OPML / name))
    assert f"{len(expected)} added, 0 already subscribed" in out
    assert {(s["folder"], s["title"], s["kind"]) for s in _sources(cli)} == expected
    # Importing again adds nothing and fails nothing.
    assert f"0 added, {len(expected)} already subscribed" in cli("import-opml", str(OPML / name))


@pytest.mark.parametrize(("name", "message"), [
    ("malformed.opml", "not a well-formed OPML file"),
    ("bad_urls.opml", "line 6: 'file:///etc/passwd' is not an http(s) address"),
    ("xxe.opml", "not a well-formed OPML file"),
    ("billion_laughs.opml", "not a well-formed OPML file"),
])
def test_a_bad_file_imports_nothing(cli: Cli, name: str, message: str) -> None:
    err = cli("import-opml", str(OPML / name), code=1)
    assert message in err
    assert _sources(cli) == []


def test_a_missing_file_or_a_non_opml_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    assert "cannot read" in cli("import-opml", str(tmp_path / "nope.opml"), code=1)
    rss = tmp_path / "feed.xml"
    rss.write_text("<rss version='2.0'><channel/></rss>")
    assert "does not start with <opml>" in cli("import-opml", str(rss), code=1)


@pytest.mark.parametrize("name", ["feedly.opml", "freshrss.opml", "rssguard.opml"])
def test_round_trip_through_our_export(cli: Cli, tmp_path: Path, name: str) -> None:
    cli("import-opml", str(OPML / name))
    out = tmp_path / "out.opml"
    cli("export-opml", str(out))
    theirs = {(s.url, s.title, s.kind, s.folder) for s in opml.parse((OPML / name).read_bytes())}
    ours = {(s.url, s.title, s.kind, s.folder) for s in opml.parse(out.read_bytes())}
    assert ours == theirs

    # What RSS Guard, Feedly and FreshRSS read: text (RSS Guard needs it) and xmlUrl on
    # every feed, folders as outlines with text and no xmlUrl.
    # Section pages: type="html" with htmlUrl and no xmlUrl, so no reader takes them for feeds.
    root = etree.fromstring(out.read_bytes())
    assert root.get("version") == "2.0" and root.findtext("head/title")
    feeds = root.findall(".//outline[@xmlUrl]")
    pages = root.findall(".//outline[@type='html']")
    assert len(feeds) + len(pages) == len(theirs)
    assert all(f.get("text") and f.get("type") == "rss" for f in feeds)
    assert all(p.get("text") and p.get("htmlUrl") and p.get("xmlUrl") is None for p in pages)
    assert len(pages) == sum(kind == "listing" for _, _, kind, _ in theirs)
    for folder in root.xpath("//outline[not(@xmlUrl) and not(@htmlUrl)]"):
        assert folder.get("text") and len(folder)


def test_imported_feed_updates_like_any_other(cli: Cli, tmp_path: Path,
                                              site: SiteServer) -> None:
    listing = tmp_path / "mine.opml"
    listing.write_bytes(opml.write([
        opml.Subscription(site.url + "rss.xml", "云溪 feed", folder="中文/新闻")]))
    cli("import-opml", str(listing))
    summary = cli("update")
    assert re.search(r"[1-9]\d* new", summary) and "FAILED" not in summary
    assert _sources(cli)[0]["folder"] == "中文/新闻"


def test_export_leaves_local_file_sources_out(tmp_path: Path, site: SiteServer) -> None:
    with Library(tmp_path / "lib") as library:
        library.add_sample_site()
        library.add_source(site.url + "rss.xml", folder="Sample")
        out = tmp_path / "out.opml"
        assert library.export_opml(out) == 1
        [only] = opml.parse(out.read_bytes())
        assert only.url == site.url + "rss.xml" and only.folder == "Sample"
