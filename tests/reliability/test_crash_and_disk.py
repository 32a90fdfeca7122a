"""Crashes and full disks lose nothing: short runs of the harnesses kills.py and full_disk.py.

The long runs (30+ kills, several full-disk cycles) are the bench scripts themselves; these
keep the same checks in CI at a size that takes seconds.
"""

from __future__ import annotations

from pathlib import Path

import full_disk
import kills
import pytest


def test_three_kills_lose_nothing(tmp_path: Path) -> None:
    report = kills.run(kills=3, articles=300, seed=7, max_delay=1.5, data_dir=tmp_path,
                           log=False)
    assert report.problems == []
    assert report.killed_while_running >= 1
    assert report.articles == 300


@pytest.mark.slow
def test_thirty_kills_lose_nothing(tmp_path: Path) -> None:
    report = kills.run(kills=30, articles=1500, seed=11, max_delay=3.0, data_dir=tmp_path,
                           log=False)
    assert report.problems == []
    assert report.kills == 30


def test_a_full_disk_is_reported_and_loses_nothing() -> None:
    point = full_disk.mount_tmpfs()
    if point is None:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        reported, problems = full_disk.one_run(point, seed=3)
    finally:
        full_disk.unmount(point)
    assert problems == []
    assert reported
