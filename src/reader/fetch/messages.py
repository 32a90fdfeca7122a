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


# The first kind found among an error's causes names it. Refused comes before the timeouts:
# urllib3's NewConnectionError subclasses ConnectTimeoutError.
_NETWORK_MESSAGES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((ConnectionRefusedError,), "connection refused"),
    ((socket.gaierror,), "host not found"),
    ((requests.exceptions.ConnectTimeout, urllib3.exceptions.ConnectTimeoutError),
     "connection timed out after {connect}"),
    ((socket.timeout, urllib3.exceptions.ReadTimeoutError), "timed out after {read}"),
    ((ConnectionResetError,), "connection reset by server"),
    ((requests.exceptions.SSLError, urllib3.exceptions.SSLError),
     "secure connection (TLS) failed"),
    ((requests.exceptions.ProxyError, urllib3.exceptions.ProxyError), "proxy connection failed"),
    ((urllib3.exceptions.IncompleteRead, http.client.IncompleteRead),
     "server closed the connection before the end of the response"),
    ((http.client.RemoteDisconnected,), "server closed the connection without a response"),
    ((requests.exceptions.InvalidURL, urllib3.exceptions.LocationParseError), "invalid URL"),
)


def network_message(error: BaseException, connect_timeout: float, read_timeout: float) -> str:
    kinds = [type(e) for e in nested_errors(error)]
    for wanted, message in _NETWORK_MESSAGES:
        if any(issubclass(kind, wanted) for kind in kinds):
            return message.format(connect=seconds(connect_timeout), read=seconds(read_timeout))
    return "network error: invalid or interrupted response"
