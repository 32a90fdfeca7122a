"""A real Fever server for the sync tests: coldsweat, in its own venv (scripts/coldsweat.sh),
fed by the sample site over HTTP, shared by a module; `server` resets its state per test."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import ROOT, SAMPLE_SITE, SiteServer, serve_directory

COLDSWEAT = ROOT / ".venv-coldsweat" / "bin" / "coldsweat"
EMAIL = "reader@example.com"
PASSWORD = "correct horse battery"  # coldsweat wants 12 characters or more


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Coldsweat:
    """coldsweat serving one user's subscription to the sample site's feed."""

    folder: Path
    site: SiteServer
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    @property
    def feed_url(self) -> str:
        return self.site.url + "rss.xml"

    def env(self) -> dict[str, str]:
        # Without a config.toml coldsweat reads FLASK_* variables: keep its database here.
        return {**os.environ, "FLASK_DATABASE_URL": f"sqlite:///{self.folder / 'cs.db'}",
                "FLASK_SECRET_KEY": "tests only"}

    def command(self, *args: str) -> None:
        subprocess.run([str(COLDSWEAT), *args], env=self.env(), cwd=self.folder, check=True,
                       capture_output=True, timeout=60)

    def set_up(self) -> None:
        self.command("setup", EMAIL, "--password", PASSWORD)
        opml = self.folder / "feeds.opml"
        opml.write_text('<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
                        f'<body><outline text="Sample" xmlUrl="{self.feed_url}"/></body></opml>')
        self.command("import", str(opml), EMAIL, "--fetch")

    def start(self) -> None:
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115 (the process holds it)
        self.process = subprocess.Popen(
            [str(COLDSWEAT), "run", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(), cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        end = time.monotonic() + 20
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"coldsweat exited: {(self.folder / 'server.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("coldsweat did not start listening within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def api(self, *commands: str, **form: str) -> dict[str, Any]:
        """A Fever call of our own, to check the server's state independently of the client."""
        key = hashlib.md5(f"{EMAIL}:{PASSWORD}".encode()).hexdigest()
        answer = requests.post(self.endpoint + "?" + "&".join(["api", *commands]),
                               data={"api_key": key, **form}, timeout=10).json()
        assert answer["auth"] == 1
        return dict(answer)

    def items(self) -> dict[str, dict[str, Any]]:
        """Every item by its title (the sample feed has ten, fewer than a Fever page)."""
        return {i["title"]: i for i in self.api("items")["items"]}

    def set_state(self, item_id: int, *marks: str) -> None:
        for mark in marks:
            self.api(mark="item", id=str(item_id), **{"as": mark})

    def reset(self) -> None:
        """Everything unread and unsaved."""
        for item in self.items().values():
            self.set_state(item["id"], "unread", "unsaved")

    def unread(self) -> set[int]:
        return {int(i) for i in self.api("unread_item_ids")["unread_item_ids"].split(",") if i}

    def saved(self) -> set[int]:
        return {int(i) for i in self.api("saved_item_ids")["saved_item_ids"].split(",") if i}


@pytest.fixture(scope="module")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coldsweat]:
    if not COLDSWEAT.exists():
        pytest.skip(f"coldsweat is not installed in {COLDSWEAT.parent.parent} "
                    "(run scripts/coldsweat.sh)")
    site = serve_directory(SAMPLE_SITE)
    server = Coldsweat(tmp_path_factory.mktemp("coldsweat"), site)
    try:
        server.set_up()
        server.start()
        yield server
    finally:
        server.stop()
        site.stop()


@pytest.fixture
def server(coldsweat: Coldsweat) -> Coldsweat:
    coldsweat.reset()
    return coldsweat
