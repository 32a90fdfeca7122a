"""reader.fetch.http against real servers on 127.0.0.1, friendly (pytest-httpserver) and hostile.

A fetcher that hangs is as broken as one that crashes, so gets run under no_hang: a bound of
a few deadlines, never a speed test. Waits the fetcher chooses (backoff, Retry-After, per-host
spacing) are read from a fake clock instead of timed.
"""

from __future__ import annotations

import email.utils
import gzip
import http.server
import inspect
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from urllib3.connectionpool import HTTPConnectionPool

from reader.errors import FetchError
from reader.fetch.deadline import Deadline
from reader.fetch.http import Fetcher, _retry_after
from tests.fakes import FakeClock

MB = 2**20


DEADLINE = 3.0  # make_fetcher's


@contextmanager
def no_hang(deadline: float = DEADLINE, gets: int = 1) -> Iterator[None]:
    """Each get() ends by its deadline; three deadlines each means one hung."""
    start = time.monotonic()
    yield
    elapsed, limit = time.monotonic() - start, 3 * deadline * gets
    assert elapsed < limit, f"took {elapsed:.2f} s, limit {limit} s"


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    """Fetchers with test-sized timeouts; closed at teardown."""
    made: list[Fetcher] = []

    def make(**overrides: object) -> Fetcher:
        options: dict[str, object] = dict(
            connect_timeout=1, read_timeout=0.5, deadline=DEADLINE, retries=2, backoff=0.05,
            host_delay=0,
        )
        options.update(overrides)
        fetcher = Fetcher(**options)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


# --- a hostile server -----------------------------------------------------------------------

Handler = Callable[[socket.socket, bytes], None]


class RawServer:
    """A TCP server that reads one request per connection and hands the socket to `handler`.

    Counts requests and the most connections handled at once; handlers may misbehave at will.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.handler: Handler = lambda conn, request: None
        self.requests: list[bytes] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.settimeout(10)
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(4096)
                if not data:
                    return
                request += data
            with self._lock:
                self.requests.append(request)
                self.active += 1
                self.max_active = max(self.max_active, self.active)
            try:
                self.handler(conn, request)
            finally:
                with self._lock:
                    self.active -= 1


@pytest.fixture
def raw() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()


def head(status: str = "200 OK", **headers: str | int) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# --- the plain cases ------------------------------------------------------------------------


def test_200_reports_type_charset_and_validators(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<p>新闻</p>".encode("gbk"), content_type="Text/HTML; charset=GB2312",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 May 2024 10:00:00 GMT"},
    )
    with no_hang():
        response = make_fetcher().get(httpserver.url_for("/page"))
    assert response.status == 200
    assert response.content_type == "text/html"
    assert response.charset == "gb18030"
    assert response.body.decode("gb18030") == "<p>新闻</p>"
    assert (response.etag, response.last_modified) == ('"v1"', "Wed, 01 May 2024 10:00:00 GMT")
    assert not response.not_modified
    request = httpserver.log[0][0]
    assert request.headers["User-Agent"].startswith("Mozilla/5.0 (compatible; Reader/")
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert request.headers["Accept"].startswith("text/html")


def test_304_when_not_modified(httpserver: HTTPServer, make_fetcher) -> None:
    stamp = "Wed, 01 May 2024 10:00:00 GMT"
    httpserver.expect_request(
        "/feed", headers={"If-None-Match": '"v1"', "If-Modified-Since": stamp}
    ).respond_with_data("", status=304, headers={"ETag": '"v1"'})
    with no_hang():
        response = make_fetcher().get(httpserver.url_for("/feed"), etag='"v1"', last_modified=stamp)
    assert response.not_modified
    assert (response.status, response.body, response.etag) == (304, b"", '"v1"')
    # The server sent no Last-Modified back: the one we sent is kept.
    assert response.last_modified == stamp


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "HTTP 404 Not Found"), (410, "HTTP 410 Gone"), (403, "HTTP 403 Forbidden")],
)
def test_client_errors_fail_at_once(httpserver: HTTPServer, make_fetcher, status, message) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=status)
    url = httpserver.url_for("/gone")
    with no_hang(), pytest.raises(FetchError) as caught:
        make_fetcher().get(url)
    assert (str(caught.value), caught.value.status, caught.value.url) == (message, status, url)
    assert len(httpserver.log) == 1


def test_500_is_retried_then_fails(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/err").respond_with_data("boom", status=500)
    clock = FakeClock()
    fetcher = make_fetcher(retries=2, clock=clock.monotonic, sleep=clock.sleep)
    with no_hang(), pytest.raises(FetchError, match=r"^HTTP 500 Internal Server Error$") as caught:
        fetcher.get(httpserver.url_for("/err"))
    assert caught.value.status == 500
    assert len(httpserver.log) == 3
    assert [s for s in clock.slept if s] == [0.05, 0.1]  # backoff doubles


def test_503_then_200_succeeds(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data("later", status=503)
    httpserver.expect_request("/busy").respond_with_data("fine")
    with no_hang():
        response = make_fetcher().get(httpserver.url_for("/busy"))
    assert response.body == b"fine"
    assert [entry[1].status_code for entry in httpserver.log] == [503, 200]


def test_429_waits_for_retry_after(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_oneshot_request("/api").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_request("/api").respond_with_data("ok")
    clock = FakeClock()
    with no_hang(5):
        response = make_fetcher(deadline=5, clock=clock.monotonic, sleep=clock.sleep).get(
            httpserver.url_for("/api"))
    assert response.body == b"ok"
    assert [s for s in clock.slept if s] == [1]  # the server's wish, not the backoff


def test_429_with_a_long_retry_after_fails_at_once(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/api").respond_with_data(
        "go away", status=429, headers={"Retry-After": "3600"}
    )
    with no_hang(), pytest.raises(FetchError, match=r"^rate limited, retry after 3600 s$") as e:
        make_fetcher().get(httpserver.url_for("/api"))
    assert e.value.status == 429
    assert len(httpserver.log) == 1


def test_retry_after_accepts_an_http_date() -> None:
    in_ten = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= (_retry_after(in_ten) or 0) <= 10
    assert _retry_after("Wed, 01 May 2024 10:00:00 GMT") == 0
    assert _retry_after("soon") is None


# --- redirects and schemes ------------------------------------------------------------------


def test_redirects_are_followed(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data("here")
    response = make_fetcher().get(httpserver.url_for("/old"))
    assert (response.url, response.body) == (httpserver.url_for("/new"), b"here")


def test_redirect_loop(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with no_hang(), pytest.raises(FetchError, match=r"^redirect loop$"):
        make_fetcher().get(httpserver.url_for("/a"))


def test_too_many_redirects(httpserver: HTTPServer, make_fetcher) -> None:
    for i in range(6):
        httpserver.expect_request(f"/r{i}").respond_with_data(
            "", status=307, headers={"Location": f"/r{i + 1}"}
        )
    with no_hang(), pytest.raises(FetchError, match=r"^too many redirects$"):
        make_fetcher(max_redirects=3).get(httpserver.url_for("/r0"))
    assert len(httpserver.log) == 4


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"]
)
def test_redirect_off_http_is_refused(httpserver: HTTPServer, make_fetcher, target) -> None:
    httpserver.expect_request("/trap").respond_with_data(
        "", status=302, headers={"Location": target}
    )
    with no_hang(), pytest.raises(FetchError, match=r"^refused redirect to non-http URL"):
        # Even with a file root granted, a server may never point us at the disk.
        make_fetcher().get(httpserver.url_for("/trap"), file_root="/")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)",
            "data:text/html,<script>x</script>", "gopher://example.com/"],
)
def test_non_http_urls_are_refused(make_fetcher, url) -> None:
    with pytest.raises(FetchError) as caught:
        make_fetcher().get(url)
    assert str(caught.value) == f"refused non-http URL {url}"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "section").mkdir(parents=True)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "section" / "index.html").write_text("<h1>section</h1>")
    (root / "feed.xml").write_text("<rss/>")
    (tmp_path / "secret.txt").write_text("private")
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    return root


def test_file_inside_the_root_is_read(make_fetcher, site: Path) -> None:
    fetcher = make_fetcher()
    response = fetcher.get((site / "index.html").as_uri(), file_root=str(site))
    assert (response.status, response.content_type) == (200, "text/html")
    assert response.body == b"<h1>home</h1>"
    assert fetcher.get((site / "feed.xml").as_uri(), file_root=site.as_uri()).body == b"<rss/>"
    assert fetcher.get(site.as_uri() + "/section/", file_root=str(site)).body == b"<h1>section</h1>"
    again = fetcher.get((site / "index.html").as_uri(), file_root=str(site),
                        last_modified=response.last_modified)
    assert again.not_modified


@pytest.mark.parametrize(
    "relative", ["../secret.txt", "section/../../secret.txt", "%2e%2e/secret.txt", "escape.txt"],
)
def test_file_outside_the_root_is_refused(make_fetcher, site: Path, relative: str) -> None:
    url = site.as_uri() + "/" + relative
    with pytest.raises(FetchError, match=r"^refused file outside the source folder"):
        make_fetcher().get(url, file_root=str(site))


def test_file_reads_honour_max_bytes(make_fetcher, site: Path) -> None:
    (site / "big.html").write_bytes(b"x" * 5000)
    with pytest.raises(FetchError, match=r"^response larger than 4.88 KB$"):
        make_fetcher().get((site / "big.html").as_uri(), file_root=str(site), max_bytes=4999)


# --- network failures -----------------------------------------------------------------------


def test_dead_port_is_connection_refused(make_fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with no_hang(), pytest.raises(FetchError, match=r"^connection refused$") as caught:
        make_fetcher().get(f"http://127.0.0.1:{port}/")
    assert caught.value.status is None


def test_time_out_before_headers(raw: RawServer, make_fetcher) -> None:
    raw.handler = lambda conn, request: time.sleep(3)
    with no_hang(), pytest.raises(FetchError, match=r"^timed out after 0.3 s$"):
        make_fetcher(read_timeout=0.3).get(raw.url())
    assert len(raw.requests) == 3  # timeouts are retried like other network errors


def test_time_out_mid_body(raw: RawServer, make_fetcher) -> None:
    def stall(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(Content_Length=100) + b"0123456789")
        time.sleep(3)

    raw.handler = stall
    with no_hang(), pytest.raises(FetchError, match=r"^timed out after 0.3 s$"):
        make_fetcher(read_timeout=0.3, retries=0).get(raw.url())


def drip(data: bytes, every: float) -> Handler:
    def handler(conn: socket.socket, request: bytes) -> None:
        for i in range(len(data)):
            conn.sendall(data[i:i + 1])
            time.sleep(every)

    return handler


def test_dripping_body_ends_at_the_deadline(raw: RawServer, make_fetcher) -> None:
    raw.handler = drip(head(Content_Length=1000) + b"x" * 1000, every=0.1)
    with no_hang(1.5), pytest.raises(FetchError, match=r"^timed out after 1.5 s$"):
        make_fetcher(read_timeout=1, deadline=1.5).get(raw.url())


def test_dripping_headers_end_at_the_deadline(raw: RawServer, make_fetcher) -> None:
    raw.handler = drip(head(X_Padding="p" * 1000), every=0.1)
    with no_hang(1.5), pytest.raises(FetchError, match=r"^timed out after 1.5 s$"):
        make_fetcher(read_timeout=1, deadline=1.5).get(raw.url())


def test_a_shorter_deadline_ends_its_get_while_a_longer_one_is_watched(
        raw: RawServer, make_fetcher) -> None:
    raw.handler = drip(head(Content_Length=1000) + b"x" * 1000, every=0.1)
    errors: list[str] = []

    def long_get() -> None:
        try:
            make_fetcher(read_timeout=1, deadline=4).get(raw.url())
        except FetchError as e:
            errors.append(str(e))

    first = threading.Thread(target=long_get)
    first.start()
    with no_hang(1.5), pytest.raises(FetchError, match=r"^timed out after 1.5 s$"):
        make_fetcher(read_timeout=1, deadline=1.5).get(raw.url())
    first.join()
    assert errors == ["timed out after 4 s"]


def test_gets_start_no_thread_of_their_own_for_the_deadline(
        httpserver: HTTPServer, make_fetcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """One thread watches every get's deadline: a timer thread per get was a thread started
    and stopped for each page and image of an update."""
    httpserver.expect_request("/page").respond_with_data("ok")
    fetcher = make_fetcher()
    fetcher.get(httpserver.url_for("/page"))  # the watching thread is up
    started: list[str] = []
    start = threading.Thread.start

    def counted(thread: threading.Thread) -> None:
        started.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted)
    for _ in range(20):
        assert fetcher.get(httpserver.url_for("/page")).body == b"ok"
    assert started == []


def reset(conn: socket.socket, request: bytes) -> None:
    # SO_LINGER 0: close sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_connection_reset(raw: RawServer, make_fetcher) -> None:
    raw.handler = reset
    with no_hang(), pytest.raises(FetchError) as caught:
        make_fetcher().get(raw.url())
    assert str(caught.value) in ("connection reset by server",
                                 "server closed the connection without a response")
    assert len(raw.requests) == 3


def test_an_unusable_proxy_fails_when_set() -> None:
    with pytest.raises(FetchError, match=r"^unsupported proxy ftp://proxy:21$"):
        Fetcher(proxy="ftp://proxy:21")


def test_proxy_is_used(raw: RawServer, make_fetcher) -> None:
    raw.handler = lambda conn, request: conn.sendall(head(Content_Length=2) + b"ok")
    response = make_fetcher(proxy=raw.url()).get("http://news.example/page")
    assert response.body == b"ok"
    assert raw.requests[0].startswith(b"GET http://news.example/page HTTP/1.1")


# --- size caps ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 1 MB of gzip inflating to 1 GiB: 16 members of 64 MiB of zeros each."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    member = b"".join([compressor.compress(zeros) for _ in range(64)] + [compressor.flush()])
    return member * 16


def test_gzip_bomb_stops_at_the_cap_in_bounded_memory(
    raw: RawServer, make_fetcher, gzip_bomb: bytes
) -> None:
    # Two sendall calls: concatenating would copy the bomb inside the traced window.
    raw.handler = stream(iter([gzip_bomb]), head(Content_Encoding="gzip"))
    fetcher = make_fetcher(max_bytes=2 * MB)
    tracemalloc.start()
    try:
        with no_hang(), pytest.raises(FetchError, match=r"^response larger than 2 MB$"):
            fetcher.get(raw.url())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB, f"peak {peak / MB:.1f} MB"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress),
     ("deflate", lambda data: zlib.compress(data)[2:-4])],  # raw deflate, as some servers send
)
def test_compressed_bodies_are_inflated(raw: RawServer, make_fetcher, encoding, compress) -> None:
    body = compress(b"<p>hello</p>" * 1000)
    raw.handler = lambda conn, request: conn.sendall(
        head(Content_Encoding=encoding, Content_Length=len(body)) + body
    )
    assert make_fetcher().get(raw.url()).body == b"<p>hello</p>" * 1000


def test_gzip_junk_is_tolerated_after_a_member_but_not_inside_one(raw: RawServer, make_fetcher):
    whole = gzip.compress(b"<p>news</p>" * 100)
    raw.handler = stream(iter([whole + b"\0junk"]), head(Content_Encoding="gzip"))
    assert make_fetcher().get(raw.url()).body == b"<p>news</p>" * 100
    corrupt = whole[:20] + bytes(b ^ 0xFF for b in whole[20:40]) + whole[40:]
    raw.handler = stream(iter([corrupt]), head(Content_Encoding="gzip"))
    with pytest.raises(FetchError, match=r"^could not decompress the response \(gzip\)$"):
        make_fetcher(retries=0).get(raw.url())


def test_stacked_encodings_are_refused(raw: RawServer, make_fetcher) -> None:
    body = gzip.compress(gzip.compress(b"x" * 100))
    raw.handler = lambda conn, request: conn.sendall(
        head(Content_Encoding="gzip, gzip", Content_Length=len(body)) + body
    )
    with pytest.raises(FetchError, match=r"^unsupported content encoding gzip, gzip$"):
        make_fetcher().get(raw.url())


def stream(chunks: Iterator[bytes], headers: bytes) -> Handler:
    def handler(conn: socket.socket, request: bytes) -> None:
        conn.sendall(headers)
        for chunk in chunks:
            conn.sendall(chunk)

    return handler


def test_a_200_mb_body_fails_quickly(raw: RawServer, make_fetcher) -> None:
    piece = b"x" * 65536
    raw.handler = stream((piece for _ in range(200 * 16)), head(Content_Type="text/html"))
    with no_hang(), pytest.raises(FetchError, match=r"^response larger than 1 MB$"):
        make_fetcher(max_bytes=MB).get(raw.url())


def endless_chunks() -> Iterator[bytes]:
    while True:
        yield b"1000\r\n" + b"y" * 0x1000 + b"\r\n"


def test_an_endless_chunked_stream_stops_at_the_cap(raw: RawServer, make_fetcher) -> None:
    raw.handler = stream(endless_chunks(), head(Transfer_Encoding="chunked"))
    with no_hang(), pytest.raises(FetchError, match=r"^response larger than 1 MB$"):
        make_fetcher(max_bytes=MB).get(raw.url())


def test_a_slow_endless_chunked_stream_stops_at_the_deadline(raw: RawServer, make_fetcher) -> None:
    def slow_chunks() -> Iterator[bytes]:
        for chunk in endless_chunks():
            time.sleep(0.05)
            yield chunk

    raw.handler = stream(slow_chunks(), head(Transfer_Encoding="chunked"))
    with no_hang(1), pytest.raises(FetchError, match=r"^timed out after 1 s$"):
        make_fetcher(deadline=1).get(raw.url())


def test_content_length_above_the_cap_fails_before_reading(raw: RawServer, make_fetcher) -> None:
    def announce(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(Content_Length=200 * MB))
        time.sleep(3)  # sends nothing: a client that started reading would time out instead

    raw.handler = announce
    with no_hang(), pytest.raises(FetchError, match=r"^response larger than 8 MB$") as caught:
        make_fetcher(read_timeout=1).get(raw.url())
    assert caught.value.status == 200


# --- politeness -----------------------------------------------------------------------------


class InFlight:
    """Counts requests the server is working on, from arrival until just before it answers.

    The count drops before the answer goes out: the client frees its slot only after reading
    the answer, so a request it sends next can never overlap this one here. (Counting until
    the handler returns would, when the server's thread is descheduled after sending.)
    """

    def __init__(self, hold_until: int) -> None:
        self.hold_until = hold_until
        self.now = self.most = 0
        self._changed = threading.Condition()

    def __call__(self, conn: socket.socket, request: bytes) -> None:
        with self._changed:
            self.now += 1
            self.most = max(self.most, self.now)
            self._changed.notify_all()
            # Held until hold_until are in flight (or a second passed): requests overlap, so a
            # client over its limit shows as more in flight.
            self._changed.wait_for(lambda: self.now >= self.hold_until, timeout=1)
            self.now -= 1
        conn.sendall(head(Content_Length=2) + b"ok")


def test_at_most_two_connections_per_host(raw: RawServer, make_fetcher) -> None:
    raw.handler = in_flight = InFlight(hold_until=3)  # one over the limit: each pair waits 1 s
    fetcher = make_fetcher(per_host=2, deadline=10, read_timeout=5)
    with no_hang(10, gets=3), ThreadPoolExecutor(6) as pool:
        bodies = list(pool.map(lambda i: fetcher.get(raw.url(f"/{i}")).body, range(6)))
    assert bodies == [b"ok"] * 6
    assert in_flight.most == 2


def test_requests_to_a_host_start_host_delay_apart(raw: RawServer, make_fetcher) -> None:
    raw.handler = lambda conn, request: conn.sendall(head(Content_Length=2) + b"ok")
    clock = FakeClock()
    fetcher = make_fetcher(host_delay=0.3, clock=clock.monotonic, sleep=clock.sleep)
    with no_hang(gets=3):
        for i in range(3):
            fetcher.get(raw.url(f"/{i}"))
    assert clock.slept == [0, pytest.approx(0.3), pytest.approx(0.3)]
    fetcher.get(raw.url("/elsewhere").replace("127.0.0.1", "localhost"))
    assert clock.slept[-1] == 0  # another host does not wait


def test_keep_alive_connections_survive_deadlines_under_load(make_fetcher) -> None:
    """Many threads on pooled connections, deadlines firing around the end of requests:
    a watchdog must never shut down a connection that went back to the pool."""

    class KeepAlive(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(0.002 * (hash(self.path) % 10))
            with suppress(OSError):  # the client gave up at its deadline
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # a server slower than this deadline would be given up on: here it must stay tried
    fetcher = make_fetcher(per_host=4, retries=0, deadline=0.015, give_up_after=10**9)
    try:
        def get(i: int) -> str:
            try:
                return fetcher.get(f"{url}/{i}").body.decode()
            except FetchError as e:
                return str(e)

        with no_hang(0.015, gets=400), ThreadPoolExecutor(8) as pool:
            outcomes = set(pool.map(get, range(400)))
    finally:
        server.shutdown()
        server.server_close()
    assert "ok" in outcomes
    assert {o for o in outcomes if not o.startswith("timed out after 0.015 s")} == {"ok"}


def test_urllib3_pool_hooks_are_where_the_watchdog_expects(httpserver: HTTPServer,
                                                           make_fetcher) -> None:
    """The deadline watchdog overrides urllib3's private _get_conn/_put_conn: a urllib3 that
    renames or reshapes them must fail here, not leave dripping servers unwatched."""
    assert list(inspect.signature(HTTPConnectionPool._get_conn).parameters) == [
        "self", "timeout"]
    assert list(inspect.signature(HTTPConnectionPool._put_conn).parameters) == ["self", "conn"]
    httpserver.expect_request("/").respond_with_data("ok")
    fetcher = make_fetcher()
    seen: list[object] = []
    original = Deadline.watch
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Deadline, "watch", lambda self, conn: (seen.append(conn),
                                                               original(self, conn)))
        assert fetcher.get(httpserver.url_for("/")).body == b"ok"
    assert len(seen) == 1


# --- POST (API calls) -----------------------------------------------------------------------


def test_post_sends_the_form_under_the_same_rules(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_oneshot_request("/api", method="POST", query_string="api&items",
                                      data="api_key=k%3Ay&id=7").respond_with_data(
        "busy", status=503)
    httpserver.expect_request("/api", method="POST", data="api_key=k%3Ay&id=7"
                              ).respond_with_data('{"auth": 1}', content_type="application/json")
    httpserver.expect_request("/big", method="POST").respond_with_data(b"x" * 2048)
    fetcher = make_fetcher()
    with no_hang():
        response = fetcher.post(httpserver.url_for("/api") + "?api&items",
                                {"api_key": "k:y", "id": "7"})
    assert (response.body, response.content_type) == (b'{"auth": 1}', "application/json")
    assert [entry[1].status_code for entry in httpserver.log] == [503, 200]  # retried
    with pytest.raises(FetchError, match=r"^response larger than 1 KB$"):
        fetcher.post(httpserver.url_for("/big"), {}, max_bytes=1024)


def test_post_refuses_redirects_and_non_http(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/api", method="POST").respond_with_data(
        "", status=301, headers={"Location": "https://elsewhere.example/api"})
    with pytest.raises(FetchError, match=r"^the server moved this address to "
                                         r"https://elsewhere\.example/api$"):
        make_fetcher().post(httpserver.url_for("/api"), {"a": "b"})
    with pytest.raises(FetchError, match=r"^refused non-http URL"):
        make_fetcher().post("file:///etc/passwd", {})


# --- hosts that are down ----------------------------------------------------------------------


def _hang_up(conn: socket.socket, request: bytes) -> None:
    """Read the request and close without a word: a host that does not answer."""


def test_a_host_that_never_answers_is_given_up_after_three_failures(raw: RawServer,
                                                                    make_fetcher) -> None:
    raw.handler = _hang_up
    clock = FakeClock()
    fetcher = make_fetcher(clock=clock.monotonic, sleep=clock.sleep)
    with pytest.raises(FetchError, match=r"without a response|reset"):
        fetcher.get(raw.url("/1"))
    assert len(raw.requests) == 3  # the first page: tried and retried
    for n in range(2, 12):
        with pytest.raises(FetchError, match=rf"^gave up on 127.0.0.1:{raw.port} after 3 "
                                             r"failures in a row \((server closed|connection "
                                             r"reset)"):
            fetcher.get(raw.url(f"/{n}"))
    assert len(raw.requests) == 3  # the other ten pages cost the host nothing


def test_a_given_up_host_is_tried_again_later_and_forgiven_when_it_answers(
        raw: RawServer, make_fetcher) -> None:
    raw.handler = _hang_up
    clock = FakeClock()
    fetcher = make_fetcher(clock=clock.monotonic, sleep=clock.sleep, give_up_for=60)
    with pytest.raises(FetchError):
        fetcher.get(raw.url("/a"))
    clock.advance(59)
    with pytest.raises(FetchError, match="gave up"):
        fetcher.get(raw.url("/b"))
    assert len(raw.requests) == 3
    clock.advance(1)
    raw.handler = lambda conn, request: conn.sendall(head(Content_Length=2) + b"ok")
    assert fetcher.get(raw.url("/c")).body == b"ok"
    assert fetcher.get(raw.url("/d")).body == b"ok"  # forgiven
    assert len(raw.requests) == 5


def test_giving_up_is_per_host_and_port(raw: RawServer, make_fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    clock = FakeClock()
    fetcher = make_fetcher(clock=clock.monotonic, sleep=clock.sleep)
    with pytest.raises(FetchError, match=r"^connection refused$"):
        fetcher.get(f"http://127.0.0.1:{dead}/")
    with pytest.raises(FetchError, match=f"^gave up on 127.0.0.1:{dead} after 3 failures in "
                                         r"a row \(connection refused\)$"):
        fetcher.get(f"http://127.0.0.1:{dead}/other")
    raw.handler = lambda conn, request: conn.sendall(head(Content_Length=2) + b"ok")
    assert fetcher.get(raw.url()).body == b"ok"  # the same address, another port: alive


def test_pages_of_a_silent_host_waiting_in_parallel_cost_one_round_of_failures(
        raw: RawServer, make_fetcher) -> None:
    """Eight pages at once to a host whose answers never come (read timeouts): at most the
    two per-host slots' tries reach it before it is given up, not 8 x 3."""
    release = threading.Event()
    raw.handler = lambda conn, request: release.wait(5)
    fetcher = make_fetcher(read_timeout=0.2, backoff=0, deadline=10)
    errors: list[str] = []

    def get(n: int) -> None:
        try:
            fetcher.get(raw.url(f"/{n}"))
        except FetchError as e:
            errors.append(str(e))

    threads = [threading.Thread(target=get, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    release.set()
    assert len(errors) == 8
    assert len(raw.requests) <= 4, raw.requests  # 3 failures, plus one already in flight
    assert sum(e.startswith("gave up on") for e in errors) >= 6


def test_a_host_that_never_sends_a_head_within_the_deadline_is_given_up(
        raw: RawServer, make_fetcher) -> None:
    """Dropped answers: each try ends at the deadline, not a read timeout; three in a row and
    the host's other pages are not tried (a whole deadline each, otherwise)."""
    release = threading.Event()
    raw.handler = lambda conn, request: release.wait(5)
    fetcher = make_fetcher(read_timeout=5, deadline=0.3)
    try:
        for n in range(8):
            with pytest.raises(FetchError, match=r"timed out after 0.3 s|gave up on"):
                fetcher.get(raw.url(f"/{n}"))
    finally:
        release.set()
    assert len(raw.requests) == 3


def test_a_body_that_outlasts_the_deadline_is_not_held_against_the_host(
        raw: RawServer, make_fetcher) -> None:
    def drip(conn: socket.socket, request: bytes) -> None:
        conn.sendall(head(Content_Length=100) + b"x")
        time.sleep(0.6)

    raw.handler = drip
    fetcher = make_fetcher(deadline=0.3, read_timeout=5)
    for n in range(5):
        with pytest.raises(FetchError, match=r"^timed out after 0.3 s$"):
            fetcher.get(raw.url(f"/{n}"))
    assert len(raw.requests) == 5  # it answers, slowly: every page is tried
