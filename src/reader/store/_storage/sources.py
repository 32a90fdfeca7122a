"""Settings and sources: subscriptions, their settings, and how their updates ended."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reader.errors import NotFound, StorageError
from reader.store._storage.articles import UNPROTECTED, delete_articles
from reader.store._storage.base import StoreBase
from reader.store._storage.records import NewSource, SourceState, from_ts
from reader.store._storage.sqlite_errors import is_unique_violation
from reader.types import Source, SourceKind

IMPORT_BATCH = 1000  # sources added in one transaction


class SourcesMixin(StoreBase):
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
                    (url, fetch_url, kind, title, file_root, folder, self._seconds(),
                     json.dumps(settings or {})))
                return int(cursor.lastrowid or 0)
        except StorageError as e:
            if is_unique_violation(e):
                raise StorageError(f"already subscribed to {url}") from e
            raise

    def add_sources(self, sources: Sequence[NewSource]) -> list[int]:
        """Subscribe to many sources (an OPML import), IMPORT_BATCH to a transaction, so other
        writers wait for one batch, never for the whole file.

        A source whose URL is already subscribed (as its url or its fetch_url) is skipped;
        returns the ids of those added. The subscribed URLs are read once into a set: a
        lookup per outline (fetch_url has no index) made 100,000 outlines take minutes.
        """
        added: list[int] = []
        now = self._seconds()
        known = {url for row in self.db.execute("SELECT url, fetch_url FROM sources")
                 for url in row}
        for start in range(0, len(sources), IMPORT_BATCH):
            with self._write() as tx:
                for s in sources[start:start + IMPORT_BATCH]:
                    if s.url in known:
                        continue
                    known.add(s.url)
                    cursor = tx.execute(  # DO NOTHING: added meanwhile by another writer
                        "INSERT INTO sources (url, fetch_url, kind, title, folder, added_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                        (s.url, s.url, s.kind, s.title, s.folder, now))
                    if cursor.rowcount == 1:
                        added.append(int(cursor.lastrowid or 0))
        return added

    def set_folder(self, source_id: int, folder: str) -> None:
        with self._write() as tx:
            if not tx.execute("UPDATE sources SET folder = ? WHERE id = ?",
                              (folder, source_id)).rowcount:
                raise NotFound(f"no source with id {source_id}")

    def set_source_title(self, source_id: int, title: str) -> None:
        with self._write() as tx:
            if not tx.execute("UPDATE sources SET title = ? WHERE id = ?",
                              (title, source_id)).rowcount:
                raise NotFound(f"no source with id {source_id}")

    def sources(self) -> list[Source]:
        counts = {r["source_id"]: (r["total"], r["unread"]) for r in self._read(
            "SELECT source_id, total, unread FROM source_counts")}
        return [
            Source(id=r["id"], url=r["url"], kind=r["kind"], title=r["title"],
                   last_updated=from_ts(r["last_updated"]), last_error=r["last_error"],
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
        now = self._seconds()
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
        """Delete a source and the articles no other source lists, except favourites and what
        they link to. An article another source lists stays, under that source."""
        self.source_state(source_id)
        with self._write() as tx:
            doomed = tx.execute(
                "SELECT id, title, body FROM articles WHERE id IN (SELECT article_id FROM "
                "listings l WHERE source_id = ? AND NOT EXISTS (SELECT 1 FROM listings o "
                "WHERE o.article_id = l.article_id AND o.source_id != l.source_id)) "
                f"AND {UNPROTECTED}", (source_id,)).fetchall()
            delete_articles(tx, doomed)
            tx.execute("DELETE FROM listings WHERE source_id = ?", (source_id,))
            tx.execute("UPDATE articles SET source_id = (SELECT min(source_id) FROM listings "
                       "WHERE article_id = articles.id) WHERE source_id = ?", (source_id,))
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
            # Beyond the newest `keep` of every source that lists it.
            old.append("id IN (SELECT article_id FROM (SELECT article_id, row_number() OVER "
                       "(PARTITION BY source_id ORDER BY sort_key DESC, article_id DESC) AS n "
                       "FROM listings) GROUP BY article_id HAVING min(n) > ?)")
            params.append(keep)
        if not old:
            return 0
        with self._write() as tx:
            doomed = tx.execute(f"SELECT id, title, body FROM articles WHERE {UNPROTECTED} "
                                f"AND ({' OR '.join(old)})", params).fetchall()
            delete_articles(tx, doomed)
        return len(doomed)
