"""A held key moves the list's current row many times a second: only the row it stops on opens
(the first opens at once, as a single click or key press does)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from reader.library import Library
from reader.ui import main_window
from reader.ui.debounce import Debounce
from reader.ui.main_window import MainWindow


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the articles the window loads (the real loader, recorded)."""
    loaded: list[int] = []
    real = main_window.load_article

    def recorded(library: Library, article_id: int, *rest):  # type: ignore[no-untyped-def]
        loaded.append(article_id)
        return real(library, article_id, *rest)

    monkeypatch.setattr(main_window, "load_article", recorded)
    return loaded


def settle(qtbot, window: MainWindow, article_id: int) -> None:
    qtbot.waitUntil(lambda: window.view.article_id == article_id and not window.runner.busy,
                    timeout=10_000)


def test_a_single_selection_opens_its_article_at_once(qtbot, window: MainWindow,
                                                      loads: list[int]) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy and not window.row_opener.settling)
    target = window.model.article(2).id
    window.list.setCurrentIndex(window.model.index(2, 0))
    assert window.runner.busy  # started before the event loop ran again: no waiting
    settle(qtbot, window, target)
    assert loads == [target]


def deliver_results(window: MainWindow) -> None:
    """Hand the workers' results to the window (posted events) until it has no task left,
    without running the event loop: its timers would end the quiet spell, and here the keys
    must come faster than that however slow the machine is."""
    deadline = time.monotonic() + 10
    while window.runner.busy:
        assert time.monotonic() < deadline, "a task did not finish"
        QCoreApplication.sendPostedEvents()
        time.sleep(0.002)


def test_keys_held_down_open_only_the_row_they_stop_on(qtbot, window: MainWindow,
                                                       library: Library,
                                                       loads: list[int]) -> None:
    rows = window.model.rowCount()
    assert rows >= 8
    first = window.model.article(0).id
    window.list.setFocus()
    window.list.setCurrentIndex(window.model.index(0, 0))
    settle(qtbot, window, first)
    qtbot.waitUntil(lambda: not window.row_opener.settling)  # a pause before the key goes down
    loads.clear()
    # A held key: each press handled, and what it started finished, before the next.
    for _ in range(rows - 1):
        qtbot.keyClick(window.list, Qt.Key.Key_Down)
        deliver_results(window)
    assert window.list.currentIndex().row() == rows - 1  # the list did not jump back
    last = window.model.article(rows - 1).id
    settle(qtbot, window, last)  # the keys stopped: the row they stopped on opens
    assert window.list.currentIndex().row() == rows - 1
    assert loads == [window.model.article(1).id, last]  # the first press, then the last row
    passed = [window.model.article(r).id for r in range(2, rows - 1)]
    qtbot.waitUntil(lambda: library.article(last).is_read)
    assert not any(library.article(i).is_read for i in passed)  # rows passed stay unread


def test_a_link_opened_while_keys_move_wins_over_the_row_they_were_going_to(
        qtbot, window: MainWindow, loads: list[int]) -> None:
    window.list.setCurrentIndex(window.model.index(0, 0))
    window.list.setCurrentIndex(window.model.index(3, 0))  # waits for the keys to stop
    chosen = window.model.article(5).id
    window.open_article(chosen)  # e.g. from the related pane
    settle(qtbot, window, chosen)
    qtbot.waitUntil(lambda: not window.row_opener.settling)  # row 3's turn would be now
    settle(qtbot, window, chosen)
    assert window.model.article(3).id not in loads


def test_debounce_acts_on_the_first_at_once_and_on_the_newest_after_a_pause(qtbot) -> None:
    acted: list[int] = []
    debounce = Debounce(acted.append, quiet_ms=20)
    for value in range(1, 6):
        debounce.push(value)
    assert acted == [1] and debounce.pending
    qtbot.waitUntil(lambda: acted == [1, 5])
    assert not debounce.pending
    qtbot.waitUntil(lambda: not debounce.settling)  # quiet again: the next acts at once
    debounce.push(6)
    assert acted == [1, 5, 6]
