"""When article pages are out of reach, the update says so per source, keeps the feed's
summaries, and gives a dead host up after a few failures instead of trying every page three
times. Through `reader update` against servers on 127.0.0.1; counts requests, never times."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import Cli


class HangUp:
    """A host that takes connections, reads the request and closes without a word."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.requests = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(4096)
                except OSError:
                    continue
                with self._lock:
                    self.requests += 1

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def dead() -> Iterator[HangUp]:
    host = HangUp()
    yield host
    host.close()


def _refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def feed(title: str, base: str, n: int, *, summaries: bool = True) -> bytes:
    items = "".join(
        f"<item><title>{title} {i}</title><link>{base}/{title}/{i}.html</link>"
        f"<guid>{base}/{title}/{i}.html</guid>"
        + (f"<description>Summary {i} of {title}: the feed says enough to read.</description>"
           if summaries else "") + "</item>" for i in range(n))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link><description>d</description>{items}</channel></rss>").encode()


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli("settings", "request_delay_ms", "0")
    cli("settings", "prefetch_related", "false")
    return cli


def test_pages_of_a_host_that_does_not_answer_cost_three_requests_not_three_each(
        cli: Cli, httpserver: HTTPServer, dead: HangUp) -> None:
    base = f"http://127.0.0.1:{dead.port}"
    httpserver.expect_request("/a.xml").respond_with_data(feed("alpha", base, 12),
                                                          content_type="application/rss+xml")
    httpserver.expect_request("/b.xml").respond_with_data(feed("beta", base, 12),
                                                          content_type="application/rss+xml")
    cli("add", httpserver.url_for("/a.xml"))
    cli("add", httpserver.url_for("/b.xml"))
    out = cli("update")
    # 24 pages on one dead host: 3 failures give it up (one more may be in flight already)
    assert 3 <= dead.requests <= 4, dead.requests
    lines = [line for line in out.splitlines() if line.startswith(("   1", "   2"))]
    assert len(lines) == 2
    for line in lines:
        assert "12 new" in line and "0 failed" in line
        assert re.search(r"12 kept the feed's summary: the page could not be fetched \("
                         rf"(gave up on 127\.0\.0\.1:{dead.port}|server closed|connection "
                         "reset)", line), line
    row = cli.json("list", "--limit", "1")[0]  # type: ignore[index]
    shown = cli("show", str(row["id"]))
    assert "Summary from the feed; the page could not be fetched" in shown
    assert "the feed says enough to read" in shown
    assert cli.json("show", str(row["id"]))["page_error"]  # type: ignore[index]


def test_a_page_out_of_reach_without_a_summary_is_a_failure(cli: Cli,
                                                           httpserver: HTTPServer) -> None:
    base = f"http://127.0.0.1:{_refused_port()}"
    httpserver.expect_request("/c.xml").respond_with_data(
        feed("gamma", base, 5, summaries=False), content_type="application/rss+xml")
    cli("add", httpserver.url_for("/c.xml"))
    out = cli("update")
    assert "0 new" in out and "5 failed" in out
    assert "connection refused" in out and "gave up on" in out

