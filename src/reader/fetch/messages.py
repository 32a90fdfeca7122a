"""Every fetch failure as a short message a user can read: no traceback, no server-chosen
text, URLs clipped."""

from __future__ import annotations

import http
import http.client
import socket
from collections.abc import Iterator

import requests
import urllib3.exceptions

MAX_URL_IN_MESSAGE = 200


def short(url: str) -> str:
    """URLs in messages are clipped: a data: URL can be megabytes long."""
    return url if len(url) <= MAX_URL_IN_MESSAGE else url[:MAX_URL_IN_MESSAGE] + "…"


def seconds(value: float) -> str:
    return f"{value:g} s"


def size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def status_message(status: int) -> str:
    # The server's own reason phrase is untrusted text; use the standard one.
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    return f"HTTP {status} {phrase}"


def nested_errors(error: BaseException) -> Iterator[BaseException]:
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


def network_message(error: BaseException, connect_timeout: float, read_timeout: float) -> str:
    causes = list(nested_errors(error))
    kinds = tuple(type(e) for e in causes)

    def has(kind: type[BaseException]) -> bool:
        return any(issubclass(k, kind) for k in kinds)

    # Before timeouts: urllib3's NewConnectionError subclasses ConnectTimeoutError.
    if has(ConnectionRefusedError):
        return "connection refused"
    if has(socket.gaierror):
        return "host not found"
    if has(requests.exceptions.ConnectTimeout) or has(urllib3.exceptions.ConnectTimeoutError):
        return f"connection timed out after {seconds(connect_timeout)}"
    if has(socket.timeout) or has(urllib3.exceptions.ReadTimeoutError):
        return f"timed out after {seconds(read_timeout)}"
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
