"""The schema as one SQL script, plus numbered migrations run in one transaction each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

VERSION = 2

SCHEMA = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,           -- what the user added
    fetch_url TEXT NOT NULL,            -- the feed found behind it, or the page itself
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'listing')),
    title TEXT NOT NULL DEFAULT '',
    folder TEXT NOT NULL DEFAULT '',    -- "/"-separated path, as OPML outlines nest it
    file_root TEXT,                     -- file:// sources may read only below this folder
    etag TEXT,
    last_modified TEXT,
    added_at INTEGER NOT NULL,
    last_updated INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    published TEXT,                     -- ISO 8601 with the page's own offset
    sort_key INTEGER NOT NULL,          -- published (or first seen) as Unix seconds
    publisher TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    views INTEGER,
    breadcrumb TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL,
    html TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    is_read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_by_time ON articles (sort_key DESC, id DESC);
CREATE INDEX articles_by_source ON articles (source_id, sort_key DESC, id DESC);
CREATE INDEX articles_unread ON articles (sort_key DESC, id DESC) WHERE is_read = 0;

-- The article row of a favourite is frozen: updates skip it and deletes are refused.
CREATE TABLE favourites (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE RESTRICT,
    saved_at INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT ''
);

-- Images are stored once per content hash; articles point at them by position.
CREATE TABLE images (
    hash TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE article_images (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    hash TEXT REFERENCES images(hash),  -- NULL: not downloaded (off, too big, failed)
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_images_by_url ON article_images (url);
CREATE INDEX article_images_by_hash ON article_images (hash);

CREATE TABLE related_links (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    snippet TEXT NOT NULL DEFAULT '',
    published TEXT,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX related_links_by_url ON related_links (url);

CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    finished_at INTEGER NOT NULL,
    new INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fetch_log_by_source ON fetch_log (source_id, id);

CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Contentless: the text lives in `articles`; rows hold tokens from reader.store.tokens.
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, content='', detail='column', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_terms USING fts5vocab (search, row);
"""


def update_from_1_to_2(db: sqlite3.Connection) -> None:
    """Sources get a folder (OPML import and export keep the outline nesting)."""
    db.execute("ALTER TABLE sources ADD COLUMN folder TEXT NOT NULL DEFAULT ''")


# MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: update_from_1_to_2}
