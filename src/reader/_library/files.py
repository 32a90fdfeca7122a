"""The library to and from files: backup and restore, OPML in and out, article exports (offline,
from the cache)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from reader._library.reading import ReadingMixin
from reader.errors import NotFound
from reader.store.storage import NewSource, Store
from reader.types import ArticleFilter, Source


class ImportResult(NamedTuple):
    added: tuple[Source, ...]
    skipped: int  # already subscribed


class FilesMixin(ReadingMixin):  # exports pick articles by search
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
                self.store = Store(self.data_dir, now=self.now)

    def import_opml(self, path: Path) -> ImportResult:
        """Subscribe to every outline of an OPML file, without fetching any (works offline);
        a bad file raises ParseError and adds no source."""
        from reader.interop import opml, read_file

        found = opml.parse(read_file(path))
        ids = set(self.store.add_sources(
            [NewSource(s.url, s.kind, s.title, s.folder) for s in found]))
        return ImportResult(tuple(s for s in self.store.sources() if s.id in ids),
                            len(found) - len(ids))

    def export_opml(self, path: Path) -> int:
        """Write the web subscriptions as OPML 2.0 (file:// sources stay local); returns how
        many were written."""
        from reader.interop import opml, write_atomic

        web = [s for s in self.store.sources()
               if urlsplit(s.fetch_url).scheme in ("http", "https")]
        write_atomic(path, opml.write(opml.from_sources(web)))
        return len(web)

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


def restore(data_dir: Path, backup: Path) -> None:
    """Put a backup in place of the (closed) library in data_dir, its article bodies
    sanitised again as an update would have."""
    from reader.parse.sanitize import sanitize  # the parsers: not on the window's start path

    Store.restore(data_dir, backup, sanitize)
