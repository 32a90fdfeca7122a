"""Desktop integration: a menu entry and an icon under the user's XDG data folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from reader.errors import ReaderError
from reader.resources import resource

APP_ID = "reader-news"


def _quote(arg: str) -> str:
    # Desktop Entry spec, "The Exec key": quote reserved characters, escape \ " ` $ inside.
    if not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg
    return '"' + re.sub(r'([\\"`$])', r"\\\1", arg) + '"'


def desktop_entry(python: str = sys.executable) -> str:
    """The bundled .desktop file, launching this very interpreter (a venv is rarely on PATH)."""
    text = resource("desktop", f"{APP_ID}.desktop").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^Exec=.*$", lambda _: f"Exec={_quote(python)} -m reader", text)
    return re.sub(r"(?m)^TryExec=.*$", lambda _: f"TryExec={python}", text)


def install(data_home: Path | None = None) -> list[Path]:
    """Install the menu entry and the icon; returns the files written."""
    home = data_home or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    entry = home / "applications" / f"{APP_ID}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    try:
        for folder in (entry.parent, icon.parent):
            folder.mkdir(parents=True, exist_ok=True)
        entry.write_text(desktop_entry(), encoding="utf-8")
        shutil.copyfile(resource("desktop", f"{APP_ID}.svg"), icon)
    except OSError as e:
        raise ReaderError(f"cannot install the desktop entry: {e}") from e
    # Menus pick the entry up by themselves; refreshing the cache only makes it immediate.
    if shutil.which("update-desktop-database"):
        subprocess.run(["update-desktop-database", "-q", str(entry.parent)], check=False,
                       capture_output=True)
    return [entry, icon]
