"""Keys that find the stored copies of an article's text (pure functions, no SQL).

The text key names the whole text: two addresses serving the same title and text (one site
read from file:// and over http, a print version) are one article.
"""

from __future__ import annotations

import hashlib

from reader.text import SPACE_RE

MIN_SAME_TEXT = 100  # characters: shorter texts ("page not found", a caption) prove nothing


def _key(kind: bytes, data: bytes) -> int:
    """A 64-bit signed key (SQLite's INTEGER) for data of one kind."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=kind).digest(),
                          "big", signed=True)


def plain(text: str) -> str:
    """Text as compared: whitespace runs as one space."""
    return SPACE_RE.sub(" ", text).strip()


def text_key(text: str) -> int | None:
    """The key of the whole text, or None when it is too short to identify an article."""
    body = plain(text)
    return _key(b"text", body.encode()) if len(body) >= MIN_SAME_TEXT else None


def keys(text: str) -> list[int]:
    """Every key stored for a text."""
    key = text_key(text)
    return [] if key is None else [key]
