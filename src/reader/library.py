"""The facade the GUI and the CLI call. It owns a Store, a Fetcher and the services.

Every method is safe to call from any thread: the store keeps one SQLite connection per thread.
Reads are indexed and bounded (keyset pages), so the GUI thread may call the read methods;
`update`, `add_source`, `preview`, `fetch_article`, `search` and `related` may wait on the
network or on scoring and belong in workers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from reader import config
from reader.errors import NotFound, ParseError
from reader.fetch.http import Fetcher
from reader.parse.listing import parse_source
from reader.resources import resource
from reader.services import related as similarity
from reader.services.update import Options, Updater
from reader.store import tokens
from reader.store.storage import Store
from reader.types import (
    ArticleFilter,
    ArticleRow,
    ParsedSource,
    Progress,
    SearchHit,
    Source,
    SourceResult,
    StoredArticle,
    StoredRelated,
)

log = logging.getLogger(__name__)

SAMPLE_SECTIONS = ("news/index.html", "world/index.html")


@dataclass(frozen=True, slots=True)
class Related:
    own: tuple[StoredRelated, ...]  # the page's own 相关文章 block
    similar: tuple[ArticleRow, ...]  # similar articles already in the library


@dataclass(frozen=True, slots=True)
class AddResult:
    source: Source
    found: int  # entries seen on the first page of the source


def file_root(url: str) -> str | None:
    """The folder a file:// source may read from: the one holding the page."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return str(Path(url2pathname(parts.path)).resolve().parent)


class Library:
    def __init__(self, data_dir: Path, *, host_delay: float | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.data_dir)
        proxy = self.setting("proxy") or None
        self.fetcher = Fetcher(proxy=proxy) if host_delay is None else Fetcher(
            proxy=proxy, host_delay=host_delay)
        self._update_lock = threading.Lock()

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _updater(self) -> Updater:
        return Updater(self.store, self.fetcher, Options(
            download_images=self.setting("download_images"),
            max_image_bytes=self.setting("max_image_mb") * 2**20,
            prefetch_related=self.setting("prefetch_related")))

    # sources

    def preview(self, url: str, *, root: str | None = None) -> ParsedSource:
        """What subscribing to url would give, without storing anything."""
        return self._probe(url, root or file_root(url))[1]

    def _probe(self, url: str, root: str | None) -> tuple[str, ParsedSource]:
        response = self.fetcher.get(url, file_root=root)
        parsed = parse_source(response.body, response.url, response.content_type,
                              response.charset)
        if parsed.feed_url and parsed.feed_url != response.url:
            feed = self.fetcher.get(parsed.feed_url, file_root=root)
            found = parse_source(feed.body, feed.url, feed.content_type, feed.charset)
            if found.kind == "feed":
                return feed.url, found
        if parsed.kind == "listing" and not parsed.entries:
            raise ParseError(f"{url} has no feed and no list of articles")
        return response.url, parsed

    def add_source(self, url: str, *, title: str | None = None,
                   root: str | None = None) -> AddResult:
        root = root or file_root(url)
        fetch_url, parsed = self._probe(url, root)
        source_id = self.store.add_source(url, fetch_url, parsed.kind,
                                          title or parsed.title or url, root)
        return AddResult(self.source(source_id), len(parsed.entries))

    def source(self, source_id: int) -> Source:
        for source in self.store.sources():
            if source.id == source_id:
                return source
        raise NotFound(f"no source with id {source_id}")

    def remove_source(self, source_id: int) -> int:
        """Unsubscribe; returns how many articles went (favourites always stay)."""
        return self.store.remove_source(source_id)

    def sources(self) -> list[Source]:
        return self.store.sources()

    def add_sample_site(self) -> list[Source]:
        """Subscribe to the bundled sample site (file://) when the library has no source."""
        if self.store.source_ids():
            return []
        site = resource("sample_site")
        return [self.add_source((site / page).as_uri(), root=str(site)).source
                for page in SAMPLE_SECTIONS]

    # updating

    def update(self, *, source_id: int | None = None,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None) -> list[SourceResult]:
        ids = [source_id] if source_id is not None else self.store.source_ids()
        if source_id is not None:
            self.store.source_state(source_id)  # NotFound before any work
        with self._update_lock:  # two updates at once would only fetch everything twice
            return self._updater().update(ids, progress=progress, cancel=cancel)

    def fetch_article(self, url: str) -> int:
        """Fetch, extract and store one page (a related link not yet cached); returns its id."""
        known = self.store.article_id(url)
        if known is not None:
            return known
        source_id = self.store.referrer_source(url)
        root = self.store.source_state(source_id).file_root if source_id else None
        return self._updater().fetch_one(url, source_id, root)

    # reading

    def articles(self, filter: ArticleFilter | None = None, *, limit: int = 200,
                 after: ArticleRow | None = None) -> list[ArticleRow]:
        """Newest first; pass the last row of a page as `after` for the next page."""
        key = (after.sort_key, after.id) if after else None
        return self.store.articles(filter or ArticleFilter(), limit=limit, after=key)

    def count(self, filter: ArticleFilter | None = None) -> int:
        return self.store.count(filter or ArticleFilter())

    def article(self, article_id: int) -> StoredArticle:
        return self.store.article(article_id)

    def article_id(self, url: str) -> int | None:
        return self.store.article_id(url)

    def image(self, url: str) -> bytes | None:
        """Cached image bytes for an image URL of a stored article, or None."""
        return self.store.image(url)

    def related(self, article_id: int, *, limit: int = 10) -> Related:
        own = self.store.article(article_id).related
        return Related(own, tuple(similarity.similar(self.store, article_id, limit=limit)))

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Ranked hits; raises SearchError for a malformed query."""
        parsed = tokens.parse_query(query)
        found = self.store.search(parsed, limit=limit)
        rows = {r.id: r for r in self.store.rows([f[0] for f in found])}
        return [SearchHit(id=i, url=rows[i].url, title=title,
                          snippet=tokens.snippet(text or title,
                                                 parsed.positive),
                          score=round(score, 4), source=rows[i].source,
                          published=rows[i].published)
                for i, score, title, text in found if i in rows]

    # state

    def set_read(self, article_id: int, read: bool = True) -> None:
        self.store.set_read(article_id, read)

    def mark_all_read(self, source_id: int | None = None) -> int:
        return self.store.mark_all_read(source_id)

    def set_favourite(self, article_id: int, favourite: bool = True) -> None:
        self.store.set_favourite(article_id, favourite)

    # settings (declared in reader.config.SETTINGS)

    def setting(self, name: str) -> Any:
        value = self.store.setting(name)
        return config.declared(name).default if value is None else value

    def set_setting(self, name: str, value: Any) -> None:
        self.store.set_setting(name, config.coerce(name, value))
