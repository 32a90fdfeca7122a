"""Plain frozen values passed between layers. Nothing here does I/O.

Values made by parsers (their text cleaned as they are made) are frozen dataclasses; the
others are named tuples, which the window's start makes in a seventh of a dataclass's time.

The values a parser makes from a page or a feed (Image, Enclosure, RelatedLink, Article,
Entry, ParsedSource) are the parse boundary: their text fields pass through ``reader.text.clean`` as
they are made, so no later layer (store, terminal, Qt, exports) sees a control character or a
lone surrogate, whichever parser or sync client made them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple

from reader.text import clean

SourceKind = Literal["feed", "listing"]


def _clean_text_fields(value: Any) -> None:
    """Clean every str and tuple-of-str field of a frozen dataclass, in place."""
    for f in fields(value):
        old = getattr(value, f.name)
        if isinstance(old, str):
            new: Any = clean(old)
        elif isinstance(old, tuple) and old and isinstance(old[0], str):
            new = tuple(clean(s) for s in old)
        else:
            continue
        if new != old:
            object.__setattr__(value, f.name, new)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    caption: str = ""

    def __post_init__(self) -> None:
        _clean_text_fields(self)


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A feed item's attached file (a podcast episode, a video), kept as a link."""

    url: str
    type: str = ""  # media type as the feed declares it
    length: int | None = None  # bytes, as the feed declares it

    def __post_init__(self) -> None:
        _clean_text_fields(self)


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """One item of a page's own related block (相关文章)."""

    url: str
    title: str
    snippet: str = ""
    published: datetime | None = None

    def __post_init__(self) -> None:
        _clean_text_fields(self)


@dataclass(frozen=True, slots=True)
class Article:
    """What the extractor reads off one article page."""

    url: str
    title: str
    published: datetime | None = None
    source: str = ""  # the publisher named on the page (来源), not our subscription
    author: str = ""
    views: int | None = None
    breadcrumb: tuple[str, ...] = ()
    text: str = ""  # paragraphs joined by blank lines
    html: str = ""  # sanitised body
    images: tuple[Image, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    language: str = ""
    encoding: str = ""
    next_page: str | None = None  # continuation of a multi-page article
    enclosures: tuple[Enclosure, ...] = ()  # a feed item's audio, video or documents
    # Why the body is the feed's summary rather than the page's text ("" when it is not).
    page_error: str = ""
    canonical: str = ""  # the address the page names as its own (absolute), or ""

    def __post_init__(self) -> None:
        _clean_text_fields(self)

    def to_json(self) -> dict[str, Any]:
        """The `reader extract --json` contract (docs/json.md)."""
        out = asdict(self)
        for feed_only in ("next_page", "enclosures", "page_error", "canonical"):
            del out[feed_only]
        out["published"] = iso(self.published)
        out["breadcrumb"] = list(self.breadcrumb)
        out["related"] = [
            {**asdict(r), "published": iso(r.published)} for r in self.related
        ]
        out["images"] = [asdict(i) for i in self.images]
        return out


@dataclass(frozen=True, slots=True)
class Entry:
    """An article found in a feed or on a section page."""

    url: str  # the article's web page; "" for a feed item without one
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    summary_html: str = ""  # the feed's own content, used when the page cannot be fetched
    author: str = ""
    # The item's identity in its feed: guid, atom:id or JSON Feed id, else the link, else a
    # hash of title and date. "" for entries of section pages, which the URL identifies.
    key: str = ""
    enclosures: tuple[Enclosure, ...] = ()
    images: tuple[Image, ...] = ()  # the feed's own pictures (media:*, image enclosures)

    def __post_init__(self) -> None:
        _clean_text_fields(self)


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """A feed or section page, parsed."""

    kind: SourceKind
    title: str
    entries: tuple[Entry, ...]
    next_page: str | None = None  # listing pagination (下一页)
    feed_url: str | None = None  # set when a page advertised its feed

    def __post_init__(self) -> None:
        _clean_text_fields(self)


class Source(NamedTuple):
    id: int
    url: str
    kind: SourceKind
    title: str
    last_updated: datetime | None = None
    last_error: str = ""
    unread: int = 0
    total: int = 0
    folder: str = ""  # "/"-separated path, kept from OPML outlines
    fetch_url: str = ""  # the feed found behind `url`, or the page itself


class ArticleFilter(NamedTuple):
    source_id: int | None = None
    unread: bool = False
    favourites: bool = False
    tag: str | None = None  # favourites carrying this tag
    mute: tuple[str, ...] = ()  # hide articles whose title holds one of these (not favourites)
    stories: bool = False  # one row per story: copies of another row's story are left out


class ArticleRow(NamedTuple):
    """One line of the article list: cheap to load in batches."""

    id: int
    url: str
    title: str
    source: str  # subscription title, or the page's 来源 when the subscription is gone
    source_id: int | None
    published: datetime | None
    views: int | None
    is_read: bool
    is_favourite: bool
    sort_key: int = 0  # position in newest-first order, the key for the next page
    also: tuple[str, ...] = ()  # the other sources that list it, and (stories) its copies'
    copies: int = 0  # (stories) how many copies of its story the list leaves out

    def to_json(self) -> dict[str, Any]:
        out = {**self._asdict(), "published": iso(self.published)}
        del out["sort_key"]
        return out


class StoredRelated(NamedTuple):
    url: str
    title: str
    snippet: str = ""
    published: datetime | None = None
    article_id: int | None = None  # None when the linked page is not in the cache


class StoredArticle(NamedTuple):
    """A cached article with its reading state."""

    id: int
    source_id: int | None
    source_title: str
    article: Article
    related: tuple[StoredRelated, ...]
    is_read: bool
    is_favourite: bool
    fetched_at: datetime | None = None
    tags: tuple[str, ...] = ()  # a favourite's tags
    copies: tuple[ArticleRow, ...] = ()  # the other articles of its story (other sites' copies)

    def to_json(self) -> dict[str, Any]:
        out = self.article.to_json()
        # The page's own 来源 when it names one, else the subscription (as `list` gives).
        out["source"] = self.article.source or self.source_title
        out.update(id=self.id, is_read=self.is_read, is_favourite=self.is_favourite,
                   tags=list(self.tags), page_error=self.article.page_error,
                   enclosures=[asdict(e) for e in self.article.enclosures],
                   copies=[c.to_json() for c in self.copies])
        out["related"] = [{**r._asdict(), "published": iso(r.published)} for r in self.related]
        return out


class SearchHit(NamedTuple):
    id: int
    url: str
    title: str
    snippet: str  # with the matches wrapped in « »
    score: float
    source: str = ""
    published: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "title": self.title,
                "snippet": self.snippet, "score": self.score}


class SourceResult(NamedTuple):
    """How one source's update ended. A failure is a result, not an exception."""

    source_id: int
    title: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str = ""  # why the source itself failed; per-article failures count in `failed`
    not_modified: bool = False  # the server answered 304: nothing was parsed
    errors: tuple[str, ...] = ()  # per-article reasons, for the log
    # "url: reason" of each article stored from the feed's summary because its page could not
    # be fetched (counted in new/updated too: the article is there, but not the page)
    unfetched: tuple[str, ...] = ()


class Progress(NamedTuple):
    done: int
    total: int
    source: str  # title of the source being worked on
    message: str = ""
    finished: SourceResult | None = None  # set when this step ends a source


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
