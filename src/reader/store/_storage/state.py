"""Reading state, favourites and tags. A change to an article a sync server knows is queued
in the same transaction, so it is never made without being sent later."""

from __future__ import annotations

from collections.abc import Sequence

from reader.errors import NotFound
from reader.store._storage.base import StoreBase
from reader.store._storage.records import split_tags
from reader.store._storage.sync import QUEUE_SQL, QUEUE_UPSERT, queue_change


class StateMixin(StoreBase):
    # reading state and favourites

    # Changes to an article a sync server knows are queued in the same transaction, so a
    # change is never made without being sent later (see reader.services.sync).

    def set_read(self, article_id: int, read: bool) -> None:
        with self._write() as tx:
            if not tx.execute("UPDATE articles SET is_read = ? WHERE id = ?",
                              (int(read), article_id)).rowcount:
                raise NotFound(f"no article with id {article_id}")
            queue_change(tx, article_id, "read", read, self._seconds())

    def mark_all_read(self, source_id: int | None) -> int:
        where = "is_read = 0" + ("" if source_id is None else
                                 " AND id IN (SELECT article_id FROM listings WHERE source_id = ?)")
        params = () if source_id is None else (source_id,)
        with self._write() as tx:
            tx.execute(f"{QUEUE_SQL} SELECT DISTINCT r.article_id, 'read', 1, ? FROM "
                       f"remote_items r WHERE r.article_id IN (SELECT id FROM articles WHERE "
                       f"{where}) {QUEUE_UPSERT}", (self._seconds(), *params))
            return tx.execute(f"UPDATE articles SET is_read = 1 WHERE {where}", params).rowcount

    def set_favourite(self, article_id: int, favourite: bool) -> None:
        with self._write() as tx:
            if not tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFound(f"no article with id {article_id}")
            if favourite:
                tx.execute("INSERT OR IGNORE INTO favourites (article_id, saved_at) VALUES (?, ?)",
                           (article_id, self._seconds()))
            else:
                tx.execute("DELETE FROM favourites WHERE article_id = ?", (article_id,))
            queue_change(tx, article_id, "saved", favourite, self._seconds())

    def set_tags(self, article_id: int, tags: Sequence[str]) -> None:
        """Replace a favourite's tags; tagging an article saves it as a favourite."""
        with self._write() as tx:
            if not tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFound(f"no article with id {article_id}")
            tx.execute("INSERT INTO favourites (article_id, saved_at, tags) VALUES (?, ?, ?) "
                       "ON CONFLICT(article_id) DO UPDATE SET tags = excluded.tags",
                       (article_id, self._seconds(), ",".join(tags)))
            queue_change(tx, article_id, "saved", True, self._seconds())

    def tags(self) -> dict[str, int]:
        """Every tag in use with how many favourites carry it, by name."""
        counts: dict[str, int] = {}
        for r in self._read("SELECT tags FROM favourites WHERE tags != ''"):
            for tag in split_tags(r[0]):
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: item[0].casefold()))
