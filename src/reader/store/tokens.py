"""Text to search tokens, and user queries to FTS5 queries. Pure functions, no SQL.

SQLite's tokenizers cannot find Chinese words: unicode61 sees a whole run of Han characters as
one token, and trigram misses 1-2 character queries. So Han text is indexed as overlapping
bigrams, like Lucene's CJK analyzer, plus the last character of each run. Then:
- a 1-character query is the prefix query `X*`: every occurrence of X starts a bigram or ends
  a run;
- a 2-character query is one bigram token;
- a longer query is the AND of its bigrams, confirmed by a substring check on the candidates.
Latin words go to unicode61 unchanged, which folds case and diacritics; outside quotes a Latin
word is a prefix (`river` finds "riverside", `volunteer` "volunteers"; a trailing `*` says the
same), inside "quotes" it is the whole word.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from reader.errors import SearchError
from reader.text import CJK

_MAX_TERMS = 16


# Compiled on first use: classes this wide take 3.6 ms to compile, and a window's first paint
# neither searches nor compares articles.
@cache
def _cjk_run() -> re.Pattern[str]:
    return re.compile(f"[{CJK}]+")


@cache
def _word() -> re.Pattern[str]:
    return re.compile(rf"[^\W{CJK}]+")


def index_text(text: str) -> str:
    """The token string stored in the index for `text`."""
    return _cjk_run().sub(lambda m: f" {_bigrams(m.group())} ", text)


def _bigrams(run: str) -> str:
    pairs = [run[i:i + 2] for i in range(len(run) - 1)]
    pairs.append(run[-1])
    return " ".join(pairs)


def index_terms(text: str) -> list[str]:
    """The tokens of `text` as the index holds them (lower case), in order."""
    tokens: list[str] = []
    for match in re.finditer(f"[{CJK}]+|[^\\W{CJK}]+", text):
        part = match.group()
        if _cjk_run().fullmatch(part):
            tokens.extend(_bigrams(part).split())
        else:
            tokens.append(part.lower())
    return tokens


class Term(NamedTuple):
    text: str  # as the user wrote it, lower case
    negated: bool = False
    prefix: bool = False  # Latin words match as word beginnings (not inside "quotes")

    @property
    def needs_check(self) -> bool:
        """Whether an index match can be wrong, so the text must be checked."""
        runs = _cjk_run().findall(self.text)
        return len(_word().findall(self.text)) + len(runs) > 1 or any(len(r) > 2 for r in runs)


class Query(NamedTuple):
    terms: tuple[Term, ...]
    fts: str  # the FTS5 MATCH expression

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)


def parse_query(query: str) -> Query:
    """Words, "quoted phrases" and -excluded terms, all required. Raises SearchError."""
    if query.count('"') % 2:
        raise SearchError('unbalanced quote in the search: close the "phrase"')
    terms: list[Term] = []
    for match in re.finditer(r'(-?)"([^"]*)"|(-?)(\S+)', query):
        negated = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        text = (match.group(2) if quoted else match.group(4).rstrip("*")).lower()
        if _fts_tokens(text, prefix=False):
            terms.append(Term(text, negated, prefix=not quoted))
    if not terms:
        raise SearchError("the search has no words to look for")
    if len(terms) > _MAX_TERMS:
        raise SearchError(f"the search has more than {_MAX_TERMS} terms")
    if all(t.negated for t in terms):
        raise SearchError("the search only excludes words: add one to look for")
    positive = " AND ".join(_fts_term(t) for t in terms if not t.negated)
    negative = "".join(f" NOT {_fts_term(t)}" for t in terms if t.negated)
    return Query(tuple(terms), positive + negative)


def _fts_tokens(text: str, *, prefix: bool) -> list[str]:
    tokens = []
    for match in re.finditer(f"[{CJK}]+|[^\\W{CJK}]+", text):
        part = match.group()
        if _cjk_run().fullmatch(part) and len(part) == 1:
            tokens.append(f'"{part}"*')
        elif _cjk_run().fullmatch(part):
            tokens.extend(f'"{p}"' for p in _bigrams(part).split()[:-1])
        else:
            tokens.append(f'"{part}"*' if prefix else f'"{part}"')
    return tokens


def _fts_term(term: Term) -> str:
    return "(" + " AND ".join(_fts_tokens(term.text, prefix=term.prefix)) + ")"


def _pattern(term: Term) -> str:
    """A regular expression for the term in lower-case text, word beginnings for prefixes."""
    needle = " ".join(term.text.split())
    if _cjk_run().fullmatch(needle):
        return re.escape(needle)
    # Phrases match on word boundaries, ignoring the spacing and punctuation in between.
    words = re.findall(f"[{CJK}]+|[^\\W{CJK}]+", needle)
    latin = f"[^\\W{CJK}]"  # a CJK neighbour is a word boundary, as in the index
    rest = f"{latin}*" if term.prefix else ""
    body = r"\W*".join(re.escape(w) + ("" if _cjk_run().fullmatch(w) else rest) for w in words)
    head = "" if _cjk_run().fullmatch(words[0]) else f"(?<!{latin})"
    tail = "" if _cjk_run().fullmatch(words[-1]) or term.prefix else f"(?!{latin})"
    return head + body + tail


def patterns(query: Query) -> list[str]:
    """What each word the query looks for matches, as regular expressions."""
    return [_pattern(t) for t in query.positive]


def matches(term: Term, haystack: str) -> bool:
    """The exact check for a term the index can only approximate (haystack lower case)."""
    return re.search(_pattern(term), haystack) is not None


def snippet(text: str, terms: tuple[Term, ...], width: int = 60) -> str:
    """A window of `text` around the first match, matches wrapped in « »."""
    patterns = [_pattern(t) for t in sorted(terms, key=lambda t: len(t.text), reverse=True)
                if t.text]
    pattern = re.compile("|".join(patterns), re.I) if patterns else None
    first = pattern.search(text) if pattern else None
    start = max(0, (first.start() if first else 0) - width // 2)
    window = text[start:start + width * 2]
    if pattern:
        window = pattern.sub(lambda m: f"«{m.group()}»", window)
    return ("…" if start else "") + " ".join(window.split()) + (
        "…" if start + width * 2 < len(text) else "")
