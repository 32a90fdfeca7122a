"""A library on a read-only mount: reading commands work, writing ones say it is read-only.

The folder is made read-only by a real read-only bind mount of it onto itself (the tests run
as root, whom chmod does not stop; the mount is undone after the test). Where mounting is not
allowed, the read-only file system is simulated where Reader first meets it: creating the
folder's `library.lock` fails with EROFS, as it does on a read-only mount."""

from __future__ import annotations

import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.store._storage import base
from tests.conftest import Cli, SiteServer


def _mount(*args: str) -> bool:
    try:
        return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0
    except OSError:  # no mount command
        return False


@pytest.fixture(params=["lock file left", "no lock file"])
def read_only(cli: Cli, site: SiteServer, monkeypatch: pytest.MonkeyPatch,
              request: pytest.FixtureRequest) -> Iterator[Path]:
    """A library of the sample site, its folder then read-only (with or without the
    library.lock an earlier run left there)."""
    cli("settings", "request_delay_ms", "0")
    cli("add", site.url + "news/index.html")
    cli("update")
    cli("fav", str(_ids(cli)[0]))
    folder = cli.data_dir
    if request.param == "no lock file":
        (folder / "library.lock").unlink()
    if _mount("--bind", str(folder), str(folder)):
        if not _mount("-o", "remount,bind,ro", str(folder)):
            subprocess.run(["umount", str(folder)], check=False)
            pytest.fail("a bind mount could not be made read-only")
        try:
            with pytest.raises(OSError) as refused:
                (folder / "probe").write_bytes(b"")
            assert refused.value.errno == errno.EROFS
            yield folder
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    real_open = open

    def refuse_lock(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if Path(str(file)).name == "library.lock" and any(c in mode for c in "aw+x"):
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
    monkeypatch.setattr(base, "open", refuse_lock, raising=False)
    yield folder


def _ids(cli: Cli) -> list[int]:
    return [r["id"] for r in cli.json("list", "--limit", "500")]  # type: ignore[union-attr,index]


def test_reading_commands_work_on_a_read_only_library(cli: Cli, read_only: Path,
                                                      tmp_path: Path) -> None:
    ids = _ids(cli)
    assert len(ids) > 4
    assert cli("show", str(ids[0]))
    hits = cli.json("search", "阅读")
    assert hits
    out = tmp_path / "out.html"
    assert "exported" in cli("export", "--favourites", str(out))
    assert out.stat().st_size > 0
    assert "Traceback" not in cli("sources")


@pytest.mark.parametrize("command", [["add", "https://example.org/feed.xml"], ["update"],
                                     ["fav", "1"], ["settings", "request_delay_ms", "5"]])
def test_writing_commands_say_the_library_is_read_only(cli: Cli, read_only: Path,
                                                       command: list[str]) -> None:
    error = cli(*command, code=1)
    assert error.startswith("reader: ") and "read-only" in error
