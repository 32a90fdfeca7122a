"""Syncing with a feed server (Fever or Google Reader API): finding the server's API and
keeping the account, then a sync run over the update's article pipeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader._library.base import LibraryBase
from reader.types import Progress

if TYPE_CHECKING:
    from reader.fetch.http import Fetcher
    from reader.sync import SyncBackend, SyncResult


class SyncingMixin(LibraryBase):
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
        # The sync modules (their dataclasses and protocol) are imported with the first sync,
        # never on the window's way to its first paint.
        from reader.sync import LoginRefused, SyncError, greader
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
        from reader.sync import SyncError

        settings = self.settings()
        endpoint, key = settings.sync_endpoint, settings.sync_api_key
        if not endpoint or not key:
            raise SyncError("no sync account: run `reader sync-login ENDPOINT EMAIL` first")
        from reader.services.sync import Syncer

        with self._sync_fetcher() as fetcher:
            client = self._sync_client(settings.sync_protocol, endpoint, key, fetcher)
            with self._update_lock:  # shares the article pipeline with update
                return Syncer(self.store, self._updater(), client).sync(progress)
