"""Shared fixtures. Qt needs a platform before any Qt import, so it is set first."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITE = ROOT / "resources" / "sample_site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean: no line per request."""


@dataclass
class SiteServer:
    """A real HTTP server over a directory. `url` ends with '/'; `stop()` takes it offline."""

    server: http.server.ThreadingHTTPServer
    thread: threading.Thread
    url: str

    def stop(self) -> None:
        """Simulate going offline: later requests get 'connection refused'. Idempotent."""
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)


def serve_directory(directory: Path, port: int = 0) -> SiteServer:
    """port: 0 for a free one; a stopped server's port to bring it back online."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    return SiteServer(server, thread, f"http://127.0.0.1:{server.server_address[1]}/")


@pytest.fixture(scope="session")
def sample_site() -> Iterator[SiteServer]:
    """The bundled sample site (resources/sample_site/) over HTTP on 127.0.0.1.

    Session-scoped and shared: a test that calls `stop()` takes it offline for every later
    test, so such tests should use their own `serve_directory(SAMPLE_SITE)` instead.
    """
    site = serve_directory(SAMPLE_SITE)
    yield site
    site.stop()


@pytest.fixture
def site() -> Iterator[SiteServer]:
    """A private server over the sample site, free to be stopped (taken offline) by the test."""
    server = serve_directory(SAMPLE_SITE)
    yield server
    server.stop()


class Cli:
    """Runs `reader --data-dir DIR ARGS` in-process; returns stdout, or stderr on failure."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> str:
        self.capsys.readouterr()
        assert main(["--data-dir", str(self.data_dir), *args]) == code
        captured = self.capsys.readouterr()
        return captured.out if code == 0 else captured.err

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json"))


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    # Also through the environment, so no slip in option parsing can reach a real library.
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "lib"))
    return Cli(tmp_path / "lib", capsys)
