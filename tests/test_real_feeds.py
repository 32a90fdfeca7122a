"""Real-shaped feeds end to end: `reader add`, `reader update`, `reader show --json` against a
local server. The fixtures (tests/data/feeds/real/) link to made-up hosts; each test serves
them with those hosts replaced by the local server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

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
