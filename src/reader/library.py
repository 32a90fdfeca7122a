"""The facade the GUI and the CLI call. It owns a Store, a Fetcher and the services.

Every method is safe to call from any thread: the store keeps one SQLite connection per thread.
Reads are indexed and bounded (keyset pages), so the GUI thread may call the read methods;
`update`, `add_source`, `preview`, `fetch_article`, `search`, `related`, `sync` and
`set_sync_account` may wait on the network or on scoring and belong in workers.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from reader import config
from reader.errors import FetchError, NotFound, ParseError, SettingError, setting_error
from reader.resources import resource
from reader.services import related as similarity
from reader.store import tokens
from reader.store.storage import NewSource, Store
from reader.sync import LoginRefused, SyncError, SyncResult
from reader.types import (
    Article,
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
from reader.urls import typed_address

if TYPE_CHECKING:
    from reader.fetch.http import Fetcher
    from reader.fetch.response import Response
    from reader.services.update import Updater
    from reader.sync import SyncBackend

# The network side (requests, feedparser, the extractor, exporters, sync) is imported where
# it is first used: the window paints its list from the store alone, a third of a second
# sooner (bench/gui.py).

log = logging.getLogger(__name__)

SAMPLE_SECTIONS = ("news/index.html", "world/index.html")


@dataclass(frozen=True, slots=True)
class Related:
    own: tuple[StoredRelated, ...]  # the page's own 相关文章 block
    similar: tuple[ArticleRow, ...]  # similar articles already in the library


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: tuple[Source, ...]
    skipped: int  # already subscribed


@dataclass(frozen=True, slots=True)
class AddResult:
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


class Library:
    def __init__(self, data_dir: Path, *, fetcher_options: Mapping[str, Any] | None = None
                 ) -> None:
        """fetcher_options: Fetcher keyword arguments laid over those made from the settings
        (timeouts, retries), kept when a setting change makes a new Fetcher."""
        self.data_dir = Path(data_dir)
        self._fetcher_options = dict(fetcher_options or {})
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.data_dir)
        self._fetcher: Fetcher | None = None
        self._fetcher_lock = threading.Lock()
        self._update_lock = threading.Lock()

    @staticmethod
    def needs_migration(data_dir: Path) -> bool:
        """Whether opening this library will first bring it to this version's format."""
        return Store.needs_migration(Path(data_dir))

    @property
    def fetcher(self) -> Fetcher:
        """The one Fetcher of this library, made on first use from the settings."""
        with self._fetcher_lock:
            if self._fetcher is None:
                from reader.fetch.http import Fetcher

                settings = self.settings()
                options: dict[str, Any] = {
                    "proxy": settings.proxy or None,
                    "host_delay": settings.request_delay_ms / 1000,
                    **self._fetcher_options}
                self._fetcher = Fetcher(**options)
            return self._fetcher

    def close(self) -> None:
        self._drop_fetcher()
        self.store.close()

    def _drop_fetcher(self) -> None:
        with self._fetcher_lock:
            old, self._fetcher = self._fetcher, None
        if old:
            old.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _updater(self) -> Updater:
        from reader.services.plan import Options
        from reader.services.update import Updater

        settings = self.settings()
        return Updater(self.store, self.fetcher, Options(
            download_images=settings.download_images,
            max_image_bytes=settings.max_image_mb * 2**20,
            prefetch_related=settings.prefetch_related))

    # sources

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

    def set_folder(self, source_id: int, folder: str) -> None:
        """Move a source into a folder ("/"-separated path; "" for none)."""
        self.store.set_folder(source_id, "/".join(p.strip() for p in folder.split("/")
                                                  if p.strip()))

    def source(self, source_id: int) -> Source:
        for source in self.store.sources():
            if source.id == source_id:
                return source
        raise NotFound(f"no source with id {source_id}")

    def backup(self, path: Path) -> None:
        """A consistent copy of the whole library, taken while it is in use."""
        self.store.backup(path)

    def restore(self, path: Path) -> None:
        """Put a backup in place of this library and carry on with it. Refused (StorageError)
        while another process has the library open; the library it replaces is kept as
        library.sqlite.before-restore."""
        with self._update_lock:  # no update or sync writes while the file is swapped
            self.store.close()
            try:
                restore(self.data_dir, path)
            finally:
                self.store = Store(self.data_dir)

    def remove_source(self, source_id: int) -> int:
        """Unsubscribe; returns how many articles went (favourites always stay)."""
        return self.store.remove_source(source_id)

    def sources(self) -> list[Source]:
        return self.store.sources()

    def import_opml(self, path: Path) -> ImportResult:
        """Subscribe to every outline of an OPML file, without fetching any (works offline);
        a bad file raises ParseError and adds no source."""
        from reader.interop import opml, read_file

        found = opml.parse(read_file(path))
        ids = set(self.store.add_sources(
            [NewSource(s.url, s.kind, s.title, s.folder) for s in found]))
        return ImportResult(tuple(s for s in self.sources() if s.id in ids),
                            len(found) - len(ids))

    def export_opml(self, path: Path) -> int:
        """Write the web subscriptions as OPML 2.0 (file:// sources stay local); returns how
        many were written."""
        from reader.interop import opml, write_atomic

        web = [s for s in self.sources() if urlsplit(s.fetch_url).scheme in ("http", "https")]
        write_atomic(path, opml.write(opml.from_sources(web)))
        return len(web)

    def add_sample_site(self) -> list[Source]:
        """Subscribe to the bundled sample site (file://) when the library has no source."""
        if self.store.source_ids():
            return []
        site = resource("sample_site")
        return [self.add_source((site / page).as_uri(), root=str(site)).source
                for page in SAMPLE_SECTIONS]

    # updating

    def update(self, *, source_id: int | None = None, force: bool = False,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None) -> list[SourceResult]:
        """Update one source, or every source whose own update interval has passed (all of
        them with force); a source left out for its interval has no result."""
        self.store.check_writable()
        from reader.services.plan import due

        if source_id is not None:
            self.store.source_state(source_id)  # NotFound before any work
            ids = [source_id]
        else:
            now = time.time()
            ids = [i for i in self.store.source_ids()
                   if force or due(self.store.source_state(i), now)]
        with self._update_lock:  # two updates at once would only fetch everything twice
            results = self._updater().update(ids, progress=progress, cancel=cancel)
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

    # syncing with a feed server (Fever or Google Reader API)

    def _sync_fetcher(self) -> Fetcher:
        from reader.fetch.http import Fetcher

        # The server is the user's own: no politeness delay between calls.
        return Fetcher(proxy=self.setting("proxy") or None, host_delay=0)

    def _sync_client(self, protocol: str, endpoint: str, key: str,
                     fetcher: Fetcher) -> SyncBackend:
        from reader.sync.fever import FeverClient
        from reader.sync.greader import GReaderClient

        cls = GReaderClient if protocol == "greader" else FeverClient
        return cls(endpoint, key, fetcher)

    def set_sync_account(self, endpoint: str, email: str, password: str) -> str:
        """Find the server's API (a Google Reader API address, else Fever, else a Google
        Reader API at that root), check the login, then keep the endpoint and the key (never
        the password). Returns the protocol's name. Raises LoginRefused, or SyncError when
        the server cannot be reached or speaks neither."""
        self.store.check_writable()
        from reader.sync import greader
        from reader.sync.fever import api_key

        with self._sync_fetcher() as fetcher:
            if greader.is_greader(endpoint):
                protocol, key = "greader", greader.login(endpoint, email, password, fetcher)
            else:
                protocol, key = "fever", api_key(email, password)
            client = self._sync_client(protocol, endpoint, key, fetcher)
            try:
                client.check_login()
            except LoginRefused:
                raise
            except SyncError as not_fever:
                if protocol == "greader":
                    raise
                try:  # Miniflux serves the Google Reader API at its root, Fever at /fever/
                    key = greader.login(endpoint, email, password, fetcher)
                except SyncError:
                    raise not_fever from None
                protocol = "greader"
                client = self._sync_client(protocol, endpoint, key, fetcher)
                client.check_login()
        self.set_setting("sync_endpoint", client.server)
        self.set_setting("sync_protocol", protocol)
        self.set_setting("sync_api_key", key)
        return protocol

    def sync(self, progress: Callable[[Progress], None] | None = None) -> SyncResult:
        """Pull subscriptions, articles and their state from the sync server, push local
        read and favourite changes. An unreachable server is reported in the result and
        the changes stay queued for the next sync."""
        self.store.check_writable()
        settings = self.settings()
        endpoint, key = settings.sync_endpoint, settings.sync_api_key
        if not endpoint or not key:
            raise SyncError("no sync account: run `reader sync-login ENDPOINT EMAIL` first")
        from reader.services.sync import Syncer

        with self._sync_fetcher() as fetcher:
            client = self._sync_client(settings.sync_protocol, endpoint, key, fetcher)
            with self._update_lock:  # shares the article pipeline with update
                return Syncer(self.store, self._updater(), client).sync(progress)

    # reading

    def articles(self, filter: ArticleFilter | None = None, *, limit: int = 200,
                 after: ArticleRow | None = None,
                 oldest_first: bool = False) -> list[ArticleRow]:
        """Newest first (or oldest); pass the last row of a page as `after` for the next page.

        Titles holding a mute word (setting `mute_words`) are left out, favourites never."""
        key = (after.sort_key, after.id) if after else None
        return self.store.articles(self._muted(filter), limit=limit, after=key,
                                   oldest_first=oldest_first)

    def rows(self, ids: list[int]) -> list[ArticleRow]:
        """List rows for these article ids, in that order (search hits, similar articles)."""
        return self.store.rows(ids)

    def count(self, filter: ArticleFilter | None = None) -> int:
        return self.store.count(self._muted(filter))

    def _muted(self, filter: ArticleFilter | None) -> ArticleFilter:
        """The filter with the settings' mute words, and one row per story (group_copies)
        except in a source's own list, which shows every article the source lists."""
        filter = filter or ArticleFilter()
        if not filter.mute:
            filter = replace(filter, mute=tuple(self.setting("mute_words")))
        return replace(filter, stories=filter.source_id is None
                       and bool(self.setting("group_copies")))

    def article(self, article_id: int) -> StoredArticle:
        return self.store.article(article_id)

    def article_id(self, url: str) -> int | None:
        return self.store.article_id(url)

    def image(self, url: str) -> bytes | None:
        """Cached image bytes for an image URL of a stored article, or None."""
        return self.store.image(url)

    def related(self, article_id: int, *, limit: int = 10,
                cancel: threading.Event | None = None) -> Related:
        """The page's own related links and similar articles; once `cancel` is set, the reads
        stop with Cancelled."""
        with self.store.stopped_by(cancel):
            own = self.store.article(article_id).related
            return Related(own, tuple(similarity.similar(self.store, article_id, limit=limit)))

    def search(self, query: str, *, limit: int = 50,
               cancel: threading.Event | None = None) -> list[SearchHit]:
        """Ranked hits; raises SearchError for a malformed query, Cancelled once `cancel` is
        set while the ranking runs."""
        parsed = tokens.parse_query(query)
        with self.store.stopped_by(cancel):
            found = self.store.search(parsed, limit=limit)
        if self.setting("group_copies"):  # one hit per story: its best-ranked article
            story = self.store.stories_of([f[0] for f in found])
            first: dict[int, tuple[int, float, str, str]] = {}
            for hit in found:
                first.setdefault(story.get(hit[0], hit[0]), hit)
            found = list(first.values())
        rows = {r.id: r for r in self.store.rows([f[0] for f in found])}
        return [SearchHit(id=i, url=rows[i].url, title=title,
                          snippet=tokens.snippet(text or title,
                                                 parsed.positive),
                          score=round(score, 4), source=rows[i].source,
                          published=rows[i].published)
                for i, score, title, text in found if i in rows]

    def search_patterns(self, query: str) -> list[str]:
        """Regular expressions (case-insensitive) for what the query's words match in a text,
        to highlight them; raises SearchError for a malformed query."""
        return tokens.patterns(tokens.parse_query(query))

    # state

    def set_read(self, article_id: int, read: bool = True) -> None:
        """Mark an article read or unread; with group_copies, its story's copies too (read
        on one site, a story is read on all)."""
        self.store.set_read(article_id, read)
        if self.setting("group_copies"):
            for other in self.store.story(article_id):
                if other != article_id:
                    self.store.set_read(other, read)

    def mark_all_read(self, source_id: int | None = None) -> int:
        return self.store.mark_all_read(source_id)

    def set_favourite(self, article_id: int, favourite: bool = True) -> None:
        self.store.set_favourite(article_id, favourite)

    def set_tags(self, article_id: int, tags: Sequence[str]) -> tuple[str, ...]:
        """Replace a favourite's tags (tagging saves the article as a favourite, no tags
        leave an article that is not one alone); a tag holding commas counts as several.
        Returns the tags as stored."""
        clean = dict.fromkeys(t.strip() for tag in tags for t in tag.split(",") if t.strip())
        if not clean and not self.article(article_id).is_favourite:
            return ()  # no tags for an article not saved: there is nothing to save
        self.store.set_tags(article_id, list(clean))
        return tuple(clean)

    def tags(self) -> dict[str, int]:
        """Every tag in use -> how many favourites carry it (for a tag list in the GUI)."""
        return self.store.tags()

    # keeping tidy

    def clean(self, *, days: int | None = None, keep: int | None = None) -> int:
        """Apply the retention policy; returns how many articles went. Favourites and the
        articles their related blocks link to always stay. `days` and `keep` default to
        the keep_days and keep_per_source settings; 0 means no limit."""
        settings = self.settings()
        days = settings.keep_days if days is None else days
        keep = settings.keep_per_source if keep is None else keep
        before = int(time.time()) - days * 86400 if days else None
        return self.store.remove_old(before=before, keep=keep or None)

    # exporting (offline, from the cache)

    def export(self, out: Path, format: str, *, favourites: bool = False,
               query: str | None = None, ids: Sequence[int] = ()) -> int:
        """Write favourites, a search's hits or the given articles as md (a folder of .md
        files and images/), html, epub or json; returns how many articles went out."""
        chosen = list(ids)
        if query:
            chosen += [h.id for h in self.search(query, limit=1000)]
        if favourites:
            page = self.store.articles(ArticleFilter(favourites=True), limit=500)
            while page:
                chosen += [r.id for r in page]
                last = page[-1]
                page = self.store.articles(ArticleFilter(favourites=True), limit=500,
                                           after=(last.sort_key, last.id))
        articles = [self.article(i) for i in dict.fromkeys(chosen)]
        if not articles:
            raise NotFound("nothing to export: no article matched")
        title = f"Reader: {query}" if query else "Reader favourites" if favourites else "Reader"
        from reader.interop.export import export

        export(articles, format, Path(out), self.image, title=title)
        return len(articles)

    # settings (declared in reader.config.SETTINGS)

    def setting(self, name: str) -> Any:
        value = self.store.setting(name)
        return config.declared(name).default if value is None else value

    def settings(self) -> config.Settings:
        """Every global setting, typed (the stored value, else the default)."""
        return config.Settings(**{s.name: self.setting(s.name) for s in config.SETTINGS})

    def set_setting(self, name: str, value: Any) -> None:
        """Coerce, check and store one; raises SettingError for an unknown name or a bad value."""
        try:
            value = config.coerce(name, value)
        except (KeyError, ValueError) as e:
            raise setting_error(e) from e
        self.store.set_setting(name, value)
        if name in ("proxy", "request_delay_ms"):
            self._drop_fetcher()  # the next request makes one with the new setting

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


def restore(data_dir: Path, backup: Path) -> None:
    """Put a backup in place of the (closed) library in data_dir, its article bodies
    sanitised again as an update would have."""
    from reader.parse.sanitize import sanitize  # the parsers: not on the window's start path

    Store.restore(data_dir, backup, sanitize)
