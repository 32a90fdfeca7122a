"""Every download Reader makes: one requests.Session behind caps, deadlines and politeness.

Servers are strangers, so nothing they send is trusted: bodies are streamed and decompressed here
(never by urllib3) so the size cap holds after inflation, a watchdog ends a request at its
wall-clock deadline even while headers or body are dripping in, redirects are followed by hand so
each hop meets the scheme policy, and every failure becomes a FetchError a user can read.
This module keeps the Fetcher with its redirects and retries; its parts live beside it: the
deadline watchdog (deadline.py), bodies and their caps (body.py), file:// (local.py),
per-host politeness (hosts.py) and the messages (messages.py).
"""

from __future__ import annotations

import email.utils
import http.client
import importlib.util
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from reader import __version__
from reader.errors import FetchError
from reader.fetch.body import CHUNK, Body, content_encoding, media_type
from reader.fetch.deadline import Deadline, WatchedAdapter
from reader.fetch.hosts import HostHealth, HostSlots
from reader.fetch.local import read_file
from reader.fetch.messages import network_message, seconds, short, size, status_message
from reader.fetch.response import Response

__all__ = ["DEFAULT_ACCEPT", "DEFAULT_USER_AGENT", "Fetcher", "Form", "Response"]

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; Reader/{__version__}; +https://github.com/reader-news/reader)"
)
# A form to POST: fields, or pairs where a field repeats (the Google Reader API's i=...).
Form = Mapping[str, str] | Sequence[tuple[str, str]]
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# br is left out: we decode bodies ourselves and no brotli decoder is installed.
_ACCEPT_ENCODING = "gzip, deflate"
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})



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


class _Retryable(Exception):
    """An attempt failed in a way worth another try; wait is the server's wish, if any."""

    def __init__(self, error: FetchError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


MAX_BYTES = 8 * 2**20  # a page, a feed or an inflated file: more is refused


class Fetcher:
    """Thread-safe: one instance serves a whole worker pool."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 5,
        read_timeout: float = 15,
        deadline: float = 30,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = 30,
        per_host: int = 2,
        host_delay: float = 0.25,
        proxy: str | None = None,
        give_up_after: int = 3,
        give_up_for: float = 300,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """clock and sleep pace retries and per-host starts (tests pass a fake pair); the
        deadline watchdog always runs on the real clock. A host that fails give_up_after
        times in a row (refused, no answer) is given up on for give_up_for seconds."""
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._hosts = HostSlots(per_host, host_delay, clock, sleep)
        self._health = HostHealth(give_up_after, give_up_for, clock)
        _check_proxy(proxy)
        self._session = self._make_session(user_agent, proxy, per_host)

    def _make_session(self, user_agent: str, proxy: str | None, per_host: int
                      ) -> requests.Session:
        session = requests.Session()
        # No environment proxies or .netrc credentials: the proxy setting is the one place.
        session.trust_env = False
        session.headers.update({"User-Agent": user_agent, "Accept-Encoding": _ACCEPT_ENCODING})
        adapter = WatchedAdapter(pool_connections=64, pool_maxsize=max(per_host, 1))
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
        deadline = Deadline(self.deadline)
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
        deadline = Deadline(self.deadline)
        with deadline.running():
            result = self._with_retries(url, {**(headers or {}), "Accept": accept}, cap,
                                        deadline, form)
        if isinstance(result, str):
            raise FetchError(f"the server moved this address to {short(result)}", url=url)
        return result

    def _follow(
        self, url: str, headers: dict[str, str], cap: int, file_root: str | None,
        deadline: Deadline,
    ) -> Response:
        visited = {url}
        for _hop in range(self.max_redirects + 1):
            if _scheme(url) == "file":
                return read_file(url, file_root, cap, headers.get("If-Modified-Since"))
            self._check_http(url)
            result = self._with_retries(url, headers, cap, deadline)
            if isinstance(result, Response):
                return result
            log.debug("redirect %s -> %s", url, result)
            if result in visited:
                raise FetchError("redirect loop", url=url)
            if _scheme(result) not in ("http", "https"):
                raise FetchError(f"refused redirect to non-http URL {short(result)}", url=url)
            visited.add(result)
            url = result
        raise FetchError("too many redirects", url=url)

    def _check_http(self, url: str) -> None:
        if _scheme(url) not in ("http", "https"):
            raise FetchError(f"refused non-http URL {short(url)}", url=url)
        if not urlsplit(url).hostname:
            raise FetchError(f"invalid URL {short(url)}", url=url)

    def _with_retries(
        self, url: str, headers: dict[str, str], cap: int, deadline: Deadline,
        form: Form | None = None,
    ) -> Response | str:
        attempt = 0
        while True:
            try:
                return self._attempt(url, headers, cap, deadline, form)
            except _Retryable as e:
                retry = e
            if attempt == self.retries or self._health.given_up(url):
                raise retry.error
            wait = self.backoff * 2**attempt if retry.wait is None else retry.wait
            if wait >= deadline.remaining():
                raise retry.error  # the real reason beats "timed out"
            log.info("retrying %s in %.2f s: %s", url, wait, retry.error)
            self._sleep(wait)
            attempt += 1

    def _attempt(
        self, url: str, headers: dict[str, str], cap: int, deadline: Deadline,
        form: Form | None,
    ) -> Response | str:
        """One request; returns the Response or the next URL of a redirect."""
        self._health.check(url)
        answered: list[bool] = []  # set once the host sends a response's head
        try:
            with self._hosts.slot(url, deadline):
                self._health.check(url)  # it may have been given up on while we waited
                return self._request(url, headers, cap, deadline, form, answered)
        except FetchError:
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError,
                http.client.HTTPException) as e:
            if deadline.passed():
                message = f"timed out after {seconds(deadline.seconds)}"
                if not answered:  # a body still coming is a slow host, not a dead one
                    self._health.failed(url, message)
                raise FetchError(message, url=url) from e
            message = network_message(e, self.connect_timeout, self.read_timeout)
            log.debug("network error for %s: %r", url, e)
            if message == "invalid URL":
                raise FetchError(f"invalid URL {short(url)}", url=url) from e
            self._health.failed(url, message)
            raise _Retryable(FetchError(message, url=url)) from e

    def _request(
        self, url: str, headers: dict[str, str], cap: int, deadline: Deadline,
        form: Form | None, answered: list[bool],
    ) -> Response | str:
        if deadline.passed():  # a connection taken now would escape the expired watchdog
            raise FetchError(f"timed out after {seconds(deadline.seconds)}", url=url)
        method = "GET" if form is None else "POST"
        log.debug("%s %s", method, url)
        response = self._session.request(
            method, url, headers=headers, data=form, stream=True, allow_redirects=False,
            timeout=(self.connect_timeout, self.read_timeout),
        )
        self._health.answered(url)
        answered.append(True)
        try:
            return self._handle(url, response, headers, cap, deadline)
        finally:
            response.close()

    def _handle(
        self, url: str, response: requests.Response, headers: dict[str, str], cap: int,
        deadline: Deadline,
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
        error = FetchError(status_message(status), url=url, status=status)
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
        media, charset = media_type(response.headers.get("Content-Type"))
        return Response(
            url=url, status=response.status_code, content_type=media, charset=charset,
            body=body, etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )

    def _read_body(
        self, url: str, response: requests.Response, cap: int, deadline: Deadline
    ) -> bytes:
        length = response.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > cap:
            raise FetchError(
                f"response larger than {size(cap)}", url=url, status=response.status_code
            )
        body = Body(encoding=content_encoding(response.headers, url), cap=cap, url=url,
                     status=response.status_code)
        while True:
            # read1: whatever one socket read (or one chunk) brings, so a trickle cannot hold
            # a read open long past the deadline; decode_content=False: Body inflates.
            chunk = response.raw.read1(CHUNK, decode_content=False)
            # Checked after every read, the empty last one too: a shut-down socket reads as
            # a clean end of a close-delimited body.
            if deadline.passed():
                raise FetchError(f"timed out after {seconds(deadline.seconds)}", url=url)
            if not chunk:
                return body.value()
            body.add(chunk)

def _check_proxy(proxy: str | None) -> None:
    """A proxy setting that cannot work fails when it is set, not on every request."""
    if not proxy:
        return
    scheme = _scheme(proxy)
    if scheme not in ("http", "https", "socks4", "socks4a", "socks5", "socks5h"):
        raise FetchError(f"unsupported proxy {short(proxy)}", url=proxy)
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
