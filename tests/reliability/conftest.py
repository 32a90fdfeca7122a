"""Reliability fixtures: a fault-injecting server and a library with short timeouts."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # localsite is shared with bench/

from localsite import FaultServer

from reader.library import Library


@pytest.fixture
def server() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


def quick_library(path: Path) -> Library:
    """A library whose fetcher gives up fast, so a hostile server costs a test seconds."""
    library = Library(path)
    library.set_setting("request_delay_ms", 0)  # replaces the fetcher: tune the new one
    fetcher = library.fetcher
    fetcher.connect_timeout = 1
    fetcher.read_timeout = 0.3
    fetcher.deadline = 1.5
    fetcher.retries = 1
    fetcher.backoff = 0.05
    fetcher.max_retry_after = 2
    return library


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    library = quick_library(tmp_path / "library")
    yield library
    library.close()
