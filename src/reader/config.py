"""Every setting declared once, with its type, default and description; and the data folder."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

APP_NAME = "reader"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then READER_DATA_DIR, then the platform's user data folder."""
    chosen = explicit or os.environ.get("READER_DATA_DIR")
    path = Path(chosen) if chosen else _user_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _user_data_dir() -> Path:
    if sys.platform.startswith("linux"):
        # The XDG rule, as platformdirs reads it (a test holds the two together): importing
        # platformdirs costs the window's start 6 ms.
        xdg = os.environ.get("XDG_DATA_HOME", "")
        return Path(xdg if os.path.isabs(xdg) else os.path.expanduser("~/.local/share"), APP_NAME)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


_CONTROL = re.compile("[\x00-\x1f\x7f]")


class Setting(NamedTuple):
    name: str
    type: type
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    editable: bool = True  # False: set by its own command or dialog, not the settings dialog
    secret: bool = False  # as good as a password: never printed


SETTINGS: tuple[Setting, ...] = (
    Setting("update_interval_minutes", int, 30,
            "Update all sources every this many minutes while the window is open (0: never)."),
    Setting("prefetch_related", bool, True,
            "Also fetch the pages an article's related block links to, for offline reading."),
    Setting("download_images", bool, True, "Download article images into the cache."),
    Setting("max_image_mb", int, 5, "Skip images larger than this many megabytes."),
    Setting("proxy", str, "", "Proxy for every request, e.g. http://host:3128 or socks5://host:1080."),
    Setting("request_delay_ms", int, 250,
            "Wait at least this long between two requests to the same host (politeness)."),
    Setting("font_size", int, 15, "Body font size of the article view, in points."),
    Setting("theme", str, "system", "Colour theme.", ("system", "light", "dark")),
    Setting("mute_words", list, [],
            "Hide articles whose title holds one of these words (comma-separated); "
            "favourites always show."),
    Setting("group_copies", bool, True,
            "Show a story once, however many sites carry it: its copies are named under it "
            "(\"also in ...\"); off: one row per copy."),
    Setting("keep_days", int, 0,
            "Retention: after each update, remove articles older than this many days "
            "(0: keep all); favourites stay."),
    Setting("keep_per_source", int, 0,
            "Retention: after each update, keep only this many newest articles per source "
            "(0: all); favourites stay."),
    Setting("sync_endpoint", str, "",
            "Address of a feed server to sync with (set by `reader sync-login`).",
            editable=False),
    Setting("sync_protocol", str, "fever",
            "The API sync_endpoint speaks (found by `reader sync-login`).",
            choices=("fever", "greader"), editable=False),
    Setting("sync_api_key", str, "",
            "The key for sync_endpoint (Fever: md5 of email:password; Google Reader API: its "
            "Auth token); never the password.",
            editable=False, secret=True),
)


class Settings(NamedTuple):
    """Every global setting with its type, as Library.settings() reads them (SETTINGS declares
    the same names with their defaults and descriptions; a test keeps the two in step)."""

    update_interval_minutes: int
    prefetch_related: bool
    download_images: bool
    max_image_mb: int
    proxy: str
    request_delay_ms: int
    font_size: int
    theme: str
    mute_words: list[str]
    group_copies: bool
    keep_days: int
    keep_per_source: int
    sync_endpoint: str
    sync_protocol: str
    sync_api_key: str


# Stored with each source (a JSON object in sources.settings); a source's update reads them
# over the global ones. "default" in download_images means: follow the global setting, so a
# source need not repeat it and follows when it changes.
SOURCE_SETTINGS: tuple[Setting, ...] = (
    Setting("charset", str, "",
            "Character set of this source's pages and feed, over what they declare "
            "(e.g. gbk; empty: detect)."),
    Setting("update_interval_minutes", int, 0,
            "Update this source at most every this many minutes (0: with every update)."),
    Setting("full_articles", bool, True,
            "Fetch each article's page; off: keep the summary the feed carries."),
    Setting("download_images", str, "default",
            "Download this source's images (default: as the global setting says).",
            ("default", "yes", "no")),
    Setting("user_agent", str, "",
            "User-Agent sent on this source's requests (empty: Reader's own)."),
    Setting("rule", dict, {},
            "XPath rule for a portal the generic extractor gets wrong: links, title, body, "
            "published, next.", editable=False),  # edited as a form of its own
)


def declared(name: str, settings: tuple[Setting, ...] = SETTINGS) -> Setting:
    for setting in settings:
        if setting.name == name:
            return setting
    raise KeyError(f"unknown setting {name!r}")


def source_values(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Every source setting: the stored value, else its default (unknown names dropped)."""
    return {s.name: stored.get(s.name, s.default) for s in SOURCE_SETTINGS}


def coerce(name: str, value: Any, settings: tuple[Setting, ...] = SETTINGS) -> Any:
    """Check and convert a value for a setting; raises ValueError with a user-facing message."""
    setting = declared(name, settings)
    convert: Callable[[Any], Any] = setting.type
    if setting.type is dict and isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as e:
            raise ValueError(f"{name}: not a JSON object: {e}") from None
    if setting.type is bool and isinstance(value, str):
        if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ValueError(f"{name}: expected yes or no, got {value!r}")
        value = value.lower() in ("1", "true", "yes", "on")
    if setting.type is list and isinstance(value, str):
        value = [word.strip() for word in value.split(",") if word.strip()]
    try:
        result = convert(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected {setting.type.__name__}, got {value!r}") from None
    if setting.choices and result not in setting.choices:
        raise ValueError(f"{name}: expected one of {', '.join(setting.choices)}, got {value!r}")
    if setting.type is int and result < 0:
        raise ValueError(f"{name}: must not be negative")
    if isinstance(result, str) and _CONTROL.search(result):
        raise ValueError(f"{name}: must not hold control characters (line breaks, tabs)")
    return result
