"""Copies: the same article under another address, and copies of a story (reader.store.stories)
found as an article is stored: its keys go in story_keys, and a stored article that
same_story confirms makes it a copy (articles.story_id: the story's first article).

reader.store.stories is imported in the functions that store: it loads numpy (70 ms), which
the window does not need to show the library."""

from __future__ import annotations

import sqlite3
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


def same_text(tx: sqlite3.Connection, article: Article, key: int | None) -> int | None:
    """A stored article with this very title, publish time and text (under another address),
    or None; `key` is the text's text_key. Pages of one template can share a body and a
    title taken from <title>."""
    from reader.store import stories

    if key is None:
        return None
    published = article.published.isoformat() if article.published else None
    for row in tx.execute(
            "SELECT a.id, a.title, a.published, a.body FROM story_keys k JOIN articles a "
            "ON a.id = k.article_id WHERE k.key = ?", (key,)):
        # Compared only on a hit (rare): most articles have no stored text of that key.
        if (row[1], row[2]) == (article.title, published) \
                and stories.plain(unpack(row[3])[0]) == stories.plain(article.text):
            return int(row[0])
    return None


def file(tx: sqlite3.Connection, article_id: int, article: Article, keys: Keys, *,
         group: bool) -> None:
    """Store an article's keys; with `group` (a new article), join the story of the stored
    article it copies, if any. A text too short to have band keys copies none (same_story
    refuses it), so it costs no lookup."""
    from reader.store import stories

    found = keys.all
    tx.executemany("INSERT OR IGNORE INTO story_keys VALUES (?, ?)",
                   [(key, article_id) for key in found])
    if not group or not keys.groups:
        return
    marks = ",".join("?" * len(found))
    candidates = tx.execute(
        "SELECT a.id, a.title, a.published, a.body, a.story_id FROM (SELECT article_id, "
        f"count(*) AS n FROM story_keys WHERE key IN ({marks}) AND article_id != ? "
        "GROUP BY article_id ORDER BY n DESC, article_id LIMIT ?) k "
        "JOIN articles a ON a.id = k.article_id ORDER BY k.n DESC, a.id",
        (*found, article_id, stories.CANDIDATES)).fetchall()
    new = stories.Story(article.title, article.text, article.published)
    for other_id, title, published, body, story_id in candidates:
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
