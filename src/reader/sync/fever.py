"""A Fever API client (FreshRSS, Miniflux, Tiny Tiny RSS's plugin, coldsweat all serve it).

Fever is one endpoint: every call is a POST to `ENDPOINT?api&COMMAND` carrying the form field
api_key = md5("email:password"); the answer is JSON whose `auth` is 1 when the key is known.
Calls go through Reader's Fetcher, so the size cap, deadline and error messages are the same as
for any page; the caller hands in a Fetcher without politeness delay, since the server is the
user's own and a sync makes one call per changed item.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from reader.errors import FetchError, NotFound
from reader.fetch.http import Fetcher
from reader.sync import Implausible, LoginRefused, Mark, RemoteFeed, RemoteItem, SyncError
from reader.sync.replies import objects, text
from reader.text import CJK, clean
from reader.urls import is_web_url

MAX_RESPONSE = 32 * 2**20  # 50 items with their html, or every unread id of a big account
WITH_IDS = 50  # the most items one `with_ids` call returns


def api_key(email: str, password: str) -> str:
    return hashlib.md5(f"{email}:{password}".encode()).hexdigest()


def endpoint_url(endpoint: str) -> str:
    """The endpoint without a query: users paste `.../fever/?api` as often as `.../fever/`."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"not an http(s) address: {endpoint}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


# FreshRSS (its Fever endpoint is `.../api/fever.php`) sends `& < >` in titles as full-width
# `＆ ＜ ＞`, and `? / , ;` in feed and folder names as full-width forms too. Its Chinese
# names use the full-width forms on purpose, so in names they are undone only after a
# character that is not CJK.
_MARKUP = str.maketrans({"＆": "&", "＜": "<", "＞": ">"})
_NAME_PUNCT = re.compile(f"(?<=[^{CJK}\\s])[？／，；]")
_ASCII = {"？": "?", "／": "/", "，": ",", "；": ";"}


def freshrss_title(title: str) -> str:
    return title.translate(_MARKUP)


def freshrss_name(name: str) -> str:
    return _NAME_PUNCT.sub(lambda m: _ASCII[m.group()], name.translate(_MARKUP))


class FeverClient:
    def __init__(self, endpoint: str, key: str, fetcher: Fetcher) -> None:
        self.endpoint = endpoint_url(endpoint)
        self.key = key
        self.fetcher = fetcher
        freshrss = urlsplit(self.endpoint).path.endswith("/api/fever.php")
        self._title = freshrss_title if freshrss else str
        self._name = freshrss_name if freshrss else str
        self._feed_urls: dict[str, str] = {}  # feed id -> feed URL, to resolve item links

    @property
    def server(self) -> str:
        return self.endpoint

    def _call(self, *commands: str, form: dict[str, str] | None = None,
              **query: str) -> dict[str, Any]:
        # Commands and since_id go in the query string (servers read them from there), the
        # key and mark arguments in the form.
        url = self.endpoint + "?" + "&".join(["api", *commands, *(
            f"{name}={value}" for name, value in query.items())])
        try:
            response = self.fetcher.post(url, {"api_key": self.key, **(form or {})},
                                         max_bytes=MAX_RESPONSE)
        except FetchError as e:
            if e.status == 404 and form:
                raise NotFound(f"the server has no item {form.get('id')}") from e
            raise SyncError(f"sync server {self.endpoint}: {e}") from e
        try:
            answer = json.loads(response.body)
        except RecursionError as e:
            raise Implausible(f"{self.endpoint} sent JSON nested too deep to read") from e
        except ValueError as e:
            raise SyncError(f"{self.endpoint} does not answer as a Fever API "
                            "(expected JSON; is this the Fever endpoint?)") from e
        if not isinstance(answer, dict):
            raise SyncError(f"{self.endpoint} does not answer as a Fever API")
        if answer.get("auth") != 1:
            raise LoginRefused(f"login refused by {self.endpoint}: check the email and "
                               "password (some servers want a separate API password)")
        return answer

    def check_login(self) -> None:
        self._call()

    def feeds(self) -> list[RemoteFeed]:
        groups = self._call("groups")
        titles = {_id(g.get("id")): self._name(text(g.get("title")))
                  for g in objects(groups.get("groups"))}
        folders = {feed_id: titles.get(_id(link.get("group_id")), "")
                   for link in objects(groups.get("feeds_groups"))
                   for feed_id in _ids(link.get("feed_ids"))}
        # A feed server is trusted no more than a page: only web addresses become sources.
        feeds = [RemoteFeed(id=_id(f.get("id")), url=url, title=self._name(text(f.get("title"))),
                            folder=folders.get(_id(f.get("id")), ""))
                 for f in objects(self._call("feeds").get("feeds"))
                 if is_web_url(url := clean(str(f.get("url") or "")).strip())]
        self._feed_urls = {f.id: f.url for f in feeds}
        return feeds

    def items(self, cursor: str) -> tuple[list[RemoteItem], str]:
        if not self._feed_urls:
            self.feeds()
        since = int(cursor or 0)
        raw = self._checked_items(self._call("items", since_id=str(since)))
        newest = max([since, *(int(_id(r.get("id"))) for r in raw)])
        return [self._item(r) for r in raw], str(newest) if newest > since else cursor

    def items_by_id(self, item_ids: list[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(item_ids), WITH_IDS):
            chunk = ",".join(item_ids[start:start + WITH_IDS])
            found += map(self._item, self._checked_items(self._call("items", with_ids=chunk)))
        return found

    def _checked_items(self, answer: dict[str, Any]) -> list[dict[str, Any]]:
        total = answer.get("total_items")
        if total is not None and (not isinstance(total, int) or total < 0):
            raise Implausible(f"{self.endpoint} reports {total!r} items in all")
        return objects(answer.get("items"))

    def _item(self, r: dict[str, Any]) -> RemoteItem:
        feed_id = _id(r.get("feed_id", 0))
        # Some servers keep a feed's relative links as they were (coldsweat does).
        link = clean(str(r.get("url") or "")).strip()
        url = urljoin(self._feed_urls.get(feed_id, self.endpoint), link) if link else ""
        created = r.get("created_on_time")
        try:
            published = datetime.fromtimestamp(int(created), UTC) if created else None
        except (TypeError, ValueError, OverflowError, OSError):
            published = None
        return RemoteItem(
            id=_id(r.get("id")), feed_id=feed_id, url=url if is_web_url(url) else "",
            title=self._title(text(r.get("title"))), html=clean(str(r.get("html") or "")),
            author=text(r.get("author")), published=published,
            is_read=_flag(r.get("is_read")), is_saved=_flag(r.get("is_saved")))

    def unread_ids(self) -> set[str]:
        return set(_ids(self._call("unread_item_ids").get("unread_item_ids")))

    def saved_ids(self) -> set[str]:
        return set(_ids(self._call("saved_item_ids").get("saved_item_ids")))

    def mark_many(self, item_ids: Iterable[str], mark: Mark) -> set[str]:
        """Fever marks one item a call; returns the ids the server does not have."""
        gone = set()
        for item_id in item_ids:
            try:
                self._call(form={"mark": "item", "as": mark, "id": item_id})
            except NotFound:
                gone.add(item_id)
        return gone


# A Fever reply is checked as it is read: ids are integers, lists are lists, flags are 0/1.
# Anything else is a server that cannot be believed, and the sync stops before it changes
# anything (Implausible), instead of failing half-way with a traceback.

def _id(value: object) -> str:
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise Implausible(f"the server sent an id that cannot be: {str(value)[:40]!r}")
    return text.lstrip("0") or "0"


def _ids(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if not isinstance(value, (str, int)):
        raise Implausible("the server sent an id list that is not a list of ids")
    return [_id(i) for i in str(value).split(",") if i.strip()]


def _flag(value: object) -> bool:
    if value in (None, "", 0, 1, "0", "1", True, False):
        return value in (1, "1", True)
    raise Implausible(f"the server sent a flag that is not 0 or 1: {str(value)[:40]!r}")
