"""The update pipeline: retrieve | parse | decide | store.

Retrieval (and the parsing that goes with it) runs in two thread pools: one for sources, one
for article pages and images, with the Fetcher keeping per-host politeness. Storing happens
only on the calling thread, one transaction per article, so a kill leaves whole articles.
A failing source or article is a result, never an abort.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from reader.errors import Cancelled, ReaderError, StorageError
from reader.fetch.http import Fetcher
from reader.services.fair_pool import HostFairPool
from reader.services.parse_pool import Inline, Parsing
from reader.services.plan import Options, decide, identity, source_options
from reader.services.retrieve import Bundle, Retriever
from reader.store.storage import Saved, SourceState, Store
from reader.types import Entry, Progress, RelatedLink, SourceResult
from reader.urls import normalise, same_site

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

# Bounds on what one article may cost (see also retrieve.MAX_ARTICLE_CHARS): of its related
# block, the first RELATED_PER_ARTICLE same-site links, and MAX_RELATED_PREFETCH a source run,
# are fetched.
RELATED_PER_ARTICLE = 10
MAX_RELATED_PREFETCH = 30


@dataclass(slots=True)
class _Outcome:
    """How a source job ended, sent back to the calling thread."""

    title: str
    etag: str | None = None
    last_modified: str | None = None
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    error: str = ""
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class _Planned:
    """More articles to come for a source (its entries to fetch, then related pages)."""

    source_id: int
    count: int


@dataclass(frozen=True, slots=True)
class _Retrieved:
    source_id: int
    bundle: Bundle | None  # None: the article failed, as the source job has recorded


@dataclass(frozen=True, slots=True)
class _Listed:
    """Stored articles a source lists (stored before, by it or another source)."""

    source_id: int
    article_ids: list[int]


@dataclass(frozen=True, slots=True)
class _Done:
    source_id: int
    outcome: _Outcome


Events = queue.Queue["_Planned | _Listed | _Retrieved | _Done"]


class Updater(Retriever):
    """now: the clock that stamps fetched articles, the store's own when not given; parsing:
    where pages, feeds and story keys are read (reader.services.parse_pool; default inline)."""

    def __init__(self, store: Store, fetcher: Fetcher, options: Options, *,
                 now: Callable[[], datetime] | None = None, parsing: Parsing | None = None
                 ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.options = options
        self.now = now or store.now
        self.parsing = parsing or Inline()

    def for_source(self, state: SourceState) -> Updater:
        """An updater that fetches and parses with this source's own settings."""
        return Updater(self.store, self.fetcher, source_options(self.options, state.settings),
                       now=self.now, parsing=self.parsing)

    # the pipeline (calling thread)

    def update(self, source_ids: Iterable[int], *,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None) -> list[SourceResult]:
        states = [self.store.source_state(i) for i in source_ids]
        cancel = cancel or threading.Event()
        # Bounded: a source thread waits while the store catches up, rather than queueing
        # finished articles in memory.
        events: Events = queue.Queue(maxsize=4)
        run = _Run(states, progress)
        with ThreadPoolExecutor(self.options.source_workers, "reader-source") as sources, \
                ThreadPoolExecutor(self.options.page_workers, "reader-page") as workers:
            pages = HostFairPool(workers, self.options.jobs_per_host)
            for state in states:
                sources.submit(self._source_job, state, pages, events, cancel)
            finished = 0
            while finished < len(states):
                match events.get():
                    case _Planned(count=count):
                        run.planned(count)
                    case _Listed(source_id, article_ids):
                        self._list(run, source_id, article_ids)
                    case _Retrieved(source_id, bundle):
                        self._store(run, source_id, bundle)
                    case _Done(source_id, outcome):
                        self._finish(run, source_id, outcome)
                        finished += 1
        return [run.results[s.id] for s in states]

    def _source_job(self, state: SourceState, pages: HostFairPool,
                    events: Events,
                    cancel: threading.Event) -> None:
        outcome = _Outcome(state.title)
        try:
            updater = self.for_source(state)
            parsed, outcome.etag, outcome.last_modified = updater.retrieve_source(state)
            if parsed is None:
                outcome.not_modified = True
                return
            outcome.title = parsed.title or state.title
            # An item known by its link alone is known by the link normalised.
            entries = [replace(e, url=normalise(e.url),
                               key=normalise(e.key) if e.key == e.url else e.key)
                       for e in parsed.entries]
            known = self.store.known_items(state.id, [(identity(e), e.url) for e in entries])
            todo, outcome.unchanged = decide(entries, known)
            # Stored already (by another source too): this source lists them all the same.
            events.put(_Listed(state.id, [known[identity(e)][2] for e in entries
                                          if identity(e) in known]))
            events.put(_Planned(state.id, len(todo)))
            related: dict[str, RelatedLink] = {}
            for entry, links in updater._delivered(todo, state, pages, events, cancel):
                if isinstance(links, Exception):  # one article's error, whatever it is
                    outcome.failures.append(f"{entry.url}: {_reason(links, entry.url)}")
                    events.put(_Retrieved(state.id, None))
                    continue
                for link in links:
                    if same_site(link.url, state.fetch_url):
                        related.setdefault(link.url, link)
            if updater.options.prefetch_related and not cancel.is_set():
                for entry in todo:
                    related.pop(entry.url, None)
                updater._prefetch_related(state, related, pages, events, cancel)
        except ReaderError as e:
            outcome.error = str(e)
        except Exception as e:  # a bug must not take the other sources down
            log.exception("update of %s failed", state.url)
            outcome.error = f"internal error: {e!r}"
        finally:
            events.put(_Done(state.id, outcome))

    def _article_job(self, entry: Entry, state: SourceState,
                     cancel: threading.Event) -> Bundle:
        if cancel.is_set():
            raise Cancelled("cancelled")
        return self.retrieve_article(entry, state.file_root, state.fetch_url)

    def _deliver(self, entry: Entry, state: SourceState, events: Events,
                 cancel: threading.Event) -> tuple[RelatedLink, ...]:
        """Retrieve one article in a page worker and hand it to the store through the bounded
        event queue; only its first related links come back. The worker waits while the store
        catches up, so finished articles never pile up: an update's memory does not grow with
        its length (ten 7 MB pages an article held 140 MB each until the source ended)."""
        bundle = self._article_job(entry, state, cancel)
        events.put(_Retrieved(state.id, bundle))
        return bundle.article.related[:RELATED_PER_ARTICLE]

    def _delivered(self, entries: Sequence[Entry], state: SourceState, pages: HostFairPool,
                   events: Events, cancel: threading.Event
                   ) -> Iterator[tuple[Entry, tuple[RelatedLink, ...] | Exception]]:
        """Each entry's related links once it is delivered, or its error, in order."""
        futures = [(e, pages.submit(e.url, self._deliver, e, state, events, cancel))
                   for e in entries]
        for entry, future in futures:
            try:
                yield entry, future.result()
            except Exception as e:
                yield entry, e

    def _prefetch_related(self, state: SourceState, links: dict[str, RelatedLink],
                          pages: HostFairPool, events: Events,
                          cancel: threading.Event) -> None:
        """Fetch the same-site pages that new articles' related blocks point to, at most
        MAX_RELATED_PREFETCH of them a run: a block listing 3,000 links costs 30 requests."""
        for url in self.store.known(links):
            links.pop(url)
        todo = [Entry(url=r.url, title=r.title, published=r.published)
                for r in list(links.values())[:MAX_RELATED_PREFETCH]]
        if not todo:
            return
        events.put(_Planned(state.id, len(todo)))
        for entry, done in self._delivered(todo, state, pages, events, cancel):
            if isinstance(done, Exception):  # optional: logged, not a failure
                log.info("related page %s skipped: %s", entry.url, _reason(done, entry.url))
                events.put(_Retrieved(state.id, None))

    def _list(self, run: _Run, source_id: int, article_ids: list[int]) -> None:
        try:
            self.store.list_articles(source_id, article_ids)
        except StorageError as e:
            run.storage_error(source_id, str(e))

    def _store(self, run: _Run, source_id: int, payload: Bundle | None) -> None:
        if payload is not None:
            try:
                _, outcome = self.store.save_article(source_id, payload.article, payload.images,
                                                     payload.blobs, fetched_at=self.now(),
                                                     item_key=payload.item_key,
                                                     listed_as=payload.listed_as,
                                                     keys=payload.keys)
                run.count(source_id, outcome)
                if payload.article.page_error and outcome in (Saved.NEW, Saved.UPDATED):
                    run.unfetched(source_id, f"{payload.article.url}: "
                                             f"{payload.article.page_error}")
            except StorageError as e:
                run.storage_error(source_id, str(e))
            except Exception as e:  # this article's error, not the run's
                url = payload.article.url
                run.article_failed(source_id, f"{url}: {_reason(e, url)}")
        run.step(source_id)

    def _finish(self, run: _Run, source_id: int, outcome: _Outcome) -> None:
        error = outcome.error or run.errors.get(source_id, "")
        result = run.result(source_id, outcome, error)
        try:
            self.store.finish_update(
                source_id, title=outcome.title, etag=outcome.etag,
                last_modified=outcome.last_modified,
                counts=(result.new, result.updated, result.unchanged, result.failed),
                error=error)
        except StorageError as e:
            log.error("could not record the update of source %s: %s", source_id, e)
        run.step(source_id, result)

    def fetch_one(self, url: str, source_id: int | None, file_root: str | None) -> int:
        bundle = self.retrieve_article(Entry(url=normalise(url)), file_root)
        article_id, _ = self.store.save_article(source_id, bundle.article, bundle.images,
                                                bundle.blobs, fetched_at=self.now(),
                                                listed_as=bundle.listed_as, keys=bundle.keys)
        return article_id


def _reason(error: Exception, url: str) -> str:
    """An article's error as the user reads it; a bug's traceback goes to the log."""
    if isinstance(error, ReaderError):
        return str(error)
    log.error("article %s failed", url, exc_info=error)
    return f"internal error: {error!r}"[:300]


class _Run:
    """Counts and progress of one update, touched only by the calling thread."""

    def __init__(self, states: Sequence[SourceState],
                 progress: Callable[[Progress], None] | None) -> None:
        self.titles = {s.id: s.title or s.url for s in states}
        self.counts: dict[int, Counter[Saved]] = {s.id: Counter() for s in states}
        self.errors: dict[int, str] = {}
        self.failures: dict[int, list[str]] = {}  # articles retrieved but not stored
        self.summaries: dict[int, list[str]] = {}  # stored from the feed: page out of reach
        self.results: dict[int, SourceResult] = {}
        self.total = len(states)
        self.done = 0
        self.progress = progress

    def planned(self, n: int) -> None:
        self.total += n

    def count(self, source_id: int, outcome: Saved) -> None:
        # A favourite kept as it was (FROZEN) counts as unchanged.
        self.counts[source_id][outcome if outcome != Saved.FROZEN else Saved.UNCHANGED] += 1

    def storage_error(self, source_id: int, message: str) -> None:
        self.errors[source_id] = message

    def article_failed(self, source_id: int, reason: str) -> None:
        self.failures.setdefault(source_id, []).append(reason)

    def unfetched(self, source_id: int, reason: str) -> None:
        self.summaries.setdefault(source_id, []).append(reason)

    def step(self, source_id: int, finished: SourceResult | None = None) -> None:
        self.done += 1
        if self.progress:
            self.progress(Progress(self.done, self.total, self.titles[source_id],
                                   finished=finished))

    def result(self, source_id: int, outcome: _Outcome, error: str) -> SourceResult:
        counts = self.counts[source_id]
        failures = (*outcome.failures, *self.failures.get(source_id, ()))
        result = SourceResult(
            source_id=source_id, title=outcome.title or self.titles[source_id],
            new=counts[Saved.NEW], updated=counts[Saved.UPDATED],
            unchanged=counts[Saved.UNCHANGED] + outcome.unchanged, failed=len(failures),
            error=error, errors=failures, not_modified=outcome.not_modified,
            unfetched=tuple(self.summaries.get(source_id, ())))
        self.results[source_id] = result
        return result
