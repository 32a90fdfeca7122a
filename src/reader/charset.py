"""Turn page bytes into text. Order of evidence: BOM, UTF-8 that proves itself, HTTP header,
<meta>/<?xml?>, detection.

Only the encodings a browser knows are accepted (the WHATWG Encoding Standard, through the
`webencodings` table): a label naming any other Python codec (rot13, base64, idna, utf-7) is
ignored, as a browser ignores it. Declarations lie often on Chinese portals (UTF-8 declared,
GBK sent, or the other way round), so each candidate must decode cleanly before it is
believed, and bytes that are valid UTF-8 with multibyte sequences are UTF-8 whatever the
label says: no legacy encoding's text is valid UTF-8 by chance.
"""

from __future__ import annotations

import codecs
import re

import chardetng_py
import webencodings

# The WHATWG table already decodes Big5 as Big5-HKSCS, Shift_JIS as cp932, EUC-KR as cp949 and
# ISO-8859-1/ASCII as windows-1252; GBK's superset is GB18030 (a GBK page may use its extras).
_SUPERSETS = {"gbk": "gb18030"}
# WHATWG names that are no text encoding a page is written in.
_REFUSED = frozenset({"replacement", "x-user-defined"})
# Python codec names this module returns, so a stored choice reads back as itself.
_OURS = frozenset({"gb18030"} | {
    _SUPERSETS.get(name, webencodings.lookup(name).codec_info.name)  # type: ignore[union-attr]
    for name in set(webencodings.LABELS.values()) - _REFUSED})
# Python names (a detector's, an old setting's) that are no WHATWG label.
_DETECTED = {"gbk": "gb18030", "cp950": "big5hkscs"}

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.I,
)
_PROLOG = re.compile(r"^<\?xml[^>]*>")
_UTF8_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n'
_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1251", "koi8-r"}
_EAST_ASIAN = {"gb18030", "big5hkscs", "cp932", "euc_jp", "cp949", "iso2022_jp"}
_TOLERATED_ERRORS = 0.001  # share of undecodable bytes a real page may carry (a stray byte)
_STRAY_BYTES = 4  # ... and a few more on any page: half characters of truncated titles


def normalise(name: str | None) -> str | None:
    """The Python codec that reads a declared charset, or None when it is no web encoding."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    found = webencodings.lookup(label)
    if found is not None:
        if found.name in _REFUSED:
            return None
        return _SUPERSETS.get(found.name, found.codec_info.name)
    if label in _OURS:
        return label
    try:
        codec = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None
    return _DETECTED.get(codec, codec if codec in _OURS else None)


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


def _utf8(body: bytes) -> bool:
    """Whether the bytes are UTF-8: at most one bad sequence per hundred good characters
    beyond ASCII (a truncated page, a stray byte), counted against the non-ASCII text alone,
    so a GBK title in a page of ASCII script is not taken for a stray byte."""
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    beyond_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    return bad * 100 <= beyond_ascii


def _multibyte_utf8(body: bytes) -> bool:
    return not body.isascii() and _utf8(body)


def _detect(body: bytes) -> str:
    """UTF-8 when the bytes are; else the guess of chardetng, the detector a browser (Firefox)
    uses for undeclared legacy pages, which answers with WHATWG encodings only."""
    if _utf8(body):
        return "utf-8"
    sample = body[:200_000]
    guess = normalise(chardetng_py.detect(sample, allow_utf8=False)) or "cp1252"
    if guess in _SINGLE_BYTE and not sample.isascii():
        # One character cut in half (a title truncated by byte count) rules GBK out for the
        # detector; asked again without those stray bytes it sees the page's real encoding.
        text = sample.decode("gb18030", "ignore")
        whole = text.encode("gb18030")
        if len(sample) - len(whole) <= _STRAY_BYTES + len(sample) * _TOLERATED_ERRORS:
            retry = normalise(chardetng_py.detect(whole, allow_utf8=False))
            if retry in _EAST_ASIAN:
                return retry
    return guess


def decode(body: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec name used)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, "replace"), encoding
    header = normalise(http_charset)
    if header and header.startswith("utf-16"):
        # Only the header can say UTF-16 (a page's own <meta> is read as ASCII, so a
        # browser ignores one saying UTF-16); its bytes are no ASCII superset to test.
        return body.decode(header, "replace"), header
    if _multibyte_utf8(body):
        return body.decode("utf-8", "replace"), "utf-8"
    for candidate in (header, declared_in_page(body)):
        if not candidate or candidate.startswith("utf-16"):
            continue
        if candidate in _SINGLE_BYTE:
            # A Latin declaration never fails to decode: GBK sent under it is told by detection.
            detected = _detect(body)
            if detected in _EAST_ASIAN:
                return body.decode(detected, "replace"), detected
            return body.decode(candidate, "replace"), candidate
        if _clean(body, candidate):
            return body.decode(candidate, "replace"), candidate
    encoding = _detect(body)
    return body.decode(encoding, "replace"), encoding


def xml_as_utf8(body: bytes, http_charset: str | None = None) -> bytes:
    """An XML document (a feed) decoded by the rules above and re-encoded as UTF-8 under a
    prolog that says so, so an XML parser reads what a page read would. Whitespace before
    the old prolog goes too: it made parsers miss the declaration."""
    text, _ = decode(body, http_charset)
    return (_UTF8_PROLOG + _PROLOG.sub("", text.lstrip(), count=1)).encode("utf-8")
