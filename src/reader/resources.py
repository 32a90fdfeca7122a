"""Where the bundled files (sample site, icons, translations) are.

In a checkout they are the top-level resources/ folder; a wheel carries them inside the package.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    for candidate in (_HERE / "resources", _HERE.parent.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Reader's resources folder is missing from this installation")


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
