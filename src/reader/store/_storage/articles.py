"""Articles: writing one atomically with its images, related links and story keys, which
addresses and feed items are stored already, and retention's deletes. (Reading them:
article_reads.)"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reader.errors import StorageError
from reader.store import indexing
from reader.store._storage import copies
from reader.store._storage.base import StoreBase, chunks, fetch_one
from reader.store._storage.records import (
    ImageData,
    Saved,
    StoredImage,
    content_hash,
    timestamp,
)
from reader.store.packing import pack, unpack
from reader.types import Article

if TYPE_CHECKING:
    from reader.store.stories import Keys


class ArticlesMixin(StoreBase):
    def known(self, urls: Iterable[str]) -> dict[str, tuple[int, bool, int]]:
        """Which of these URLs are stored, as an article's address or another address of it:
        url -> (fetched_at, is_favourite, article id)."""
        found: dict[str, tuple[int, bool, int]] = {}
        for chunk, marks in chunks(urls):
            for row in self._read(
                    "SELECT k.url, a.fetched_at, a.id IN (SELECT article_id FROM favourites), "
                    "a.id FROM (SELECT url, id AS article_id FROM articles WHERE url "
                    f"IN ({marks}) UNION ALL SELECT url, article_id FROM article_urls WHERE "
                    f"url IN ({marks})) k JOIN articles a ON a.id = k.article_id",
                    chunk * 2):
                found[row[0]] = (row[1], bool(row[2]), row[3])
        return found

    def known_items(self, source_id: int, items: Sequence[tuple[str, str]]
                    ) -> dict[str, tuple[int, bool, int]]:
        """Which of a source's feed items, (key, url) pairs, are stored: key -> (fetched_at,
        is_favourite, article id). An item is known by its key in this source, or by its URL
        (or another address of the article) where the stored article has no key (pages,
        articles stored before keys) or another source's."""
        found: dict[str, tuple[int, bool, int]] = {}
        for chunk, marks in chunks(key for key, _ in items):
            for row in self._read(
                    "SELECT item_key, fetched_at, id IN (SELECT article_id FROM favourites), id "
                    f"FROM articles WHERE source_id = ? AND item_key IN ({marks})",
                    [source_id, *chunk]):
                found[row[0]] = (row[1], bool(row[2]), row[3])
        by_url = {url: key for key, url in items if url and key not in found}
        for chunk, marks in chunks(by_url):
            for row in self._read(
                    "SELECT k.url, a.fetched_at, a.id IN (SELECT article_id FROM favourites), "
                    f"a.id FROM (SELECT url, id AS article_id FROM articles WHERE url IN "
                    f"({marks}) UNION ALL SELECT url, article_id FROM article_urls WHERE url "
                    f"IN ({marks})) k JOIN articles a ON a.id = k.article_id "
                    "WHERE a.item_key IS NULL OR a.source_id IS NOT ?",
                    [*chunk, *chunk, source_id]):
                found[by_url[row[0]]] = (row[1], bool(row[2]), row[3])
        return found

    def list_articles(self, source_id: int, article_ids: Iterable[int]) -> int:
        """Record that a source lists these stored articles (stored first by another source
        or under another address); returns how many it did not list before."""
        with self._write() as tx:
            return sum(list_article(tx, source_id, i) for i in article_ids)

    def cached_image_hashes(self, urls: Iterable[str]) -> dict[str, str]:
        """Image URLs already downloaded: url -> content hash (saves downloading them again)."""
        found: dict[str, str] = {}
        for chunk, marks in chunks(urls):
            for row in self._read(f"SELECT url, hash FROM article_images WHERE hash IS NOT NULL "
                                  f"AND url IN ({marks})", chunk):
                found[row["url"]] = row["hash"]
        return found

    @staticmethod
    def prepare_keys(article: Article) -> Keys:
        """The article's story keys, for save_article: no SQL, so a page worker computes them
        while the writing thread stores other articles."""
        return copies.prepare(article)

    def save_article(self, source_id: int | None, article: Article,
                     images: Sequence[StoredImage], blobs: Sequence[ImageData] = (),
                     *, fetched_at: datetime | None = None, item_key: str = "",
                     listed_as: str = "", keys: Keys | None = None) -> tuple[int, Saved]:
        """Insert or replace one article with its images and related links, atomically, and
        record that the source lists it.

        item_key: a feed item's own id (Entry.key); the article is then found by it within its
        source, and an item without a link, or sharing its link with another item of the
        source, is stored under the link (or the feed's URL) plus an #item- fragment.
        listed_as: the address the source links to, when the article is stored under another
        (its canonical). An article whose title, time and text are stored under another
        address is that article: the new address becomes another address of it (UNCHANGED).
        keys: its story keys (prepare_keys), computed by the caller outside the write
        transaction; computed here when None.
        Returns the article id and what saving it did.
        """
        with self._write() as tx:
            return write_article(tx, self.story_index, source_id, article, images, blobs,
                                 fetched_at or self.now(), item_key, listed_as, keys)

    def save_articles(self, batch: Iterable[tuple[int | None, Article, Sequence[StoredImage],
                                                  Sequence[ImageData]]],
                      *, fetched_at: datetime | None = None) -> list[tuple[int, Saved]]:
        """save_article for many articles in one transaction (bulk imports, benchmarks); their
        story keys are computed before it begins."""
        prepared = [(*item, copies.prepare(item[1])) for item in batch]
        fetched_at = fetched_at or self.now()
        with self._write() as tx:
            return [write_article(tx, self.story_index, source_id, article, images, blobs,
                                  fetched_at, keys=keys)
                    for source_id, article, images, blobs, keys in prepared]


def write_article(tx: sqlite3.Connection, index: copies.StoryIndex, source_id: int | None,
                  article: Article,
                  images: Sequence[StoredImage], blobs: Sequence[ImageData],
                  fetched_at: datetime, item_key: str = "", listed_as: str = "",
                  keys: Keys | None = None) -> tuple[int, Saved]:
    digest = content_hash(article)
    old = _stored(tx, source_id, item_key, article.url)
    keys = keys or copies.prepare(article)
    shared = None if old else copies.lookup(tx, index, keys)
    same = None if shared is None else copies.same_text(tx, article, keys, shared)
    found = old["id"] if old else same
    if found is not None:
        _listed_under(tx, found, source_id, {listed_as, article.url} - {""})
    if same is not None:
        return same, Saved.UNCHANGED
    if old and old["favourite"]:
        return old["id"], Saved.FROZEN
    if old and old["content_hash"] == digest:
        return old["id"], Saved.UNCHANGED
    url = "" if old else _free_url(tx, source_id, item_key, article.url)
    tx.executemany("INSERT OR IGNORE INTO images VALUES (?, ?, ?, ?, ?)",
                   [(b.hash, b.mime, b.width, b.height, b.data) for b in blobs])
    # An item key names an item of the article's own source; another source's is not kept.
    own = not old or old["source_id"] in (None, source_id)
    values = _columns(source_id, article, digest, int(fetched_at.timestamp()),
                      item_key if own else "")
    if old:
        article_id = old["id"]
        _replace(tx, old, values)
    else:
        article_id = _insert(tx, source_id, values, url, listed_as)
    copies.file(tx, index, article_id, article, keys, shared)
    _write_parts(tx, article_id, article, images)
    if old:
        drop_orphan_images(tx)
    return article_id, Saved.UPDATED if old else Saved.NEW


def _listed_under(tx: sqlite3.Connection, article_id: int, source_id: int | None,
                  addresses: set[str]) -> None:
    """A stored article met again: these addresses become other addresses of it (unless an
    article is stored under one), and the source lists it."""
    for address in addresses:
        tx.execute("INSERT INTO article_urls SELECT ?, ? WHERE NOT EXISTS (SELECT 1 "
                   "FROM articles WHERE url = ?) ON CONFLICT DO NOTHING",
                   (address, article_id, address))
    if source_id is not None:
        list_article(tx, source_id, article_id)


def _replace(tx: sqlite3.Connection, old: sqlite3.Row, values: tuple[Any, ...]) -> None:
    """A changed article's row rewritten; its old index entries, story keys and parts go."""
    article_id = old["id"]
    tx.execute(
        "UPDATE articles SET source_id = coalesce(source_id, ?), title = ?, "
        "published = ?, sort_key = ?, publisher = ?, author = ?, views = ?, "
        "breadcrumb = ?, body = ?, language = ?, encoding = ?, "
        "content_hash = ?, fetched_at = ?, item_key = coalesce(?, item_key), "
        "page_error = ? WHERE id = ?", (*values, article_id))
    tx.execute("UPDATE listings SET sort_key = ? WHERE article_id = ?",
               (values[3], article_id))
    old_text = unpack(old["body"])[0]
    indexing.index(tx, article_id, old["title"], old_text, delete=True)
    copies.unkey(tx, [article_id])
    for table in ("article_images", "related_links", "enclosures"):
        tx.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def _insert(tx: sqlite3.Connection, source_id: int | None, values: tuple[Any, ...], url: str,
            listed_as: str) -> int:
    """A new article's row, listed by its source and known by the address it was listed as."""
    article_id = int(tx.execute(
        "INSERT INTO articles (source_id, title, published, sort_key, publisher, "
        "author, views, breadcrumb, body, language, encoding, content_hash, "
        "fetched_at, item_key, page_error, url) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*values, url)).lastrowid or 0)
    if source_id is not None:
        list_article(tx, source_id, article_id)
    if listed_as and listed_as != url:
        tx.execute("INSERT OR IGNORE INTO article_urls VALUES (?, ?)", (listed_as, article_id))
    return article_id


def _columns(source_id: int | None, article: Article, digest: str, now: int, item_key: str
             ) -> tuple[Any, ...]:
    """The articles row, in the order of _replace's UPDATE and _insert's INSERT (url apart)."""
    return (
        source_id, article.title, article.published.isoformat()
        if article.published else None, timestamp(article.published) or now,
        article.source, article.author, article.views,
        json.dumps(list(article.breadcrumb), ensure_ascii=False),
        pack(article.text, article.html), article.language, article.encoding, digest, now,
        item_key or None, article.page_error)


def _write_parts(tx: sqlite3.Connection, article_id: int, article: Article,
                 images: Sequence[StoredImage]) -> None:
    """An article's images, related links, enclosures and search index entries."""
    tx.executemany("INSERT INTO article_images VALUES (?, ?, ?, ?, ?)", [
        (article_id, i, s.image.url, s.image.caption, s.hash)
        for i, s in enumerate(images)])
    tx.executemany("INSERT INTO related_links VALUES (?, ?, ?, ?, ?, ?)", [
        (article_id, i, r.url, r.title, r.snippet,
         r.published.isoformat() if r.published else None)
        for i, r in enumerate(article.related)])
    tx.executemany("INSERT INTO enclosures VALUES (?, ?, ?, ?, ?)", [
        (article_id, i, e.url, e.type, e.length) for i, e in enumerate(article.enclosures)])
    indexing.index(tx, article_id, article.title, article.text)


def _stored(tx: sqlite3.Connection, source_id: int | None, item_key: str, url: str
            ) -> sqlite3.Row | None:
    """The stored article this one is (id, content_hash, title, body, source_id, favourite):
    the same feed item of the source, else the same URL or another address of it (see
    known_items), else None."""
    columns = ("SELECT a.id, a.content_hash, a.title, a.body, a.source_id, "
               "f.article_id IS NOT NULL AS favourite FROM articles a "
               "LEFT JOIN favourites f ON f.article_id = a.id ")
    if item_key and source_id is not None:
        row = fetch_one(tx, columns + "WHERE a.source_id = ? AND a.item_key = ?",
                        (source_id, item_key))
        if row:
            return row
        return fetch_one(tx, columns + "WHERE a.url = ? AND (a.item_key IS NULL "
                         "OR a.source_id IS NOT ?)", (url, source_id))
    return fetch_one(tx, columns + "WHERE a.id = coalesce((SELECT id FROM articles WHERE url = "
                     "?), (SELECT article_id FROM article_urls WHERE url = ?))", (url, url))


def _free_url(tx: sqlite3.Connection, source_id: int | None, item_key: str, url: str) -> str:
    """The URL a new article is stored under: its own, unless it has none or another item of
    the source holds it; then that URL (or the feed's) with the item's own fragment."""
    if url and not tx.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone():
        return url
    if not item_key:
        raise StorageError("an article without a URL needs its feed item's id")
    if not url:
        row = tx.execute("SELECT fetch_url FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise StorageError("a feed item without a link needs its source")
        url = row[0]
    import hashlib  # OpenSSL's loading (3 ms) is not the window's start

    digest = hashlib.sha1(item_key.encode("utf-8", "replace")).hexdigest()[:16]
    return f"{url.partition('#')[0]}#item-{digest}"


def delete_articles(tx: sqlite3.Connection, rows: Sequence[Any]) -> None:
    for article_id, title, body in rows:
        text = unpack(body)[0]
        indexing.index(tx, article_id, title, text, delete=True)
    copies.unkey(tx, [r[0] for r in rows])
    ids = [(r[0],) for r in rows]
    copies.unlead(tx, [r[0] for r in rows])
    # Listings first, while the article is there to say whether it counted as unread.
    tx.executemany("DELETE FROM listings WHERE article_id = ?", ids)
    tx.executemany("DELETE FROM articles WHERE id = ?", ids)
    drop_orphan_images(tx)


def list_article(tx: sqlite3.Connection, source_id: int, article_id: int) -> bool:
    """Record that a source lists an article; False when it did already. An article a
    second source lists is marked shared (its list row names the others)."""
    if not tx.execute("INSERT INTO listings SELECT id, ?, sort_key FROM articles "
                      "WHERE id = ? ON CONFLICT DO NOTHING", (source_id, article_id)).rowcount:
        return False
    tx.execute("UPDATE articles SET shared = 1 WHERE id = ? AND shared = 0 AND EXISTS (SELECT 1 "
               "FROM listings WHERE article_id = ? AND source_id != ?)",
               (article_id, article_id, source_id))
    return True


def drop_orphan_images(tx: sqlite3.Connection) -> None:
    tx.execute("DELETE FROM images WHERE hash NOT IN "
               "(SELECT hash FROM article_images WHERE hash IS NOT NULL)")


UNPROTECTED = (
    "id NOT IN (SELECT article_id FROM favourites) AND url NOT IN (SELECT r.url FROM "
    "related_links r JOIN favourites f ON f.article_id = r.article_id)")
