"""Moving subscriptions and articles in and out of Reader: OPML, exports."""

from __future__ import annotations

import os
from pathlib import Path

from reader.errors import ReaderError

FORMATS = ("md", "html", "epub", "json")  # what `export` writes


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all, so a failed export never leaves half a file."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ReaderError(f"cannot write {path}: {e.strerror}") from e


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise ReaderError(f"cannot read {path}: {e.strerror}") from e
