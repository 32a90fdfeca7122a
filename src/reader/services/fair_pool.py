"""Article jobs handed to the page workers a few per host at a time.

The Fetcher lets at most two requests at once go to one host; a worker whose job waits for
one of those slots is lost to every other host. Pages are queued source by source, so the pages
of one slow or dead host (each try waiting out a timeout) could hold every worker while the
next source's pages, on a healthy host, waited behind them. Here a host's jobs beyond its share
wait in the host's own queue, not in a worker.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

_Job = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class HostFairPool:
    """Thread-safe. `per_host` jobs of one host run at once; URL-less jobs are not limited."""

    def __init__(self, pool: ThreadPoolExecutor, per_host: int) -> None:
        self._pool = pool
        self._per_host = per_host
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._waiting: dict[str, deque[_Job]] = {}

    def submit(self, url: str, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run fn(*args) for a page at `url`, when its host has a free share."""
        host = urlsplit(url).netloc.lower()
        result: Future[T] = Future()
        if not host:
            self._start("", (result, fn, args))
            return result
        with self._lock:
            if self._running.get(host, 0) >= self._per_host:
                self._waiting.setdefault(host, deque()).append((result, fn, args))
                return result
            self._running[host] = self._running.get(host, 0) + 1
        self._start(host, (result, fn, args))
        return result

    def _start(self, host: str, job: _Job) -> None:
        result, fn, args = job
        work = self._pool.submit(fn, *args)
        work.add_done_callback(lambda done: self._finished(host, result, done))

    def _finished(self, host: str, result: Future[Any], done: Future[Any]) -> None:
        error = done.exception()
        if error is not None:
            result.set_exception(error)
        else:
            result.set_result(done.result())
        if not host:
            return
        with self._lock:
            waiting = self._waiting.get(host)
            if not waiting:
                self._running[host] -= 1
                return
            job = waiting.popleft()
        self._start(host, job)
