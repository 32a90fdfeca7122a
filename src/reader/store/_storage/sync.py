"""What a feed server (reader.services.sync) knows: item mappings, its last known states,
and the queue of local changes still to send."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from reader.errors import NotFound
from reader.store._storage.articles import write_article
from reader.store._storage.base import StoreBase, chunks, fetch_one
from reader.store._storage.records import (
    ImageData,
    RemoteFeedState,
    RemoteLabels,
    RemoteState,
    Saved,
    StoredImage,
    split_tags,
)
from reader.types import Article


class SyncMixin(StoreBase):
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
                       "last_sync = excluded.last_sync", (server, cursor, self._seconds()))

    def remote_items(self, server: str, item_ids: Iterable[str]) -> dict[str, int]:
        """Which of these server items are stored: item id -> article id."""
        found: dict[str, int] = {}
        for chunk, marks in chunks(item_ids):
            for r in self._read(f"SELECT item_id, article_id FROM remote_items WHERE "
                                f"server = ? AND item_id IN ({marks})", (server, *chunk)):
                found[r[0]] = r[1]
        return found

    def save_remote_article(self, server: str, item_id: str, url: str, source_id: int | None,
                            bundle: tuple[Article, Sequence[StoredImage],
                                          Sequence[ImageData]] | None,
                            *, read: bool, saved: bool) -> tuple[int, Saved]:
        """Store a server's item with its read and saved state, atomically; bundle is None
        for an article already stored under that URL.

        An article already stored is mapped, not duplicated; its local read or favourite
        state is kept and queued when the server lacks it."""
        with self._write() as tx:
            known = fetch_one(tx, "SELECT a.id, a.is_read, f.article_id IS NOT NULL AS favourite "
                                  "FROM articles a LEFT JOIN favourites f "
                                  "ON f.article_id = a.id WHERE a.id = coalesce((SELECT id "
                                  "FROM articles WHERE url = ?), (SELECT article_id FROM "
                                  "article_urls WHERE url = ?))", (url, url))
            if bundle is None:
                if known is None:
                    raise NotFound(f"no article with URL {url}")
                article_id, outcome = known["id"], Saved.UNCHANGED
            else:
                article_id, outcome = write_article(tx, self.story_index, source_id, *bundle,
                                                    self.now(), url)
            tx.execute("INSERT INTO remote_items (server, item_id, article_id, server_read, "
                       "server_saved) VALUES (?, ?, ?, ?, ?) ON CONFLICT (server, item_id) DO "
                       "UPDATE SET article_id = excluded.article_id, server_read = "
                       "excluded.server_read, server_saved = excluded.server_saved",
                       (server, item_id, article_id, int(read), int(saved)))
            if read or not known:
                tx.execute("UPDATE articles SET is_read = ? WHERE id = ?", (int(read), article_id))
            elif known["is_read"]:
                queue_change(tx, article_id, "read", True, self._seconds())
            if saved:
                tx.execute("INSERT OR IGNORE INTO favourites (article_id, saved_at) VALUES (?, ?)",
                           (article_id, self._seconds()))
            elif known and known["favourite"]:
                queue_change(tx, article_id, "saved", True, self._seconds())
            return article_id, outcome

    def remote_states(self, server: str) -> list[RemoteState]:
        """Every stored item of a server: local state, the server's at the last sync, and any
        change still queued."""
        return [RemoteState(
            r["item_id"], r["article_id"], r["title"], bool(r["is_read"]), bool(r["saved"]),
            bool(r["server_read"]), bool(r["server_saved"]), _maybe(r["queued_read"]),
            _maybe(r["queued_saved"])) for r in self._read(
            "SELECT r.item_id, r.article_id, a.title, a.is_read, "
            "f.article_id IS NOT NULL AS saved, r.server_read, r.server_saved, "
            "qr.value AS queued_read, qs.value AS queued_saved "
            "FROM remote_items r "
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
        now = self._seconds()
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
                    queue_change(tx, article_id, "saved", True, now)
                else:
                    tx.execute("DELETE FROM favourites WHERE article_id = ?", (article_id,))
        return kept

    def forget_remote_items(self, server: str, item_ids: Iterable[str]) -> None:
        """Items the server no longer has: the mapping goes, the articles and their state
        stay, and a queued change no other server item takes is dropped."""
        with self._write() as tx:
            for chunk, marks in chunks(item_ids):
                tx.execute(f"DELETE FROM remote_items WHERE server = ? AND item_id IN ({marks})",
                           (server, *chunk))
            tx.execute("DELETE FROM sync_queue WHERE article_id NOT IN "
                       "(SELECT article_id FROM remote_items)")

    def remote_feeds(self, server: str) -> list[RemoteFeedState]:
        return [RemoteFeedState(r["feed_id"], r["source_id"], r["title"], r["folder"])
                for r in self._read("SELECT feed_id, source_id, title, folder FROM "
                                    "remote_feeds WHERE server = ?", (server,))]

    def record_remote_feeds(self, server: str, feeds: Sequence[RemoteFeedState]) -> None:
        """The server's subscriptions as they are after this sync."""
        with self._write() as tx:
            tx.executemany("INSERT OR REPLACE INTO remote_feeds VALUES (?, ?, ?, ?, ?)",
                           [(server, f.feed_id, f.source_id, f.title, f.folder)
                            for f in feeds])

    def forget_remote_feeds(self, server: str, feed_ids: Iterable[str]) -> None:
        with self._write() as tx:
            for chunk, marks in chunks(feed_ids):
                tx.execute(f"DELETE FROM remote_feeds WHERE server = ? AND feed_id IN ({marks})",
                           (server, *chunk))

    def remote_labels(self, server: str) -> list[RemoteLabels]:
        """The favourites among a server's items, with their tags and the server's labels."""
        return [RemoteLabels(r["item_id"], r["article_id"], frozenset(split_tags(r["tags"])),
                             frozenset(split_tags(r["server_tags"])))
                for r in self._read(
            "SELECT r.item_id, r.article_id, f.tags, r.server_tags FROM remote_items r "
            "JOIN favourites f ON f.article_id = r.article_id WHERE r.server = ?", (server,))]

    def apply_labels(self, server: str, merged: Sequence[tuple[str, int, frozenset[str]]]
                     ) -> None:
        """(item id, article id, tags) merged with the server: the favourite's tags here and
        the server's labels as last seen, in one transaction. Not queued: the labels are
        sent by the sync that merged them."""
        with self._write() as tx:
            for item_id, article_id, tags in merged:
                joined = ",".join(sorted(tags))
                tx.execute("UPDATE favourites SET tags = ? WHERE article_id = ?",
                           (joined, article_id))
                tx.execute("UPDATE remote_items SET server_tags = ? WHERE server = ? AND "
                           "item_id = ?", (joined, server, item_id))

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


QUEUE_SQL = "INSERT INTO sync_queue (article_id, field, value, queued_at)"


QUEUE_UPSERT = ("ON CONFLICT (article_id, field) DO UPDATE SET value = excluded.value, "
                 "queued_at = excluded.queued_at")


def queue_change(tx: sqlite3.Connection, article_id: int, field: str, value: bool, now: int
                 ) -> None:
    """Queue a change for the sync server, when a server knows this article; now: Unix
    seconds."""
    tx.execute(f"{QUEUE_SQL} SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM remote_items "
               f"WHERE article_id = ?) {QUEUE_UPSERT}",
               (article_id, field, int(value), now, article_id))


def _maybe(value: int | None) -> bool | None:
    return None if value is None else bool(value)
