"""Numbered migrations: MIGRATIONS[n] brings a library from schema version n to n + 1, each
run in one transaction (a copy of the library is taken before the first)."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from operator import itemgetter

from reader.store import indexing, schema, tokens
from reader.store.packing import pack, pack_keys, unpack


def update_from_1_to_2(db: sqlite3.Connection) -> None:
    """Sources get a folder (OPML import and export keep the outline nesting)."""
    db.execute("ALTER TABLE sources ADD COLUMN folder TEXT NOT NULL DEFAULT ''")


def update_from_2_to_3(db: sqlite3.Connection) -> None:
    """Counters for the sources pane; the search index gains its one-character prefixes."""
    db.execute("CREATE TABLE source_counts (source_id INTEGER PRIMARY KEY REFERENCES "
               "sources(id) ON DELETE CASCADE, total INTEGER NOT NULL, unread INTEGER NOT NULL)")
    # (The v3 triggers are dropped by update_from_9_to_10 before anything writes again.)
    db.execute("DROP TABLE search_terms")
    db.execute("DROP TABLE search")
    db.execute("CREATE VIRTUAL TABLE search USING fts5 (title, body, content='', "
               "detail='column', tokenize='unicode61 remove_diacritics 2', prefix='1')")
    for article_id, title, text in db.execute("SELECT id, title, text FROM articles"):
        db.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                   (article_id, tokens.index_text(title), tokens.index_text(text)))


def update_from_3_to_4(db: sqlite3.Connection) -> None:
    """Sync with a feed server: item mapping, per-server cursor, queue of local changes."""
    for statement in schema.statements(schema.SYNC):
        db.execute(statement)


def update_from_4_to_5(db: sqlite3.Connection) -> None:
    """An article's text and html become one deflated body (a copy was taken before)."""
    db.execute("ALTER TABLE articles ADD COLUMN body BLOB NOT NULL DEFAULT x''")
    last = 0
    while rows := db.execute("SELECT id, text, html FROM articles WHERE id > ? ORDER BY id "
                             "LIMIT 1000", (last,)).fetchall():  # in batches: bounded memory
        db.executemany("UPDATE articles SET body = ? WHERE id = ?",
                       [(pack(text, html), article_id) for article_id, text, html in rows])
        last = rows[-1][0]
    db.execute("ALTER TABLE articles DROP COLUMN text")
    db.execute("ALTER TABLE articles DROP COLUMN html")


def update_from_5_to_6(db: sqlite3.Connection) -> None:
    """Sources get their own settings (charset, interval, rule ...); none set: the defaults."""
    db.execute("ALTER TABLE sources ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'")


def update_from_6_to_7(db: sqlite3.Connection) -> None:
    """The search index keeps only which articles hold a token, and titles get their own."""
    db.execute("DROP TABLE search")
    for statement in schema.statements(schema.SEARCH):
        db.execute(statement)
    last = 0
    while rows := db.execute("SELECT id, title, body FROM articles WHERE id > ? ORDER BY id "
                             "LIMIT 1000", (last,)).fetchall():
        for article_id, title, body in rows:
            indexing.index(db, article_id, title, unpack(body)[0])
        last = rows[-1][0]


def update_from_7_to_8(db: sqlite3.Connection) -> None:
    """Sync keeps the server's subscriptions and item labels as last seen."""
    db.execute(schema.SYNC_FEEDS)
    db.execute(schema.SYNC_LABELS)


def update_from_8_to_9(db: sqlite3.Connection) -> None:
    """Feed items keep their own id, their enclosures, and why a body is the feed's summary."""
    db.execute("ALTER TABLE articles ADD COLUMN item_key TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN page_error TEXT NOT NULL DEFAULT ''")
    for statement in schema.statements(schema.ITEMS + schema.ENCLOSURES):
        db.execute(statement)


def update_from_9_to_10(db: sqlite3.Connection) -> None:
    """An article may be listed by several sources and known under several addresses; its
    text gets story keys; the counters follow the listings. Migrated articles keep the
    address they had (normalising it could merge two stored articles)."""
    for trigger in ("articles_counted", "articles_uncounted", "articles_recounted"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE source_counts")
    db.execute("DROP INDEX IF EXISTS articles_by_source")
    db.execute("ALTER TABLE articles ADD COLUMN story_id INTEGER")
    for statement in schema.statements(schema.LISTINGS):
        db.execute(statement)
    # Story keys as v10 to v12 kept them, a row per key (update_from_12_to_13 packs them).
    db.execute("CREATE TABLE story_keys (key INTEGER NOT NULL, article_id INTEGER NOT NULL, "
               "PRIMARY KEY (key, article_id)) WITHOUT ROWID")
    db.execute("INSERT INTO listings SELECT id, source_id, sort_key FROM articles "
               "WHERE source_id IS NOT NULL")
    for statement in schema.statements(schema.COUNTS):
        db.execute(statement)
    db.execute("INSERT INTO source_counts SELECT l.source_id, count(*), sum(a.is_read = 0) "
               "FROM listings l JOIN articles a ON a.id = l.article_id GROUP BY l.source_id")
    db.execute("UPDATE totals SET total = (SELECT count(*) FROM articles), "
               "unread = (SELECT count(*) FROM articles WHERE is_read = 0)")
    db.execute("UPDATE totals SET stories = total, unread_stories = unread")
    # The story keys themselves: update_from_11_to_12, in the same transaction (migrations
    # run to the current version at once), computes every article's as they are now.


def update_from_10_to_11(db: sqlite3.Connection) -> None:
    """Articles say whether they have other sources or copies to name: a list row looks them
    up only then."""
    db.execute("ALTER TABLE articles ADD COLUMN shared INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE articles SET shared = 1 WHERE id IN (SELECT article_id FROM listings "
               "GROUP BY article_id HAVING count(*) > 1) OR id IN (SELECT story_id FROM "
               "articles WHERE story_id IS NOT NULL)")


def update_from_11_to_12(db: sqlite3.Connection) -> None:
    """Story keys are read off a one-permutation MinHash (reader.store.stories): every
    article's are computed again. Stories already grouped stay as they are. The keys are
    gathered in a table of their own and go into story_keys in its order, at the end of its
    index rather than at random places of it."""
    from reader.store import stories  # numpy: not on the way to the window (70 ms)

    db.execute("DELETE FROM story_keys")
    db.execute("CREATE TEMP TABLE new_keys (key INTEGER NOT NULL, article_id INTEGER NOT NULL)")
    last = 0
    while rows := db.execute("SELECT id, title, body FROM articles WHERE id > ? ORDER BY id "
                             "LIMIT 1000", (last,)).fetchall():
        db.executemany("INSERT INTO new_keys VALUES (?, ?)",
                       [(key, article_id) for article_id, title, body in rows
                        for key in stories.keys(title, unpack(body)[0])])
        last = rows[-1][0]
    db.execute("INSERT OR IGNORE INTO story_keys SELECT key, article_id FROM new_keys "
               "ORDER BY key, article_id")
    db.execute("DROP TABLE new_keys")


def update_from_12_to_13(db: sqlite3.Connection) -> None:
    """Story keys become one row per article (schema.STORY_KEYS): the same keys, packed."""
    db.execute("ALTER TABLE story_keys RENAME TO story_keys_by_key")
    for statement in schema.statements(schema.STORY_KEYS):
        db.execute(statement)
    rows = db.execute("SELECT article_id, key FROM story_keys_by_key ORDER BY article_id, key")
    db.executemany("INSERT INTO story_keys VALUES (?, ?)",
                   ((article_id, pack_keys([key for _, key in group]))
                    for article_id, group in itertools.groupby(rows, key=itemgetter(0))))
    db.execute("DROP TABLE story_keys_by_key")


# MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: update_from_1_to_2, 2: update_from_2_to_3, 3: update_from_3_to_4, 4: update_from_4_to_5,
    5: update_from_5_to_6, 6: update_from_6_to_7, 7: update_from_7_to_8,
    8: update_from_8_to_9,
    9: update_from_9_to_10, 10: update_from_10_to_11, 11: update_from_11_to_12,
    12: update_from_12_to_13}
