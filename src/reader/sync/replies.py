"""Checks on what a sync server sends, shared by the protocols: lists are lists of objects,
text is text. Anything else is a server that cannot be believed (Implausible), and the sync
stops before it changes anything instead of failing half-way with a traceback."""

from __future__ import annotations

from typing import Any

from reader.sync import Implausible
from reader.text import squash


def objects(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Implausible("the server sent a list that is not a list of objects")
    return value


def text(value: object) -> str:
    """A name or a title: one clean line; a value of another type is no text."""
    return squash(value) if isinstance(value, str) else ""
