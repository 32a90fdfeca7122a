"""scripts/setup.sh in a scratch copy, with stand-ins for apt, dpkg and the venv's programs."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _stand_in(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    log = tmp_path / "calls.log"
    for name in ("python", "reader"):
        _stand_in(tmp_path / ".venv" / "bin" / name, f'echo "{name} $*" >> {log}')
    return tmp_path


def _run(checkout: Path, *args: str, installed: bool = True,
         lock_held: bool = False) -> subprocess.CompletedProcess[str]:
    bin_dir = checkout / "fake-bin"
    log = checkout / "calls.log"
    status = "install ok installed" if installed else "deinstall ok config-files"
    _stand_in(bin_dir / "dpkg-query", f"printf '{status}'")
    _stand_in(bin_dir / "apt-get", f'echo "apt-get $*" >> {log}')
    _stand_in(bin_dir / "flock", "exit 1" if lock_held else "exit 0")
    _stand_in(bin_dir / "sudo", '"$@"')
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(["bash", "scripts/setup.sh", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120, check=True)


def _calls(checkout: Path) -> str:
    log = checkout / "calls.log"
    return log.read_text() if log.exists() else ""


def test_the_app_set_up_after_the_test_one_installs_nothing(checkout: Path) -> None:
    digest = hashlib.sha1((checkout / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (checkout / ".venv" / f".installed-{digest}-test").touch()
    _run(checkout)
    assert "pip install" not in _calls(checkout)
    assert "reader install-desktop" in _calls(checkout)


def test_a_held_package_lock_is_waited_for_with_a_message(checkout: Path) -> None:
    if not Path("/var/lib/dpkg/lock-frontend").exists():
        pytest.skip("not a Debian system")
    digest = hashlib.sha1((checkout / "pyproject.toml").read_bytes()).hexdigest()[:12]
    (checkout / ".venv" / f".installed-{digest}-app").touch()
    done = _run(checkout, installed=False, lock_held=True)
    assert "waiting for it to finish" in done.stderr
    apt = [line for line in _calls(checkout).splitlines() if line.startswith("apt-get")]
    assert apt and all("DPkg::Lock::Timeout=" in line for line in apt)
