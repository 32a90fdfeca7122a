"""Articles: writing one atomically with its images and related links, reading them in
keyset pages, and retention."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader.errors import NotFound, StorageError
from reader.store import schema
from reader.store._storage import copies
from reader.store._storage.base import StoreBase, chunks, fetch_one
from reader.store._storage.records import (
    ImageData,
    Saved,
    StoredImage,
    content_hash,
    from_ts,
    split_tags,
    timestamp,
    to_datetime,
)
from reader.store.schema import pack, unpack
from reader.types import (
    Article,
    ArticleFilter,
    ArticleRow,
    Enclosure,
    Image,
    RelatedLink,
    StoredArticle,
    StoredRelated,
)

if TYPE_CHECKING:
    from reader.store.stories import Keys


class ArticlesMixin(StoreBase):
    # articles: writing

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
            return write_article(tx, source_id, article, images, blobs, fetched_at, item_key,
                                 listed_as, keys)

    def save_articles(self, batch: Iterable[tuple[int | None, Article, Sequence[StoredImage],
                                                  Sequence[ImageData]]],
                      *, fetched_at: datetime | None = None) -> list[tuple[int, Saved]]:
        """save_article for many articles in one transaction (bulk imports, benchmarks); their
        story keys are computed before it begins."""
        prepared = [(*item, copies.prepare(item[1])) for item in batch]
        with self._write() as tx:
            return [write_article(tx, source_id, article, images, blobs, fetched_at, keys=keys)
                    for source_id, article, images, blobs, keys in prepared]

    # articles: reading

    def articles(self, filter: ArticleFilter, *, limit: int,
                 after: tuple[int, int] | None = None,
                 oldest_first: bool = False) -> list[ArticleRow]:
        """Newest (or oldest) first, in keyset pages: `after` is (sort_key, id) of the last
        row seen. Both orders walk the same index, so no order ever loads all rows."""
        where, params = where_clauses(replace(filter, source_id=None))
        # A source's list walks its listings; the others walk the articles by time.
        walk, key = "articles a", "a.sort_key, a.id"
        if filter.source_id is not None:
            walk = "listings l JOIN articles a ON a.id = l.article_id"
            key = "l.sort_key, l.article_id"
            where.insert(0, "l.source_id = ?")
            params.insert(0, filter.source_id)
        if after:
            where.append(f"({key}) {'>' if oldest_first else '<'} (?, ?)")
            params.extend(after)
        order = "ASC" if oldest_first else "DESC"
        sql = (f"SELECT {row_columns(filter.stories)} FROM {walk} {ROW_JOINS} "
               f"{'WHERE ' + ' AND '.join(where) if where else ''} "
               f"ORDER BY {key.replace(',', f' {order},')} {order} LIMIT ?")
        return [article_row(r) for r in self._read(sql, (*params, limit))]

    def rows(self, ids: Sequence[int], *, stories: bool = False) -> list[ArticleRow]:
        """Article rows for these ids, in the given order (for search and similarity);
        `stories`: each also names its copies' sources."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r["id"]: article_row(r) for r in self._read(
            f"SELECT {row_columns(stories)} FROM articles a {ROW_JOINS} "
            f"WHERE a.id IN ({marks})", ids)}
        return [found[i] for i in ids if i in found]

    def stories_of(self, ids: Sequence[int]) -> dict[int, int]:
        """The story of each article: the id of its first article (its own when it leads)."""
        found: dict[int, int] = {}
        for chunk, marks in chunks(ids):
            for r in self._read(f"SELECT id, coalesce(story_id, id) FROM articles "
                                f"WHERE id IN ({marks})", chunk):
                found[r[0]] = r[1]
        return found

    def story(self, article_id: int) -> list[int]:
        """Every article of an article's story, itself included, first stored first."""
        return [r[0] for r in self._read(
            "SELECT id FROM articles WHERE id = (SELECT coalesce(story_id, id) FROM articles "
            "WHERE id = ?1) UNION SELECT id FROM articles WHERE story_id = (SELECT "
            "coalesce(story_id, id) FROM articles WHERE id = ?1) ORDER BY id", (article_id,))]

    def count(self, filter: ArticleFilter) -> int:
        if not (filter.favourites or filter.tag or filter.mute):
            # The counters answer without reading 200k index entries; articles whose source
            # went (kept favourites) are not in them.
            column = "unread" if filter.unread else "total"
            if filter.source_id is not None:
                return int(self._read(f"SELECT coalesce(sum({column}), 0) FROM source_counts "
                                      "WHERE source_id = ?", (filter.source_id,))[0][0])
            if filter.stories:
                column = "unread_stories" if filter.unread else "stories"
            return int(self._read(f"SELECT {column} FROM totals")[0][0])
        where, params = where_clauses(filter)
        sql = f"SELECT count(*) FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''}"
        return int(self._read(sql, params)[0][0])

    def article(self, article_id: int) -> StoredArticle:
        rows = self._read(
            "SELECT a.*, s.title AS source_title, f.article_id IS NOT NULL AS fav, f.tags "
            "FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id "
            "LEFT JOIN favourites f ON f.article_id = a.id WHERE a.id = ?", (article_id,))
        if not rows:
            raise NotFound(f"no article with id {article_id}")
        r = rows[0]
        text, html = unpack(r["body"])
        images = tuple(Image(i["url"], i["caption"]) for i in self._read(
            "SELECT url, caption FROM article_images WHERE article_id = ? ORDER BY position",
            (article_id,)))
        enclosures = tuple(Enclosure(e["url"], e["type"], e["length"]) for e in self._read(
            "SELECT url, type, length FROM enclosures WHERE article_id = ? ORDER BY position",
            (article_id,)))
        related = tuple(StoredRelated(
            url=x["url"], title=x["title"], snippet=x["snippet"],
            published=to_datetime(x["published"]), article_id=x["target"]) for x in self._read(
            "SELECT r.*, t.id AS target FROM related_links r LEFT JOIN articles t "
            "ON t.url = r.url WHERE r.article_id = ? ORDER BY r.position", (article_id,)))
        article = Article(
            url=r["url"], title=r["title"], published=to_datetime(r["published"]),
            source=r["publisher"], author=r["author"], views=r["views"],
            breadcrumb=tuple(json.loads(r["breadcrumb"])), text=text, html=html,
            images=images,
            related=tuple(RelatedLink(x.url, x.title, x.snippet, x.published) for x in related),
            language=r["language"], encoding=r["encoding"], enclosures=enclosures,
            page_error=r["page_error"])
        return StoredArticle(
            id=r["id"], source_id=r["source_id"], source_title=r["source_title"] or r["publisher"],
            article=article, related=related, is_read=bool(r["is_read"]),
            is_favourite=bool(r["fav"]), fetched_at=from_ts(r["fetched_at"]),
            tags=split_tags(r["tags"]),
            copies=tuple(self.rows([i for i in self.story(article_id) if i != article_id])))

    def article_id(self, url: str) -> int | None:
        rows = self._read("SELECT id FROM articles WHERE url = ?", (url,))
        return rows[0][0] if rows else None

    def referrer_source(self, url: str) -> int | None:
        """The source of an article whose related block links to url."""
        rows = self._read("SELECT a.source_id FROM related_links r JOIN articles a "
                          "ON a.id = r.article_id WHERE r.url = ? AND a.source_id IS NOT NULL "
                          "LIMIT 1", (url,))
        return rows[0][0] if rows else None

    def image(self, url: str) -> bytes | None:
        rows = self._read("SELECT i.data FROM article_images ai JOIN images i ON i.hash = ai.hash "
                          "WHERE ai.url = ? LIMIT 1", (url,))
        return bytes(rows[0][0]) if rows else None


def write_article(tx: sqlite3.Connection, source_id: int | None, article: Article,
                  images: Sequence[StoredImage], blobs: Sequence[ImageData],
                  fetched_at: datetime | None, item_key: str = "", listed_as: str = "",
                  keys: Keys | None = None) -> tuple[int, Saved]:
    digest = content_hash(article)
    now = int((fetched_at or datetime.now(UTC)).timestamp())
    old = _stored(tx, source_id, item_key, article.url)
    keys = keys or copies.prepare(article)
    same = None if old else copies.same_text(tx, article, keys.text)
    found = old["id"] if old else same
    if found is not None:
        for address in {listed_as, article.url} - {""}:
            tx.execute("INSERT INTO article_urls SELECT ?, ? WHERE NOT EXISTS (SELECT 1 "
                       "FROM articles WHERE url = ?) ON CONFLICT DO NOTHING",
                       (address, found, address))
        if source_id is not None:
            list_article(tx, source_id, found)
    if same is not None:
        return same, Saved.UNCHANGED
    if not old:
        url = _free_url(tx, source_id, item_key, article.url)
    if old and old["favourite"]:
        return old["id"], Saved.FROZEN
    if old and old["content_hash"] == digest:
        return old["id"], Saved.UNCHANGED
    for blob in blobs:
        tx.execute("INSERT OR IGNORE INTO images VALUES (?, ?, ?, ?, ?)",
                   (blob.hash, blob.mime, blob.width, blob.height, blob.data))
    # An item key names an item of the article's own source; another source's is not kept.
    own = not old or old["source_id"] in (None, source_id)
    values = _columns(source_id, article, digest, now, item_key if own else "")
    if old:
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
        schema.index(tx, article_id, old["title"], old_text, delete=True)
        copies.unkey(tx, article_id, old["title"], old_text)
        for table in ("article_images", "related_links", "enclosures"):
            tx.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    else:
        article_id = int(tx.execute(
            "INSERT INTO articles (source_id, title, published, sort_key, publisher, "
            "author, views, breadcrumb, body, language, encoding, content_hash, "
            "fetched_at, item_key, page_error, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, url)).lastrowid or 0)
        if source_id is not None:
            list_article(tx, source_id, article_id)
        if listed_as and listed_as != url:
            tx.execute("INSERT OR IGNORE INTO article_urls VALUES (?, ?)",
                       (listed_as, article_id))
    copies.file(tx, article_id, article, keys, group=not old)
    _write_parts(tx, article_id, article, images)
    if old:
        drop_orphan_images(tx)
    return article_id, Saved.UPDATED if old else Saved.NEW


def _columns(source_id: int | None, article: Article, digest: str, now: int, item_key: str
             ) -> tuple[Any, ...]:
    """The articles row, in the order of write_article's UPDATE and INSERT (url apart)."""
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
    schema.index(tx, article_id, article.title, article.text)


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
    digest = hashlib.sha1(item_key.encode("utf-8", "replace")).hexdigest()[:16]
    return f"{url.partition('#')[0]}#item-{digest}"


def delete_articles(tx: sqlite3.Connection, rows: Sequence[Any]) -> None:
    for article_id, title, body in rows:
        text = unpack(body)[0]
        schema.index(tx, article_id, title, text, delete=True)
        copies.unkey(tx, article_id, title, text)
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


ROW_COLUMNS = (
    "a.id, a.url, a.title, a.published, a.views, a.is_read, a.source_id, "
    "a.sort_key, coalesce(s.title, a.publisher) AS source, "
    "f.article_id IS NOT NULL AS fav")
# `also`: the other sources listing the article, joined by US (no title holds a control) ...
_ALSO = ("(SELECT group_concat(o.title, char(31)) FROM listings ol JOIN sources o "
         "ON o.id = ol.source_id WHERE ol.article_id = a.id AND ol.source_id IS NOT a.source_id)")
# ... and the sources of its story's copies (the page's 来源 when their source went).
_COPIES = ("(SELECT group_concat(coalesce(cs.title, c.publisher), char(31)) FROM articles c "
           "LEFT JOIN sources cs ON cs.id = c.source_id WHERE c.story_id = a.id)")


def row_columns(stories: bool) -> str:
    """The list row's columns; only a shared article has `also` looked up (most have none,
    and two lookups per row would double the cost of a page)."""
    also = f"coalesce({_ALSO}, '') || char(31) || coalesce({_COPIES}, '')" if stories \
        else _ALSO
    return f"{ROW_COLUMNS}, CASE WHEN a.shared THEN {also} END AS also"


ROW_JOINS = (
    "LEFT JOIN sources s ON s.id = a.source_id "
    "LEFT JOIN favourites f ON f.article_id = a.id")


def where_clauses(filter: ArticleFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filter.source_id is not None:
        where.append("a.id IN (SELECT article_id FROM listings WHERE source_id = ?)")
        params.append(filter.source_id)
    if filter.unread:
        where.append("a.is_read = 0")
    if filter.stories:
        where.append("a.story_id IS NULL")
    if filter.favourites:
        where.append("a.id IN (SELECT article_id FROM favourites)")
    if filter.tag:
        # Tags are stored comma-joined; the fences make "tea" miss "green tea,teapot".
        where.append("a.id IN (SELECT article_id FROM favourites "
                     "WHERE instr(',' || tags || ',', ?) > 0)")
        params.append(f",{filter.tag},")
    if filter.mute:
        muted = " AND ".join("instr(lower(a.title), lower(?)) = 0" for _ in filter.mute)
        where.append(f"(a.id IN (SELECT article_id FROM favourites) OR ({muted}))")
        params.extend(filter.mute)
    return where, params


def article_row(r: sqlite3.Row) -> ArticleRow:
    return ArticleRow(id=r["id"], url=r["url"], title=r["title"], source=r["source"] or "",
                      source_id=r["source_id"], published=to_datetime(r["published"]),
                      views=r["views"], is_read=bool(r["is_read"]), is_favourite=bool(r["fav"]),
                      sort_key=r["sort_key"],
                      also=_names(r["also"], r["source"] or "") if r["also"] else ())


def _names(joined: str | None, own: str) -> tuple[str, ...]:
    """Names joined by US, each once, without empty ones and the row's own source."""
    return tuple(n for n in dict.fromkeys((joined or "").split("\x1f")) if n and n != own)
