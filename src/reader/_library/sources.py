"""Subscribing and managing sources: what an address holds, adding one (with a rule when the
heuristics miss its list), folders, removal and a source's own settings."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

from reader import config
from reader._library.base import LibraryBase
from reader.errors import FetchError, NotFound, ParseError, SettingError, setting_error
from reader.resources import resource
from reader.types import Article, ParsedSource, Source
from reader.urls import typed_address

if TYPE_CHECKING:
    from reader.fetch.response import Response

log = logging.getLogger(__name__)

SAMPLE_SECTIONS = ("news/index.html", "world/index.html")


class AddResult(NamedTuple):
    source: Source
    found: int  # entries seen on the first page of the source


# urllib.request's url2pathname, without importing urllib.request (and http.client) for it.
_url2pathname: Callable[[str], str] = unquote
if os.name == "nt":
    from nturl2path import url2pathname as _url2pathname


def file_root(url: str) -> str | None:
    """The folder a file:// source may read from: the one holding the page."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return str(Path(_url2pathname(parts.path)).resolve().parent)


def _is_home(url: str) -> bool:
    return urlsplit(url).path.rstrip("/") in ("", "/index.html", "/index.htm", "/index.php")


class SourcesMixin(LibraryBase):
    def preview(self, url: str, *, root: str | None = None) -> ParsedSource:
        """What subscribing to url would give, without storing anything."""
        return self._probe(url, root or file_root(url))[2]

    def _fetch_typed(self, url: str, root: str | None) -> tuple[str, Response]:
        """Fetch an address as the user typed it: example.com/news as https://, else http://
        (as a browser does); returns the address that answered and its response."""
        scheme = urlsplit(url.strip()).scheme.lower() if "://" in url else ""
        if scheme and scheme not in ("http", "https", "file"):
            raise FetchError(f"only web addresses (http:// or https://) and local files can be "
                             f"subscribed to, not {url}", url=url)
        *tries, last = typed_address(url)
        for candidate in tries:
            try:
                return candidate, self.fetcher.get(candidate, file_root=root)
            except FetchError as e:
                log.info("%s did not answer (%s); trying the next scheme", candidate, e)
        return last, self.fetcher.get(last, file_root=root)

    def _probe(self, url: str, root: str | None) -> tuple[str, str, ParsedSource]:
        """(the address that answered, where its list is read from, what it holds)"""
        from reader.parse.listing import parse_source

        url, response = self._fetch_typed(url, root)
        parsed = parse_source(response.body, response.url, response.content_type,
                              response.charset)
        # A home page's feed covers the site; a section page's list is what the user chose.
        if parsed.feed_url and parsed.feed_url != response.url \
                and (not parsed.entries or _is_home(response.url)):
            feed = self.fetcher.get(parsed.feed_url, file_root=root)
            found = parse_source(feed.body, feed.url, feed.content_type, feed.charset)
            if found.kind == "feed":
                return url, feed.url, found
        if parsed.kind == "listing" and not parsed.entries:
            raise ParseError(f"{url} has no feed and no list of articles")
        return url, response.url, parsed

    def add_source(self, url: str, *, title: str | None = None, folder: str = "",
                   root: str | None = None,
                   rule: str | dict[str, Any] | None = None) -> AddResult:
        """Subscribe; with a rule (see Library.test_rule), a page whose list the heuristics
        miss is read with it, and the source keeps it as its `rule` setting."""
        self.store.check_writable()
        from reader.parse.sites.rules import Rule, apply_listing

        root = root or file_root(url)
        try:
            checked = Rule.from_json(rule) if rule else None
        except ParseError as e:
            raise SettingError(str(e)) from e
        if checked and checked.is_listing:
            url, response = self._fetch_typed(url, root)
            fetch_url = response.url
            parsed = apply_listing(checked, response.body, fetch_url, response.charset)
        else:
            url, fetch_url, parsed = self._probe(url, root)
        source_id = self.store.add_source(url, fetch_url, parsed.kind,
                                          title or parsed.title or url, root, folder,
                                          {"rule": checked.to_json()} if checked else {})
        return AddResult(self.source(source_id), len(parsed.entries))

    def add_sample_site(self) -> list[Source]:
        """Subscribe to the bundled sample site (file://) when the library has no source."""
        if self.store.source_ids():
            return []
        site = resource("sample_site")
        return [self.add_source((site / page).as_uri(), root=str(site)).source
                for page in SAMPLE_SECTIONS]

    def set_folder(self, source_id: int, folder: str) -> None:
        """Move a source into a folder ("/"-separated path; "" for none)."""
        self.store.set_folder(source_id, "/".join(p.strip() for p in folder.split("/")
                                                  if p.strip()))

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

    # a source's own settings (declared in reader.config.SOURCE_SETTINGS)

    def source_settings(self, source_id: int) -> dict[str, Any]:
        """Every source setting of a source: its own value, else the default."""
        return config.source_values(self.store.source_state(source_id).settings)

    def set_source_setting(self, source_id: int, name: str, value: Any) -> None:
        """Coerce, check and store one; raises SettingError (a bad rule's names the XPath)."""
        try:
            value = config.coerce(name, value, config.SOURCE_SETTINGS)
        except (KeyError, ValueError) as e:
            raise setting_error(e) from e
        if name == "rule":
            from reader.parse.sites.rules import Rule

            try:
                value = Rule.from_json(value).to_json()
            except ParseError as e:
                raise SettingError(str(e)) from e
        if name == "charset" and value:
            from reader import charset

            known = charset.normalise(value)
            if not known:
                raise SettingError(f"charset: unknown character set {value!r}")
            value = known
        self.store.set_source_setting(source_id, name, value)

    def test_rule(self, url: str, rule_json: str | dict[str, Any], *,
                  source_id: int | None = None) -> ParsedSource | Article:
        """What a rule reads off a page, storing nothing: the entries for a rule with `links`,
        else the article. With source_id, the page is fetched as that source's are (charset,
        user agent)."""
        from reader.parse.sites.rules import Rule, apply_article, apply_listing
        from reader.services.plan import Options, source_options

        rule = Rule.from_json(rule_json)
        options = source_options(Options(), self.store.source_state(source_id).settings
                                 if source_id is not None else {})
        response = self.fetcher.get(url, file_root=file_root(url),
                                    user_agent=options.user_agent)
        charset = options.charset or response.charset
        if rule.is_listing:
            return apply_listing(rule, response.body, response.url, charset)
        return apply_article(rule, response.body, response.url, charset)
