"""The wall-clock deadline of one get(): a watchdog that shuts the sockets in use down.

It learns which connections a get() uses by overriding urllib3's private pool hooks
(_get_conn/_put_conn); pyproject.toml pins urllib3 below its next major and
tests/fetch/test_http.py fails if the hooks move.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import requests.adapters
from urllib3.connectionpool import HTTPConnectionPool

_local = threading.local()


class Deadline:
    """Wall-clock limit for one get(): when it passes, the sockets in use are shut down.

    A read timeout restarts with every byte, so a server sending one byte a second would never
    trip it; shutting the socket down from the watching thread (_Watchdog) wakes the
    blocked read at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._connections: set[Any] = set()
        self._done = False
        self.expired = False

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def passed(self) -> bool:
        return self.expired or self.remaining() <= 0

    def watch(self, connection: Any) -> None:
        with self._lock:
            self._connections.add(connection)

    def unwatch(self, connection: Any) -> None:
        # Under the lock, so a connection back in the pool is never shut down by the watchdog.
        with self._lock:
            self._connections.discard(connection)

    @property
    def done(self) -> bool:
        return self._done

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
        _watchdog.watch(self)
        try:
            yield
        finally:
            with self._lock:
                self._done = True
                self._connections.clear()
            _local.deadline = None


class _Watchdog:
    """One thread for every get()'s deadline, in the order they pass. A timer thread per get()
    (a page and each of its images) was a thread started, waited for and stopped per request:
    an update of 1000 articles made 2000 of them, each start a hand-over of the GIL that the
    GUI thread queued behind."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._queue: list[tuple[float, int, Deadline]] = []  # a heap: the nearest end first
        self._order = itertools.count()  # ties: first come first
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
        with self._wake:
            heapq.heappush(self._queue, (deadline._end, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="reader-deadlines",
                                                daemon=True)
                self._thread.start()
            elif self._queue[0][2] is deadline:
                self._wake.notify()  # ends before the one the thread sleeps until

    def _run(self) -> None:
        while True:
            passed = []
            with self._wake:
                now = time.monotonic()
                # Finished gets leave when they reach the front: no wake-up for each of them.
                while self._queue and (self._queue[0][2].done or self._queue[0][0] <= now):
                    _, _, deadline = heapq.heappop(self._queue)
                    if not deadline.done:
                        passed.append(deadline)
                if not passed:
                    self._wake.wait(self._queue[0][0] - now if self._queue else None)
            for deadline in passed:
                deadline._expire()


_watchdog = _Watchdog()


def _shutdown(sock: object) -> None:
    if not isinstance(sock, socket.socket):
        return  # TLS-in-TLS transports: the between-chunk check still ends the read
    # socket.socket's own shutdown: SSLSocket.shutdown would also tear down TLS state under
    # the reading thread's feet.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _current_deadline() -> Deadline | None:
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


class WatchedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        fresh = proxy not in self.proxy_manager
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        return _watch_pools(manager) if fresh else manager
