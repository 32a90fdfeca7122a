"""Sync with a feed server: pull | reconcile | push, over any SyncBackend.

Pull: the server's feeds become subscriptions (an existing one with the same URL is reused),
its new items become articles, each page fetched and extracted by Reader itself with its
images, so synced articles read offline like any other (the server's copy is kept when the
page cannot be fetched). Reconcile: what changed on the server since the last sync is taken
over, except where a local change is queued. Push: the queue is sent, and a change leaves the
queue only when the server's lists, read again after sending, show it kept. Last writer wins:
a queued local change beats the server's, and an item changed on both sides since the last
sync is reported as a conflict.

The server is believed only where it names an item: its unread and saved id lists say "read"
and "not saved" by leaving an id out, which is also what a broken server or an unsubscribed
feed does. So every item that would become read or lose its star is first asked for by id;
an item the server no longer has is forgotten and its local state left alone, and a reply in
which every known item is gone at once stops the sync before anything changes. A favourite
carrying local tags is never removed by the server (its tags are the user's own work): it is
kept, reported, and its star sent back. An article that the server lists as several items (a
reposted URL) follows whichever item changed, and changes are sent to all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reader.errors import ReaderError
from reader.services.retrieve import Bundle
from reader.services.update import Updater
from reader.store.storage import NewSource, RemoteFeedState, RemoteState, Store
from reader.sync import (
    Implausible,
    LoginRefused,
    ManagesSubscriptions,
    Mark,
    RemoteFeed,
    RemoteItem,
    SyncBackend,
    SyncError,
    SyncResult,
)
from reader.types import Article, Entry, Progress, Source
from reader.urls import is_web_url

log = logging.getLogger(__name__)

MAX_ITEMS = 10_000  # per sync: a server that keeps sending newer items cannot hold the lock


@dataclass(slots=True)
class _Tally:
    feeds: int = 0
    items: int = 0
    seen: int = 0  # server items read, stored or not
    skipped: int = 0
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


def _left_out(state: RemoteState, unread: set[str], saved: set[str]) -> bool:
    """The server's lists say the item is read now, or no longer saved, only by leaving its
    id out."""
    return ((state.item_id not in unread and not state.server_read)
            or (state.item_id not in saved and state.server_saved))


def _server_state(item_id: str, named: dict[str, RemoteItem], unread: set[str],
                  saved: set[str]) -> tuple[bool, bool]:
    """(read, saved) on the server: as it holds the item when asked by id, else its lists."""
    if item_id in named:
        return named[item_id].is_read, named[item_id].is_saved
    return item_id not in unread, item_id in saved


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
            if isinstance(self.backend, ManagesSubscriptions):
                self._sync_labels(self.backend)
        except LoginRefused as e:
            error = f"{e}; sign in again with `reader sync-login ENDPOINT EMAIL`"
        except ReaderError as e:  # an unreachable server is a result: the queue waits
            error = str(e)
            log.info("sync with %s stopped: %s", self.server, e)
        pending = {(a, f) for a, _, f, _ in self.store.queued_changes(self.server)}
        return SyncResult(feeds=tally.feeds, items=tally.items, pushed=tally.pushed,
                          pending=len(pending), skipped=tally.skipped,
                          conflicts=tally.conflicts, error=error)

    def _report(self, progress: Callable[[Progress], None] | None, done: int, total: int,
                message: str) -> None:
        if progress:
            progress(Progress(done, total, self.server, message))

    def _pull_feeds(self, tally: _Tally) -> dict[str, int]:
        """Bring the subscription lists in step; returns feed id -> source id.

        Each side's change since the last sync is told from the other's by what the server
        said then (remote_feeds): a feed new on the server is subscribed here; a feed gone
        from the server or removed here is forgotten (over the Google Reader API, removed
        there too); a rename or a move on the server is taken over, a move made here is
        sent. Over the Google Reader API a feed subscribed here goes to the server."""
        feeds = self.backend.feeds()
        before = {f.feed_id: f for f in self.store.remote_feeds(self.server)}
        if len(before) > 1 and not {f.id for f in feeds} & before.keys():
            raise Implausible(f"the server lists none of the {len(before)} subscriptions it "
                              "had at the last sync")
        manager = self.backend if isinstance(self.backend, ManagesSubscriptions) else None
        feeds = self._forget_removed(feeds, before, manager)
        known = self.store.source_ids_by_url(f.url for f in feeds)
        tally.feeds = len(self.store.add_sources(
            [NewSource(f.url, "feed", f.title or f.url, f.folder)
             for f in feeds if f.url not in known]))
        ids = self.store.source_ids_by_url(f.url for f in feeds)
        sources = {s.id: s for s in self.store.sources()}
        now = [RemoteFeedState(f.id, source.id, *self._settle(f, before.get(f.id), source,
                                                              manager))
               for f in feeds if (source := sources.get(ids.get(f.url, -1))) is not None]
        if manager is not None:
            now += self._send_new_sources(manager, sources.values(),
                                          {f.source_id for f in now})
        self.store.record_remote_feeds(self.server, now)
        return {f.feed_id: f.source_id for f in now if f.source_id is not None}

    def _forget_removed(self, feeds: list[RemoteFeed], before: dict[str, RemoteFeedState],
                        manager: ManagesSubscriptions | None) -> list[RemoteFeed]:
        """Forget feeds gone from the server and feeds removed here since the last sync;
        the latter are unsubscribed where the server can take it (else they come back).
        Returns the server's feeds still to keep in step."""
        sources = {s.id for s in self.store.sources()}
        removed_here = {f.id for f in feeds
                        if f.id in before and before[f.id].source_id not in sources}
        if manager is not None:
            for feed_id in removed_here:
                manager.unsubscribe(feed_id)
        listed = {f.id for f in feeds}
        self.store.forget_remote_feeds(
            self.server, [*(i for i in before if i not in listed), *removed_here])
        return [f for f in feeds if manager is None or f.id not in removed_here]

    def _settle(self, feed: RemoteFeed, before: RemoteFeedState | None, source: Source,
                manager: ManagesSubscriptions | None) -> tuple[str, str]:
        """The title and folder both sides agree on after this sync."""
        if before is None:
            return feed.title, feed.folder
        if feed.title and feed.title != before.title:
            self.store.set_source_title(source.id, feed.title)  # renamed on the server
        folder = feed.folder
        if feed.folder != before.folder:
            self.store.set_folder(source.id, feed.folder)  # moved on the server
        elif source.folder != before.folder and manager is not None:
            manager.move(feed.id, feed.folder, source.folder)
            folder = source.folder
        return feed.title or before.title, folder

    @staticmethod
    def _send_new_sources(backend: ManagesSubscriptions, sources: Iterable[Source],
                          mapped: set[int | None]) -> list[RemoteFeedState]:
        sent = []
        for source in sources:
            url = source.fetch_url or source.url
            if source.id in mapped or source.kind != "feed" or not is_web_url(url):
                continue
            feed_id = backend.subscribe(url, source.folder)
            sent.append(RemoteFeedState(feed_id, source.id, source.title, source.folder))
        return sent

    def _pull_items(self, sources: dict[str, int], tally: _Tally,
                    progress: Callable[[Progress], None] | None) -> None:
        cursor = self.store.sync_cursor(self.server)
        workers = self.updater.options.page_workers
        updaters: dict[int, Updater] = {}
        with ThreadPoolExecutor(workers, "reader-sync") as pages:
            while True:
                batch, after = self.backend.items(cursor)
                tally.seen += len(batch)
                tally.skipped += sum(not i.url for i in batch)
                mapped = self.store.remote_items(self.server, [i.id for i in batch])
                todo = [i for i in batch if i.url and i.id not in mapped]
                stored = self.store.known(i.url for i in todo)
                new = [i for i in todo if i.url not in stored]
                fetched = pages.map(self._retrieve, new, [
                    self._updater_for(sources.get(i.feed_id), updaters) for i in new])
                bundles = {b.listed_as or b.article.url: b for b in fetched}
                for n, item in enumerate(todo):
                    self._report(progress, tally.items + n, tally.items + len(todo), item.title)
                    bundle = bundles.get(item.url)
                    self.store.save_remote_article(
                        self.server, item.id, item.url, sources.get(item.feed_id),
                        (bundle.article, bundle.images, bundle.blobs) if bundle else None,
                        read=item.is_read, saved=item.is_saved)
                tally.items += len(bundles)  # new articles; the others were stored already
                if after == cursor:
                    return
                self.store.set_sync_cursor(self.server, after)  # a later failure resumes here
                cursor = after
                if tally.seen >= MAX_ITEMS:
                    log.info("sync: %s has more than %d new items; the rest comes next time",
                             self.server, MAX_ITEMS)
                    return

    def _updater_for(self, source_id: int | None, made: dict[int, Updater]) -> Updater:
        """An item's page is read as its source's own are (charset, user agent, rule)."""
        if source_id is None:
            return self.updater
        if source_id not in made:
            made[source_id] = self.updater.for_source(self.store.source_state(source_id))
        return made[source_id]

    def _retrieve(self, item: RemoteItem, updater: Updater) -> Bundle:
        entry = Entry(url=item.url, title=item.title, published=item.published,
                      summary_html=item.html, author=item.author)
        try:
            bundle = updater.retrieve_article(entry, None)
        except ReaderError as e:  # no page and no copy on the server: keep the title
            log.info("sync: %s kept as a title only: %s", item.url, e)
            bundle = Bundle(Article(url=item.url, title=item.title or item.url,
                                    published=item.published, author=item.author))
        # The bundle is found again by the entry's URL (listed_as when stored under another).
        return bundle

    def _reconcile(self, tally: _Tally) -> None:
        unread, saved = self.backend.unread_ids(), self.backend.saved_ids()
        states = self.store.remote_states(self.server)
        named, gone = self._ask_doubtful(states, unread, saved)
        now = {s.item_id: _server_state(s.item_id, named, unread, saved)
               for s in states if s.item_id not in gone}
        found = conflicts([s for s in states if s.item_id in now],
                          unread={i for i, (read, _) in now.items() if not read},
                          saved={i for i, (_, is_saved) in now.items() if is_saved})
        kept = self.store.apply_server_states(
            self.server, [(item_id, read, is_saved) for item_id, (read, is_saved) in now.items()])
        tally.conflicts = (*found, *(f"{title}: tagged here, kept as a favourite though not "
                                     "saved on the server" for title in kept))
        if gone:
            log.info("sync: %s no longer has %d items; their local state is kept",
                     self.server, len(gone))
            self.store.forget_remote_items(self.server, gone)

    def _ask_doubtful(self, states: list[RemoteState], unread: set[str], saved: set[str]
                      ) -> tuple[dict[str, RemoteItem], set[str]]:
        """The items the lists call read, or no longer saved, only by leaving their ids out,
        asked for by id: those the server still has, and the ids of those it no longer has.
        Every known item gone at once is a broken server: Implausible."""
        doubtful = [s.item_id for s in states if _left_out(s, unread, saved)]
        named = {i.id: i for i in self.backend.items_by_id(doubtful)} if doubtful else {}
        gone = {i for i in doubtful if i not in named}
        if len(states) > 1 and len(gone) == len(states):
            raise Implausible(f"every one of the {len(states)} items known here is gone "
                              "from the server at once")
        return named, gone

    def _sync_labels(self, backend: ManagesSubscriptions) -> None:
        """Favourites' tags and the server's labels, merged tag by tag: what either side
        added since the last sync is added, what either side removed is removed."""
        favourites = self.store.remote_labels(self.server)
        if not favourites:
            return
        folders = {s.folder for s in self.store.sources() if s.folder}
        now = backend.labels([f.item_id for f in favourites], folders)
        merged: list[tuple[str, int, frozenset[str]]] = []
        add: dict[str, list[str]] = {}
        remove: dict[str, list[str]] = {}
        for f in favourites:
            there = now.get(f.item_id)
            if there is None:
                continue  # gone from the server: the tags stay as they are
            tags = frozenset(t for t in f.tags | there
                             if t not in f.server_tags or (t in f.tags and t in there))
            for t in tags - there:
                add.setdefault(t, []).append(f.item_id)
            for t in there - tags:
                remove.setdefault(t, []).append(f.item_id)
            if tags != f.tags or tags != f.server_tags:
                merged.append((f.item_id, f.article_id, tags))
        for label, ids in add.items():
            backend.label(ids, label, True)
        for label, ids in remove.items():
            backend.label(ids, label, False)
        self.store.apply_labels(self.server, merged)

    def _push(self, tally: _Tally, progress: Callable[[Progress], None] | None) -> None:
        changes: Sequence[tuple[int, str, str, bool]] = self.store.queued_changes(self.server)
        if not changes:
            return
        items: dict[tuple[int, str, bool], list[str]] = {}
        by_mark: dict[Mark, list[str]] = {}
        for article_id, item_id, field, value in changes:
            items.setdefault((article_id, field, value), []).append(item_id)
            by_mark.setdefault(mark_for(field, value), []).append(item_id)
        gone: set[str] = set()
        for n, (mark, ids) in enumerate(by_mark.items()):
            self._report(progress, n, len(by_mark), "sending changes")
            gone |= self.backend.mark_many(ids, mark)
        if gone:
            self.store.forget_remote_items(self.server, gone)
        # A yes is not proof: the change leaves the queue when the server's lists show it.
        unread, saved = self.backend.unread_ids(), self.backend.saved_ids()
        unkept = 0
        for (article_id, field, value), ids in items.items():
            live = [i for i in ids if i not in gone]
            if all(((i not in unread) if field == "read" else (i in saved)) == value
                   for i in live):
                self.store.change_sent(self.server, article_id, field, value)
                tally.pushed += 1
            else:
                unkept += 1
        if unkept:
            raise SyncError(f"{unkept} changes were accepted but not kept by the server; they "
                            "stay queued and are sent again at the next sync")
