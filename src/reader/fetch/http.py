"""Every download Reader makes: one requests.Session behind caps, deadlines and politeness.

Servers are strangers, so nothing they send is trusted: bodies are streamed and decompressed here
(never by urllib3) so the size cap holds after inflation, a watchdog ends a request at its
wall-clock deadline even while headers or body are dripping in, redirects are followed by hand so
each hop meets the scheme policy, and every failure becomes a FetchError a user can read.
"""

from __future__ import annotations

import email.utils
import functools
import http
import http.client
import importlib.util
import io
import logging
import mimetypes
import os
import socket
import stat
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests
import requests.adapters
import urllib3.exceptions
from urllib3.connectionpool import HTTPConnectionPool

from reader import __version__
from reader.charset import normalise
from reader.errors import FetchError

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; Reader/{__version__}; +https://github.com/reader-news/reader)"
)
# A form to POST: fields, or pairs where a field repeats (the Google Reader API's i=...).
Form = Mapping[str, str] | Sequence[tuple[str, str]]
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# br is left out: we decode bodies ourselves and no brotli decoder is installed.
_ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_MAX_URL_IN_MESSAGE = 200


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    status: int  # 2xx, or 304 when not_modified
    content_type: str  # media type only, lower case
    charset: str | None  # from the Content-Type header, normalised
    body: bytes  # decompressed, at most max_bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# --- messages -------------------------------------------------------------------------------


def _short(url: str) -> str:
    """URLs in messages are clipped: a data: URL can be megabytes long."""
    return url if len(url) <= _MAX_URL_IN_MESSAGE else url[:_MAX_URL_IN_MESSAGE] + "…"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def _status_message(status: int) -> str:
    # The server's own reason phrase is untrusted text; use the standard one.
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    return f"HTTP {status} {phrase}"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps (requests and urllib3 nest several layers deep)."""
    seen: set[int] = set()
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        nested += list(current.args)
        stack.extend(e for e in nested if isinstance(e, BaseException))


def _network_message(error: BaseException, fetcher: Fetcher) -> str:
    causes = list(_causes(error))
    kinds = tuple(type(e) for e in causes)

    def has(kind: type[BaseException]) -> bool:
        return any(issubclass(k, kind) for k in kinds)

    # Before timeouts: urllib3's NewConnectionError subclasses ConnectTimeoutError.
    if has(ConnectionRefusedError):
        return "connection refused"
    if has(socket.gaierror):
        return "host not found"
    if has(requests.exceptions.ConnectTimeout) or has(urllib3.exceptions.ConnectTimeoutError):
        return f"connection timed out after {_seconds(fetcher.connect_timeout)}"
    if has(socket.timeout) or has(urllib3.exceptions.ReadTimeoutError):
        return f"timed out after {_seconds(fetcher.read_timeout)}"
    if has(ConnectionResetError):
        return "connection reset by server"
    if has(requests.exceptions.SSLError) or has(urllib3.exceptions.SSLError):
        return "secure connection (TLS) failed"
    if has(requests.exceptions.ProxyError) or has(urllib3.exceptions.ProxyError):
        return "proxy connection failed"
    if has(urllib3.exceptions.IncompleteRead) or has(http.client.IncompleteRead):
        return "server closed the connection before the end of the response"
    if has(http.client.RemoteDisconnected):
        return "server closed the connection without a response"
    if has(requests.exceptions.InvalidURL) or has(urllib3.exceptions.LocationParseError):
        return "invalid URL"
    return "network error: invalid or interrupted response"


# --- deadline watchdog ----------------------------------------------------------------------

_local = threading.local()


class _Deadline:
    """Wall-clock limit for one get(): when it passes, the sockets in use are shut down.

    A read timeout restarts with every byte, so a server sending one byte a second would never
    trip it; shutting the socket down from a timer thread wakes the blocked read at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._connections: set[Any] = set()
        self._done = False
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def passed(self) -> bool:
        return self.expired or self.remaining() <= 0

    def watch(self, connection: Any) -> None:
        with self._lock:
            self._connections.add(connection)

    def unwatch(self, connection: Any) -> None:
        # Under the lock, so a connection back in the pool is never shut down by this timer.
        with self._lock:
            self._connections.discard(connection)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for connection in self._connections:
                _shutdown(getattr(connection, "sock", None))

    @contextmanager
    def running(self) -> Iterator[None]:
        _local.deadline = self
        self._timer.start()
        try:
            yield
        finally:
            with self._lock:
                self._done = True
                self._connections.clear()
            self._timer.cancel()
            _local.deadline = None


def _shutdown(sock: object) -> None:
    if not isinstance(sock, socket.socket):
        return  # TLS-in-TLS transports: the between-chunk check still ends the read
    # socket.socket's own shutdown: SSLSocket.shutdown would also tear down TLS state under
    # the reading thread's feet.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _current_deadline() -> _Deadline | None:
    return getattr(_local, "deadline", None)


class _WatchedPool:
    """Connection pool mixin: connections handed to a get() are known to its deadline."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)  # type: ignore[misc]
        deadline = _current_deadline()
        if deadline is not None:
            deadline.watch(connection)
        return connection

    def _put_conn(self, conn: Any) -> None:
        deadline = _current_deadline()
        if deadline is not None and conn is not None:
            deadline.unwatch(conn)
        super()._put_conn(conn)  # type: ignore[misc]


@functools.cache
def _watched(pool_class: type[HTTPConnectionPool]) -> type[HTTPConnectionPool]:
    return type(f"Watched{pool_class.__name__}", (_WatchedPool, pool_class), {})


def _watch_pools(manager: Any) -> Any:
    # A new dict: PoolManager shares urllib3's module-level one by default.
    manager.pool_classes_by_scheme = {
        scheme: _watched(cls) for scheme, cls in manager.pool_classes_by_scheme.items()
    }
    return manager


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        fresh = proxy not in self.proxy_manager
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        return _watch_pools(manager) if fresh else manager


# --- body decoding --------------------------------------------------------------------------


class _Body:
    """Collects a body, inflating gzip/deflate here so the cap applies to inflated bytes.

    zlib is asked for at most the room left under the cap, so a bomb never inflates further
    than the cap in memory.
    """

    def __init__(self, *, encoding: str, cap: int, url: str, status: int) -> None:
        self._cap = cap
        self._url = url
        self._status = status
        self._buffer = io.BytesIO()
        self._encoding = encoding
        self._wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(encoding, 0)
        self._inflater = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False  # any output yet: the raw-deflate fallback is only for the start
        self._member_done = False  # a whole gzip member inflated: what follows may be junk
        self._finished = False  # end of the compressed stream: trailing bytes are ignored

    def add(self, data: bytes) -> None:
        if self._inflater is None:
            self._write(data)
            return
        while data and not self._finished:
            data = self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        """Inflate what fits under the cap; returns the input still to be inflated."""
        assert self._inflater is not None
        try:
            out = self._inflater.decompress(data, self._room())
        except zlib.error:
            return self._recover(data)
        self._started = self._started or bool(out)
        self._write(out)
        if not self._inflater.eof:
            return self._inflater.unconsumed_tail
        self._member_done = True
        if self._encoding == "gzip" and self._inflater.unused_data:
            rest = self._inflater.unused_data  # another gzip member follows
            self._inflater = zlib.decompressobj(self._wbits)
            return rest
        self._finished = True
        return b""

    def _recover(self, data: bytes) -> bytes:
        if not self._started and self._wbits == zlib.MAX_WBITS:
            # Some servers send raw deflate without the zlib header.
            self._wbits = -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)
            return data
        if self._member_done:
            self._finished = True  # junk after a complete gzip member, as browsers allow
            return b""
        raise FetchError(f"could not decompress the response ({self._encoding})",
                         url=self._url, status=self._status)

    def _room(self) -> int:
        # Small steps as well: zlib builds its output in blocks and joins them, so one call
        # briefly holds twice what it returns.
        return min(self._cap - self._buffer.tell() + 1, _CHUNK)

    def _write(self, data: bytes) -> None:
        if self._buffer.tell() + len(data) > self._cap:
            raise FetchError(
                f"response larger than {_size(self._cap)}", url=self._url, status=self._status
            )
        self._buffer.write(data)

    def value(self) -> bytes:
        return self._buffer.getvalue()


def _content_encoding(headers: Any, url: str) -> str:
    codings = [c.strip().lower() for c in headers.get("Content-Encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return "deflate" if codings[0] == "deflate" else "gzip"
    # Stacked encodings only serve to multiply a bomb's ratio; no real site needs them.
    raise FetchError(f"unsupported content encoding {', '.join(codings)}", url=url)


def _content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "application/octet-stream", None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = normalise(val)
    return media.strip().lower() or "application/octet-stream", charset


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# --- file:// --------------------------------------------------------------------------------


def _file_path(url: str) -> str:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"refused file URL on another host {_short(url)}", url=url)
    return os.path.realpath(urllib.request.url2pathname(unquote(parts.path)))


def _root_path(file_root: str) -> str:
    if file_root.lower().startswith("file:"):
        return _file_path(file_root)
    return os.path.realpath(file_root)


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False


# --- the fetcher ----------------------------------------------------------------------------


class _Retryable(Exception):
    """An attempt failed in a way worth another try; wait is the server's wish, if any."""

    def __init__(self, error: FetchError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class Fetcher:
    """Thread-safe: one instance serves a whole worker pool."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 5,
        read_timeout: float = 15,
        deadline: float = 30,
        max_bytes: int = 8 * 2**20,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 30,
        per_host: int = 2,
        host_delay: float = 0.25,
        proxy: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """clock and sleep pace retries and per-host starts (tests pass a fake pair); the
        deadline watchdog always runs on the real clock."""
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.per_host = per_host
        self.host_delay = host_delay
        self._clock = clock
        self._sleep = sleep
        _check_proxy(proxy)
        self._session = self._make_session(user_agent, proxy)
        self._hosts_lock = threading.Lock()
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._host_next_start: dict[str, float] = {}

    def _make_session(self, user_agent: str, proxy: str | None) -> requests.Session:
        session = requests.Session()
        # No environment proxies or .netrc credentials: the proxy setting is the one place.
        session.trust_env = False
        session.headers.update({"User-Agent": user_agent, "Accept-Encoding": _ACCEPT_ENCODING})
        adapter = _WatchedAdapter(pool_connections=64, pool_maxsize=max(self.per_host, 1))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        if proxy:
            session.proxies = {"http": proxy, "https": proxy}
        return session

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        file_root: str | None = None,
        accept: str = DEFAULT_ACCEPT,
        user_agent: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """user_agent: sent instead of the session's (a source's own setting), redirects too;
        headers: more to send (an API's Authorization)."""
        url = url.strip()
        cap = self.max_bytes if max_bytes is None else max_bytes
        headers = {**(headers or {}), "Accept": accept}
        if user_agent:
            headers["User-Agent"] = user_agent
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = _Deadline(self.deadline)
        with deadline.running():
            return self._follow(url, headers, cap, file_root, deadline)

    def post(self, url: str, form: Form, *, max_bytes: int | None = None,
             accept: str = "application/json",
             headers: Mapping[str, str] | None = None) -> Response:
        """POST a form (API calls such as Fever's) under the same caps, deadline and errors.

        Only for idempotent calls: a failed attempt is retried like a GET. A redirect is an
        error naming the new address, since following it would drop or resend the form.
        """
        url = url.strip()
        cap = self.max_bytes if max_bytes is None else max_bytes
        self._check_http(url)
        deadline = _Deadline(self.deadline)
        with deadline.running():
            result = self._with_retries(url, {**(headers or {}), "Accept": accept}, cap,
                                        deadline, form)
        if isinstance(result, str):
            raise FetchError(f"the server moved this address to {_short(result)}", url=url)
        return result

    def _follow(
        self, url: str, headers: dict[str, str], cap: int, file_root: str | None,
        deadline: _Deadline,
    ) -> Response:
        visited = {url}
        for _hop in range(self.max_redirects + 1):
            if _scheme(url) == "file":
                return self._read_file(url, file_root, cap, headers.get("If-Modified-Since"))
            self._check_http(url)
            result = self._with_retries(url, headers, cap, deadline)
            if isinstance(result, Response):
                return result
            log.debug("redirect %s -> %s", url, result)
            if result in visited:
                raise FetchError("redirect loop", url=url)
            if _scheme(result) not in ("http", "https"):
                raise FetchError(f"refused redirect to non-http URL {_short(result)}", url=url)
            visited.add(result)
            url = result
        raise FetchError("too many redirects", url=url)

    def _check_http(self, url: str) -> None:
        if _scheme(url) not in ("http", "https"):
            raise FetchError(f"refused non-http URL {_short(url)}", url=url)
        if not urlsplit(url).hostname:
            raise FetchError(f"invalid URL {_short(url)}", url=url)

    def _with_retries(
        self, url: str, headers: dict[str, str], cap: int, deadline: _Deadline,
        form: Form | None = None,
    ) -> Response | str:
        attempt = 0
        while True:
            try:
                return self._attempt(url, headers, cap, deadline, form)
            except _Retryable as e:
                retry = e
            if attempt == self.retries:
                raise retry.error
            wait = self.backoff * 2**attempt if retry.wait is None else retry.wait
            if wait >= deadline.remaining():
                raise retry.error  # the real reason beats "timed out"
            log.info("retrying %s in %.2f s: %s", url, wait, retry.error)
            self._sleep(wait)
            attempt += 1

    def _attempt(
        self, url: str, headers: dict[str, str], cap: int, deadline: _Deadline,
        form: Form | None,
    ) -> Response | str:
        """One request; returns the Response or the next URL of a redirect."""
        try:
            with self._host_slot(url, deadline):
                return self._request(url, headers, cap, deadline, form)
        except FetchError:
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError,
                http.client.HTTPException) as e:
            if deadline.passed():
                raise FetchError(
                    f"timed out after {_seconds(deadline.seconds)}", url=url
                ) from e
            message = _network_message(e, self)
            log.debug("network error for %s: %r", url, e)
            if message == "invalid URL":
                raise FetchError(f"invalid URL {_short(url)}", url=url) from e
            raise _Retryable(FetchError(message, url=url)) from e

    def _request(
        self, url: str, headers: dict[str, str], cap: int, deadline: _Deadline,
        form: Form | None,
    ) -> Response | str:
        if deadline.passed():  # a connection taken now would escape the expired watchdog
            raise FetchError(f"timed out after {_seconds(deadline.seconds)}", url=url)
        method = "GET" if form is None else "POST"
        log.debug("%s %s", method, url)
        response = self._session.request(
            method, url, headers=headers, data=form, stream=True, allow_redirects=False,
            timeout=(self.connect_timeout, self.read_timeout),
        )
        try:
            return self._handle(url, response, headers, cap, deadline)
        finally:
            response.close()

    def _handle(
        self, url: str, response: requests.Response, headers: dict[str, str], cap: int,
        deadline: _Deadline,
    ) -> Response | str:
        status = response.status_code
        if status in _REDIRECT_STATUSES:
            return _location(url, response)
        if status == 304:
            # Validators the server left out stay those we sent, so callers can store them as is.
            unchanged = self._response(url, response, b"")
            return replace(
                unchanged, etag=unchanged.etag or headers.get("If-None-Match"),
                last_modified=unchanged.last_modified or headers.get("If-Modified-Since"),
            )
        if 200 <= status < 300:
            return self._response(url, response, self._read_body(url, response, cap, deadline))
        raise self._status_error(url, response)

    def _status_error(self, url: str, response: requests.Response) -> Exception:
        status = response.status_code
        error = FetchError(_status_message(status), url=url, status=status)
        if status == 429 or status in _RETRY_STATUSES:
            wait = _retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > self.max_retry_after:
                return FetchError(
                    f"rate limited, retry after {wait:.0f} s", url=url, status=status
                )
            if status == 429:
                error = FetchError("rate limited (HTTP 429)", url=url, status=status)
            return _Retryable(error, wait)
        return error

    def _response(self, url: str, response: requests.Response, body: bytes) -> Response:
        content_type, charset = _content_type(response.headers.get("Content-Type"))
        return Response(
            url=url, status=response.status_code, content_type=content_type, charset=charset,
            body=body, etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _read_body(
        self, url: str, response: requests.Response, cap: int, deadline: _Deadline
    ) -> bytes:
        length = response.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > cap:
            raise FetchError(
                f"response larger than {_size(cap)}", url=url, status=response.status_code
            )
        body = _Body(encoding=_content_encoding(response.headers, url), cap=cap, url=url,
                     status=response.status_code)
        while True:
            # read1: whatever one socket read (or one chunk) brings, so a trickle cannot hold
            # a read open long past the deadline; decode_content=False: _Body inflates.
            chunk = response.raw.read1(_CHUNK, decode_content=False)
            # Checked after every read, the empty last one too: a shut-down socket reads as
            # a clean end of a close-delimited body.
            if deadline.passed():
                raise FetchError(f"timed out after {_seconds(deadline.seconds)}", url=url)
            if not chunk:
                return body.value()
            body.add(chunk)

    @contextmanager
    def _host_slot(self, url: str, deadline: _Deadline) -> Iterator[None]:
        """At most per_host requests at once to a host, starts at least host_delay apart."""
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            slot = self._host_slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        if not slot.acquire(timeout=max(deadline.remaining(), 0)):
            raise FetchError(
                f"timed out after {_seconds(deadline.seconds)} waiting for {host}", url=url
            )
        try:
            self._sleep(self._reserve_start(host))
            yield
        finally:
            slot.release()

    def _reserve_start(self, host: str) -> float:
        """Book the next start time for host; returns how long to wait for it."""
        with self._hosts_lock:
            now = self._clock()
            start = max(now, self._host_next_start.get(host, now))
            self._host_next_start[host] = start + self.host_delay
        return start - now

    def _read_file(
        self, url: str, file_root: str | None, cap: int, if_modified_since: str | None
    ) -> Response:
        if file_root is None:
            raise FetchError(f"refused non-http URL {_short(url)}", url=url)
        path = _file_path(url)
        if not _inside(path, _root_path(file_root)):
            raise FetchError(f"refused file outside the source folder {_short(url)}", url=url)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        try:
            return _read_local(url, path, cap, if_modified_since)
        except OSError as e:
            reason = e.strerror or "cannot be read"
            raise FetchError(f"cannot read {_short(url)}: {reason.lower()}", url=url) from e


def _read_local(url: str, path: str, cap: int, if_modified_since: str | None) -> Response:
    with open(path, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(f"refused special file {_short(url)}", url=url)
        modified = email.utils.formatdate(info.st_mtime, usegmt=True)
        if if_modified_since == modified:
            return Response(url, 304, "", None, b"", None, modified)
        if info.st_size > cap:
            raise FetchError(f"response larger than {_size(cap)}", url=url)
        body = f.read(cap + 1)  # the file may grow while we read it
    if len(body) > cap:
        raise FetchError(f"response larger than {_size(cap)}", url=url)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return Response(url, 200, content_type, None, body, None, modified)


def _check_proxy(proxy: str | None) -> None:
    """A proxy setting that cannot work fails when it is set, not on every request."""
    if not proxy:
        return
    scheme = _scheme(proxy)
    if scheme not in ("http", "https", "socks4", "socks4a", "socks5", "socks5h"):
        raise FetchError(f"unsupported proxy {_short(proxy)}", url=proxy)
    if scheme.startswith("socks") and importlib.util.find_spec("socks") is None:
        raise FetchError("SOCKS proxies need PySocks (install requests[socks])", url=proxy)


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def _location(url: str, response: requests.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise FetchError("redirect without a location", url=url, status=response.status_code)
    # http.client decodes headers as latin-1; servers mostly mean UTF-8.
    with suppress(UnicodeError):
        location = location.encode("latin-1").decode("utf-8")
    return requests.utils.requote_uri(urljoin(url, location.strip()))
