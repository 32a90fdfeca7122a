"""Which stored articles are the same story (pure functions, no SQL).

Portals republish each other's stories with their own chrome around them: a 原标题 line, a
责任编辑 line, the headline's punctuation changed, a paragraph of promotion added or one cut.
Two levels of identity:

- the text key names the whole text: two addresses serving the same title and text (one site
  read from file:// and over http, a print version) are one article;
- MinHash band keys find candidate copies of a story under other addresses in a few index
  lookups (LSH over character shingles for Chinese, word shingles for Latin text), and
  `same_story` decides on the texts themselves, with the publish time and the title: a
  daily weather report, an announcement template with other numbers, or two briefs sharing
  their boilerplate share much text and are still different stories.

Hand-written on numpy rather than datasketch: the same candidates and verdicts at a fraction
of the cost per article (bench/stories.py, docs/stories.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from reader.text import HAN

MIN_SAME_TEXT = 100  # characters: shorter texts ("page not found", a caption) prove nothing

CHAR_SHINGLE = 5  # characters, for Chinese (a word is 1-4 of them)
WORD_SHINGLE = 3  # words, for Latin text
BANDS, ROWS = 10, 3  # LSH: a pair sharing 70% of its shingles is a candidate 97% of the time
MIN_SHINGLES = 40  # a text shorter than this has no band keys: too little to tell stories apart
CANDIDATES = 8  # stored articles checked per new one, the most band keys shared first
MAX_CHARS = 8000  # a story's opening says which it is; a 50k-character text costs no more

BINS = BANDS * ROWS  # the MinHash's values, each the least hash of one bin of shingles

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# Hashers with their kind set, copied per key (cheaper than a new one with its parameters).
_HASHERS = {kind: hashlib.blake2b(digest_size=8, person=kind) for kind in (b"text", b"title")}


def _key(kind: bytes, data: bytes) -> int:
    """A 64-bit signed key (SQLite's INTEGER) for data of one kind."""
    hasher = _HASHERS[kind].copy()
    hasher.update(data)
    return int.from_bytes(hasher.digest(), "big", signed=True)


def plain(text: str) -> str:
    """Text as compared: whitespace runs as one space."""
    return " ".join(text.split())


def _plain_key(text: str) -> int | None:
    """The key of a text too short for band keys: of the whole text, when it is long enough
    to identify an article."""
    body = plain(text)
    return _key(b"text", body.encode()) if len(body) >= MIN_SAME_TEXT else None


# Code points that are no part of a word (\W, roughly, as ranges numpy can test at once):
# ASCII and Latin-1 punctuation and spaces, general punctuation and symbols, CJK punctuation,
# and the punctuation among the full-width forms.
_GAPS = [(0, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0x2000, 0x2BFF),
         (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFF0F), (0xFF1A, 0xFF20),
         (0xFF3B, 0xFF40), (0xFF5B, 0xFF65)]
# As boundaries for one searchsorted: a code point falls in a gap when an odd number of
# boundaries lie at or below it.
_BOUNDS = np.array([b for low, high in _GAPS for b in (low, high + 1)], dtype=np.uint32)
_SPACE = np.uint32(32)
# reader.text.HAN's ranges ("a-b" runs) as searchsorted boundaries, the same way.
_HAN_BOUNDS = np.array([ord(c) + (i % 3 == 2) for i, c in enumerate(HAN) if i % 3 != 1],
                       dtype=np.uint32)


def _fold(codes: np.ndarray) -> np.ndarray:
    """Code points (lower case already) with full-width letters and digits as ASCII, and
    every character that is no part of a word as a space."""
    codes = codes.copy()
    wide = ((codes >= 0xFF10) & (codes <= 0xFF19)) | ((codes >= 0xFF21) & (codes <= 0xFF3A)) \
        | ((codes >= 0xFF41) & (codes <= 0xFF5A))
    codes[wide] -= np.uint32(0xFEE0)
    codes[np.searchsorted(_BOUNDS, codes, side="right") % 2 == 1] = _SPACE
    return codes


# _fold and the Chinese test as tables over the Basic Multilingual Plane, where nearly every
# text lies entirely: one lookup per character instead of a dozen passes.
_PLANE = np.arange(0x10000, dtype=np.uint32)
_FOLDED = _fold(_PLANE)
_IS_HAN = np.searchsorted(_HAN_BOUNDS, _PLANE, side="right") % 2 == 1


def _codes(text: str) -> np.ndarray:
    """The text's code points, lower case, folded (_fold)."""
    codes = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    if len(codes) and codes.max() > 0xFFFF:
        return _fold(codes)
    return _FOLDED.take(codes)  # (take: a third of indexing's cost)


def _core(title: str) -> str:
    """A headline in lower case without punctuation and spaces (too short for numpy)."""
    return "".join(ch for ch in title.lower() if ch.isalnum())


def _hashes(text: str) -> np.ndarray:
    """The shingle hashes of a text's first MAX_CHARS characters (uint64, in text order,
    repeats kept): 5-character runs of Chinese text (punctuation and spaces left out, so a
    changed comma changes few), or 3-word runs of other text."""
    codes = _codes(text[:MAX_CHARS])
    head = codes[:2000]
    # Code points beyond the plane are no Chinese characters (reader.text.HAN).
    if np.count_nonzero(_IS_HAN.take(head, mode="clip")) * 4 > len(head):
        units = codes.compress(codes != _SPACE).astype(np.uint64)
        width = CHAR_SHINGLE
    else:
        units = _word_hashes(codes)
        width = WORD_SHINGLE
    count = len(units) - width + 1
    if count < 1:
        return np.zeros(0, dtype=np.uint64)
    # Multiplication modulo 2**64 is the point (numpy arrays wrap without a warning).
    h = units[:count].copy()
    for i in range(1, width):
        h *= _BASE
        h += units[i:count + i]
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return h


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of a text (_hashes), sorted."""
    return np.unique(_hashes(text))


_BASE = np.uint64(0x100000001B3)
# B^1 .. B^n and their inverses modulo 2**64, for texts of up to MAX_CHARS characters (lower
# case can lengthen a text: İ is two code points) between two spaces.
_POWERS = np.cumprod(np.full(2 * MAX_CHARS + 2, _BASE, dtype=np.uint64))
_INVERSES = np.cumprod(np.full(2 * MAX_CHARS + 2, pow(0x100000001B3, -1, 2**64),
                               dtype=np.uint64))


def _word_hashes(codes: np.ndarray) -> np.ndarray:
    """A hash per word, all at once: polynomial hashes of the spans between spaces, read off
    one running sum (what a word hashes to does not depend on where it stands)."""
    n = len(codes) + 2
    padded = np.empty(n, dtype=np.uint64)
    padded[0] = padded[-1] = _SPACE
    padded[1:-1] = codes
    spaces = np.flatnonzero(padded == _SPACE)
    padded *= _INVERSES[:n]
    running = np.empty(n + 1, dtype=np.uint64)
    running[0] = 0
    np.cumsum(padded, out=running[1:])
    starts, ends = spaces[:-1] + 1, spaces[1:]
    words = ends > starts  # runs of spaces leave empty spans
    starts, ends = starts.compress(words), ends.compress(words)
    return (running.take(ends) - running.take(starts)) * _POWERS.take(ends - 1)


_rng = np.random.default_rng(20251201)  # fixed: keys must be the same in every process
_EMPTY = np.uint64(2**64 - 1)
_SHIFT = np.uint64(32)
# Optimal densification: each bin's own sequence of other bins to take a value from when it
# is empty, random bins first, then every other bin in turn (one is filled: texts with
# MinHash values have shingles).
_DONORS = np.hstack([_rng.integers(0, BINS, (BINS, 32)),
                     (np.arange(BINS)[:, None] + np.arange(1, BINS)) % BINS])


def signature(hashes: np.ndarray) -> np.ndarray:
    """One-permutation MinHash (Li, Owen and Zhang 2012): the shingle hashes fall into BINS
    bins by their high bits, and each bin keeps its least (one pass, where a MinHash of BINS
    permutations hashes every shingle BINS times; repeats change no minimum). A short text
    leaves bins empty (40 shingles leave 8 of 30 on average): an empty bin takes the value of
    the first filled bin of its fixed sequence (_DONORS; optimal densification, Shrivastava
    2017), so two texts filling the same bins fill the empty ones alike."""
    least = np.full(BINS, _EMPTY, dtype=np.uint64)
    np.minimum.at(least, ((hashes >> _SHIFT) * np.uint64(BINS) >> _SHIFT).astype(np.intp),
                  hashes)
    filled = least != _EMPTY
    if not filled.all():
        empty = np.flatnonzero(~filled)
        donors = _DONORS[empty]
        least[empty] = least[donors[np.arange(len(empty)), filled[donors].argmax(axis=1)]]
    return least


def _odd(shape: tuple[int, ...]) -> np.ndarray:
    return (_rng.integers(1, 2**63, shape, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)


# The band keys as sums of the MinHash's values times odd multipliers (modulo 2**64), all in
# one product: each band's of its ROWS values, with its own multipliers (the same values in two
# bands make two keys).
_BAND_KEYS = np.kron(np.eye(BANDS, dtype=np.uint64), np.ones((1, ROWS), dtype=np.uint64)) \
    * _odd((BANDS, BINS))


def title_key(title: str) -> int | None:
    """The key of a headline without its punctuation and spaces (copies change those)."""
    core = _core(title)
    return _key(b"title", core.encode()) if len(core) >= 6 else None


def _distinct(hashes: np.ndarray, least: int) -> bool:
    """Whether there are at least `least` distinct hashes: most texts show it in their
    opening, without sorting all of them."""
    if len(hashes) < least:
        return False
    opening = np.sort(hashes[:4 * least])
    if 1 + int(np.count_nonzero(opening[1:] != opening[:-1])) >= least:
        return True
    return len(np.unique(hashes)) >= least


def _band_keys(text: str) -> list[int]:
    """The MinHash bands' keys; none for a text too short to tell stories apart."""
    hashes = _hashes(text)
    if not _distinct(hashes, MIN_SHINGLES):
        return []
    keys: list[int] = (_BAND_KEYS @ signature(hashes)).view(np.int64).tolist()
    return keys


def story_keys(title: str, text: str) -> list[int]:
    """The keys that find candidate copies: the headline's and the MinHash bands'."""
    return list(article_keys(title, text).story)


@dataclass(frozen=True, slots=True)
class Keys:
    """An article's keys, computed before its write transaction (in the update's page
    workers): the store then only looks them up and inserts them."""

    text: int | None  # the same article under another address (copies.same_text)
    story: tuple[int, ...]  # story_keys: candidate copies
    groups: bool  # the text is long enough to be a copy (it has band keys)

    @property
    def all(self) -> list[int]:
        """Every key stored for the article."""
        if self.text is None or self.groups:  # (a text with bands: its first band's key)
            return list(self.story)
        return [self.text, *self.story]


def article_keys(title: str, text: str) -> Keys:
    """The keys stored for an article with this title and text. The text key of a text with
    bands is its first band's: it only names stored texts that are then compared whole
    (copies.same_text), so one shared by near copies costs a comparison, never a wrong
    verdict, and it costs no row of its own."""
    titled = [k for k in (title_key(title),) if k is not None]
    bands = _band_keys(text)
    if not bands:
        return Keys(_plain_key(text), tuple(titled), False)
    return Keys(bands[0], tuple(titled + bands), True)


def keys(title: str, text: str) -> list[int]:
    """Every key stored for an article."""
    return article_keys(title, text).all


@dataclass(frozen=True, slots=True)
class Story:
    """What same_story compares of an article."""

    title: str
    text: str
    published: datetime | None

    @property
    def numbers(self) -> set[str]:
        return set(_DIGITS.findall(self.text[:MAX_CHARS]))


def _bigrams(text: str) -> set[str]:
    core = _core(text)
    return {core[i:i + 2] for i in range(len(core) - 1)} or {core}


def title_likeness(a: str, b: str) -> float:
    """Dice coefficient of the headlines' character pairs (punctuation and spaces left out)."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


MAX_HOURS_APART = 36  # copies are republished within a day or so
MIN_JACCARD = 0.5  # shingles shared, of both texts' together
MIN_CONTAINED = 0.8  # of the shorter text's shingles, found in the longer
MIN_TITLE = 0.5  # headline likeness, when the texts alone do not settle it
NEW_NUMBERS = 0.2  # share of the shorter text's numbers missing from the longer
SAME_TEXT = 0.85  # Jaccard above which the numbers are not compared


def _hours_apart(a: datetime | None, b: datetime | None) -> float:
    """Hours between two publish times; 0 when one is unknown or only one has a zone."""
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return 0.0
    return abs((a - b).total_seconds()) / 3600


def same_story(a: Story, b: Story) -> bool:
    """Whether b is a copy of a's story: published within MAX_HOURS_APART, most of the
    shorter text found in the longer, the same numbers (a template filled with other
    figures is another report), and a like headline (briefs under one long boilerplate
    share most of their text)."""
    if _hours_apart(a.published, b.published) > MAX_HOURS_APART:
        return False
    x, y = shingles(a.text), shingles(b.text)
    if min(len(x), len(y)) < MIN_SHINGLES:
        return False
    shared = len(np.intersect1d(x, y, assume_unique=True))
    jaccard = shared / (len(x) + len(y) - shared)
    contained = shared / min(len(x), len(y))
    if jaccard < MIN_JACCARD or contained < MIN_CONTAINED:
        return False
    # A template filled with other figures shares its wording, not most of its text: only
    # texts that differ by more than a paragraph or two have their numbers compared.
    shorter, longer = (a, b) if len(x) <= len(y) else (b, a)
    numbers = shorter.numbers
    missing = len(numbers - longer.numbers)
    if jaccard < SAME_TEXT and missing >= 2 and missing > NEW_NUMBERS * len(numbers):
        return False
    return title_likeness(a.title, b.title) >= MIN_TITLE
