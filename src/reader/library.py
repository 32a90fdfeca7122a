"""The facade the GUI and the CLI call. It owns a Store, a Fetcher and the services.

Every method is safe to call from any thread: the store keeps one SQLite connection per thread.
Reads are indexed and bounded (keyset pages), so the GUI thread may call the read methods;
`update`, `add_source`, `preview`, `fetch_article`, `search`, `related`, `sync` and
`set_sync_account` may wait on the network or on scoring and belong in workers.

The Library is composed of one mixin per concern (reader._library), over a base holding the
store, the fetcher and the settings. The network side (requests, feedparser, the extractor,
exporters, sync) is imported where it is first used: the window paints its list from the
store alone, a third of a second sooner (bench/gui.py).
"""

from __future__ import annotations

from reader._library.files import FilesMixin, ImportResult, restore
from reader._library.reading import ReadingMixin, Related
from reader._library.sources import AddResult, SourcesMixin
from reader._library.state import StateMixin
from reader._library.syncing import SyncingMixin
from reader._library.updating import UpdatingMixin

# The values its methods return, and the restore the CLI runs before opening a library.
__all__ = ["AddResult", "ImportResult", "Library", "Related", "restore"]


class Library(SourcesMixin, FilesMixin, ReadingMixin, StateMixin, UpdatingMixin, SyncingMixin):
    """One library folder: its sources, articles, settings, updates and sync."""
