"""Politeness: at most a few requests at once to one host, their starts spaced apart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from reader.errors import FetchError
from reader.fetch.deadline import Deadline
from reader.fetch.messages import seconds


class HostSlots:
    """Thread-safe; clock and sleep are the Fetcher's (a fake pair in tests)."""

    def __init__(self, per_host: int, host_delay: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.per_host = per_host
        self.host_delay = host_delay
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, url: str, deadline: Deadline) -> Iterator[None]:
        """At most per_host requests at once to a host, starts at least host_delay apart."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        if not slot.acquire(timeout=max(deadline.remaining(), 0)):
            raise FetchError(
                f"timed out after {seconds(deadline.seconds)} waiting for {host}", url=url
            )
        try:
            self._sleep(self._reserve_start(host))
            yield
        finally:
            slot.release()

    def _reserve_start(self, host: str) -> float:
        """Book the next start time for host; returns how long to wait for it."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self.host_delay
        return start - now
