"""Character classes and text clean-up shared by the parsers, the store and the UI.

One definition of which characters are CJK, of whitespace, and of what text from outside may
carry: everything a page or a feed says passes through ``clean`` at the parse boundary, so no
later layer sees a control character (terminal escapes, invalid XML) or a lone surrogate (which
SQLite's UTF-8 encoder refuses).
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA = "\u3040-\u30ff"
HANGUL = "\uac00-\ud7af"
CJK = KANA + HAN + HANGUL

# Compiled on first use (module __getattr__): classes this wide take 4 ms to compile, and
# only the parsers use them, not the window's start.
HAN_RE: re.Pattern[str]
KANA_RE: re.Pattern[str]
HANGUL_RE: re.Pattern[str]
CJK_RE: re.Pattern[str]
_CLASSES = {"HAN_RE": HAN, "KANA_RE": KANA, "HANGUL_RE": HANGUL, "CJK_RE": CJK}


def __getattr__(name: str) -> re.Pattern[str]:
    if name not in _CLASSES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    pattern = globals()[name] = re.compile(f"[{_CLASSES[name]}]")
    return pattern


SPACE_RE = re.compile(r"\s+")

# C0 and C1 controls but tab and newline, DEL, lone surrogates, and XML's non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text fit to store, print and put in XML: unsafe characters removed, nothing else."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def squash(text: str) -> str:
    """Runs of whitespace as one space, ends stripped: the form of a title or a label."""
    return SPACE_RE.sub(" ", clean(text)).strip()


_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s")


def headline(text: str, limit: int = 80) -> str:
    """A title for something that has none: its first sentence, or its start cut at a word."""
    text = squash(text)
    first = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if 0 < len(first) <= limit:
        return first
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:，、") + "…"
