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
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from reader.errors import FetchError, NotFound
from reader.fetch.http import Fetcher
from reader.sync import LoginRefused, Mark, RemoteFeed, RemoteItem, SyncError

MAX_RESPONSE = 32 * 2**20  # 50 items with their html, or every unread id of a big account


def api_key(email: str, password: str) -> str:
    return hashlib.md5(f"{email}:{password}".encode()).hexdigest()


def endpoint_url(endpoint: str) -> str:
    """The endpoint without a query: users paste `.../fever/?api` as often as `.../fever/`."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"not an http(s) address: {endpoint}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


class FeverClient:
    def __init__(self, endpoint: str, key: str, fetcher: Fetcher) -> None:
        self.endpoint = endpoint_url(endpoint)
        self.key = key
        self.fetcher = fetcher
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
        titles = {str(g["id"]): str(g.get("title") or "") for g in groups.get("groups", [])}
        folders = {feed_id: titles.get(str(link["group_id"]), "")
                   for link in groups.get("feeds_groups", [])
                   for feed_id in str(link.get("feed_ids") or "").split(",") if feed_id}
        feeds = [RemoteFeed(id=str(f["id"]), url=str(f["url"]), title=str(f.get("title") or ""),
                            folder=folders.get(str(f["id"]), ""))
                 for f in self._call("feeds").get("feeds", []) if f.get("url")]
        self._feed_urls = {f.id: f.url for f in feeds}
        return feeds

    def items(self, cursor: str) -> tuple[list[RemoteItem], str]:
        if not self._feed_urls:
            self.feeds()
        since = int(cursor or 0)
        raw = self._call("items", since_id=str(since)).get("items") or []
        items = [self._item(r) for r in raw if r.get("url")]
        newest = max([since, *(int(r["id"]) for r in raw)])
        return items, str(newest) if newest > since else cursor

    def _item(self, r: dict[str, Any]) -> RemoteItem:
        feed_id = str(r.get("feed_id", ""))
        # Some servers keep a feed's relative links as they were (coldsweat does).
        url = urljoin(self._feed_urls.get(feed_id, self.endpoint), str(r["url"]))
        created = r.get("created_on_time")
        return RemoteItem(
            id=str(r["id"]), feed_id=feed_id, url=url, title=str(r.get("title") or ""),
            html=str(r.get("html") or ""), author=str(r.get("author") or ""),
            published=datetime.fromtimestamp(int(created), UTC) if created else None,
            is_read=bool(int(r.get("is_read") or 0)), is_saved=bool(int(r.get("is_saved") or 0)))

    def unread_ids(self) -> set[str]:
        return _ids(self._call("unread_item_ids").get("unread_item_ids"))

    def saved_ids(self) -> set[str]:
        return _ids(self._call("saved_item_ids").get("saved_item_ids"))

    def mark(self, item_id: str, mark: Mark) -> None:
        self._call(form={"mark": "item", "as": mark, "id": item_id})


def _ids(value: object) -> set[str]:
    return {i.strip() for i in str(value or "").split(",") if i.strip()}
