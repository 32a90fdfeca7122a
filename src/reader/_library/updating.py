"""Keeping the library current: updating sources that are due, fetching one page on demand,
and the retention policy an update applies after it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from reader._library.base import LibraryBase
from reader.types import Progress, SourceResult

log = logging.getLogger(__name__)


class UpdatingMixin(LibraryBase):
    def update(self, *, source_id: int | None = None, force: bool = False,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None, parse_processes: int = 0
               ) -> list[SourceResult]:
        """Update one source, or every source whose own update interval has passed (all of
        them with force); a source left out for its interval has no result.
        parse_processes: read pages and feeds in this many worker processes, not in the
        update's threads (the window: its GUI thread would wait for the GIL meanwhile)."""
        self.store.check_writable()
        from reader.services.plan import due

        if source_id is not None:
            self.store.source_state(source_id)  # NotFound before any work
            ids = [source_id]
        else:
            now = self.now().timestamp()
            ids = [i for i in self.store.source_ids()
                   if force or due(self.store.source_state(i), now)]
        from reader.services.parse_pool import parsing

        with self._update_lock:  # two updates at once would only fetch everything twice
            parsers = parsing(parse_processes)
            try:
                results = self._updater(parsers).update(ids, progress=progress, cancel=cancel)
            finally:
                parsers.close()
        settings = self.settings()
        if settings.keep_days or settings.keep_per_source:
            removed = self.clean()
            log.info("retention removed %d articles", removed)
        return results

    def fetch_article(self, url: str) -> int:
        """Fetch, extract and store one page (a related link not yet cached); returns its id."""
        self.store.check_writable()
        known = self.store.article_id(url)
        if known is not None:
            return known
        source_id = self.store.referrer_source(url)
        if source_id is None:
            return self._updater().fetch_one(url, None, None)
        state = self.store.source_state(source_id)  # the page is read as its source's are
        return self._updater().for_source(state).fetch_one(url, source_id, state.file_root)

    def clean(self, *, days: int | None = None, keep: int | None = None) -> int:
        """Apply the retention policy; returns how many articles went. Favourites and the
        articles their related blocks link to always stay. `days` and `keep` default to
        the keep_days and keep_per_source settings; 0 means no limit."""
        settings = self.settings()
        days = settings.keep_days if days is None else days
        keep = settings.keep_per_source if keep is None else keep
        before = int(self.now().timestamp()) - days * 86400 if days else None
        return self.store.remove_old(before=before, keep=keep or None)
