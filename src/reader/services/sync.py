"""Sync with a feed server: pull | reconcile | push, over any SyncBackend.

Pull: the server's feeds become subscriptions (an existing one with the same URL is reused),
its new items become articles, each page fetched and extracted by Reader itself with its
images, so synced articles read offline like any other (the server's copy is kept when the
page cannot be fetched). Reconcile: the server's read and saved state is taken over, except
where a local change is queued. Push: the queue is sent; whatever the server did not get stays
queued for the next sync. Last writer wins: a queued local change beats the server's, and an
item changed on both sides since the last sync is reported as a conflict.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reader.errors import NotFound, ReaderError
from reader.services.update import Bundle, Updater
from reader.store.storage import NewSource, RemoteState, Store
from reader.sync import Mark, RemoteItem, SyncBackend, SyncResult
from reader.types import Article, Entry, Progress

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Tally:
    feeds: int = 0
    items: int = 0
    pushed: int = 0
    conflicts: tuple[str, ...] = ()


def conflicts(states: Iterable[RemoteState], unread: set[str], saved: set[str]) -> list[str]:
    """Items whose state changed on the server since the last sync while a different local
    change waits to be sent, as "title: what here, what there"."""
    found = []
    for s in states:
        read_now, saved_now = s.item_id not in unread, s.item_id in saved
        if s.queued_read is not None and read_now != s.server_read and read_now != s.queued_read:
            found.append(f"{s.title}: {'read' if s.queued_read else 'unread'} here, "
                         f"{'read' if read_now else 'unread'} on the server")
        if s.queued_saved is not None and saved_now != s.server_saved \
                and saved_now != s.queued_saved:
            found.append(f"{s.title}: {'saved' if s.queued_saved else 'not saved'} here, "
                         f"{'saved' if saved_now else 'not saved'} on the server")
    return found


def mark_for(field: str, value: bool) -> Mark:
    if field == "read":
        return "read" if value else "unread"
    return "saved" if value else "unsaved"


class Syncer:
    def __init__(self, store: Store, updater: Updater, backend: SyncBackend) -> None:
        self.store = store
        self.updater = updater
        self.backend = backend
        self.server = backend.server

    def sync(self, progress: Callable[[Progress], None] | None = None) -> SyncResult:
        tally = _Tally()
        error = ""
        try:
            self._report(progress, 0, 1, "subscriptions")
            sources = self._pull_feeds(tally)
            self._pull_items(sources, tally, progress)
            self._reconcile(tally)
            self._push(tally, progress)
        except ReaderError as e:  # an unreachable server is a result: the queue waits
            error = str(e)
            log.warning("sync with %s stopped: %s", self.server, e)
        return SyncResult(feeds=tally.feeds, items=tally.items, pushed=tally.pushed,
                          pending=len(self.store.queued_changes(self.server)),
                          conflicts=tally.conflicts, error=error)

    def _report(self, progress: Callable[[Progress], None] | None, done: int, total: int,
                message: str) -> None:
        if progress:
            progress(Progress(done, total, self.server, message))

    def _pull_feeds(self, tally: _Tally) -> dict[str, int]:
        """Subscribe to the server's feeds; returns feed id -> source id."""
        feeds = self.backend.feeds()
        known = self.store.source_ids_by_url(f.url for f in feeds)
        tally.feeds = len(self.store.add_sources(
            [NewSource(f.url, "feed", f.title or f.url, f.folder)
             for f in feeds if f.url not in known]))
        ids = self.store.source_ids_by_url(f.url for f in feeds)
        return {f.id: ids[f.url] for f in feeds if f.url in ids}

    def _pull_items(self, sources: dict[str, int], tally: _Tally,
                    progress: Callable[[Progress], None] | None) -> None:
        cursor = self.store.sync_cursor(self.server)
        workers = self.updater.options.page_workers
        with ThreadPoolExecutor(workers, "reader-sync") as pages:
            while True:
                batch, after = self.backend.items(cursor)
                mapped = self.store.remote_items(self.server, [i.id for i in batch])
                todo = [i for i in batch if i.id not in mapped]
                stored = self.store.known(i.url for i in todo)
                fetched = pages.map(self._retrieve, [i for i in todo if i.url not in stored])
                bundles = {b.article.url: b for b in fetched}
                for n, item in enumerate(todo):
                    self._report(progress, tally.items + n, tally.items + len(todo), item.title)
                    bundle = bundles.get(item.url)
                    self.store.save_remote_article(
                        self.server, item.id, item.url, sources.get(item.feed_id),
                        (bundle.article, bundle.images, bundle.blobs) if bundle else None,
                        read=item.is_read, saved=item.is_saved)
                tally.items += len(todo)
                if after == cursor:
                    return
                self.store.set_sync_cursor(self.server, after)  # a later failure resumes here
                cursor = after

    def _retrieve(self, item: RemoteItem) -> Bundle:
        entry = Entry(url=item.url, title=item.title, published=item.published,
                      summary_html=item.html, author=item.author)
        try:
            bundle = self.updater.retrieve_article(entry, None)
        except ReaderError as e:  # no page and no copy on the server: keep the title
            log.info("sync: %s kept as a title only: %s", item.url, e)
            bundle = Bundle(Article(url=item.url, title=item.title or item.url,
                                    published=item.published, author=item.author))
        # retrieve_article keeps the entry's URL, so the bundle is found by it again.
        return bundle

    def _reconcile(self, tally: _Tally) -> None:
        unread, saved = self.backend.unread_ids(), self.backend.saved_ids()
        states = self.store.remote_states(self.server)
        tally.conflicts = tuple(conflicts(states, unread, saved))
        self.store.apply_server_states(self.server, [
            (s.item_id, s.item_id not in unread, s.item_id in saved) for s in states])

    def _push(self, tally: _Tally, progress: Callable[[Progress], None] | None) -> None:
        changes: Sequence[tuple[int, str, str, bool]] = self.store.queued_changes(self.server)
        for n, (article_id, item_id, field, value) in enumerate(changes):
            self._report(progress, n, len(changes), "sending changes")
            try:
                self.backend.mark(item_id, mark_for(field, value))
            except NotFound:
                log.info("sync: %s no longer has item %s; change dropped", self.server, item_id)
            self.store.change_sent(self.server, article_id, field, value)
            tally.pushed += 1
