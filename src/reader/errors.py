"""One exception tree. Module edges wrap foreign errors: ``raise FetchError(...) from e``."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from reader.text import squash

log = logging.getLogger(__name__)


class ReaderError(Exception):
    """Base of every error Reader raises on purpose; its message is meant for the user."""


class FetchError(ReaderError):
    """A page could not be retrieved (network, HTTP status, size cap, refused scheme)."""

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class ParseError(ReaderError):
    """A page or feed was retrieved but holds nothing we can use."""


class StorageError(ReaderError):
    """The local library cannot be read or written (disk full, newer schema, corruption)."""


class SearchError(ReaderError):
    """A search query is malformed."""


class Cancelled(ReaderError):
    """Work stopped because its caller set the cancel flag it was given (a superseded search,
    a window that is closing): nobody waits for the result."""


class NotFound(ReaderError):
    """No source or article with that id."""


class SettingError(ReaderError, ValueError):
    """A setting's value was refused. A ValueError too, as config.coerce's are, so a dialog
    catches both alike."""


def setting_error(e: KeyError | ValueError) -> SettingError:
    """reader.config's refusal (an unknown name, a bad value) as a SettingError; a KeyError's
    text loses the quotes its repr puts round it."""
    text = e.args[0] if isinstance(e, KeyError) and e.args else e
    return SettingError(str(text))


P = ParamSpec("P")
R = TypeVar("R")


def parse_boundary(func: Callable[P, R]) -> Callable[P, R]:
    """A parser's entry point: whatever a page or a feed makes the code beneath raise
    (RecursionError from deep JSON, LookupError from a charset, a bug met by odd input)
    leaves it as a ParseError, that page's error, so no caller is taken down by one page."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ReaderError:
            raise
        except Exception as e:
            log.warning("%s failed on hostile or odd input", func.__qualname__, exc_info=True)
            reason = squash(f"{type(e).__name__}: {e}")[:200]
            raise ParseError(f"unreadable page ({reason})") from e

    return wrapper
