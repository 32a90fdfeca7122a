"""Interop tests run the real CLI on a real library folder in tmp_path."""

from __future__ import annotations

from pathlib import Path

OPML = Path(__file__).resolve().parent.parent / "data" / "opml"
