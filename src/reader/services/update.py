"""The update pipeline: retrieve | parse | decide | store.

Retrieval (and the parsing that goes with it) runs in two thread pools: one for sources, one
for article pages and images, with the Fetcher keeping per-host politeness. Storing happens
only on the calling thread, one transaction per article, so a kill leaves whole articles.
A failing source or article is a result, never an abort.
"""

from __future__ import annotations

import html
import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader import config
from reader import images as image_info
from reader.errors import FetchError, ParseError, ReaderError, StorageError
from reader.fetch.http import Fetcher, Response
from reader.parse.article import extract
from reader.parse.feed import summary_article
from reader.parse.listing import parse_source
from reader.parse.sanitize import MAX_IMAGES, html_text, sanitize
from reader.parse.sites.rules import Rule, apply_article, apply_listing
from reader.services.fair_pool import HostFairPool
from reader.store.storage import ImageData, Saved, SourceState, Store, StoredImage
from reader.text import headline
from reader.types import Article, Entry, ParsedSource, Progress, RelatedLink, SourceResult
from reader.urls import canonical, document_type, normalise, same_site

if TYPE_CHECKING:
    from reader.store.stories import Keys

log = logging.getLogger(__name__)

# Bounds on what one article may cost. Its pages are joined only up to MAX_ARTICLE_CHARS of
# html and text (ten 7 MB pages made 140 MB articles); of its related block, the first
# RELATED_PER_ARTICLE same-site links, and MAX_RELATED_PREFETCH a source run, are fetched.
MAX_ARTICLE_CHARS = 4_000_000
RELATED_PER_ARTICLE = 10
MAX_RELATED_PREFETCH = 30


@dataclass(frozen=True, slots=True)
class Options:
    download_images: bool = True
    max_image_bytes: int = 5 * 2**20
    prefetch_related: bool = True
    full_articles: bool = True  # fetch each entry's page rather than keep the feed's summary
    max_listing_pages: int = 5
    max_article_pages: int = 10
    source_workers: int = 4
    page_workers: int = 8
    # Twice the Fetcher's own per-host limit: a page's images on another host (a CDN) load while
    # the host's next page starts; a host that does not answer holds half the workers at most.
    jobs_per_host: int = 4
    # a source's own settings (reader.config.SOURCE_SETTINGS), see source_options
    charset: str | None = None  # over what the pages and the HTTP header declare
    user_agent: str | None = None  # None: the Fetcher's own
    rule: Rule | None = None  # XPaths read before the generic parsers


def source_options(options: Options, stored: Mapping[str, Any]) -> Options:
    """The global options with a source's own settings laid over them."""
    values = config.source_values(stored)
    images = values["download_images"]
    return replace(
        options, charset=values["charset"] or None, user_agent=values["user_agent"] or None,
        full_articles=values["full_articles"],
        download_images=options.download_images if images == "default" else images == "yes",
        rule=Rule.from_json(values["rule"]) if values["rule"] else None)


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


@dataclass(slots=True)
class Bundle:
    """One retrieved article, ready to store."""

    article: Article
    images: list[StoredImage] = field(default_factory=list)
    blobs: list[ImageData] = field(default_factory=list)
    item_key: str = ""  # the feed item's id (Entry.key)
    listed_as: str = ""  # the address the source links to, when stored under its canonical
    keys: Keys | None = None  # story keys, computed in the page worker (Store.prepare_keys)


# pure decisions


def identity(entry: Entry) -> str:
    """What tells entries apart: a feed item's own id, a listed page's URL."""
    return entry.key or entry.url


def decide(entries: Sequence[Entry], known: Mapping[str, tuple[int, bool, int]]
           ) -> tuple[list[Entry], int]:
    """Which entries to fetch, and how many are unchanged. Favourites are never refetched.
    `known` is keyed by identity()."""
    fetch, unchanged, seen = [], 0, set()
    for entry in entries:
        if identity(entry) in seen:
            continue
        seen.add(identity(entry))
        stored = known.get(identity(entry))
        changed = stored is not None and not stored[1] and entry.updated is not None \
            and entry.updated.timestamp() > stored[0]
        if stored is None or changed:
            fetch.append(entry)
        else:
            unchanged += 1
    return fetch, unchanged


def due(state: SourceState, now: float) -> bool:
    """Whether a source's own update interval has passed (none set: always)."""
    minutes = config.source_values(state.settings)["update_interval_minutes"]
    return not minutes or state.last_updated is None or now - state.last_updated >= minutes * 60


def document_article(entry: Entry) -> Article:
    """A document in a list (a PDF notice) as an article that links it: it is not fetched,
    since there is no page to read, and the reader opens it from the link."""
    kind = document_type(entry.url)
    title = entry.title or entry.url
    body = sanitize(f'<p><a href="{html.escape(entry.url)}">{html.escape(title)}</a> '
                    f'[{kind}]</p>{entry.summary_html}', entry.url)
    return Article(url=entry.url, title=title, html=body, text=html_text(body),
                   published=entry.published, author=entry.author)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Updater:
    """now: the clock that stamps fetched articles (tests pass a fixed one)."""

    def __init__(self, store: Store, fetcher: Fetcher, options: Options, *,
                 now: Callable[[], datetime] = _utc_now) -> None:
        self.store = store
        self.fetcher = fetcher
        self.options = options
        self.now = now

    def for_source(self, state: SourceState) -> Updater:
        """An updater that fetches and parses with this source's own settings."""
        return Updater(self.store, self.fetcher, source_options(self.options, state.settings),
                       now=self.now)

    # retrieval (worker threads)

    def _get(self, url: str, file_root: str | None, **kwargs: Any) -> Response:
        return self.fetcher.get(url, file_root=file_root, user_agent=self.options.user_agent,
                                **kwargs)

    def _parse_source(self, response: Response) -> ParsedSource:
        charset = self.options.charset or response.charset
        if self.options.rule:
            return apply_listing(self.options.rule, response.body, response.url, charset)
        return parse_source(response.body, response.url, response.content_type, charset)

    def _extract(self, response: Response) -> Article:
        charset = self.options.charset or response.charset
        if self.options.rule:
            return apply_article(self.options.rule, response.body, response.url, charset)
        return extract(response.body, response.url, http_charset=charset)

    def retrieve_article(self, entry: Entry, file_root: str | None, feed_url: str = ""
                         ) -> Bundle:
        """Fetch and extract one article with its continuation pages and images; a feed item
        whose page is not wanted, missing or out of reach is its own summary."""
        if document_type(entry.url):
            return Bundle(document_article(entry), item_key=entry.key)
        article, page_error = None, ""
        if entry.url and (self.options.full_articles or not entry.summary_html):
            try:
                article = self._retrieve_pages(entry.url, file_root)
            except ReaderError as e:
                if not entry.summary_html:
                    raise
                page_error = str(e)
        if article is None:
            article = summary_article(entry, feed_url, page_error)
        article = replace(
            article, url=canonical(entry.url, article.canonical) if entry.url else "",
            title=article.title or entry.title or headline(article.text) or entry.url,
            published=article.published or entry.published,
            author=article.author or entry.author, enclosures=entry.enclosures)
        bundle = self._with_images(article, file_root, entry.key)
        bundle.listed_as = entry.url
        bundle.keys = self.store.prepare_keys(bundle.article)
        return bundle

    def _retrieve_pages(self, url: str, file_root: str | None) -> Article:
        response = self._get(url, file_root)
        article = self._extract(response)
        if not article.text.strip():
            raise ParseError("no article text found on the page")
        seen = {url, response.url}
        pages = [article]
        size = len(article.html) + len(article.text)
        while (nxt := pages[-1].next_page) and nxt not in seen \
                and len(pages) < self.options.max_article_pages:
            if size > MAX_ARTICLE_CHARS:
                log.warning("%s: pages after the %dth left out, the article is %d characters",
                            url, len(pages), size)
                break
            seen.add(nxt)
            try:
                pages.append(self._extract(self._get(nxt, file_root)))
                size += len(pages[-1].html) + len(pages[-1].text)
            except ReaderError as e:
                log.warning("continuation %s of %s failed: %s", nxt, url, e)
                break
        if len(pages) == 1:
            return article
        return replace(
            article, next_page=None,
            text="\n\n".join(p.text for p in pages if p.text),
            html="\n".join(p.html for p in pages),
            images=tuple(dict.fromkeys(i for p in pages for i in p.images)),
            related=_related_of(pages))

    def _with_images(self, article: Article, file_root: str | None, item_key: str = ""
                     ) -> Bundle:
        article = replace(article, images=article.images[:MAX_IMAGES])
        bundle = Bundle(article, item_key=item_key)
        urls = [i.url for i in article.images]
        cached = self.store.cached_image_hashes(urls) if urls else {}
        fetched: dict[str, str | None] = {}
        for image in article.images:
            if image.url not in cached and image.url not in fetched:
                blob = self._download_image(image.url, file_root)
                fetched[image.url] = blob.hash if blob else None
                if blob:
                    bundle.blobs.append(blob)
            digest = cached.get(image.url) or fetched.get(image.url)
            bundle.images.append(StoredImage(image, digest))
        return bundle

    def _download_image(self, url: str, file_root: str | None) -> ImageData | None:
        if not self.options.download_images:
            return None
        try:
            response = self._get(url, file_root, max_bytes=self.options.max_image_bytes,
                                 accept="image/avif,image/webp,image/*;q=0.8")
        except FetchError as e:
            log.info("image %s skipped: %s", url, e)
            return None
        info = image_info.sniff(response.body)
        if info is None or not image_info.acceptable(info):
            log.info("image %s skipped: not a usable image", url)
            return None
        try:
            data, info = image_info.shrink(response.body, info)
        except (OSError, ValueError) as e:  # PIL.UnidentifiedImageError is an OSError
            log.info("image %s skipped: cannot be decoded (%s)", url, e)
            return None
        return ImageData(image_info.cache_key(data), info.mime, info.width, info.height, data)

    def retrieve_source(self, state: SourceState, *, first_only: bool = False
                        ) -> tuple[ParsedSource | None, str | None, str | None]:
        """The source's entries (None when not modified), plus the new validators."""
        response = self._get(state.fetch_url, state.file_root, etag=state.etag,
                             last_modified=state.last_modified)
        if response.not_modified:
            return None, state.etag, state.last_modified
        parsed = self._parse_source(response)
        if parsed.kind == "listing" and not first_only:
            parsed = self._more_listing_pages(parsed, state)
        return parsed, response.etag, response.last_modified

    def _more_listing_pages(self, parsed: ParsedSource, state: SourceState) -> ParsedSource:
        entries, nxt, seen = list(parsed.entries), parsed.next_page, {state.fetch_url}
        pages = 1
        last = parsed.entries
        while nxt and nxt not in seen and pages < self.options.max_listing_pages:
            if len(self.store.known(e.url for e in last)) == len(last):
                break  # this page was seen in full before, so are the older ones
            seen.add(nxt)
            try:
                page = self._parse_source(self._get(nxt, state.file_root))
            except ReaderError as e:
                log.warning("listing page %s of %s failed: %s", nxt, state.title, e)
                break
            entries.extend(page.entries)
            last, nxt, pages = page.entries, page.next_page, pages + 1
        return replace(parsed, entries=tuple(entries), next_page=None)

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
            raise ReaderError("cancelled")
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


def _related_of(pages: list[Article]) -> tuple[RelatedLink, ...]:
    """The related links of a long article: a portal often prints its block under the last
    page only, or repeats it under every page."""
    found: dict[str, RelatedLink] = {}
    for page in pages:
        for link in page.related:
            found.setdefault(link.url, link)
    return tuple(found.values())
