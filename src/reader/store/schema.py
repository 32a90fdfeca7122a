"""The schema as one SQL script (a new library runs it whole; its parts are what the
migrations in reader.store.migrations add to an older one) and its version."""

from __future__ import annotations

import sqlite3

VERSION = 13

# Feed items are known by their own id within their source: items without a link, and items
# sharing one, are articles of their own (their stored URL then gets an #item- fragment).
ITEMS = """
CREATE INDEX articles_by_item ON articles (source_id, item_key) WHERE item_key IS NOT NULL;
"""
ENCLOSURES = """
CREATE TABLE enclosures (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    length INTEGER,                     -- bytes, as the feed declares it
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
"""

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
    last_error TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}' -- JSON object of reader.config.SOURCE_SETTINGS values
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
    body BLOB NOT NULL,                 -- text and sanitised html, deflated together (pack)
    language TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    is_read INTEGER NOT NULL DEFAULT 0,
    story_id INTEGER,                   -- first article of the story this one copies, or NULL
    shared INTEGER NOT NULL DEFAULT 0,  -- 1: listed by more than one source, or has copies
    item_key TEXT,                      -- a feed item's id in its source (guid, atom:id ...)
    page_error TEXT NOT NULL DEFAULT '' -- why the body is the feed's summary, not the page
);
CREATE INDEX articles_by_time ON articles (sort_key DESC, id DESC);
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
"""

# Which sources list an article (source_id above is only the first): a site's section page and
# its feed, or one site read from file:// and over http, list the same articles. sort_key is a
# copy of the article's, so a source's list pages along one index.
LISTINGS = """
CREATE TABLE listings (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    sort_key INTEGER NOT NULL,
    PRIMARY KEY (article_id, source_id)
) WITHOUT ROWID;
CREATE INDEX listings_by_source ON listings (source_id, sort_key DESC, article_id DESC);

-- Other addresses of a stored article: the one a listing linked to when the page named
-- another as its canonical, or a second copy of the same text (file:// and http).
CREATE TABLE article_urls (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX article_urls_by_article ON article_urls (article_id);
CREATE INDEX articles_by_story ON articles (story_id) WHERE story_id IS NOT NULL;
"""

# An article's story keys (reader.store.stories: its text's, its headline's, its MinHash
# bands'), packed as 64-bit integers in one row: a store looks keys up in memory
# (reader.store._storage.copies.StoryIndex), reading on from the last article it saw, so a new
# article's row goes at the end of the table (article ids grow) where an index by key took a
# leaf page at a random place of it per key. No foreign key: the row goes with its article,
# and a stale key only names a candidate that is checked against the text anyway.
STORY_KEYS = """
CREATE TABLE story_keys (
    article_id INTEGER PRIMARY KEY,
    keys BLOB NOT NULL
);
"""

# Counts for the sources pane and the list, kept by triggers inside the writing transaction:
# a GROUP BY over every article reads is_read past the text, on its overflow pages. `totals`
# has one row: every article, and the stories (articles that copy none).
COUNTS = """
CREATE TABLE source_counts (
    source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    total INTEGER NOT NULL,
    unread INTEGER NOT NULL
);
CREATE TABLE totals (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    total INTEGER NOT NULL,
    unread INTEGER NOT NULL,
    stories INTEGER NOT NULL,
    unread_stories INTEGER NOT NULL
);
INSERT INTO totals VALUES (0, 0, 0, 0, 0);
CREATE TRIGGER listed AFTER INSERT ON listings BEGIN
    INSERT INTO source_counts SELECT new.source_id, 1, is_read = 0 FROM articles
    WHERE id = new.article_id
    ON CONFLICT (source_id) DO UPDATE SET total = total + 1, unread = unread + excluded.unread;
END;
CREATE TRIGGER unlisted AFTER DELETE ON listings BEGIN
    UPDATE source_counts SET total = total - 1, unread = unread - coalesce(
        (SELECT is_read = 0 FROM articles WHERE id = old.article_id), 0)
    WHERE source_id = old.source_id;
END;
CREATE TRIGGER articles_counted AFTER INSERT ON articles BEGIN
    UPDATE totals SET total = total + 1, unread = unread + (new.is_read = 0),
        stories = stories + (new.story_id IS NULL),
        unread_stories = unread_stories + (new.story_id IS NULL AND new.is_read = 0);
END;
CREATE TRIGGER articles_uncounted AFTER DELETE ON articles BEGIN
    UPDATE totals SET total = total - 1, unread = unread - (old.is_read = 0),
        stories = stories - (old.story_id IS NULL),
        unread_stories = unread_stories - (old.story_id IS NULL AND old.is_read = 0);
END;
CREATE TRIGGER articles_recounted AFTER UPDATE OF is_read, story_id ON articles BEGIN
    UPDATE totals SET unread = unread + (new.is_read = 0) - (old.is_read = 0),
        stories = stories + (new.story_id IS NULL) - (old.story_id IS NULL),
        unread_stories = unread_stories + (new.story_id IS NULL AND new.is_read = 0)
            - (old.story_id IS NULL AND old.is_read = 0);
    UPDATE source_counts SET unread = unread + (new.is_read = 0) - (old.is_read = 0)
    WHERE new.is_read != old.is_read
        AND source_id IN (SELECT source_id FROM listings WHERE article_id = new.id);
END;
"""

# Contentless: the text lives in `articles`; rows hold tokens from reader.store.tokens.
# prefix='1' indexes first characters, so a one-character Chinese query (X*) reads one posting
# list instead of merging those of every bigram that starts with X. detail='none' keeps only
# which articles hold a token (0.38x the raw text instead of 0.90x with column lists); exact
# matches are checked against the text anyway, and titles, which rank first, have an index of
# their own.
SEARCH = """
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, content='', detail='none', tokenize='unicode61 remove_diacritics 2',
    prefix='1'
);
CREATE VIRTUAL TABLE search_titles USING fts5 (
    title, content='', detail='none', tokenize='unicode61 remove_diacritics 2', prefix='1'
);
"""

# Sync with a feed server (reader.sync): which server item an article is, what the server said
# about it at the last sync (to tell a real conflict from our own unsent change), and the local
# changes still to send, one row per article and field (toggling twice sends only the last).
SYNC = """
CREATE TABLE sync_servers (
    server TEXT PRIMARY KEY,            -- the endpoint URL
    cursor TEXT NOT NULL DEFAULT '',    -- where the next pull of new items starts
    last_sync INTEGER
) WITHOUT ROWID;
CREATE TABLE remote_items (
    server TEXT NOT NULL,
    item_id TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    server_read INTEGER NOT NULL,       -- the server's state at the last sync
    server_saved INTEGER NOT NULL,
    PRIMARY KEY (server, item_id)
) WITHOUT ROWID;
CREATE INDEX remote_items_by_article ON remote_items (article_id);
CREATE TABLE sync_queue (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('read', 'saved')),
    value INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, field)
) WITHOUT ROWID;
"""

# What a sync server said of its subscriptions at the last sync, to tell a rename, a move or a
# removal made here from one made there; and the labels it had on an item (Reader's tags).
SYNC_FEEDS = """
CREATE TABLE remote_feeds (
    server TEXT NOT NULL,
    feed_id TEXT NOT NULL,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,  -- NULL: removed here
    title TEXT NOT NULL,
    folder TEXT NOT NULL,
    PRIMARY KEY (server, feed_id)
) WITHOUT ROWID;
"""
SYNC_LABELS = "ALTER TABLE remote_items ADD COLUMN server_tags TEXT NOT NULL DEFAULT '';\n"

SCHEMA += (LISTINGS + STORY_KEYS + COUNTS + SEARCH + SYNC + SYNC_FEEDS + SYNC_LABELS + ITEMS
           + ENCLOSURES)


def statements(script: str) -> list[str]:
    """Split a script so it runs inside our own transaction (executescript commits)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [s for s in out if s]
