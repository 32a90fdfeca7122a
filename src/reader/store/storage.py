"""All SQL of Reader. One connection per thread, WAL, explicit transactions.

A write is one transaction (BEGIN IMMEDIATE ... COMMIT), so a killed process leaves either the
whole article or none of it; SQLite errors leave as StorageError with a message for the user.
The Store is composed of one mixin per domain (reader.store._storage), over a base holding the
connections, the locks and the schema.
"""

from __future__ import annotations

from reader.store._storage.article_reads import ArticleReadsMixin
from reader.store._storage.articles import ArticlesMixin
from reader.store._storage.base import DB_NAME, Clock, utc_now
from reader.store._storage.records import (
    ImageData,
    NewSource,
    RemoteFeedState,
    RemoteState,
    Saved,
    SourceState,
    StoredImage,
)
from reader.store._storage.restore import RestoreMixin
from reader.store._storage.search import SearchMixin
from reader.store._storage.sources import SourcesMixin
from reader.store._storage.state import StateMixin
from reader.store._storage.sync import SyncMixin

# What the rest of Reader imports from the store (its records and the names of its files).
__all__ = ["DB_NAME", "Clock", "ImageData", "NewSource", "RemoteFeedState", "RemoteState", "Saved",
           "SourceState", "Store", "StoredImage", "utc_now"]


class Store(SourcesMixin, ArticlesMixin, ArticleReadsMixin, StateMixin, SyncMixin, SearchMixin,
            RestoreMixin):
    """The library's database: every read and write of Reader goes through one of these."""
