"""Copies: the same article under another address, and copies of a story (reader.store.stories)
found as an article is stored: its keys go in story_keys (one row per article) and in the
store's StoryIndex, and a stored article that same_story confirms makes it a copy
(articles.story_id: the story's first article).

reader.store.stories and numpy are imported in the functions that store: numpy takes 70 ms to
load, which the window does not need to show the library."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.store._storage.records import to_datetime
from reader.store.packing import pack_keys, unpack, unpack_keys
from reader.types import Article

if TYPE_CHECKING:
    import numpy as np

    from reader.store.stories import Keys

MERGE_AT = 50_000  # keys read on since the load, kept in a dict until they join the arrays
_UNSIGNED = 2**64 - 1


class StoryIndex:
    """Every stored article's story keys in memory, key -> article ids, for one store's
    writes. With the keys in an SQLite index, each of an article's eleven keys went in at a
    random place of it, a leaf page written to the WAL at every commit (about 11 µs a key at
    200k articles, docs/stories.md); here a new article adds one row at the end of story_keys.

    Loaded at the first lookup (a 200k library: 2.2 million keys, 30 MB, half a second), then
    read on from the last article seen before every lookup, inside the write transaction: the
    rows this store and other processes wrote since are found; this store's rewrites it is told
    of (file). Keys of deleted or rewritten articles stay until the next load, and another
    process's rewrite is seen then: they only name candidates, and candidates are checked
    against the stored texts. Used under the store's writer lock only."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Start again at the next lookup: a rolled-back write may have been read on."""
        self._seen: int | None = None  # the last article id read
        self._keys: np.ndarray | None = None  # in buckets by their top bits
        self._ids: np.ndarray | None = None  # the article of each key
        # Where each bucket begins (and the end), the keys, the ids, as memoryviews; the shift
        # that leaves a key's top bits (unsigned): its bucket.
        self._views: tuple[memoryview, memoryview, memoryview, int] = (
            memoryview(b""), memoryview(b""), memoryview(b""), 0)
        self._recent: dict[int, list[int]] = {}

    def lookup(self, tx: sqlite3.Connection, keys: list[int]) -> list[tuple[int, int]]:
        """The stored (key, article id) pairs among these keys: a few memory reads each (its
        bucket's bounds, the two keys or so in it), in Python on memoryviews of the arrays: a
        binary search over millions of keys missed the CPU's caches twenty times a key, and
        each numpy call costs microseconds when it runs between an article's other writes."""
        self._read_on(tx)
        starts, stored, ids, shift = self._views
        found: list[tuple[int, int]] = []
        for key in keys:
            bucket = (key & _UNSIGNED) >> shift
            for i in range(starts[bucket], starts[bucket + 1]):
                if stored[i] == key:
                    found.append((key, ids[i]))
            found.extend((key, other) for other in self._recent.get(key, ()))
        return list(dict.fromkeys(found))  # (a rewritten article's keys may be there twice)

    def added(self, article_id: int, keys: list[int]) -> None:
        """This store wrote an article's keys: reading on finds new articles, not a rewrite
        (nor an id used again after the articles above it went)."""
        if self._seen is not None and article_id <= self._seen:
            for key in keys:
                self._recent.setdefault(key, []).append(article_id)

    def _read_on(self, tx: sqlite3.Connection) -> None:
        if self._seen is None:
            self._load(tx)
            return
        for article_id, packed in tx.execute(
                "SELECT article_id, keys FROM story_keys WHERE article_id > ?", (self._seen,)):
            for key in unpack_keys(packed):
                self._recent.setdefault(key, []).append(article_id)
            self._seen = article_id
        if len(self._recent) > MERGE_AT:
            self._merge()

    def _load(self, tx: sqlite3.Connection) -> None:
        """Every stored key, read in chunks."""
        import numpy as np

        self._seen = tx.execute(
            "SELECT coalesce(max(article_id), 0) FROM story_keys").fetchone()[0]
        rows = tx.execute("SELECT article_id, keys FROM story_keys WHERE article_id <= ?",
                          (self._seen,))
        keys, ids = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        while chunk := rows.fetchmany(20_000):
            article_ids, packed = zip(*chunk, strict=True)
            keys.append(np.frombuffer(b"".join(packed), dtype="<i8"))
            ids.append(np.repeat(np.array(article_ids, dtype=np.int64),
                                 np.fromiter(map(len, packed), np.int64, len(packed)) // 8))
        self._set(np.concatenate(keys), np.concatenate(ids))

    def _merge(self) -> None:
        import numpy as np

        assert self._keys is not None and self._ids is not None
        keys = [key for key, ids in self._recent.items() for _ in ids]
        ids = [other for others in self._recent.values() for other in others]
        self._set(np.concatenate([self._keys, np.array(keys, dtype=np.int64)]),
                  np.concatenate([self._ids, np.array(ids, dtype=np.int64)]))
        self._recent = {}

    def _set(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Keys in buckets by their top bits, two to four to a bucket, each with its article;
        ids in 32 bits while they fit."""
        import numpy as np

        bits = max(1, min(24, int(keys.size).bit_length() - 2))
        unsigned = keys.view(np.uint64)
        order = np.argsort(unsigned)
        self._keys = keys[order]
        narrow = ids.size == 0 or int(ids.max()) < 2**31
        self._ids = ids[order].astype(np.int32 if narrow else np.int64)
        counts = np.bincount((unsigned >> np.uint64(64 - bits)).astype(np.intp),
                             minlength=2**bits)
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        self._views = (starts.data, self._keys.data, self._ids.data, 64 - bits)


def prepare(article: Article) -> Keys:
    """An article's keys (reader.store.stories.article_keys): computed by the caller before
    the write transaction when it can (the update's page workers), else once per write."""
    from reader.store import stories

    return stories.article_keys(article.title, article.text)


def lookup(tx: sqlite3.Connection, index: StoryIndex, keys: Keys) -> list[tuple[int, int]]:
    """The stored keys a new article shares, as (key, article id), which same_text and file
    both read (most new articles share none); looked up before the article's own go in."""
    found = keys.all
    return index.lookup(tx, found) if found else []


def same_text(tx: sqlite3.Connection, article: Article, keys: Keys,
              shared: list[tuple[int, int]]) -> int | None:
    """A stored article with this very title, publish time and text (under another address),
    or None; `shared` is what lookup found. Pages of one template can share a body and a
    title taken from <title>, and near copies a text key (reader.store.stories.Keys)."""
    from reader.store import stories

    published = article.published.isoformat() if article.published else None
    for article_id in sorted(other for key, other in shared if key == keys.text):
        # Its text is read only under the same title and publish time.
        row = tx.execute("SELECT body FROM articles WHERE id = ? AND title = ? AND "
                         "published IS ?", (article_id, article.title, published)).fetchone()
        if row and stories.plain(unpack(row[0])[0]) == stories.plain(article.text):
            return article_id
    return None


def file(tx: sqlite3.Connection, index: StoryIndex, article_id: int, article: Article,
         keys: Keys, shared: list[tuple[int, int]] | None) -> None:
    """Store an article's keys; for a new article (`shared`: what lookup found before it was
    stored), join the story of the stored article it copies, if any: the CANDIDATES sharing
    most keys are checked. A text too short to have band keys copies none (same_story
    refuses it)."""
    from reader.store import stories

    if keys.all:
        unique = list(dict.fromkeys(keys.all))
        tx.execute("INSERT OR REPLACE INTO story_keys VALUES (?, ?)",
                   (article_id, pack_keys(unique)))
        index.added(article_id, unique)
    if not shared or not keys.groups:
        return
    counts = Counter(other for _, other in shared)
    ranked = sorted(counts, key=lambda other: (-counts[other], other))[:stories.CANDIDATES]
    marks = ",".join("?" * len(ranked))
    rows = {row[0]: row[1:] for row in tx.execute(
        f"SELECT id, title, published, body, story_id FROM articles WHERE id IN ({marks})",
        ranked)}
    new = stories.Story(article.title, article.text, article.published)
    for other_id in ranked:
        if other_id not in rows:  # a stale key (no foreign key: see schema.py)
            continue
        title, published, body, story_id = rows[other_id]
        if stories.same_story(stories.Story(title, unpack(body)[0], to_datetime(published)),
                              new):
            lead = story_id or other_id
            tx.execute("UPDATE articles SET story_id = ? WHERE id = ?", (lead, article_id))
            tx.execute("UPDATE articles SET shared = 1 WHERE id = ?", (lead,))
            return


def unkey(tx: sqlite3.Connection, article_ids: Sequence[int]) -> None:
    """Before articles go or are rewritten: their story keys go."""
    tx.executemany("DELETE FROM story_keys WHERE article_id = ?", [(i,) for i in article_ids])


def unlead(tx: sqlite3.Connection, article_ids: Sequence[int]) -> None:
    """Before articles go: the first remaining copy of each story they lead leads it."""
    for article_id in article_ids:
        heir = tx.execute("SELECT min(id) FROM articles WHERE story_id = ?",
                          (article_id,)).fetchone()[0]
        if heir is not None:
            tx.execute("UPDATE articles SET story_id = NULL, shared = 1 WHERE id = ?", (heir,))
            tx.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (heir, article_id))
