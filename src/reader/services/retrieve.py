"""Retrieval for the update, on worker threads: a source's entries (with its further listing
pages), and an article with its continuation pages and images, as a Bundle ready to store.

Pages are read with the source's own options (charset, user agent, rule); a failure is a
ReaderError for the caller to record, never an abort.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from reader import images as image_info
from reader.errors import FetchError, ParseError, ReaderError
from reader.fetch.http import Fetcher, Response
from reader.parse.article import extract
from reader.parse.feed import summary_article
from reader.parse.listing import parse_source
from reader.parse.sanitize import MAX_IMAGES
from reader.parse.sites.rules import apply_article, apply_listing
from reader.services.parse_pool import Parsing
from reader.services.plan import Options, document_article
from reader.store.storage import ImageData, SourceState, Store, StoredImage
from reader.text import headline
from reader.types import Article, Entry, ParsedSource, RelatedLink
from reader.urls import canonical, document_type

if TYPE_CHECKING:
    from reader.store.stories import Keys

log = logging.getLogger(__name__)

# An article's pages are joined only up to this many characters of html and text (ten 7 MB
# pages made 140 MB articles).
MAX_ARTICLE_CHARS = 4_000_000


@dataclass(slots=True)
class Bundle:
    """One retrieved article, ready to store."""

    article: Article
    images: list[StoredImage] = field(default_factory=list)
    blobs: list[ImageData] = field(default_factory=list)
    item_key: str = ""  # the feed item's id (Entry.key)
    listed_as: str = ""  # the address the source links to, when stored under its canonical
    keys: Keys | None = None  # story keys, computed in the page worker (Store.prepare_keys)


class Retriever:
    """What the Updater does on worker threads; it holds the store (read-only here: image
    hashes, known URLs, story keys), the fetcher, the options, and where the parsers run."""

    store: Store
    fetcher: Fetcher
    options: Options
    parsing: Parsing

    def _get(self, url: str, file_root: str | None, **kwargs: Any) -> Response:
        return self.fetcher.get(url, file_root=file_root, user_agent=self.options.user_agent,
                                **kwargs)

    def _parse_source(self, response: Response) -> ParsedSource:
        charset = self.options.charset or response.charset
        if self.options.rule:
            return self.parsing.run(apply_listing, self.options.rule, response.body,
                                    response.url, charset)
        return self.parsing.run(parse_source, response.body, response.url,
                                response.content_type, charset)

    def _extract(self, response: Response) -> Article:
        charset = self.options.charset or response.charset
        if self.options.rule:
            return self.parsing.run(apply_article, self.options.rule, response.body,
                                    response.url, charset)
        return self.parsing.run(extract, response.body, response.url, http_charset=charset)

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
        bundle.keys = self.parsing.run(self.store.prepare_keys, bundle.article)
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


def _related_of(pages: list[Article]) -> tuple[RelatedLink, ...]:
    """The related links of a long article: a portal often prints its block under the last
    page only, or repeats it under every page."""
    found: dict[str, RelatedLink] = {}
    for page in pages:
        for link in page.related:
            found.setdefault(link.url, link)
    return tuple(found.values())
