"""Copies: the same article under another address, and copies of a story (reader.store.stories)
found as an article is stored: its keys go in story_keys, and a stored article that
same_story confirms makes it a copy (articles.story_id: the story's first article).

reader.store.stories is imported in the functions that store: it loads numpy (70 ms), which
the window does not need to show the library."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.store._storage.records import to_datetime
from reader.store.packing import unpack
from reader.types import Article

if TYPE_CHECKING:
    from reader.store.stories import Keys


def prepare(article: Article) -> Keys:
    """An article's keys (reader.store.stories.article_keys): computed by the caller before
    the write transaction when it can (the update's page workers), else once per write."""
    from reader.store import stories

    return stories.article_keys(article.title, article.text)


def lookup(tx: sqlite3.Connection, keys: Keys) -> list[tuple[int, int]]:
    """The stored keys a new article shares, as (key, article id): one index probe per key,
    which same_text and file both read (most new articles share none). Looked up before the
    article's own keys go in, whose index pages it leaves in the cache."""
    found = keys.all
    if not found:
        return []
    marks = ",".join("?" * len(found))
    return tx.execute(f"SELECT key, article_id FROM story_keys WHERE key IN ({marks})",
                      found).fetchall()


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


def file(tx: sqlite3.Connection, article_id: int, article: Article, keys: Keys,
         shared: list[tuple[int, int]] | None) -> None:
    """Store an article's keys; for a new article (`shared`: what lookup found before it was
    stored), join the story of the stored article it copies, if any: the CANDIDATES sharing
    most keys are checked. A text too short to have band keys copies none (same_story
    refuses it)."""
    from reader.store import stories

    tx.executemany("INSERT OR IGNORE INTO story_keys VALUES (?, ?)",
                   [(key, article_id) for key in keys.all])
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


def unkey(tx: sqlite3.Connection, article_id: int, title: str, text: str) -> None:
    from reader.store import stories

    tx.executemany("DELETE FROM story_keys WHERE key = ? AND article_id = ?",
                   [(key, article_id) for key in stories.keys(title, text)])


def unlead(tx: sqlite3.Connection, article_ids: Sequence[int]) -> None:
    """Before articles go: the first remaining copy of each story they lead leads it."""
    for article_id in article_ids:
        heir = tx.execute("SELECT min(id) FROM articles WHERE story_id = ?",
                          (article_id,)).fetchone()[0]
        if heir is not None:
            tx.execute("UPDATE articles SET story_id = NULL, shared = 1 WHERE id = ?", (heir,))
            tx.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (heir, article_id))
