"""TaskRunner on a real QThreadPool: results come back on the GUI thread, latest wins, a
superseded task that has not started never runs, a running one sees its cancel flag (so does
every running task when the runner closes), and a pool thread keeps one connection to the
library however many tasks it runs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.tasks import TaskRunner


def blocker(runner: TaskRunner) -> threading.Event:
    """Occupy the runner's one thread until the returned event is set."""
    release, started = threading.Event(), threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    runner.run(hold, lambda _: None)
    assert started.wait(10)
    return release


def test_results_come_back_and_failures_go_to_failed(qtbot) -> None:
    runner = TaskRunner(threads=1)
    got: list[object] = []
    with qtbot.waitSignal(runner.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):
        runner.run(lambda: 6 * 7, got.append)
        runner.run(lambda: 1 / 0, got.append, lambda e: got.append(type(e)))
    assert got == [42, ZeroDivisionError]


def test_a_queued_task_superseded_by_its_key_never_runs(qtbot) -> None:
    runner = TaskRunner(threads=1)
    release = blocker(runner)
    ran: list[str] = []
    shown: list[str] = []

    def search(query: str) -> str:
        ran.append(query)
        return query

    for query in ("新", "新闻", "新闻联播"):  # typed while the thread is busy
        runner.run(lambda q=query: search(q), shown.append, key="search")
    with qtbot.waitSignal(runner.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):
        release.set()
    assert ran == ["新闻联播"] and shown == ["新闻联播"]


def test_supersede_takes_back_a_queued_task_and_drops_a_running_ones_result(qtbot) -> None:
    runner = TaskRunner(threads=1)
    release = blocker(runner)
    ran: list[str] = []
    runner.run(lambda: ran.append("queued"), lambda _: ran.append("shown"), key="related")
    runner.supersede("related")
    with qtbot.waitSignal(runner.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):
        release.set()
    assert ran == []

    started, finish = threading.Event(), threading.Event()
    shown: list[str] = []

    def slow() -> str:
        started.set()
        finish.wait(10)
        return "stale"

    runner.run(slow, shown.append, key="related")
    assert started.wait(10)
    runner.supersede("related")  # already running: it finishes, its result is dropped
    with qtbot.waitSignal(runner.busy_changed, timeout=10_000,
                          check_params_cb=lambda busy: not busy):
        finish.set()
    assert shown == [] and not runner.busy


def test_after_close_no_result_is_handed_on_and_queued_tasks_never_start(qtbot) -> None:
    runner = TaskRunner(threads=1)
    ran: list[str] = []
    shown: list[str] = []

    def running(cancel: threading.Event) -> str:
        # Still running when close() comes (a task that had already finished would let the
        # single thread take the queued one first): it ends once close sets its flag.
        cancel.wait(10)
        ran.append("running")
        return "running"

    runner.run_cancellable(running, shown.append)
    runner.run(lambda: ran.append("queued") or "queued", shown.append)
    runner.close()  # the running task finishes; its result waits in the event queue
    qtbot.wait(50)  # the queue is read, as the next test's event loop would
    assert shown == [] and ran == ["running"]


def _open_handles(path: Path) -> int:
    """This process's open file descriptors on a file (each SQLite connection holds one)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if _target(fd) == str(path))


def _target(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:  # closed since it was listed
        return ""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_pool_threads_keep_one_library_connection_each(qtbot, library: Library) -> None:
    # A pool thread loses its thread-locals between tasks; a connection kept in one was opened
    # anew, and kept open, for every task (about 1 MB each once the related pane had read).
    runner = TaskRunner(threads=2)
    ids = [row.id for row in library.articles(limit=40)]
    before = _open_handles(library.store.path)
    for article_id in ids:
        with qtbot.waitSignal(runner.busy_changed, timeout=10_000,
                              check_params_cb=lambda busy: not busy):
            runner.run(lambda a=article_id: library.article(a), lambda _: None)
    assert len(ids) >= 10
    assert _open_handles(library.store.path) - before <= 2  # one per pool thread


def test_a_running_task_superseded_by_its_key_sees_its_cancel_flag_and_frees_the_thread(
        qtbot) -> None:
    runner = TaskRunner(threads=1)
    started = threading.Event()
    saw: list[bool] = []
    shown: list[str] = []

    def stale(cancel: threading.Event) -> str:
        started.set()
        saw.append(cancel.wait(60))  # True: told to stop; False only if never told (a hang)
        return "stale"

    runner.run_cancellable(stale, shown.append, key="search")
    assert started.wait(10)
    with qtbot.waitSignal(runner.busy_changed, timeout=30_000,
                          check_params_cb=lambda busy: not busy):
        runner.run_cancellable(lambda _cancel: "fresh", shown.append, key="search")
    # The one thread ran the newer task once the stale one stopped; its result was dropped.
    assert saw == [True] and shown == ["fresh"]


def test_closing_sets_the_cancel_flag_of_a_running_task(qtbot) -> None:
    runner = TaskRunner(threads=1)
    started = threading.Event()
    saw: list[bool] = []

    def long(cancel: threading.Event) -> None:
        started.set()
        saw.append(cancel.wait(60))

    runner.run_cancellable(long, lambda _: None)
    assert started.wait(10)
    runner.close()  # returns once the task has stopped
    assert saw == [True]
