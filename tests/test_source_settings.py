"""Per-source settings end to end: a real HTTP server that records what it is asked, real
SQLite libraries in tmp_path, the update pipeline and the CLI."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from reader import config
from reader.errors import ParseError, SettingError
from reader.fetch.http import DEFAULT_USER_AGENT
from reader.library import Library
from reader.parse.article import extract
from reader.parse.listing import parse_source
from reader.parse.sites.rules import Rule, apply_article, apply_listing
from reader.types import Article, ArticleFilter, ParsedSource
from tests.conftest import ROOT, Cli, QuietHandler, SiteServer, serve_directory
from tests.fakes import FakeClock

SITES = ROOT / "tests" / "data" / "sites"
PORTAL_RULE = {"links": "//table[@class='list']//td[@class='t']/a", "title": "//h1",
               "body": "//div[@class='content']", "published": "//span[@class='time']",
               "next": "//a[text()='下一页']"}


class Recorder(QuietHandler):
    """Records (path, User-Agent) of every request; every page claims to be UTF-8."""

    extensions_map: ClassVar[dict[str, str]] = {
        **QuietHandler.extensions_map, ".html": "text/html; charset=utf-8"}
    seen: ClassVar[list[tuple[str, str]]]
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            self.seen.append((self.path, self.headers.get("User-Agent", "")))
        super().do_GET()


@pytest.fixture
def server() -> Iterator[tuple[SiteServer, list[tuple[str, str]]]]:
    seen: list[tuple[str, str]] = []
    handler = type("TestRecorder", (Recorder,), {"seen": seen})
    site = serve_directory(SITES, handler_class=handler)
    yield site, seen
    site.stop()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib") as lib:
        lib.set_setting("request_delay_ms", 0)
        lib.set_setting("prefetch_related", False)
        yield lib


def _texts(library: Library) -> dict[str, Article]:
    return {r.url.rsplit("/", 1)[1]: library.article(r.id).article for r in library.articles()}


def test_charset_override_beats_a_lying_header_and_meta(library: Library, server) -> None:
    site, _ = server
    page = (SITES / "gbk" / "art20240305.html").read_bytes()
    assert b'charset=utf-8' in page  # the meta lies, and so does the server's header
    assert extract(page, site.url, http_charset="utf-8").title != "长者食堂开到家门口"

    source = library.add_source(site.url + "gbk/index.html").source
    library.set_source_setting(source.id, "charset", "GBK")
    assert library.source_settings(source.id)["charset"] == "gb18030"  # normalised
    [result] = library.update()
    assert result.new == 1 and not result.error
    article = _texts(library)["art20240305.html"]
    assert article.title == "长者食堂开到家门口" and article.encoding == "gb18030"
    with pytest.raises(SettingError, match="unknown character set"):
        library.set_source_setting(source.id, "charset", "klingon-8")


def test_the_generic_parsers_get_the_portal_list_wrong() -> None:
    """The premise of the rule test: the heuristics pick the 推荐 block. (They once took the
    site's name for the headline too; the extractor now reads the article's own.)"""
    index = (SITES / "portal" / "index.html").read_bytes()
    found = parse_source(index, "http://x/portal/index.html")
    assert all("/2024/03/r" in e.url for e in found.entries)
    page = extract((SITES / "portal" / "a1.html").read_bytes(), "http://x/portal/a1.html")
    assert page.title == "长者食堂开到家门口"


def test_a_listing_and_article_rule_reads_the_portal(library: Library, server) -> None:
    site, _ = server
    rule = Rule.from_json(PORTAL_RULE)
    index = (SITES / "portal" / "index.html").read_bytes()
    listing = apply_listing(rule, index, site.url + "portal/index.html")
    assert [e.title for e in listing.entries] == ["长者食堂开到家门口", "供暖季开启热线畅通",
                                                  "社区志愿者在行动中"]
    assert listing.next_page == site.url + "portal/list_2.html"

    body = (SITES / "portal" / "a3.html").read_bytes()
    article = apply_article(rule, body, site.url + "portal/a3.html")
    assert article.title == "社区志愿者在行动中"
    assert article.published and article.published.isoformat() == "2024-03-03T10:20:00+08:00"
    assert [p[:3] for p in article.text.split("\n\n")] == ["第一段", "第二段", "第三段", "第四段"]
    assert "广告" not in article.html and "<script" not in article.html
    assert article.language == "zh"  # not in the rule: the generic extractor's

    source = library.add_source(site.url + "portal/index.html").source
    library.set_source_setting(source.id, "rule", PORTAL_RULE)
    [result] = library.update()
    assert (result.new, result.failed, result.error) == (4, 0, "")  # two listing pages
    stored = _texts(library)
    assert sorted(stored) == ["a1.html", "a2.html", "a3.html", "a4.html"]
    assert stored["a4.html"].title == "老旧小区加装电梯"
    assert "第四段" in stored["a2.html"].text and "广告" not in stored["a2.html"].text


def test_test_rule_previews_without_storing(library: Library, server) -> None:
    site, _ = server
    listing = library.test_rule(site.url + "portal/index.html", PORTAL_RULE)
    assert isinstance(listing, ParsedSource) and len(listing.entries) == 3
    article = library.test_rule(site.url + "portal/a1.html", {"title": "//h1"})
    assert isinstance(article, Article) and article.title == "长者食堂开到家门口"
    assert library.sources() == [] and library.count() == 0


def test_a_bad_xpath_is_named_and_changes_nothing(library: Library, server, cli: Cli) -> None:
    site, _ = server
    source = library.add_source(site.url + "portal/index.html").source
    library.set_source_setting(source.id, "rule", {"title": "//h1"})
    with pytest.raises(SettingError, match=r"rule body: bad XPath \"//div\[@class='content'\""):
        library.set_source_setting(source.id, "rule", {"body": "//div[@class='content'"})
    with pytest.raises(SettingError, match="unknown field 'link'"):
        library.set_source_setting(source.id, "rule", {"link": "//a"})
    with pytest.raises(ParseError, match="bad XPath"):
        library.test_rule(site.url + "portal/a1.html", '{"title": "//h1["}')
    assert library.source_settings(source.id)["rule"] == {"title": "//h1"}

    cli.data_dir = library.data_dir
    err = cli("source-settings", str(source.id), "rule", '{"links": "//a[@"}', code=1)
    assert "rule links: bad XPath" in err and "//a[@" in err
    assert library.source_settings(source.id)["rule"] == {"title": "//h1"}


def test_summary_only_fetches_no_article_page(library: Library, server) -> None:
    site, seen = server
    source = library.add_source(site.url + "feed/feed.xml").source
    library.set_source_setting(source.id, "full_articles", "no")
    seen.clear()
    [result] = library.update()
    assert result.new == 2
    assert [path for path, _ in seen] == ["/feed/feed.xml"]
    texts = _texts(library)
    assert texts["p1.html"].text == "Summary one: canteens open in every community."

    library.set_source_setting(source.id, "full_articles", True)
    assert library.fetch_article(site.url + "feed/p1.html")  # known: no fetch
    assert [path for path, _ in seen] == ["/feed/feed.xml"]


def test_a_source_user_agent_is_sent_on_its_requests(library: Library, server) -> None:
    site, seen = server
    mine = library.add_source(site.url + "feed/feed.xml").source
    other = library.add_source(site.url + "portal/index.html").source
    library.set_source_setting(mine.id, "user_agent", "Mozilla/5.0 (ReaderTest)")
    seen.clear()
    library.update(source_id=mine.id)
    assert {path for path, _ in seen} == {"/feed/feed.xml", "/feed/p1.html", "/feed/p2.html"}
    assert {agent for _, agent in seen} == {"Mozilla/5.0 (ReaderTest)"}
    seen.clear()
    library.update(source_id=other.id)
    assert seen and {agent for _, agent in seen} == {DEFAULT_USER_AGENT}


def test_update_interval_skips_a_fresh_source(cli: Cli, server) -> None:
    site, seen = server
    cli("settings", "request_delay_ms", "0")
    cli("add", site.url + "feed/feed.xml")
    cli("add", site.url + "portal/index.html")
    cli("source-settings", "1", "update_interval_minutes", "60")
    assert "update_interval_minutes = 60" in cli("source-settings", "1")
    cli("update")  # never updated: due
    seen.clear()
    out = cli("update")
    assert "1 sources skipped" in out and "Local feed" not in out
    assert seen and not any(path.startswith("/feed/") for path, _ in seen)
    seen.clear()
    assert "Local feed" in cli("update", "--source", "1")
    assert any(path.startswith("/feed/") for path, _ in seen)
    out = cli("update", "--all")
    assert "Local feed" in out and "skipped" not in out


def test_update_interval_is_measured_on_the_librarys_clock(tmp_path: Path, server) -> None:
    site, seen = server
    clock = FakeClock()
    with Library(tmp_path / "lib", now=clock.utc) as library:
        library.set_setting("request_delay_ms", 0)
        source = library.add_source(site.url + "feed/feed.xml").source
        library.set_source_setting(source.id, "update_interval_minutes", 60)
        [result] = library.update()  # never updated: due
        assert not result.error
        [listed] = library.sources()
        assert listed.last_updated == clock.now  # stamped by the same clock
        clock.advance(59 * 60)
        seen.clear()
        assert library.update() == []
        assert not any(path.startswith("/feed/") for path, _ in seen)
        clock.advance(60)
        assert [r.source_id for r in library.update()] == [source.id]
        assert any(path.startswith("/feed/") for path, _ in seen)


def test_source_settings_cli_lists_every_declared_setting(cli: Cli, server) -> None:
    site, _ = server
    cli("add", site.url + "feed/feed.xml")
    out = cli("source-settings", "1")
    for setting in config.SOURCE_SETTINGS:
        assert f"{setting.name} = " in out
    assert "download_images = 'default'" in out
    cli("source-settings", "1", "download_images", "no")
    assert cli("source-settings", "1", "download_images").startswith("download_images = 'no'")
    assert "expected one of default, yes, no" in cli(
        "source-settings", "1", "download_images", "maybe", code=1)
    assert "unknown setting" in cli("source-settings", "1", "colour", code=1)
    out = cli("test-rule", site.url + "portal/index.html", '{"links": "//td[@class=\'t\']/a"}')
    assert out.startswith("3 entries") and "长者食堂开到家门口" in out


def test_global_and_source_settings_refuse_alike(library: Library, cli: Cli) -> None:
    source_id = library.store.add_source("https://a.example/", "https://a.example/feed", "feed",
                                         "A")
    for set_one in (library.set_setting,
                    lambda name, value: library.set_source_setting(source_id, name, value)):
        with pytest.raises(SettingError, match=r"^unknown setting 'colour'$"):
            set_one("colour", "red")
    with pytest.raises(SettingError, match=r"^request_delay_ms: expected int"):
        library.set_setting("request_delay_ms", "soon")
    assert cli("settings", "colour", "red", code=1).strip() == "reader: unknown setting 'colour'"

def test_download_images_of_a_source_overrides_the_global_setting(tmp_path: Path,
                                                                   site: SiteServer) -> None:
    with Library(tmp_path / "lib") as library:
        library.set_setting("request_delay_ms", 0)
        library.set_setting("prefetch_related", False)
        library.set_setting("download_images", False)
        news = library.add_source(site.url + "news/index.html").source
        world = library.add_source(site.url + "world/index.html").source
        library.set_source_setting(world.id, "download_images", "yes")
        library.update()

        def cached(source_id: int) -> list[bool]:
            rows = library.articles(ArticleFilter(source_id=source_id))
            return [library.image(i.url) is not None
                    for r in rows for i in library.article(r.id).article.images]

        assert cached(news.id) and not any(cached(news.id))  # the global "no"
        assert cached(world.id) and all(cached(world.id))


def test_a_page_the_heuristics_miss_is_added_with_a_rule(cli: Cli, server) -> None:
    site, _ = server
    page = site.url + "portal/bare.html"
    assert "no article links found" in cli("add", page, code=1)
    assert "bad XPath" in cli("add", page, "--rule", '{"links": "//table//a["}', code=1)
    assert "2 articles on the first page" in cli("add", page, "--rule", '{"links": "//table//a"}')
    assert 'rule = {"links": "//table//a"}' in cli("source-settings", "1", "rule")
    cli("settings", "request_delay_ms", "0")
    assert "2 new" in cli("update")


def test_a_next_rule_alone_keeps_the_detected_entries() -> None:
    index = (SITES / "portal" / "index.html").read_bytes()
    url = "http://x/portal/index.html"
    found = apply_listing(Rule(next="//div[@class='top']/a[2]"), index, url)
    assert found.entries == parse_source(index, url).entries
    assert found.next_page == url  # the rule's, not the detected list_2.html
    feed = (SITES / "feed" / "feed.xml").read_bytes()
    assert apply_listing(Rule(next="//a"), feed, "http://x/feed/feed.xml").kind == "feed"
