"""An article's body as stored (its text and html deflated together), and its story keys
(64-bit integers, little-endian, one after another)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence


def pack(text: str, html: str) -> bytes:
    """An article's text and html as stored: one deflated stream, in which the html's copy of
    the text is mostly back-references, so both weigh about a quarter of the two as they are
    (bench/disk.py)."""
    return zlib.compress(f"{text}\0{html}".encode(), 6)


def unpack(body: bytes) -> tuple[str, str]:
    """(text, html) of a stored body."""
    text, _, html = zlib.decompress(body).decode().partition("\0")
    return text, html


def pack_keys(keys: Sequence[int]) -> bytes:
    """An article's story keys as stored (schema.STORY_KEYS)."""
    return struct.pack(f"<{len(keys)}q", *keys)


def unpack_keys(packed: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(packed) // 8}q", packed))
