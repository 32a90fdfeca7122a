"""Bad sources end in a clear per-source error, never a traceback, and never stop the others."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.errors import ReaderError
from reader.library import Library

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Good</title>
<link>http://x/</link><description>d</description></channel></rss>"""


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path, fetcher_options=dict(
        host_delay=0, read_timeout=1, deadline=3, max_bytes=256 * 1024, retries=0))


def _slow(request: Request) -> Response:
    time.sleep(1.5)
    return Response(RSS, content_type="application/rss+xml")


@pytest.mark.parametrize("path, setup, message", [
    ("/404", lambda r: r.respond_with_data("gone", status=404), "404"),
    ("/500", lambda r: r.respond_with_data("oops", status=500), "500"),
    ("/binary", lambda r: r.respond_with_data(bytes(range(256)) * 20,
                                              content_type="image/png"), "neither a feed"),
    ("/big", lambda r: r.respond_with_data(b"<html>" + b"x" * 400_000,
                                           content_type="text/html"), "larger than"),
    ("/empty", lambda r: r.respond_with_data(b"", content_type="text/html"), "empty"),
    ("/nolinks", lambda r: r.respond_with_data(b"<html><body><p>nothing here",
                                               content_type="text/html"), "no article links"),
    # last: the test server is single-threaded and stays busy while this one sleeps
    ("/slow", lambda r: r.respond_with_handler(_slow), "timed out"),
])
def test_adding_a_bad_source_says_why(library: Library, httpserver: HTTPServer, path: str,
                                      setup: object, message: str) -> None:
    setup(httpserver.expect_request(path))  # type: ignore[operator]
    started = time.monotonic()
    with pytest.raises(ReaderError, match=message):
        library.add_source(httpserver.url_for(path))
    assert time.monotonic() - started < 10
    assert library.sources() == []


def test_an_empty_feed_is_a_source_with_nothing_new(library: Library,
                                                   httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(RSS, content_type="application/rss+xml")
    added = library.add_source(httpserver.url_for("/feed"))
    assert added.source.kind == "feed" and added.found == 0
    [result] = library.update()
    assert (result.new, result.error) == (0, "")


def test_a_failing_source_does_not_stop_the_others(library: Library,
                                                   httpserver: HTTPServer) -> None:
    state = {"broken": False}

    def flaky(request: Request) -> Response:
        if state["broken"]:
            return Response("down", status=503)
        return Response(RSS, content_type="application/rss+xml")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    httpserver.expect_request("/good").respond_with_data(RSS, content_type="application/rss+xml")
    flaky_id = library.add_source(httpserver.url_for("/flaky")).source.id
    library.add_source(httpserver.url_for("/good"))
    state["broken"] = True
    results = {r.source_id: r for r in library.update()}
    assert "503" in results[flaky_id].error
    assert [r.error for i, r in results.items() if i != flaky_id] == [""]
    failing = next(s for s in library.sources() if s.id == flaky_id)
    assert "503" in failing.last_error
