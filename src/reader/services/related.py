"""'Similar in your library': the article's most distinctive index terms, searched with OR.

Weights are tf-idf over the search index itself (each term's document count read from its
postings, capped and cached: Store.term_documents), so it needs no second index and works the
same for Chinese bigrams and English words.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from reader.store import tokens
from reader.store.storage import Store
from reader.types import ArticleRow

_TITLE_WEIGHT = 3
_BODY_CHARS = 4000  # the opening of an article says what it is about
_CANDIDATES = 40
_QUERY_TERMS = 14
_POSTINGS = 20_000
_COMMON = 5_000
_NOISE = re.compile(r"^(\d+|.)$")  # numbers and single characters say little
_STOPWORDS = frozenset(
    "the and for that with this from are was were has have had not but its his her they "
    "their will would can could said also into about after over more than which who what "
    "when been there one two new all out you your our".split())


def distinctive_terms(store: Store, title: str, text: str) -> list[str]:
    counts: Counter[str] = Counter()
    for term in tokens.index_terms(title):
        counts[term] += _TITLE_WEIGHT
    counts.update(tokens.index_terms(text[:_BODY_CHARS]))
    candidates = [t for t, _ in counts.most_common() if not _NOISE.match(t)
                  and t not in _STOPWORDS][:_CANDIDATES]
    documents = store.term_documents(candidates, cap=_COMMON)
    total = max(store.article_total(), 1)
    # A term no other article has matches nothing; one in _COMMON articles or more says little
    # (and would be costly to rank).
    weights = {t: counts[t] * math.log(total / documents[t]) for t in candidates
               if 1 < documents.get(t, 0) < _COMMON}
    best = sorted(weights, key=weights.__getitem__, reverse=True)[:_QUERY_TERMS]
    # The OR query ranks every article holding any term: skip the terms that would push
    # that past _POSTINGS (common ones, which also weigh least), keeping the rarest at least.
    chosen, postings = [], 0
    for term in best:
        if postings + documents[term] <= _POSTINGS:
            chosen.append(term)
            postings += documents[term]
    return chosen or sorted(best, key=documents.__getitem__)[:1]


def similar(store: Store, article_id: int, *, limit: int = 10) -> list[ArticleRow]:
    stored = store.article(article_id)
    terms = distinctive_terms(store, stored.article.title, stored.article.text)
    if not terms:
        return []
    fts = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    story = set(store.story(article_id))  # the article and its copies on other sites
    ids = [i for i, _ in store.match_ids(fts, limit=limit + len(story))
           if i not in story][:limit]
    return store.rows(ids)
