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
    return Library(path, fetcher_options=dict(
        host_delay=0, connect_timeout=1, read_timeout=0.3, deadline=1.5, retries=1,
        backoff=0.05, max_retry_after=2))


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    library = quick_library(tmp_path / "library")
    yield library
    library.close()
