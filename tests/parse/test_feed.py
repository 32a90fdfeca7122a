"""Feed parsing: one small feed per format, plus the hostile ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.parse.feed import MAX_ENTRIES, looks_like_feed, parse_feed
from reader.types import Enclosure, Image

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
BASE = "https://feeds.example.com/sub/"


def parse(name: str, url: str = BASE + "feed"):
    return parse_feed((FEEDS / name).read_bytes(), url)


def test_rss091() -> None:
    feed = parse("rss091.xml")
    assert feed.kind == "feed"
    assert feed.title == "Harbour Town Notes"
    assert [e.url for e in feed.entries] == [
        "http://harbour.example.org/notes/ferry-winter.html",
        BASE + "notes/cafe-reopens.html",  # relative links resolve against the feed URL
    ]
    assert feed.entries[1].title == "Café on the quay reopens"


def test_rss10_rdf_uses_dc_date_and_creator() -> None:
    feed = parse("rss10.rdf")
    assert feed.title == "山城科技周报"
    first = feed.entries[0]
    assert first.url == "http://rdf.example.net/2025/11/drone.html"
    assert first.published == datetime(2025, 11, 18, 9, tzinfo=timezone(timedelta(hours=8)))
    assert first.author == "林晓"
    assert first.summary_html == "巡检周期由一个月缩短到一周。"


def test_rss20() -> None:
    park, relative, guid_only = parse("rss20.xml").entries
    assert park.url == "https://news.example.cn/2025/11/20/park.html"
    assert park.published == datetime(2025, 11, 20, 0, 30, tzinfo=UTC)
    assert park.updated is None
    assert park.author == "王晨"
    # content:encoded wins over description, and is sanitised (no script)
    assert "<b>六公里</b>" in park.summary_html
    assert "script" not in park.summary_html
    assert relative.url == BASE + "2025/11/19/relative.html"
    assert relative.published is None
    assert guid_only.url == "https://news.example.cn/2025/11/18/guid.html"


def test_atom() -> None:
    feed = parse("atom.xml")
    assert feed.title == "River Watch"
    otters, report = feed.entries
    assert otters.url == "https://blog.example.com/posts/otters.html"  # xml:base
    assert otters.published == datetime(2025, 11, 19, 6, 45, tzinfo=UTC)
    assert otters.updated == datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert otters.author == "Mara Quist"
    assert otters.summary_html == "<p>A family of <em>four</em>, twice this week.</p>"
    assert report.published == report.updated  # only <updated>: used as published too
    assert report.summary_html == "<p>Nitrates down &lt;10%.</p>"  # text type is escaped


def test_json_feed_11() -> None:
    feed = parse("jsonfeed11.json")
    assert feed.title == "Workshop Diary"
    lathe, chisels, bench, note = feed.entries
    assert lathe.url == "https://diary.example.org/2025/11/lathe.html"
    assert lathe.published == datetime(2025, 11, 20, 0, 30, tzinfo=UTC)
    assert lathe.updated == datetime(2025, 11, 21, 10, tzinfo=UTC)
    assert lathe.author == "Ana Ruiz"
    assert lathe.summary_html == "<p>The bed was <em>mostly</em> rust.</p>"
    assert chisels.url == BASE + "2025/11/chisels.html"
    assert chisels.title == "Sharpening chisels <fast>"
    assert chisels.summary_html == "<p>Three stones &amp; a strop.</p>"
    assert chisels.author == "Feed Owner"  # falls back to the feed's authors
    assert bench.url == "https://diary.example.org/2025/11/bench.html"  # id is a URL
    assert bench.title == "A title-less note."  # from the start of its text, not its URL
    # kept without a link: readable from its own text, known by its id
    assert (note.url, note.key) == ("", "no-link-at-all")
    assert note.title == "Kept: readable from the feed."


def test_json_feed_10_author() -> None:
    body = (b'{"version": "https://jsonfeed.org/version/1", "title": "Old",'
            b' "items": [{"id": "a", "url": "/a", "author": {"name": "Solo"}}]}')
    (entry,) = parse_feed(body, "https://old.example.com/feed.json").entries
    assert entry.url == "https://old.example.com/a"
    assert entry.author == "Solo"


def test_json_feed_link_summary_and_attachments_fields() -> None:
    """A link blog's items: the page they point at (external_url), a summary instead of
    content, the item's picture and banner, attachments with and without an address."""
    body = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "Links",
      "items": [
        {"id": "tag:links.example.net,2025:41", "external_url": "https://elsewhere.example.com/x",
         "summary": "Worth a read: <why> & how", "image": "/img/41.png",
         "banner_image": "https://cdn.example.net/b/41.jpg",
         "attachments": [{"url": "/a/41.mp3", "mime_type": "audio/mpeg", "size_in_bytes": "2048"},
                         {"mime_type": "audio/mpeg"}, "not-an-object",
                         {"url": "javascript:alert(1)"}]},
        {"id": "https://links.example.net/42", "url": "https://links.example.net/42",
         "external_url": "https://elsewhere.example.com/y", "content_text": "",
         "summary": "", "image": 42},
        {"id": "ftp://links.example.net/43", "url": "ftp://links.example.net/43",
         "content_html": "", "content_text": "Only text"}
      ]}"""
    first, second, third = parse_feed(body, "https://links.example.net/feed.json").entries
    assert first.url == "https://elsewhere.example.com/x"  # no url: external_url
    assert first.key == "tag:links.example.net,2025:41"
    assert first.summary_html == "<p>Worth a read: &lt;why&gt; &amp; how</p>"
    assert first.title == "Worth a read: <why> & how"
    assert first.images == (Image("https://links.example.net/img/41.png"),
                            Image("https://cdn.example.net/b/41.jpg"))
    assert first.enclosures == (
        Enclosure("https://links.example.net/a/41.mp3", "audio/mpeg", 2048),)
    assert second.url == "https://links.example.net/42"  # url before external_url
    assert (second.summary_html, second.images) == ("", ())
    assert third.url == ""  # neither url nor id is a web address
    assert third.summary_html == "<p>Only text</p>"


def test_empty_feed_is_not_an_error() -> None:
    feed = parse("empty.xml")
    assert feed.title == "Nothing yet"
    assert feed.entries == ()


def test_bozo_feed_with_entries_is_accepted() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tom & Jerry</title>'
            b"<item><title>Cats & mice</title><link>https://x.example.com/1</link></item>"
            b"<item><title>Unclosed</title><link>https://x.example.com/2</link>")
    feed = parse_feed(body, "https://x.example.com/rss")
    assert [e.url for e in feed.entries] == ["https://x.example.com/1", "https://x.example.com/2"]


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>Shop</title></head><body><p>Hi</p></body></html>",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    b"just some words",
    b"/etc/passwd",  # feedparser would open a file by that name if given bytes directly
    b'{"version": "1.0", "items": []}',
    b"{not json",
    b"   ",
])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"not a feed|empty"):
        parse_feed(body, "https://x.example.com/feed")


def test_billion_laughs_is_not_expanded() -> None:
    feed = parse("billion_laughs.xml")  # expanded, it would hold gigabytes of "lol"
    (entry,) = feed.entries
    assert entry.url == "https://laughs.example.com/1.html"
    assert "lollol" not in feed.title + entry.title + entry.summary_html


def test_external_entities_are_not_resolved(httpserver) -> None:
    body = (FEEDS / "xxe.xml").read_bytes().replace(
        b"http://127.0.0.1:9/evil.dtd", httpserver.url_for("/evil.dtd").encode())
    feed = parse_feed(body, "https://xxe.example.com/rss")
    (entry,) = feed.entries
    seen = feed.title + entry.title + entry.summary_html
    assert "root:" not in seen
    assert httpserver.log == []  # no request for the external entity


def test_huge_feed_is_capped() -> None:
    items = b"".join(b"<item><title>Item %d</title><link>a/%d.html</link></item>" % (i, i)
                     for i in range(100_000))
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>%s</channel></rss>'
    feed = parse_feed(body % items, "https://big.example.com/rss")
    assert len(feed.entries) == MAX_ENTRIES
    assert feed.entries[-1].url == f"https://big.example.com/a/{MAX_ENTRIES - 1}.html"


def test_huge_json_feed_is_capped() -> None:
    items = ",".join(f'{{"id": "{i}", "url": "/{i}"}}' for i in range(100_000))
    body = f'{{"version": "https://jsonfeed.org/version/1.1", "items": [{items}]}}'.encode()
    assert len(parse_feed(body, "https://big.example.com/f.json").entries) == MAX_ENTRIES


@pytest.mark.parametrize("name", ["rss091.xml", "rss10.rdf", "rss20.xml", "atom.xml",
                                  "jsonfeed11.json", "empty.xml", "xxe.xml"])
def test_looks_like_feed(name: str) -> None:
    assert looks_like_feed((FEEDS / name).read_bytes())


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html>\n<html><head><link rel='alternate' href='rss.xml'></head></html>",
    b"<?xml version='1.0'?><!-- <rss> --><html xmlns='http://www.w3.org/1999/xhtml'/>",
    b'{"items": []}',
    b"",
])
def test_does_not_look_like_feed(body: bytes) -> None:
    assert not looks_like_feed(body)


def test_utf16_feed_is_sniffed() -> None:
    body = (FEEDS / "empty.xml").read_text("utf-8").replace("utf-8", "utf-16").encode("utf-16")
    assert looks_like_feed(body)
    assert parse_feed(body, "https://x.example.com/f").title == "Nothing yet"
