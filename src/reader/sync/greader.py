"""A Google Reader API client (FreshRSS's greader.php, Miniflux, Inoreader, The Old Reader,
BazQux, Tiny Tiny RSS's plugin).

Login is ClientLogin: the email and the API password give an `Auth` token, sent on every call
as `Authorization: GoogleLogin auth=TOKEN` and kept instead of the password; writes also carry
a short-lived `T` token. Items have two id forms, `tag:google.com,2005:reader/item/<16 hex>` in
contents and a signed decimal in id lists: both become one unsigned decimal here. New items are
read incrementally (`stream/contents` with `ot` and `continuation`), state as id lists
(`stream/items/ids` with `xt`/`s`), and marks go in batches (`edit-tag` takes many `i`).
Replies are checked as Fever's are: what cannot be true stops the sync (Implausible).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from reader.errors import FetchError
from reader.fetch.http import Fetcher, Form
from reader.sync import Implausible, LoginRefused, Mark, RemoteFeed, RemoteItem, SyncError
from reader.sync.replies import objects, text
from reader.text import clean, squash
from reader.urls import is_web_url

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
API = "reader/api/0/"
PAGE = 250  # items per stream/contents call and ids per edit-tag
ID_PAGE = 10_000  # ids per stream/items/ids call
MAX_RESPONSE = 32 * 2**20
_MARKS = {"read": ("a", READ), "unread": ("r", READ), "saved": ("a", STARRED),
          "unsaved": ("r", STARRED)}


def base_url(endpoint: str) -> str:
    """The API's root, from what users paste: `.../api/greader.php`, `.../reader/api/0/...`."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"not an http(s) address: {endpoint}")
    path = parts.path.split("/reader/api/0")[0].split("/accounts/ClientLogin")[0]
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/", "", ""))


def is_greader(endpoint: str) -> bool:
    path = urlsplit(endpoint.strip()).path
    return "greader.php" in path or "/reader/api/0" in path


def item_id(value: object) -> str:
    """One item's id as an unsigned decimal, from either form (or a refusal)."""
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    try:
        if text.startswith(ITEM_PREFIX):
            number = int(text[len(ITEM_PREFIX):], 16)
        elif text.lstrip("-").isascii() and text.lstrip("-").isdigit():
            number = int(text) & 0xFFFF_FFFF_FFFF_FFFF  # ids lists may give the signed form
        else:
            raise ValueError(text)
    except ValueError:
        raise Implausible(f"the server sent an id that cannot be: {text[:60]!r}") from None
    if not 0 <= number < 2**64:
        raise Implausible(f"the server sent an id out of range: {text[:60]!r}")
    return str(number)


def long_id(decimal: str) -> str:
    return f"{ITEM_PREFIX}{int(decimal):016x}"


def login(endpoint: str, email: str, password: str, fetcher: Fetcher) -> str:
    """ClientLogin: the Auth token for this account. Raises LoginRefused or SyncError."""
    url = base_url(endpoint) + "accounts/ClientLogin"
    try:
        response = fetcher.post(url, {"Email": email, "Passwd": password}, accept="text/plain",
                                max_bytes=64 * 1024)
    except FetchError as e:
        if e.status in (401, 403):
            raise LoginRefused(f"login refused by {base_url(endpoint)}: check the user name "
                               "and the API password") from e
        raise SyncError(f"sync server {base_url(endpoint)}: {e}") from e
    for line in response.body.decode("utf-8", "replace").splitlines():
        if line.startswith("Auth="):
            return line[5:].strip()
    raise SyncError(f"{base_url(endpoint)} does not answer as a Google Reader API")


class GReaderClient:
    def __init__(self, endpoint: str, auth: str, fetcher: Fetcher) -> None:
        self.base = base_url(endpoint)
        self.auth = auth
        self.fetcher = fetcher
        self._token = ""

    @property
    def server(self) -> str:
        return self.base

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={self.auth}"}

    def _request(self, path: str, query: dict[str, str | int] | None = None,
                 form: Form | None = None) -> bytes:
        url = self.base + API + path + ("?" + urlencode(query) if query else "")
        try:
            if form is None:
                return self.fetcher.get(url, headers=self._headers(), accept="application/json",
                                        max_bytes=MAX_RESPONSE).body
            return self.fetcher.post(url, form, headers=self._headers(),
                                     max_bytes=MAX_RESPONSE).body
        except FetchError as e:
            if e.status == 401:
                raise LoginRefused(f"login refused by {self.base}: the API password may have "
                                   "changed") from e
            raise SyncError(f"sync server {self.base}: {e}") from e

    def _json(self, path: str, query: dict[str, str | int] | None = None,
              form: Form | None = None) -> dict[str, Any]:
        body = self._request(path, {**(query or {}), "output": "json"}, form)
        try:
            answer = json.loads(body)
        except RecursionError as e:
            raise Implausible(f"{self.base} sent JSON nested too deep to read") from e
        except ValueError as e:
            raise SyncError(f"{self.base} does not answer as a Google Reader API") from e
        if not isinstance(answer, dict):
            raise Implausible("the reply is not a JSON object")
        return answer

    def _write_token(self) -> str:
        if not self._token:
            self._token = self._request("token").decode("ascii", "replace").strip()
        return self._token

    def _write(self, path: str, form: list[tuple[str, str]]) -> None:
        body = self._request(path, form=[*form, ("T", self._write_token())])
        if body.strip() != b"OK":
            raise SyncError(f"{self.base} did not accept {path}: {body[:80]!r}")

    def check_login(self) -> None:
        self._json("user-info")

    def feeds(self) -> list[RemoteFeed]:
        feeds = []
        for s in objects(self._json("subscription/list").get("subscriptions")):
            stream = text(s.get("id"))
            url = clean(str(s.get("url") or stream.removeprefix("feed/"))).strip()
            labels = [text(c.get("label")) for c in objects(s.get("categories"))]
            if stream and is_web_url(url):
                feeds.append(RemoteFeed(id=stream, url=url, title=text(s.get("title")),
                                        folder=next((label for label in labels if label), "")))
        return feeds

    def items(self, cursor: str) -> tuple[list[RemoteItem], str]:
        """Newer than the cursor "ot|continuation|newest": `ot` the crawl time the last full
        pass reached, `continuation` the page within a pass, `newest` seen in this pass."""
        since, continuation, newest = _cursor(cursor)
        query: dict[str, str | int] = {"n": PAGE, "ot": since} if since else {"n": PAGE}
        if continuation:
            query["c"] = continuation
        answer = self._json("stream/contents/" + quote(READING_LIST, safe=""), query)
        raw = objects(answer.get("items"))
        items = [self._item(r) for r in raw]
        newest = max([newest, since, *(_seconds(r) for r in raw)])
        following = text(answer.get("continuation"))
        after = f"{since}|{following}|{newest}" if following else f"{newest}||{newest}"
        return items, cursor if after == _canonical(cursor) else after

    def items_by_id(self, item_ids: list[str]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        for start in range(0, len(item_ids), PAGE):
            form = [("i", long_id(i)) for i in item_ids[start:start + PAGE]]
            answer = self._json("stream/items/contents", form=form)
            found += map(self._item, objects(answer.get("items")))
        return found

    def _stream_ids(self, query: dict[str, str | int]) -> set[str]:
        ids: set[str] = set()
        continuation = ""
        while True:
            page = {**query, "n": ID_PAGE, **({"c": continuation} if continuation else {})}
            answer = self._json("stream/items/ids", page)
            ids.update(item_id(r.get("id")) for r in objects(answer.get("itemRefs")))
            continuation = text(answer.get("continuation"))
            if not continuation:
                return ids

    def unread_ids(self) -> set[str]:
        return self._stream_ids({"s": READING_LIST, "xt": READ})

    def saved_ids(self) -> set[str]:
        return self._stream_ids({"s": STARRED})

    def mark_many(self, item_ids: Iterable[str], mark: Mark) -> set[str]:
        """Up to PAGE ids a request. The API does not say which ids it lacks: the lists read
        after sending tell what was kept."""
        action, tag = _MARKS[mark]
        ids = list(item_ids)
        for start in range(0, len(ids), PAGE):
            self._write("edit-tag", [*(("i", long_id(i)) for i in ids[start:start + PAGE]),
                                     (action, tag)])
        return set()

    # subscriptions and labels (ManagesSubscriptions)

    def subscribe(self, url: str, folder: str) -> str:
        answer = self._json("subscription/quickadd", form=[("quickadd", url),
                                                            ("T", self._write_token())])
        stream = text(answer.get("streamId"))
        if not stream:
            raise SyncError(f"{self.base} did not subscribe to {url}: "
                            f"{text(answer.get('error')) or 'no feed id in its reply'}")
        if folder:
            self.move(stream, "", folder)
        return stream

    def unsubscribe(self, feed_id: str) -> None:
        self._write("subscription/edit", [("ac", "unsubscribe"), ("s", feed_id)])

    def move(self, feed_id: str, old_folder: str, folder: str) -> None:
        form = [("ac", "edit"), ("s", feed_id)]
        if old_folder:
            form.append(("r", LABEL + old_folder))
        if folder:
            form.append(("a", LABEL + folder))
        self._write("subscription/edit", form)

    def labels(self, item_ids: list[str], folders: set[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for start in range(0, len(item_ids), PAGE):
            form = [("i", long_id(i)) for i in item_ids[start:start + PAGE]]
            for r in objects(self._json("stream/items/contents", form=form).get("items")):
                found[item_id(r.get("id"))] = {
                    name for c in r.get("categories") or [] if isinstance(c, str)
                    and (name := _label(c)) and name not in folders}
        return found

    def label(self, item_ids: list[str], label: str, add: bool) -> None:
        for start in range(0, len(item_ids), PAGE):
            self._write("edit-tag", [*(("i", long_id(i)) for i in item_ids[start:start + PAGE]),
                                     ("a" if add else "r", LABEL + label)])

    def _item(self, r: dict[str, Any]) -> RemoteItem:
        links = [*objects(r.get("canonical")), *objects(r.get("alternate"))]
        url = next((u for link in links if is_web_url(u := clean(str(link.get("href") or ""))
                                                       .strip())), "")
        tags = {text(c) for c in r.get("categories") or [] if isinstance(c, str)}
        content = r.get("content") or r.get("summary") or {}
        published = r.get("published")
        origin = r["origin"] if isinstance(r.get("origin"), dict) else {}
        return RemoteItem(
            id=item_id(r.get("id")), feed_id=text(origin.get("streamId")), url=url,
            title=text(r.get("title")), author=text(r.get("author")),
            html=clean(str(content.get("content") or "")) if isinstance(content, dict) else "",
            published=datetime.fromtimestamp(published, UTC)
            if isinstance(published, int) and 0 < published < 2**33 else None,
            is_read=any(t.endswith("/state/com.google/read") for t in tags),
            is_saved=any(t.endswith("/state/com.google/starred") for t in tags))


def _cursor(cursor: str) -> tuple[int, str, int]:
    since, _, rest = cursor.partition("|")
    continuation, _, newest = rest.partition("|")
    return (int(since) if since.isdigit() else 0, continuation,
            int(newest) if newest.isdigit() else 0)


def _canonical(cursor: str) -> str:
    since, continuation, newest = _cursor(cursor)
    return f"{since}|{continuation}|{newest}"


def _seconds(r: dict[str, Any]) -> int:
    """The item's crawl time in seconds, the clock `ot` compares with."""
    for name, scale in (("crawlTimeMsec", 1000), ("timestampUsec", 1_000_000)):
        value = r.get(name)
        if isinstance(value, str) and value.isdigit():
            return int(value) // scale
    return 0


def _label(category: str) -> str:
    """"user/-/label/X" or "user/1234/label/X" -> X; anything else -> ""."""
    user, _, rest = category.partition("/label/")
    return squash(rest) if user.startswith("user/") and rest else ""
