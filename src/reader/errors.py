"""One exception tree. Module edges wrap foreign errors: ``raise FetchError(...) from e``."""


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


class NotFound(ReaderError):
    """No source or article with that id."""


class SettingError(ReaderError, ValueError):
    """A setting's value was refused. A ValueError too, as config.coerce's are, so a dialog
    catches both alike."""
