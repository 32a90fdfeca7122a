"""Desktop integration: `python -m reader`, the menu entry, and a wheel that carries resources/."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from reader.desktop import APP_ID, desktop_entry
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_reader(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(tmp_path),
                          "sources", "--json"], capture_output=True, text=True, timeout=60,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_install_desktop_writes_entry_and_icon(cli: Cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    out = cli("install-desktop")
    entry = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert str(entry) in out and str(icon) in out
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parsed.read(entry, encoding="utf-8")
    section = parsed["Desktop Entry"]
    assert section["Type"] == "Application" and section["Icon"] == APP_ID
    assert section["Exec"] == f"{sys.executable} -m reader"
    assert icon.read_bytes().startswith(b"<svg")
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_exec_line_quotes_a_path_with_spaces() -> None:
    assert "Exec=\"/opt/my apps/bin/python\" -m reader" in desktop_entry("/opt/my apps/bin/python")


def test_wheel_carries_resources(tmp_path: Path) -> None:
    """Build the wheel, install it in a fresh venv and find the sample site and translations
    inside the installed package, away from the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(wheels)], check=True, timeout=600)
    [wheel] = wheels.glob("reader_news-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert "reader/resources/sample_site/news/index.html" in names
    assert any(n.startswith("reader/resources/translations/") and n.endswith(".qm")
               for n in names)
    assert f"reader/resources/desktop/{APP_ID}.desktop" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel],
                   check=True, timeout=300)
    # The dependencies (PySide6 is 240 MB) come from this venv's site-packages, added as a
    # path: a .pth line does not run that folder's own .pth files, so the editable checkout
    # of reader stays out and the wheel's copy is the one imported.
    own = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    (Path(own) / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    probe = (
        "import reader, sys\n"
        "from reader.resources import resource, resource_dir\n"
        "from reader.library import Library\n"
        f"assert reader.__file__.startswith({str(env_dir)!r}), reader.__file__\n"
        f"assert str(resource_dir()).startswith({str(env_dir)!r}), resource_dir()\n"
        "assert list(resource('translations').glob('*.qm'))\n"
        f"with Library({str(tmp_path / 'lib')!r}) as library:\n"
        "    print(len(library.add_sample_site()), library.update()[0].new > 0)\n")
    run = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["2", "True"]
