"""Keeping one subscription list, read state and favourites on a feed server.

A backend speaks one server protocol (Fever in `fever.py`, the Google Reader API in
`greader.py`) and knows nothing of the library; `reader.services.sync` does the merging.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from reader.errors import ReaderError

Mark = Literal["read", "unread", "saved", "unsaved"]


class SyncError(ReaderError):
    """The sync server cannot be used: not reachable, not speaking the protocol."""


class LoginRefused(SyncError):
    """The server does not accept our credentials."""


class Implausible(SyncError):
    """The server answered, but with what cannot be true (a negative count, ids that are not
    ids, every known item gone at once): the sync stops and changes nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(f"the server's reply is implausible, nothing was changed: {message}")


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    id: str
    url: str  # the feed's own address, which a local subscription may share
    title: str
    folder: str = ""


@dataclass(frozen=True, slots=True)
class RemoteItem:
    id: str
    feed_id: str
    url: str  # absolute http(s), or "" when the server has no usable link for it
    title: str
    html: str  # the server's copy, unsanitised
    published: datetime | None
    author: str
    is_read: bool
    is_saved: bool


class SyncBackend(Protocol):
    @property
    def server(self) -> str:
        """Names the account in the library (remote item ids are unique per server)."""
        ...

    def check_login(self) -> None:
        """Raises LoginRefused for bad credentials, SyncError when the server is unusable."""
        ...

    def feeds(self) -> list[RemoteFeed]: ...

    def items(self, cursor: str) -> tuple[list[RemoteItem], str]:
        """One batch of items newer than cursor ("" at first) and the cursor after it;
        an empty batch means there is nothing newer."""
        ...

    def items_by_id(self, item_ids: list[str]) -> list[RemoteItem]:
        """The items the server still has among these, as it holds them now."""
        ...

    def unread_ids(self) -> set[str]: ...

    def saved_ids(self) -> set[str]: ...

    def mark_many(self, item_ids: Iterable[str], mark: Mark) -> set[str]:
        """Change these items' state (in as few requests as the protocol allows); returns
        the ids the server said it does not have."""
        ...


@runtime_checkable
class ManagesSubscriptions(Protocol):
    """A backend whose server takes subscription changes and item labels (Google Reader API;
    Fever cannot)."""

    def subscribe(self, url: str, folder: str) -> str:
        """Subscribe the account to a feed; returns the server's feed id."""
        ...

    def unsubscribe(self, feed_id: str) -> None: ...

    def move(self, feed_id: str, old_folder: str, folder: str) -> None: ...

    def labels(self, item_ids: list[str], folders: set[str]) -> dict[str, set[str]]:
        """The user labels (not folders) each of these items carries now."""
        ...

    def label(self, item_ids: list[str], label: str, add: bool) -> None: ...


@dataclass(frozen=True, slots=True)
class SyncResult:
    """How a sync ended. A server that cannot be reached is a result with `error` set."""

    feeds: int = 0  # subscriptions added from the server
    items: int = 0  # articles pulled
    pushed: int = 0  # local changes sent
    pending: int = 0  # local changes still queued (not sent, or not kept by the server)
    skipped: int = 0  # server items without a usable link, not stored
    conflicts: tuple[str, ...] = ()  # "title: read" for each item changed on both sides
    error: str = ""
