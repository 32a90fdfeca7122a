"""All SQL of Reader. One connection per thread, WAL, explicit transactions.

A write is one transaction (BEGIN IMMEDIATE ... COMMIT), so a killed process leaves either the
whole article or none of it; SQLite errors leave as StorageError with a message for the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from reader.errors import NotFound, StorageError
from reader.store import schema, tokens
from reader.store.schema import pack, unpack
from reader.types import (
    Article,
    ArticleFilter,
    ArticleRow,
    Image,
    RelatedLink,
    Source,
    SourceKind,
    StoredArticle,
    StoredRelated,
)

log = logging.getLogger(__name__)

DB_NAME = "library.sqlite"
RANK_CAP = 2000  # search ranks at most about this many matches (see Store.search)
TITLE_BONUS = 1000.0  # above any bm25 score: a match in the title ranks first


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the updater needs to fetch a source again."""

    id: int
    url: str
    fetch_url: str
    kind: SourceKind
    title: str
    file_root: str | None
    etag: str | None
    last_modified: str | None
    last_updated: int | None = None  # Unix seconds of the last successful update
    settings: dict[str, Any] = field(default_factory=dict)  # as stored: only those set


@dataclass(frozen=True, slots=True)
class NewSource:
    """A subscription to add without fetching it first (OPML import)."""

    url: str
    kind: SourceKind
    title: str
    folder: str = ""


@dataclass(frozen=True, slots=True)
class RemoteState:
    """A sync server's item as stored: local state, the server's at the last sync, and the
    queued local change per field (None: nothing queued)."""

    item_id: str
    article_id: int
    title: str
    read: bool
    saved: bool
    server_read: bool
    server_saved: bool
    queued_read: bool | None
    queued_saved: bool | None


@dataclass(frozen=True, slots=True)
class StoredImage:
    image: Image
    hash: str | None  # content hash when downloaded


@dataclass(frozen=True, slots=True)
class ImageData:
    hash: str
    mime: str
    width: int
    height: int
    data: bytes


def _ts(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _from_ts(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def content_hash(article: Article) -> str:
    return hashlib.sha256(f"{article.title}\0{article.html}".encode()).hexdigest()


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DB_NAME
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._writer = _FairLock()
        self._documents: dict[tuple[str, int], int] = {}  # term_documents' cache
        self._documents_total = 0  # the article count it was filled at
        self._in_use = _hold(data_dir, exclusive=False)
        self._open_schema()

    # connections and transactions

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10,
                                 check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = NORMAL")  # safe against crashes in WAL mode
        except sqlite3.Error as e:
            raise StorageError(f"cannot open the library {self.path}: {e}") from e
        return db

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
            with self._lock:
                # Worker threads come and go with each update: close what the dead ones left.
                for thread, old in self._all:
                    if not thread.is_alive():
                        with contextlib.suppress(sqlite3.Error):
                            old.close()
                self._all = [(t, c) for t, c in self._all if t.is_alive()]
                self._all.append((threading.current_thread(), db))
        return db

    def close(self) -> None:
        with self._lock:
            for _, db in self._all:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            self._all.clear()
        self._local = threading.local()
        if self._in_use:
            self._in_use.close()  # releases the lock
            self._in_use = None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        with self._writer:
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.Error as e:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise _storage_error(e) from e

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self.db.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as e:
            raise _storage_error(e) from e

    @staticmethod
    def needs_migration(data_dir: Path) -> bool:
        """Whether opening this library will first migrate it (which takes a while when big)."""
        path = data_dir / DB_NAME
        if not path.exists():
            return False
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return 0 < int(db.execute("PRAGMA user_version").fetchone()[0]) < schema.VERSION
            finally:
                db.close()
        except sqlite3.Error:
            return False  # opening it will say what is wrong

    def _open_schema(self) -> None:
        fresh = not self.path.exists()
        db = self.db
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StorageError(f"{self.path} is not a Reader library: {e}") from e
        if version > schema.VERSION:
            self.close()
            raise StorageError(
                f"{self.path} was written by a newer Reader (schema {version}, this one knows "
                f"{schema.VERSION}); it was left untouched. Update Reader to open it.")
        if 0 < version < schema.VERSION:
            backup = self.path.with_name(f"{DB_NAME}.before-v{schema.VERSION}")
            self.backup(backup)
            log.info("copied the library to %s before migrating it", backup)
        try:
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as e:
            raise _storage_error(e) from e
        with self._write() as tx:
            if version == 0:
                if not fresh and tx.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise StorageError(f"{self.path} is not a Reader library")
                for statement in schema.statements(schema.SCHEMA):
                    tx.execute(statement)
            else:
                for step in range(version, schema.VERSION):
                    schema.MIGRATIONS[step](tx)
            tx.execute(f"PRAGMA user_version = {schema.VERSION}")

    def backup(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API)."""
        tmp = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(tmp)
            with dest:
                self.db.backup(dest)
            dest.close()
            tmp.replace(target)
        except sqlite3.Error as e:
            tmp.unlink(missing_ok=True)
            raise _storage_error(e) from e

    @staticmethod
    def restore(data_dir: Path, source: Path) -> None:
        """Replace the library in data_dir with a backup, after checking the backup is sound."""
        try:
            check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            version = check.execute("PRAGMA user_version").fetchone()[0]
            check.close()
        except sqlite3.Error as e:
            raise StorageError(f"{source} is not a Reader library: {e}") from e
        if ok != "ok" or not 0 < version <= schema.VERSION:
            raise StorageError(f"{source} is not a usable Reader library ({ok}, v{version})")
        lock = _hold(data_dir, exclusive=True)
        try:
            target = data_dir / DB_NAME
            if target.exists():  # the library being replaced stays at hand, whole
                current = sqlite3.connect(target)
                keep = sqlite3.connect(target.with_name(DB_NAME + ".before-restore"))
                current.backup(keep)
                keep.close()
                current.close()
            tmp = target.with_name(DB_NAME + ".restoring")
            shutil.copyfile(source, tmp)
            for suffix in ("-wal", "-shm"):
                target.with_name(DB_NAME + suffix).unlink(missing_ok=True)
            tmp.replace(target)
        except (OSError, sqlite3.Error) as e:
            raise StorageError(f"could not restore {source}: {e}") from e
        finally:
            if lock:
                lock.close()

    # settings

    def setting(self, name: str) -> Any | None:
        rows = self._read("SELECT value FROM settings WHERE name = ?", (name,))
        return json.loads(rows[0]["value"]) if rows else None

    def set_setting(self, name: str, value: Any) -> None:
        with self._write() as tx:
            tx.execute("INSERT INTO settings VALUES (?, ?) ON CONFLICT(name) DO UPDATE "
                       "SET value = excluded.value", (name, json.dumps(value)))

    # sources

    def add_source(self, url: str, fetch_url: str, kind: SourceKind, title: str,
                   file_root: str | None = None, folder: str = "",
                   settings: dict[str, Any] | None = None) -> int:
        try:
            with self._write() as tx:
                cursor = tx.execute(
                    "INSERT INTO sources (url, fetch_url, kind, title, file_root, folder, "
                    "added_at, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (url, fetch_url, kind, title, file_root, folder, int(time.time()),
                     json.dumps(settings or {})))
                return int(cursor.lastrowid or 0)
        except StorageError as e:
            if "UNIQUE" in str(e):
                raise StorageError(f"already subscribed to {url}") from e
            raise

    def add_sources(self, sources: Sequence[NewSource]) -> list[int]:
        """Subscribe to many sources in one transaction (an OPML import): all or none.

        A source whose URL is already subscribed (as its url or its fetch_url) is skipped;
        returns the ids of those added.
        """
        added: list[int] = []
        now = int(time.time())
        with self._write() as tx:
            for s in sources:
                if tx.execute("SELECT 1 FROM sources WHERE url = ? OR fetch_url = ?",
                              (s.url, s.url)).fetchone():
                    continue
                added.append(int(tx.execute(
                    "INSERT INTO sources (url, fetch_url, kind, title, folder, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (s.url, s.url, s.kind, s.title, s.folder, now)).lastrowid or 0))
        return added

    def set_folder(self, source_id: int, folder: str) -> None:
        with self._write() as tx:
            if not tx.execute("UPDATE sources SET folder = ? WHERE id = ?",
                              (folder, source_id)).rowcount:
                raise NotFound(f"no source with id {source_id}")

    def sources(self) -> list[Source]:
        counts = {r["source_id"]: (r["total"], r["unread"]) for r in self._read(
            "SELECT source_id, total, unread FROM source_counts")}
        return [
            Source(id=r["id"], url=r["url"], kind=r["kind"], title=r["title"],
                   last_updated=_from_ts(r["last_updated"]), last_error=r["last_error"],
                   total=counts.get(r["id"], (0, 0))[0], unread=counts.get(r["id"], (0, 0))[1],
                   folder=r["folder"], fetch_url=r["fetch_url"])
            for r in self._read("SELECT * FROM sources ORDER BY title COLLATE NOCASE, id")
        ]

    def source_state(self, source_id: int) -> SourceState:
        rows = self._read("SELECT id, url, fetch_url, kind, title, file_root, etag, "
                          "last_modified, last_updated, settings FROM sources WHERE id = ?",
                          (source_id,))
        if not rows:
            raise NotFound(f"no source with id {source_id}")
        return SourceState(**{**dict(rows[0]), "settings": json.loads(rows[0]["settings"])})

    def set_source_setting(self, source_id: int, name: str, value: Any) -> None:
        """Set one key of a source's settings, in SQL so concurrent writers lose nothing."""
        with self._write() as tx:
            if not tx.execute("UPDATE sources SET settings = json_set(settings, ?, json(?)) "
                              "WHERE id = ?", (f"$.{name}", json.dumps(value),
                                               source_id)).rowcount:
                raise NotFound(f"no source with id {source_id}")

    def source_ids(self) -> list[int]:
        return [r["id"] for r in self._read("SELECT id FROM sources ORDER BY id")]

    def finish_update(self, source_id: int, *, title: str | None, etag: str | None,
                      last_modified: str | None, counts: tuple[int, int, int, int],
                      error: str) -> None:
        """Record how an update of one source ended; validators are kept only on success."""
        now = int(time.time())
        with self._write() as tx:
            if error:
                tx.execute("UPDATE sources SET last_error = ? WHERE id = ?", (error, source_id))
            else:
                tx.execute(
                    "UPDATE sources SET last_error = '', last_updated = ?, etag = ?, "
                    "last_modified = ?, title = CASE WHEN title = '' THEN coalesce(?, '') "
                    "ELSE title END WHERE id = ?",
                    (now, etag, last_modified, title, source_id))
            tx.execute("INSERT INTO fetch_log (source_id, finished_at, new, updated, unchanged, "
                       "failed, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (source_id, now, *counts, error))

    def remove_source(self, source_id: int) -> int:
        """Delete a source and its articles, except favourites and what they link to."""
        self.source_state(source_id)
        with self._write() as tx:
            doomed = tx.execute(
                f"SELECT id, title, body FROM articles WHERE source_id = ? AND {_UNPROTECTED}",
                (source_id,)).fetchall()
            self._delete_articles(tx, doomed)
            tx.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return len(doomed)

    def remove_old(self, *, before: int | None = None, keep: int | None = None) -> int:
        """Retention: delete articles older than `before` (Unix seconds) or beyond the newest
        `keep` of their source; favourites and what their related blocks link to stay."""
        old: list[str] = []
        params: list[int] = []
        if before is not None:
            old.append("sort_key < ?")
            params.append(before)
        if keep is not None:
            old.append("id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY "
                       "source_id ORDER BY sort_key DESC, id DESC) AS n FROM articles) "
                       "WHERE n > ?)")
            params.append(keep)
        if not old:
            return 0
        with self._write() as tx:
            doomed = tx.execute(f"SELECT id, title, body FROM articles WHERE {_UNPROTECTED} "
                                f"AND ({' OR '.join(old)})", params).fetchall()
            self._delete_articles(tx, doomed)
        return len(doomed)

    # articles: writing

    def known(self, urls: Iterable[str]) -> dict[str, tuple[int, bool]]:
        """Which of these URLs are stored: url -> (fetched_at, is_favourite)."""
        found: dict[str, tuple[int, bool]] = {}
        for chunk, marks in _chunks(urls):
            for row in self._read(
                    "SELECT url, fetched_at, id IN (SELECT article_id FROM favourites) AS fav "
                    f"FROM articles WHERE url IN ({marks})", chunk):
                found[row["url"]] = (row["fetched_at"], bool(row["fav"]))
        return found

    def cached_image_hashes(self, urls: Iterable[str]) -> dict[str, str]:
        """Image URLs already downloaded: url -> content hash (saves downloading them again)."""
        found: dict[str, str] = {}
        for chunk, marks in _chunks(urls):
            for row in self._read(f"SELECT url, hash FROM article_images WHERE hash IS NOT NULL "
                                  f"AND url IN ({marks})", chunk):
                found[row["url"]] = row["hash"]
        return found

    def save_article(self, source_id: int | None, article: Article,
                     images: Sequence[StoredImage], blobs: Sequence[ImageData] = (),
                     *, fetched_at: datetime | None = None) -> tuple[int, str]:
        """Insert or replace one article with its images and related links, atomically.

        Returns (id, outcome) with outcome "new", "updated", "unchanged" or "frozen".
        """
        with self._write() as tx:
            return self._save(tx, source_id, article, images, blobs, fetched_at)

    def save_articles(self, batch: Iterable[tuple[int | None, Article, Sequence[StoredImage],
                                                  Sequence[ImageData]]],
                      *, fetched_at: datetime | None = None) -> list[tuple[int, str]]:
        """save_article for many articles in one transaction (bulk imports, benchmarks)."""
        with self._write() as tx:
            return [self._save(tx, source_id, article, images, blobs, fetched_at)
                    for source_id, article, images, blobs in batch]

    def _save(self, tx: sqlite3.Connection, source_id: int | None, article: Article,
              images: Sequence[StoredImage], blobs: Sequence[ImageData],
              fetched_at: datetime | None) -> tuple[int, str]:
        digest = content_hash(article)
        now = int((fetched_at or datetime.now(UTC)).timestamp())
        old = tx.execute("SELECT a.id, a.content_hash, a.title, a.body, f.article_id "
                         "FROM articles a LEFT JOIN favourites f ON f.article_id = a.id "
                         "WHERE a.url = ?", (article.url,)).fetchone()
        if old and old[4] is not None:
            return old[0], "frozen"
        if old and old[1] == digest:
            return old[0], "unchanged"
        for blob in blobs:
            tx.execute("INSERT OR IGNORE INTO images VALUES (?, ?, ?, ?, ?)",
                       (blob.hash, blob.mime, blob.width, blob.height, blob.data))
        values = (
            source_id, article.title, article.published.isoformat()
            if article.published else None, _ts(article.published) or now,
            article.source, article.author, article.views,
            json.dumps(list(article.breadcrumb), ensure_ascii=False),
            pack(article.text, article.html), article.language, article.encoding, digest, now)
        if old:
            article_id = old[0]
            tx.execute(
                "UPDATE articles SET source_id = coalesce(?, source_id), title = ?, "
                "published = ?, sort_key = ?, publisher = ?, author = ?, views = ?, "
                "breadcrumb = ?, body = ?, language = ?, encoding = ?, "
                "content_hash = ?, fetched_at = ? WHERE id = ?", (*values, article_id))
            schema.index(tx, article_id, old[2], unpack(old[3])[0], delete=True)
            tx.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
            tx.execute("DELETE FROM related_links WHERE article_id = ?", (article_id,))
        else:
            article_id = int(tx.execute(
                "INSERT INTO articles (source_id, title, published, sort_key, publisher, "
                "author, views, breadcrumb, body, language, encoding, content_hash, "
                "fetched_at, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, article.url)).lastrowid or 0)
        tx.executemany("INSERT INTO article_images VALUES (?, ?, ?, ?, ?)", [
            (article_id, i, s.image.url, s.image.caption, s.hash)
            for i, s in enumerate(images)])
        tx.executemany("INSERT INTO related_links VALUES (?, ?, ?, ?, ?, ?)", [
            (article_id, i, r.url, r.title, r.snippet,
             r.published.isoformat() if r.published else None)
            for i, r in enumerate(article.related)])
        schema.index(tx, article_id, article.title, article.text)
        if old:
            self._drop_orphan_images(tx)
        return article_id, "updated" if old else "new"

    def _delete_articles(self, tx: sqlite3.Connection, rows: Sequence[Any]) -> None:
        for article_id, title, body in rows:
            schema.index(tx, article_id, title, unpack(body)[0], delete=True)
        tx.executemany("DELETE FROM articles WHERE id = ?", [(r[0],) for r in rows])
        self._drop_orphan_images(tx)

    @staticmethod
    def _drop_orphan_images(tx: sqlite3.Connection) -> None:
        tx.execute("DELETE FROM images WHERE hash NOT IN "
                   "(SELECT hash FROM article_images WHERE hash IS NOT NULL)")

    # articles: reading

    def articles(self, filter: ArticleFilter, *, limit: int,
                 after: tuple[int, int] | None = None,
                 oldest_first: bool = False) -> list[ArticleRow]:
        """Newest (or oldest) first, in keyset pages: `after` is (sort_key, id) of the last
        row seen. Both orders walk the same index, so no order ever loads all rows."""
        where, params = _where(filter)
        if after:
            where.append(f"(a.sort_key, a.id) {'>' if oldest_first else '<'} (?, ?)")
            params.extend(after)
        order = "ASC" if oldest_first else "DESC"
        sql = (f"SELECT {_ROW_COLUMNS} FROM articles a {_ROW_JOINS} "
               f"{'WHERE ' + ' AND '.join(where) if where else ''} "
               f"ORDER BY a.sort_key {order}, a.id {order} LIMIT ?")
        return [_row(r) for r in self._read(sql, (*params, limit))]

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """Article rows for these ids, in the given order (for search and similarity)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r["id"]: _row(r) for r in self._read(
            f"SELECT {_ROW_COLUMNS} FROM articles a {_ROW_JOINS} WHERE a.id IN ({marks})", ids)}
        return [found[i] for i in ids if i in found]

    def count(self, filter: ArticleFilter) -> int:
        if not (filter.favourites or filter.tag or filter.mute):
            # The counters answer without reading 200k index entries; articles whose source
            # went (kept favourites) are not in them.
            column = "unread" if filter.unread else "total"
            if filter.source_id is not None:
                return int(self._read(f"SELECT coalesce(sum({column}), 0) FROM source_counts "
                                      "WHERE source_id = ?", (filter.source_id,))[0][0])
            return int(self._read(
                f"SELECT (SELECT coalesce(sum({column}), 0) FROM source_counts) + "
                "(SELECT count(*) FROM articles WHERE source_id IS NULL"
                f"{' AND is_read = 0' if filter.unread else ''})")[0][0])
        where, params = _where(filter)
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
        related = tuple(StoredRelated(
            url=x["url"], title=x["title"], snippet=x["snippet"], published=_dt(x["published"]),
            article_id=x["target"]) for x in self._read(
            "SELECT r.*, t.id AS target FROM related_links r LEFT JOIN articles t "
            "ON t.url = r.url WHERE r.article_id = ? ORDER BY r.position", (article_id,)))
        article = Article(
            url=r["url"], title=r["title"], published=_dt(r["published"]),
            source=r["publisher"], author=r["author"], views=r["views"],
            breadcrumb=tuple(json.loads(r["breadcrumb"])), text=text, html=html,
            images=images,
            related=tuple(RelatedLink(x.url, x.title, x.snippet, x.published) for x in related),
            language=r["language"], encoding=r["encoding"])
        return StoredArticle(
            id=r["id"], source_id=r["source_id"], source_title=r["source_title"] or r["publisher"],
            article=article, related=related, is_read=bool(r["is_read"]),
            is_favourite=bool(r["fav"]), fetched_at=_from_ts(r["fetched_at"]),
            tags=_split_tags(r["tags"]))

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

    # reading state and favourites

    # Changes to an article a sync server knows are queued in the same transaction, so a
    # change is never made without being sent later (see reader.services.sync).

    def set_read(self, article_id: int, read: bool) -> None:
        with self._write() as tx:
            if not tx.execute("UPDATE articles SET is_read = ? WHERE id = ?",
                              (int(read), article_id)).rowcount:
                raise NotFound(f"no article with id {article_id}")
            _queue(tx, article_id, "read", read)

    def mark_all_read(self, source_id: int | None) -> int:
        where = "is_read = 0" + ("" if source_id is None else " AND source_id = ?")
        params = () if source_id is None else (source_id,)
        with self._write() as tx:
            tx.execute(f"{_QUEUE_SQL} SELECT DISTINCT r.article_id, 'read', 1, ? FROM "
                       f"remote_items r WHERE r.article_id IN (SELECT id FROM articles WHERE "
                       f"{where}) {_QUEUE_UPSERT}", (int(time.time()), *params))
            return tx.execute(f"UPDATE articles SET is_read = 1 WHERE {where}", params).rowcount

    def set_favourite(self, article_id: int, favourite: bool) -> None:
        with self._write() as tx:
            if not tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFound(f"no article with id {article_id}")
            if favourite:
                tx.execute("INSERT OR IGNORE INTO favourites (article_id, saved_at) VALUES (?, ?)",
                           (article_id, int(time.time())))
            else:
                tx.execute("DELETE FROM favourites WHERE article_id = ?", (article_id,))
            _queue(tx, article_id, "saved", favourite)

    def set_tags(self, article_id: int, tags: Sequence[str]) -> None:
        """Replace a favourite's tags; tagging an article saves it as a favourite."""
        with self._write() as tx:
            if not tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFound(f"no article with id {article_id}")
            tx.execute("INSERT INTO favourites (article_id, saved_at, tags) VALUES (?, ?, ?) "
                       "ON CONFLICT(article_id) DO UPDATE SET tags = excluded.tags",
                       (article_id, int(time.time()), ",".join(tags)))
            _queue(tx, article_id, "saved", True)

    def tags(self) -> dict[str, int]:
        """Every tag in use with how many favourites carry it, by name."""
        counts: dict[str, int] = {}
        for r in self._read("SELECT tags FROM favourites WHERE tags != ''"):
            for tag in _split_tags(r[0]):
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: item[0].casefold()))

    # sync with a feed server (reader.services.sync)

    def source_ids_by_url(self, urls: Iterable[str]) -> dict[str, int]:
        """Subscribed sources among these URLs (as their url or fetch_url): url -> id."""
        found: dict[str, int] = {}
        for url in urls:
            rows = self._read("SELECT id FROM sources WHERE url = ? OR fetch_url = ? "
                              "ORDER BY id LIMIT 1", (url, url))
            if rows:
                found[url] = rows[0][0]
        return found

    def sync_cursor(self, server: str) -> str:
        rows = self._read("SELECT cursor FROM sync_servers WHERE server = ?", (server,))
        return rows[0][0] if rows else ""

    def set_sync_cursor(self, server: str, cursor: str) -> None:
        with self._write() as tx:
            tx.execute("INSERT INTO sync_servers (server, cursor, last_sync) VALUES (?, ?, ?) "
                       "ON CONFLICT (server) DO UPDATE SET cursor = excluded.cursor, "
                       "last_sync = excluded.last_sync", (server, cursor, int(time.time())))

    def remote_items(self, server: str, item_ids: Iterable[str]) -> dict[str, int]:
        """Which of these server items are stored: item id -> article id."""
        found: dict[str, int] = {}
        for chunk, marks in _chunks(item_ids):
            for r in self._read(f"SELECT item_id, article_id FROM remote_items WHERE "
                                f"server = ? AND item_id IN ({marks})", (server, *chunk)):
                found[r[0]] = r[1]
        return found

    def save_remote_article(self, server: str, item_id: str, url: str, source_id: int | None,
                            bundle: tuple[Article, Sequence[StoredImage],
                                          Sequence[ImageData]] | None,
                            *, read: bool, saved: bool) -> tuple[int, str]:
        """Store a server's item with its read and saved state, atomically; bundle is None
        for an article already stored under that URL.

        An article already stored is mapped, not duplicated; its local read or favourite
        state is kept and queued when the server lacks it."""
        with self._write() as tx:
            known = tx.execute("SELECT a.is_read, f.article_id IS NOT NULL, a.id FROM articles a "
                               "LEFT JOIN favourites f ON f.article_id = a.id WHERE a.url = ?",
                               (url,)).fetchone()
            if bundle is None:
                if known is None:
                    raise NotFound(f"no article with URL {url}")
                article_id, outcome = known[2], "unchanged"
            else:
                article_id, outcome = self._save(tx, source_id, *bundle, None)
            tx.execute("INSERT OR REPLACE INTO remote_items VALUES (?, ?, ?, ?, ?)",
                       (server, item_id, article_id, int(read), int(saved)))
            if read or not known:
                tx.execute("UPDATE articles SET is_read = ? WHERE id = ?", (int(read), article_id))
            elif known[0]:
                _queue(tx, article_id, "read", True)
            if saved:
                tx.execute("INSERT OR IGNORE INTO favourites (article_id, saved_at) VALUES (?, ?)",
                           (article_id, int(time.time())))
            elif known and known[1]:
                _queue(tx, article_id, "saved", True)
            return article_id, outcome

    def remote_states(self, server: str) -> list[RemoteState]:
        """Every stored item of a server: local state, the server's at the last sync, and any
        change still queued."""
        return [RemoteState(r[0], r[1], r[2], bool(r[3]), bool(r[4]), bool(r[5]), bool(r[6]),
                            None if r[7] is None else bool(r[7]),
                            None if r[8] is None else bool(r[8]))
                for r in self._read(
            "SELECT r.item_id, r.article_id, a.title, a.is_read, f.article_id IS NOT NULL, "
            "r.server_read, r.server_saved, qr.value, qs.value FROM remote_items r "
            "JOIN articles a ON a.id = r.article_id "
            "LEFT JOIN favourites f ON f.article_id = r.article_id "
            "LEFT JOIN sync_queue qr ON qr.article_id = r.article_id AND qr.field = 'read' "
            "LEFT JOIN sync_queue qs ON qs.article_id = r.article_id AND qs.field = 'saved' "
            "WHERE r.server = ?", (server,))]

    def apply_server_states(self, server: str,
                            states: Sequence[tuple[str, bool, bool]]) -> list[str]:
        """Record the server's (item id, read, saved) and take over what changed on the
        server since the last sync, except where a local change is queued: that one wins and
        is sent. A favourite with tags is kept when the server unsaves it, and its star is
        queued to go back; returns the titles of those."""
        now = int(time.time())
        kept: list[str] = []
        with self._write() as tx:
            for item_id, read, saved in states:
                before = tx.execute("SELECT article_id, server_read, server_saved FROM "
                                    "remote_items WHERE server = ? AND item_id = ?",
                                    (server, item_id)).fetchone()
                if before is None:
                    continue
                article_id, was_read, was_saved = before
                tx.execute("UPDATE remote_items SET server_read = ?, server_saved = ? "
                           "WHERE server = ? AND item_id = ?",
                           (int(read), int(saved), server, item_id))
                queued = {f for (f,) in tx.execute(
                    "SELECT field FROM sync_queue WHERE article_id = ?", (article_id,))}
                if "read" not in queued and read != bool(was_read):
                    tx.execute("UPDATE articles SET is_read = ? WHERE id = ?",
                               (int(read), article_id))
                if "saved" in queued or saved == bool(was_saved):
                    continue
                if saved:
                    tx.execute("INSERT OR IGNORE INTO favourites (article_id, saved_at) "
                               "VALUES (?, ?)", (article_id, now))
                    continue
                tagged = tx.execute("SELECT a.title FROM favourites f JOIN articles a ON "
                                    "a.id = f.article_id WHERE f.article_id = ? AND "
                                    "f.tags != ''", (article_id,)).fetchone()
                if tagged:
                    kept.append(tagged[0])
                    _queue(tx, article_id, "saved", True)
                else:
                    tx.execute("DELETE FROM favourites WHERE article_id = ?", (article_id,))
        return kept

    def forget_remote_items(self, server: str, item_ids: Iterable[str]) -> None:
        """Items the server no longer has: the mapping goes, the articles and their state
        stay, and a queued change no other server item takes is dropped."""
        with self._write() as tx:
            for chunk, marks in _chunks(item_ids):
                tx.execute(f"DELETE FROM remote_items WHERE server = ? AND item_id IN ({marks})",
                           (server, *chunk))
            tx.execute("DELETE FROM sync_queue WHERE article_id NOT IN "
                       "(SELECT article_id FROM remote_items)")

    def queued_changes(self, server: str) -> list[tuple[int, str, str, bool]]:
        """Local changes to send to a server, oldest first: (article id, item id, field,
        value)."""
        return [(r[0], r[1], r[2], bool(r[3])) for r in self._read(
            "SELECT q.article_id, r.item_id, q.field, q.value FROM sync_queue q "
            "JOIN remote_items r ON r.article_id = q.article_id AND r.server = ? "
            "ORDER BY q.queued_at, q.article_id, q.field", (server,))]

    def change_sent(self, server: str, article_id: int, field: str, value: bool) -> None:
        """A queued change reached the server; a newer change made meanwhile stays queued."""
        column = {"read": "server_read", "saved": "server_saved"}[field]
        with self._write() as tx:
            tx.execute("DELETE FROM sync_queue WHERE article_id = ? AND field = ? AND value = ?",
                       (article_id, field, int(value)))
            tx.execute(f"UPDATE remote_items SET {column} = ? WHERE server = ? AND "
                       "article_id = ?", (int(value), server, article_id))

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
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    def match_ids(self, fts: str, *, limit: int) -> list[tuple[int, float]]:
        return [(r[0], -r[1]) for r in self._read(
            "SELECT rowid, bm25(search) AS score FROM search WHERE search MATCH ? "
            "ORDER BY score LIMIT ?", (fts, limit))]


_UNPROTECTED = (
    "id NOT IN (SELECT article_id FROM favourites) AND url NOT IN (SELECT r.url FROM "
    "related_links r JOIN favourites f ON f.article_id = r.article_id)")
_ROW_COLUMNS = ("a.id, a.url, a.title, a.published, a.views, a.is_read, a.source_id, "
                "a.sort_key, coalesce(s.title, a.publisher) AS source, "
                "f.article_id IS NOT NULL AS fav")
_ROW_JOINS = ("LEFT JOIN sources s ON s.id = a.source_id "
              "LEFT JOIN favourites f ON f.article_id = a.id")


class _FairLock:
    """Writers of this process take turns, first come first served.

    SQLite's busy handler polls with sleeps of up to 100 ms, so a GUI action arriving during an
    update could sleep through one article's transaction after another (p99 0.2-0.4 s in
    bench/concurrency.py). Queued here, it waits for the one transaction running.
    """

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._next = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._turn:
            ticket = self._next
            self._next += 1
            self._turn.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc: object) -> None:
        with self._turn:
            self._serving += 1
            self._turn.notify_all()


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """Values in slices within SQLite's parameter limit, each with its `?, ?, ...` marks."""
    batch = list(values)
    for i in range(0, len(batch), size):
        chunk = batch[i:i + size]
        yield chunk, ",".join("?" * len(chunk))


def _where(filter: ArticleFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filter.source_id is not None:
        where.append("a.source_id = ?")
        params.append(filter.source_id)
    if filter.unread:
        where.append("a.is_read = 0")
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


_QUEUE_SQL = "INSERT INTO sync_queue (article_id, field, value, queued_at)"
_QUEUE_UPSERT = ("ON CONFLICT (article_id, field) DO UPDATE SET value = excluded.value, "
                 "queued_at = excluded.queued_at")


def _queue(tx: sqlite3.Connection, article_id: int, field: str, value: bool) -> None:
    """Queue a change for the sync server, when a server knows this article."""
    tx.execute(f"{_QUEUE_SQL} SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM remote_items "
               f"WHERE article_id = ?) {_QUEUE_UPSERT}",
               (article_id, field, int(value), int(time.time()), article_id))


def _split_tags(joined: str | None) -> tuple[str, ...]:
    return tuple(t for t in (joined or "").split(",") if t)


def _row(r: sqlite3.Row) -> ArticleRow:
    return ArticleRow(id=r["id"], url=r["url"], title=r["title"], source=r["source"] or "",
                      source_id=r["source_id"], published=_dt(r["published"]),
                      views=r["views"], is_read=bool(r["is_read"]), is_favourite=bool(r["fav"]),
                      sort_key=r["sort_key"])


def _hold(data_dir: Path, *, exclusive: bool) -> IO[bytes] | None:
    """A lock on the library folder: shared while a Store is open, exclusive to restore.

    Restoring swaps the database file under any open connection, so it must wait until the
    window and every update have closed the library. (No fcntl, as on Windows: no lock.)
    """
    try:
        import fcntl
    except ImportError:
        return None
    handle = open(data_dir / "library.lock", "ab")  # noqa: SIM115 - held open as the lock
    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        if exclusive:
            raise StorageError("Reader has this library open (the window or an update): "
                               "close it, then restore") from None
        raise StorageError("this library is being restored; try again in a moment") from None
    return handle


def _storage_error(e: sqlite3.Error) -> StorageError:
    text = str(e)
    if "disk is full" in text or "SQLITE_FULL" in text:
        return StorageError("the disk is full: free some space; nothing saved before was lost")
    if "locked" in text or "busy" in text:
        return StorageError(f"the library is busy: {text}")
    if "malformed" in text or "not a database" in text:
        return StorageError(f"the library file is damaged: {text}")
    return StorageError(f"library error: {text}")
