"""Real-shaped feeds (tests/data/feeds/real/): podcasts, shared links, xml:base, markup in
titles, WordPress JSON Feeds, links a browser must not open."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.parse.feed import looks_like_feed, parse_feed
from reader.parse.sanitize import sanitize
from reader.types import Enclosure, Image

REAL = Path(__file__).resolve().parent.parent / "data" / "feeds" / "real"
URL = "https://feeds.example.com/sub/feed"


def parse(name: str, url: str = URL):
    return parse_feed((REAL / name).read_bytes(), url)


def test_podcast_items_without_links_are_kept_with_enclosures_and_images() -> None:
    feed = parse("podcast.rss")
    assert [(e.url, e.key) for e in feed.entries] == [
        ("", "lingnan-ep-42"), ("", "lingnan-ep-41"), ("", "lingnan-extra-9")]
    ep42, ep41, extra = feed.entries
    assert ep42.title == "第42期：从 ThinkPad 到骑楼"
    assert "恩宁路" in ep42.summary_html
    assert ep42.enclosures == (
        Enclosure("https://cdn.podcast.example.cn/audio/ep42.mp3", "audio/mpeg", 46284800),)
    assert ep42.images == (Image("https://cdn.podcast.example.cn/img/ep42-thumb.jpg"),)
    assert ep41.images == (Image("https://cdn.podcast.example.cn/img/ep41.jpg"),)  # media:content
    # an image enclosure is a picture of the item, the video is its enclosure
    assert extra.enclosures == (
        Enclosure("https://cdn.podcast.example.cn/video/tones.mp4", "video/mp4", 120000000),)
    assert extra.images == (Image("https://cdn.podcast.example.cn/img/tones.png"),)


def test_items_sharing_a_link_stay_apart_and_title_less_items_get_their_first_sentence() -> None:
    sponsor, again, morning, afternoon, linkless = parse("shared_links.rss").entries
    assert sponsor.url == again.url == "https://harbourline.example.net/?utm_source=notes"
    assert (sponsor.key, again.key) == ("notes-sponsor-2025-11-17", "notes-sponsor-2025-11-10")
    assert morning.url == afternoon.url == "http://notes.example.com/2025/11/09.html"
    assert morning.key != afternoon.key
    assert morning.title == "The first post of the day has no title, like many posts here."
    assert afternoon.title == "A second post on the same day page, with a link in it."
    assert linkless.url == ""
    assert linkless.key.startswith("sha1:")  # no id, no link: title and date
    assert linkless.title == "A note without any link"


def test_item_keys_are_stable_across_parses() -> None:
    assert [e.key for e in parse("shared_links.rss").entries] == [
        e.key for e in parse("shared_links.rss").entries]


def test_xml_base_and_guids_that_are_no_permalink() -> None:
    library, exams, permalink = parse("xmlbase.rss").entries
    assert library.url == "https://www.example.edu/news/2025/library-hours.html"
    assert 'src="https://www.example.edu/news/2025/img/library.jpg"' in library.summary_html
    assert (exams.url, exams.key) == ("", "campus-8811")  # isPermaLink="False": not a link
    assert permalink.url == "https://www.example.edu/news/2025/guid-permalink.html"


def test_xml_base_in_atom() -> None:
    dogs, tides = parse("xmlbase.atom").entries
    assert dogs.url == "https://blog.example.org/2025/11/dogs.html"
    assert 'href="https://blog.example.org/2025/photos/dogs/"' in dogs.summary_html
    assert dogs.key == "tag:blog.example.org,2025:post-17"
    assert dogs.title == "Dogs of the harbour"
    assert tides.url == "https://blog.example.org/tides/"


def test_titles_are_plain_text() -> None:
    feed = parse("markup_titles.rss")
    assert [e.title for e in feed.entries] == [
        "Slack Stock Jumps 12% After Earnings", "Petrol at ₹105 a litre",
        "Why dogs & cats “rule” the internet"]


def test_only_web_links_are_entry_urls() -> None:
    feed = parse("bad_schemes.rss")
    assert [(e.title, e.url) for e in feed.entries] == [
        ("Passwords", ""), ("Script", ""), ("Share", ""), ("Tag", ""),
        ("Fine", "https://odd.example.com/fine.html")]
    assert feed.entries[3].key == "tag:odd.example.com,2025:4"


def test_a_local_feed_may_link_to_local_files() -> None:
    body = (b'<rss version="2.0"><channel><title>Local</title><item><title>A</title>'
            b"<link>notes/a.html</link></item></channel></rss>")
    (entry,) = parse_feed(body, "file:///home/ana/site/rss.xml").entries
    assert entry.url == "file:///home/ana/site/notes/a.html"


@pytest.mark.parametrize("name", ["wordpress.json", "jsonfeed_v1_http.json"])
def test_json_feed_versions_and_escaped_slashes_are_feeds(name: str) -> None:
    assert looks_like_feed((REAL / name).read_bytes())


def test_wordpress_json_feed() -> None:
    feed = parse("wordpress.json")
    assert feed.title == "Garden Diary"
    beds, swap = feed.entries
    assert beds.url == "https://wp.example.org/2025/11/20/winter-beds/"
    assert beds.key == "https://wp.example.org/?p=311"
    assert beds.title == "Winter beds – what to mulch"
    assert beds.images == (Image("https://wp.example.org/wp-content/uploads/2025/11/beds.jpg"),)
    assert swap.enclosures == (
        Enclosure("https://wp.example.org/wp-content/uploads/swap.mp3", "audio/mpeg", 1048576),)


def test_json_feed_version_1_with_http_and_link_less_items() -> None:
    note, shelf = parse("jsonfeed_v1_http.json").entries
    assert (note.url, note.key) == ("", "2311")
    assert note.title == "Ferry was late again, but the sunrise made up for it."
    assert shelf.url == "https://ana.example.com/2025/11/19/2310.html"
    assert shelf.title == "New bookshelf is up."


@pytest.mark.parametrize("version", ["https://jsonfeed.org/version/2", "1.1",
                                     "https://example.com/jsonfeed.org/version/1"])
def test_other_json_versions_are_not_feeds(version: str) -> None:
    body = f'{{"version": "{version}", "items": []}}'.encode()
    with pytest.raises(Exception, match="not a feed"):
        parse_feed(body, URL)


def test_leading_text_of_a_fragment_stays_text() -> None:
    assert sanitize("&lt;img src=x onerror=alert(1)&gt;", URL) == (
        "&lt;img src=x onerror=alert(1)&gt;")
    assert sanitize("&lt;L29Ah&gt; said <b>hi</b>", URL) == "&lt;L29Ah&gt; said <b>hi</b>"
    # sanitising twice changes nothing
    once = sanitize("&lt;L29Ah&gt; said &amp; <i>x</i>", URL)
    assert sanitize(once, URL) == once
