"""Turn page bytes into text. Order of evidence: HTTP header, BOM, <meta>/<?xml?>, detection.

Declarations lie often on Chinese portals (UTF-8 declared, GBK sent), so each candidate must
decode cleanly before it is believed.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# WHATWG-style aliases: the superset decodes everything its subset does.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
    "gb_2312-80": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030",
    "big5": "big5hkscs", "cp950": "big5hkscs",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252",
    "shift_jis": "cp932", "sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.I,
)
_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1251", "koi8-r"}
_EAST_ASIAN = {"gb18030", "big5hkscs", "cp932", "euc_jp", "cp949", "iso2022_jp"}
_TOLERATED_ERRORS = 0.001  # share of undecodable bytes a real page may carry (a stray byte)


def normalise(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def declared_in_page(body: bytes) -> str | None:
    match = _META.search(body[:16384])
    if not match:
        return None
    return normalise((match.group(1) or match.group(2)).decode("ascii", "replace"))


def _clean(body: bytes, encoding: str) -> bool:
    """Whether the bytes decode with at most a stray undecodable byte per thousand."""
    try:
        body.decode(encoding)
        return True
    except UnicodeDecodeError:
        bad = body.decode(encoding, "replace").count("\ufffd")
        return bad <= len(body) * _TOLERATED_ERRORS


def _detect(body: bytes) -> str:
    if _clean(body, "utf-8"):
        return "utf-8"
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    guess = normalise(best.encoding) if best else None
    # Undeclared East Asian pages are mostly GB: prefer it over an odd guess when it decodes.
    if guess not in _EAST_ASIAN and _clean(body, "gb18030"):
        return "gb18030"
    return guess or "cp1252"


def decode(body: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec name used)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, "replace"), encoding
    for candidate in (normalise(http_charset), declared_in_page(body)):
        if not candidate:
            continue
        if candidate in _SINGLE_BYTE:
            # A Latin declaration never fails to decode, so test whether the bytes are richer.
            if any(b > 0x7F for b in body) and _clean(body, "utf-8"):
                return body.decode("utf-8", "replace"), "utf-8"
            detected = _detect(body)
            if detected not in _SINGLE_BYTE and detected != "utf-8":
                return body.decode(detected, "replace"), detected
            return body.decode(candidate, "replace"), candidate
        if _clean(body, candidate):
            return body.decode(candidate, "replace"), candidate
    encoding = _detect(body)
    return body.decode(encoding, "replace"), encoding
