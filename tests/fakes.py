"""Stand-ins for the internet, the clock and the user, for tests of the services above the
Fetcher.

The Fetcher itself is tested against real servers on 127.0.0.1 (tests/fetch/); above it, a
FakeFetcher serves canned responses by URL so a test says exactly what the web sent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from reader.errors import FetchError
from reader.fetch.http import Form, Response


@dataclass(frozen=True, slots=True)
class Request:
    """One get() or post() the code under test made."""

    method: str
    url: str
    user_agent: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None
    form: list[tuple[str, str]] | None = None


@dataclass
class FakeFetcher:
    """The Fetcher's interface over a dict of canned responses.

    An unknown URL is an HTTP 404, a host in `failing` a connection refused, as the real
    Fetcher would report them. Thread-safe: the updater calls it from its worker pools.
    """

    responses: dict[str, Response] = field(default_factory=dict)
    failing: dict[str, str] = field(default_factory=dict)  # host -> error message
    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def serve(self, url: str, body: bytes | str, *, content_type: str = "text/html",
              charset: str | None = None, etag: str | None = None,
              last_modified: str | None = None) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.responses[url] = Response(url=url, status=200, content_type=content_type,
                                       charset=charset, body=data, etag=etag,
                                       last_modified=last_modified)
        return url

    def fail(self, host: str, message: str = "connection refused") -> None:
        self.failing[host] = message

    def urls(self) -> list[str]:
        with self._lock:
            return [r.url for r in self.requests]

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            max_bytes: int | None = None, file_root: str | None = None,
            accept: str | None = None, user_agent: str | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
        self._record(Request("GET", url, user_agent, etag, last_modified, accept))
        response = self._answer(url)
        if max_bytes is not None and len(response.body) > max_bytes:
            raise FetchError(f"response larger than {max_bytes} bytes", url=url)
        if etag and response.etag == etag:
            return Response(url, 304, "", None, b"", etag, response.last_modified)
        return response

    def post(self, url: str, form: Form, *, max_bytes: int | None = None,
             accept: str = "application/json",
             headers: Mapping[str, str] | None = None) -> Response:
        self._record(Request("POST", url, accept=accept, form=list(
            form.items() if isinstance(form, Mapping) else form)))
        return self._answer(url)

    def close(self) -> None:
        """Nothing to release."""

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _answer(self, url: str) -> Response:
        host = (urlsplit(url).hostname or "").lower()
        if host in self.failing:
            raise FetchError(self.failing[host], url=url)
        if url not in self.responses:
            raise FetchError("HTTP 404 Not Found", url=url, status=404)
        return self.responses[url]


@dataclass
class FakeClock:
    """A clock that moves only when told to (or when something sleeps on it)."""

    now: datetime = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    monotonic_start: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._monotonic = self.monotonic_start

    def utc(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self._monotonic

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self._monotonic += seconds
        self.now += timedelta(seconds=seconds)


PARAGRAPHS = [
    "本市今年新建的三十家长者食堂已全部投入运营，覆盖所有街道，老人步行十五分钟即可就餐。",
    "据民政部门介绍，食堂由社区统一管理，菜品每周更新，八十岁以上老人可享受用餐补贴。",
    "不少老人表示，过去一个人在家做饭既麻烦又不安全，现在每天中午都来这里和老邻居一起吃饭。",
    "下一步，有关部门还将探索送餐上门服务，让行动不便的老人也能吃上热乎饭菜。",
]


def article_page(title: str) -> str:
    """An article page with the chrome portals wrap around it."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_新闻中心</title>'
            f'</head><body><div class="nav"><a href="/">首页</a> <a href="/news/">新闻</a></div>'
            f"<h1>{title}</h1><div class=\"info\">2024-05-01 09:30 来源：本网</div>"
            f"<article>{body}</article><div class=\"footer\">版权所有</div></body></html>")


class CancelAfter(threading.Event):
    """A cancel flag that counts how often the code under test looks at it, and is set on the
    `n`-th look (the user moving on at a known point of the work); never, if n is 0."""

    def __init__(self, n: int = 0) -> None:
        super().__init__()
        self.n = n
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        if self.looks == self.n:
            self.set()
        return super().is_set()


class HeldFlag(threading.Event):
    """A task's own cancel flag, looked at through this: at look `at` the task waits right
    there (inside a SQLite statement, when the progress handler looks) until it is superseded
    and its flag set; `reached` tells the test it is held."""

    def __init__(self, cancel: threading.Event, at: int, reached: threading.Event) -> None:
        super().__init__()
        self.cancel, self.at, self.reached = cancel, at, reached
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        if self.looks == self.at:
            self.reached.set()
            self.cancel.wait(60)
        return self.cancel.is_set()
