"""The facade the GUI and the CLI call. It owns a Store, a Fetcher and the services.

Every method is safe to call from any thread: the store keeps one SQLite connection per thread.
Reads are indexed and bounded (keyset pages), so the GUI thread may call the read methods;
`update`, `add_source`, `preview`, `fetch_article`, `search` and `related` may wait on the
network or on scoring and belong in workers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.types import (
    ArticleRow,
    ParsedSource,
    Progress,
    SearchHit,
    Source,
    SourceResult,
    StoredArticle,
    StoredRelated,
)


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    source_id: int | None = None
    unread: bool = False
    favourites: bool = False


@dataclass(frozen=True, slots=True)
class Related:
    own: tuple[StoredRelated, ...]  # the page's own 相关文章 block
    similar: tuple[ArticleRow, ...]  # similar articles already in the library


@dataclass(frozen=True, slots=True)
class AddResult:
    source: Source
    found: int  # entries seen on the first page of the source


class Library:
    def __init__(self, data_dir: Path) -> None: ...
    def close(self) -> None: ...

    # sources
    def preview(self, url: str) -> ParsedSource: ...
    def add_source(self, url: str, *, title: str | None = None) -> AddResult: ...
    def remove_source(self, source_id: int) -> None: ...
    def sources(self) -> list[Source]: ...
    def add_sample_site(self) -> list[Source]:
        """Subscribe to the bundled sample site (file://) when the library is empty."""

    # updating
    def update(self, *, source_id: int | None = None,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None) -> list[SourceResult]: ...
    def fetch_article(self, url: str) -> int:
        """Fetch, extract and store one page (a related link not yet cached); returns its id."""

    # reading
    def articles(self, filter: ArticleFilter = ArticleFilter(), *, limit: int = 200,
                 after: ArticleRow | None = None) -> list[ArticleRow]:
        """Newest first; pass the last row of a page as `after` for the next page."""
    def count(self, filter: ArticleFilter = ArticleFilter()) -> int: ...
    def article(self, article_id: int) -> StoredArticle: ...
    def article_id(self, url: str) -> int | None: ...
    def image(self, url: str) -> bytes | None:
        """Cached image bytes for an image URL of a stored article, or None."""
    def related(self, article_id: int, *, limit: int = 10) -> Related: ...
    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]: ...

    # state
    def set_read(self, article_id: int, read: bool = True) -> None: ...
    def mark_all_read(self, source_id: int | None = None) -> int: ...
    def set_favourite(self, article_id: int, favourite: bool = True) -> None: ...

    # settings (declared in reader.config.SETTINGS)
    def setting(self, name: str) -> Any: ...
    def set_setting(self, name: str, value: Any) -> None: ...
