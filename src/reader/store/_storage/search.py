"""Full-text search over the index indexing.py maintains, and the term counts similarity
weighs with."""

from __future__ import annotations

from collections.abc import Sequence

from reader.store import tokens
from reader.store._storage.base import StoreBase
from reader.store.packing import unpack

RANK_CAP = 2000  # search ranks at most about this many matches (see Store.search)


TITLE_BONUS = 1000.0  # above any bm25 score: a match in the title ranks first


class SearchMixin(StoreBase):
    # search

    def search(self, query: tokens.Query, *, limit: int) -> list[tuple[int, float, str, str]]:
        """Ranked matches as (id, score, title, text), checked exactly against the text.

        A query matching more than RANK_CAP articles is ranked among the newest stored ones
        only (a window of ids holding at least RANK_CAP matches): bm25 over 100k rows costs
        more than the user waits, and a word that common is best shown fresh. Within the
        window the ranking is exactly the full one; when the window yields too few exact
        matches, everything is ranked.
        """
        low = self._search_window(query.fts)
        found = self._ranked(query, limit, low)
        return found if len(found) >= limit or low == 0 else self._ranked(query, limit, 0)

    def _search_window(self, fts: str) -> int:
        """The lowest id worth ranking: 0, or an id above which RANK_CAP articles match."""
        top = self._read("SELECT coalesce(max(id), 0) FROM articles")[0][0]
        width = RANK_CAP * 4
        while width < top:
            inside = self._read("SELECT count(*) FROM search WHERE search MATCH ? AND rowid > ?",
                                (fts, top - width))[0][0]
            if inside >= RANK_CAP:
                return int(top - width)
            # Widen to where RANK_CAP matches are expected, at least fourfold.
            width = max(width * 4, int(width * RANK_CAP * 1.25 / inside) if inside else 0)
        return 0

    def _ranked(self, query: tokens.Query, limit: int, low: int
                ) -> list[tuple[int, float, str, str]]:
        checks = [t for t in query.positive if t.needs_check]
        # Rank once (ids and scores only; articles whose title holds the words come first),
        # then read and check the texts in that order until enough hold the query exactly.
        ranked = self._read(
            "SELECT rowid, bm25(search) - ? * (rowid IN (SELECT rowid FROM search_titles "
            "WHERE search_titles MATCH ? AND rowid > ?)) AS score FROM search "
            "WHERE search MATCH ? AND rowid > ? ORDER BY score"
            + ("" if checks else " LIMIT ?"),
            (TITLE_BONUS, query.fts, low, query.fts, low, *(() if checks else (limit,))))
        found: list[tuple[int, float, str, str]] = []
        page = max(limit * 2, 50)
        for start in range(0, len(ranked), page):
            chunk = ranked[start:start + page]
            marks = ",".join("?" * len(chunk))
            texts = {r[0]: (r[1], r[2]) for r in self._read(
                f"SELECT id, title, body FROM articles WHERE id IN ({marks})",
                [r[0] for r in chunk])}
            for article_id, score in chunk:
                if article_id not in texts:
                    continue
                title, text = texts[article_id][0], unpack(texts[article_id][1])[0]
                haystack = f"{title}\n{text}".lower()
                if all(tokens.matches(t, haystack) for t in checks):
                    found.append((article_id, -score, title, text))
            if len(found) >= limit:
                break
        return found[:limit]

    def term_documents(self, terms: Sequence[str], *, cap: int) -> dict[str, int]:
        """How many articles hold each index term, counted up to `cap` (similarity weights).

        Counting reads a term's posting list (fts5vocab reads all of it: 140k entries for a
        common bigram in 200k articles, 100-170 ms for 40 terms), so counts stop at `cap` and
        are cached until the library grows or shrinks by a twentieth: weights need no exact
        counts, and the common terms recur from article to article.
        """
        total = self.article_total()
        with self._lock:
            if abs(total - self._documents_total) > self._documents_total / 20 \
                    or len(self._documents) > 200_000:
                self._documents, self._documents_total = {}, total
            missing = [t for t in dict.fromkeys(terms) if (t, cap) not in self._documents]
        found = {t: int(self._read(
            "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ? LIMIT ?)",
            ('"' + t.replace('"', '""') + '"', cap))[0][0]) for t in missing}
        with self._lock:
            self._documents.update(((t, cap), n) for t, n in found.items())
            return {t: n for t in terms if (n := self._documents.get((t, cap), 0))}

    def article_total(self) -> int:
        # The triggers' counter: count(*) reads a whole index (17 ms at 200k, twice an open).
        return int(self._read("SELECT total FROM totals")[0][0])

    def match_ids(self, fts: str, *, limit: int) -> list[tuple[int, float]]:
        return [(r[0], -r[1]) for r in self._read(
            "SELECT rowid, bm25(search) AS score FROM search WHERE search MATCH ? "
            "ORDER BY score LIMIT ?", (fts, limit))]
