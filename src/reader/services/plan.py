"""What an update fetches, and with which options: pure decisions, no I/O.

The Updater (reader.services.update) asks these: a source's options with its own settings laid
over the global ones, which entries are new or changed, whether a source is due, and what a
document in a list becomes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reader import config
from reader.parse.sanitize import html_text, sanitize
from reader.parse.sites.rules import Rule
from reader.store.storage import SourceState
from reader.types import Article, Entry
from reader.urls import document_type


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
