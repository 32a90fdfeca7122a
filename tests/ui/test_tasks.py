"""TaskRunner on a real QThreadPool: results come back on the GUI thread, latest wins, and a
superseded task that has not started never runs."""

from __future__ import annotations

import threading

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
    runner.run(lambda: ran.append("running") or "running", shown.append)
    runner.run(lambda: ran.append("queued") or "queued", shown.append)
    runner.close()  # the running task finishes; its result waits in the event queue
    qtbot.wait(50)  # the queue is read, as the next test's event loop would
    assert shown == [] and "queued" not in ran
