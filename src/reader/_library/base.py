"""What every part of the Library stands on: the store, the one fetcher, the settings and the
update pipeline built from them."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from reader import config
from reader.errors import setting_error
from reader.store.storage import Clock, Store, utc_now

if TYPE_CHECKING:
    from reader.fetch.http import Fetcher
    from reader.services.parse_pool import Parsing
    from reader.services.update import Updater


class LibraryBase:
    def __init__(self, data_dir: Path, *, fetcher_options: Mapping[str, Any] | None = None,
                 now: Clock = utc_now) -> None:
        """fetcher_options: Fetcher keyword arguments laid over those made from the settings
        (timeouts, retries), kept when a setting change makes a new Fetcher.
        now: the clock of the library, its store and its updates (when a source is due,
        what retention keeps, what they stamp); tests pass a fake one."""
        self.data_dir = Path(data_dir)
        self._fetcher_options = dict(fetcher_options or {})
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.now = now
        self.store = Store(self.data_dir, now=now)
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _updater(self, parsing: Parsing | None = None) -> Updater:
        from reader.services.plan import Options
        from reader.services.update import Updater

        settings = self.settings()
        return Updater(self.store, self.fetcher, Options(
            download_images=settings.download_images,
            max_image_bytes=settings.max_image_mb * 2**20,
            prefetch_related=settings.prefetch_related), parsing=parsing)

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
