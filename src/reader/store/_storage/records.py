"""The plain records the store hands out and takes in, and the conversions of its columns.

Rows are named tuples: a class of them is made in a seventh of a frozen dataclass's time (0.07
against 0.5 ms), which the window's start pays for every class the store imports."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from reader.types import Article, Image, SourceKind


class Saved(StrEnum):
    """What saving an article did."""

    NEW = "new"
    UPDATED = "updated"  # stored before, its content changed
    UNCHANGED = "unchanged"  # stored before with the same content
    FROZEN = "frozen"  # a favourite: kept exactly as it was saved


class SourceState(NamedTuple):
    """What the updater needs to fetch a source again."""

    id: int
    url: str
    fetch_url: str
    kind: SourceKind
    title: str
    file_root: str | None
    etag: str | None
    last_modified: str | None
    settings: dict[str, Any]  # as stored: only those set
    last_updated: int | None = None  # Unix seconds of the last successful update


class NewSource(NamedTuple):
    """A subscription to add without fetching it first (OPML import)."""

    url: str
    kind: SourceKind
    title: str
    folder: str = ""


class RemoteState(NamedTuple):
    """A sync server's item as stored: local state, the server's at the last sync, and the
    queued local change per field (None: nothing queued)."""

    item_id: str
    article_id: int
    title: str
    read: bool
    saved: bool
    server_read: bool
    server_saved: bool
    queued_read: bool | None
    queued_saved: bool | None


class RemoteFeedState(NamedTuple):
    """A sync server's subscription as it was at the last sync, and its source here."""

    feed_id: str
    source_id: int | None  # None: the source was removed here since
    title: str
    folder: str


class RemoteLabels(NamedTuple):
    """A favourite a sync server knows: its tags here and the server's labels at the last
    sync."""

    item_id: str
    article_id: int
    tags: frozenset[str]
    server_tags: frozenset[str]


class StoredImage(NamedTuple):
    image: Image
    hash: str | None  # content hash when downloaded


class ImageData(NamedTuple):
    hash: str
    mime: str
    width: int
    height: int
    data: bytes


def timestamp(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value else None


def to_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def from_ts(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def content_hash(article: Article) -> str:
    import hashlib  # OpenSSL's loading (3 ms) is not the window's start

    seen = f"{article.title}\0{article.html}"
    if article.page_error or article.enclosures:  # an article as stored before v9 hashes alike
        seen += f"\0{article.page_error}\0" + " ".join(e.url for e in article.enclosures)
    return hashlib.sha256(seen.encode()).hexdigest()


def split_tags(joined: str | None) -> tuple[str, ...]:
    return tuple(t for t in (joined or "").split(",") if t)
