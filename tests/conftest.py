"""Shared fixtures. Qt needs a platform before any Qt import, so it is set first."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import functools
import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.cli import main
from reader.store.storage import DB_NAME

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITE = ROOT / "resources" / "sample_site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
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


def serve_directory(directory: Path, port: int = 0,
                    handler_class: type[QuietHandler] = QuietHandler) -> SiteServer:
    """port: 0 for a free one; a stopped server's port to bring it back online.
    handler_class: a QuietHandler subclass, to record requests or send other headers."""
    handler = functools.partial(handler_class, directory=str(directory))
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


V1_SCHEMA = ROOT / "tests" / "data" / "library-v1.sql"


def make_v1_library(data_dir: Path, articles: int) -> None:
    """A realistic version-1 library (the released v1 schema, tests/data/library-v1.sql):
    Chinese articles with images, related links and favourites, indexed as v1 did."""
    data_dir.mkdir()
    db = sqlite3.connect(data_dir / DB_NAME)
    db.executescript(V1_SCHEMA.read_text(encoding="utf-8"))
    for n in range(2, articles + 2):
        text = f"第{n}篇 长者食堂开到家门口 老人吃饭不再犯愁 " + "社区志愿者" * 20
        db.execute("INSERT INTO articles (id, source_id, url, title, sort_key, text, html, "
                   "content_hash, fetched_at, is_read) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (n, f"https://example.org/{n}.html", f"标题{n} 供暖季开启", 1700000000 + n,
                    text, f"<p>{text}</p>", f"h{n}", 1700000000, n % 2))
        db.execute("INSERT INTO images VALUES (?, 'image/png', 8, 8, ?)", (f"i{n}", bytes([n])))
        db.execute("INSERT INTO article_images VALUES (?, 0, ?, '说明', ?)",
                   (n, f"https://example.org/{n}.png", f"i{n}"))
        db.execute("INSERT INTO related_links VALUES (?, 0, ?, '相关', '', NULL)",
                   (n, f"https://example.org/{n + 1}.html"))
        db.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                   (n, f"标题{n}", text))  # v1 tokens differ: the migration must re-index
    db.execute("INSERT INTO favourites VALUES (2, 1700000000, '')")
    db.commit()
    db.close()
