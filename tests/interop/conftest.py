"""Interop tests run the real CLI on a real library folder in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import SAMPLE_SITE, SiteServer, serve_directory

OPML = Path(__file__).resolve().parent.parent / "data" / "opml"


class Cli:
    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> str:
        """Run `reader --data-dir DIR ARGS`; stdout on success, stderr on failure."""
        self.capsys.readouterr()
        assert main(["--data-dir", str(self.data_dir), *args]) == code
        captured = self.capsys.readouterr()
        return captured.out if code == 0 else captured.err


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    # Also through the environment, so no slip in option parsing can reach a real library.
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "lib"))
    return Cli(tmp_path / "lib", capsys)


@pytest.fixture
def site() -> Iterator[SiteServer]:
    server = serve_directory(SAMPLE_SITE)
    yield server
    server.stop()
