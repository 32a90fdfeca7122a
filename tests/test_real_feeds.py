"""Real-shaped feeds end to end: `reader add`, `reader update`, `reader show --json` against a
local server. The fixtures (tests/data/feeds/real/) link to made-up hosts; each test serves
them with those hosts replaced by the local server."""

from __future__ import annotations

import io
import re
from pathlib import Path

import PIL.Image
import pytest
from pytest_httpserver import HTTPServer

from reader.library import Library
from tests.conftest import Cli

REAL = Path(__file__).resolve().parent / "data" / "feeds" / "real"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Site</title></head>
<body><article><h1>{heading}</h1><p>{text}</p><p>{text}</p></article></body></html>"""


@pytest.fixture
def cli(cli: Cli, httpserver: HTTPServer) -> Cli:
    cli("settings", "request_delay_ms", "0")
    httpserver.no_handler_status_code = 404  # pages not served: the page cannot be fetched
    return cli


def serve_feed(httpserver: HTTPServer, name: str, hosts: tuple[str, ...],
               content_type: str = "application/rss+xml") -> str:
    """Serve a fixture with its made-up hosts pointing at the local server; returns its URL."""
    body = (REAL / name).read_text(encoding="utf-8")
    local = httpserver.url_for("/").rstrip("/")
    for host in hosts:
        body = re.sub(rf"https?:(\\?/)\1{re.escape(host)}", local.replace("\\", ""), body)
    path = "/" + name
    httpserver.expect_request(path).respond_with_data(body.encode(), content_type=content_type)
    return httpserver.url_for(path)


def articles(cli: Cli) -> list[dict[str, object]]:
    rows = cli.json("list", "--limit", "100")
    return [cli.json("show", str(r["id"])) for r in rows]  # type: ignore[index, misc]


def test_titles_are_plain_text_and_leading_text_survives(cli: Cli, httpserver: HTTPServer
                                                         ) -> None:
    url = serve_feed(httpserver, "markup_titles.rss", ("markets.example.in",))
    httpserver.expect_request("/dogs.html").respond_with_data(
        PAGE.format(title="Why dogs &amp; cats rule the internet",
                    heading="Why <i>dogs</i> &amp; cats rule the internet",
                    text="Pets have taken over the internet, and nobody minds. " * 5),
        content_type="text/html")
    cli("add", url)
    cli("update")
    shown = {a["url"].rsplit("/", 1)[-1]: a for a in articles(cli)}  # type: ignore[union-attr]
    assert shown["slack-stock.html"]["title"] == "Slack Stock Jumps 12% After Earnings"
    assert shown["petrol.html"]["title"] == "Petrol at ₹105 a litre"
    assert shown["dogs.html"]["title"] == "Why dogs & cats rule the internet"
    # the feed's summary (the pages are not served): a nickname in angle brackets is text
    assert str(shown["slack-stock.html"]["text"]).startswith("<L29Ah> said the numbers")
    assert shown["slack-stock.html"]["page_error"] == "HTTP 404 Not Found"
    assert shown["dogs.html"]["page_error"] == ""
    assert "<L29Ah>" not in str(shown["slack-stock.html"]["html"])
    petrol = shown["petrol.html"]
    assert "<img" not in str(petrol["html"]) and "onerror" in str(petrol["text"])
    listed = cli("list")
    assert "<b>" not in listed and "<span" not in listed


def test_entries_linking_outside_the_web_are_never_stored_as_links(cli: Cli,
                                                                  httpserver: HTTPServer
                                                                  ) -> None:
    url = serve_feed(httpserver, "bad_schemes.rss", ("odd.example.com",))
    cli("add", url)
    cli("update")
    urls = [str(a["url"]) for a in articles(cli)]
    assert all(u.startswith(httpserver.url_for("/")) for u in urls), urls
    assert any(u.endswith("/fine.html") for u in urls)


@pytest.mark.parametrize("name, host, count", [("wordpress.json", "wp.example.org", 2),
                                               ("jsonfeed_v1_http.json", "ana.example.com", 1)])
def test_json_feeds_of_every_version_are_feeds(cli: Cli, httpserver: HTTPServer, name: str,
                                               host: str, count: int) -> None:
    url = serve_feed(httpserver, name, (host,), content_type="application/json")
    assert "feed" in cli("add", url)
    cli("update")
    rows = cli.json("list")
    assert len(rows) >= count  # type: ignore[arg-type]


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    PIL.Image.new("RGB", (120, 90), (200, 120, 40)).save(out, fmt)
    return out.getvalue()


def test_a_podcast_keeps_every_episode_with_its_enclosures_and_pictures(
        cli: Cli, httpserver: HTTPServer) -> None:
    url = serve_feed(httpserver, "podcast.rss", ("podcast.example.cn", "cdn.podcast.example.cn"))
    pictures = {"/img/ep42-thumb.jpg": _image("JPEG"), "/img/ep41.jpg": _image("JPEG"),
                "/img/tones.png": _image("PNG")}
    for path, data in pictures.items():
        httpserver.expect_request(path).respond_with_data(data, content_type="image/jpeg")
    cli("add", url)
    assert "3 new" in cli("update")
    shown = {str(a["title"]): a for a in articles(cli)}
    assert set(shown) == {"第42期：从 ThinkPad 到骑楼", "第41期：早茶的规矩", "番外：粤语九声"}
    ep42 = shown["第42期：从 ThinkPad 到骑楼"]
    assert "恩宁路" in str(ep42["text"])
    local = httpserver.url_for("/")
    assert ep42["enclosures"] == [
        {"url": local + "audio/ep42.mp3", "type": "audio/mpeg", "length": 46284800}]
    assert ep42["page_error"] == ""  # there is no page: nothing failed
    # the feed's pictures are the article's, downloaded like a page's
    assert [i["url"] for i in ep42["images"]] == [local + "img/ep42-thumb.jpg"]  # type: ignore[index]
    assert f'src="{local}img/ep42-thumb.jpg"' in str(ep42["html"])
    tones = shown["番外：粤语九声"]
    assert [e["url"] for e in tones["enclosures"]] == [local + "video/tones.mp4"]  # type: ignore[index]
    with Library(cli.data_dir) as library:
        for path in pictures:
            assert library.image(local + path.lstrip("/")) == pictures[path]
    # the audio and video are links, never downloaded
    assert not any(r.path.endswith((".mp3", ".m4a", ".mp4")) for r, _ in httpserver.log)
    # a link-less episode is no web page: its stored URL is the feed's, with its own fragment
    assert all(str(a["url"]).startswith(url + "#item-") for a in shown.values())
    assert "0 new, 0 updated, 3 unchanged" in cli("update")


def test_items_sharing_a_link_and_link_less_items_are_all_kept_once(
        cli: Cli, httpserver: HTTPServer) -> None:
    url = serve_feed(httpserver, "shared_links.rss", ("notes.example.com",
                                                      "harbourline.example.net"))
    cli("add", url)
    assert "5 new" in cli("update")
    titles = sorted(str(a["title"]) for a in articles(cli))
    assert titles == sorted([
        "Sponsor: Harbourline, backups that stay put", "Harbourline, again",
        "The first post of the day has no title, like many posts here.",
        "A second post on the same day page, with a link in it.", "A note without any link"])
    urls = sorted(str(a["url"]) for a in articles(cli))
    local = httpserver.url_for("/")
    # The first item holds the link, the other its own; ?utm_source=notes is no part of one.
    assert urls[:4] == [local, local + "#item-" + urls[1][-16:], local + "2025/11/09.html",
                        local + "2025/11/09.html#item-" + urls[3][-16:]]
    assert urls[4].startswith(url + "#item-")  # no link at all: the feed's URL
    assert "0 new, 0 updated, 5 unchanged" in cli("update")
    assert len(cli.json("list")) == 5  # type: ignore[arg-type]
