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


class HostHealth:
    """Hosts that refuse or do not answer are given up on after a few failures in a row.

    Without this, every page of a dead host waits out its own retries, back-off and deadline
    (31 feeds whose pages were unreachable took 487 s). A given-up host fails at once for
    `give_up_for` seconds; then one request may try it again, and an answer forgives it.
    Keyed by scheme, host and port; thread-safe; clock is the Fetcher's.
    """

    def __init__(self, give_up_after: int, give_up_for: float,
                 clock: Callable[[], float]) -> None:
        self.give_up_after = give_up_after
        self.give_up_for = give_up_for
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float, str]] = {}  # count, last time, message

    def check(self, url: str) -> None:
        """Raise at once when the URL's host has been given up on."""
        host = _host(url)
        with self._lock:
            count, when, message = self._failures.get(host, (0, 0.0, ""))
            if count < self.give_up_after or self._clock() - when >= self.give_up_for:
                return
        raise FetchError(f"gave up on {urlsplit(url).netloc} after {count} failures in a row "
                         f"({message})",
                         url=url)

    def given_up(self, url: str) -> bool:
        try:
            self.check(url)
        except FetchError:
            return True
        return False

    def failed(self, url: str, message: str) -> None:
        """The host refused, did not answer or dropped the connection."""
        host = _host(url)
        with self._lock:
            count = self._failures.get(host, (0, 0.0, ""))[0]
            self._failures[host] = (count + 1, self._clock(), message)

    def answered(self, url: str) -> None:
        """The host sent a response (any status): it is alive."""
        host = _host(url)
        with self._lock:
            self._failures.pop(host, None)


def _host(url: str) -> str:
    # https:// and http:// of one host are two servers (443 and 80): a dead TLS port says
    # nothing of the plain one.
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
