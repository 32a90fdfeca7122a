"""The store's writer lock serves threads in the order they arrived."""

from __future__ import annotations

import threading
import time

from reader.store._storage.locks import FairLock


def test_writers_take_turns_in_arrival_order() -> None:
    lock = FairLock()
    order: list[int] = []
    threads = []
    with lock:  # held while the others queue up, one at a time, in a known order
        for n in range(5):
            thread = threading.Thread(target=lambda n=n: _write(lock, order, n))
            thread.start()
            threads.append(thread)
            _wait_until(lambda n=n: lock._next == n + 2)  # it holds ticket n + 1
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_an_exception_passes_the_turn_on() -> None:
    lock = FairLock()
    try:
        with lock:
            raise RuntimeError("a failed transaction")
    except RuntimeError:
        pass
    done = threading.Event()
    thread = threading.Thread(target=lambda: _write(lock, [], 0) or done.set())
    thread.start()
    assert done.wait(10)


def _write(lock: FairLock, order: list[int], n: int) -> None:
    with lock:
        order.append(n)


def _wait_until(condition, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "a writer never queued"
        time.sleep(0.001)
