"""An in-process Google Reader API server, written from the protocol as FreshRSS
(`api/greader.php`) and Miniflux document it: ClientLogin, the `Authorization: GoogleLogin
auth=` header (401 without it), the `T` token for writes (401 with
`X-Reader-Google-Bad-Token` when wrong), subscription/list with folders as categories,
stream/contents with `n`, `ot` and `continuation`, stream/items/ids with `s`, `xt` and
`continuation` (ids as signed decimals), stream/items/contents by `i`, edit-tag with many `i`
(long hex ids) for states and user labels, subscription/quickadd and subscription/edit
(unsubscribe; folders as labels). Items carry their feed's folder as a label, as FreshRSS's
do. Article pages are served at /a/N.html.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.sync import inprocess

EMAIL = "reader"
PASSWORD = "an api password"
AUTH = "reader/0123456789abcdef"
TOKEN = "T0K3N" * 8
API = "/api/greader.php/reader/api/0/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
BASE_ID = 2**63 + 7  # past the signed range: id lists give these as negative decimals


@dataclass
class Entry:
    id: int
    feed: str
    title: str
    crawled: int  # seconds
    read: bool = False
    starred: bool = False
    labels: set[str] = field(default_factory=set)


@dataclass
class FakeGReader:
    feeds: dict[str, tuple[str, str]] = field(default_factory=dict)  # stream -> (title, folder)
    urls: dict[str, str] = field(default_factory=dict)  # stream -> feed URL, when quickadded
    entries: dict[int, Entry] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    edits: list[list[str]] = field(default_factory=list)  # the `i` of each edit-tag
    overrides: dict[str, Any] = field(default_factory=dict)  # path -> JSON answer
    port: int = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/greader.php"

    def page(self, entry_id: int) -> str:
        return f"http://127.0.0.1:{self.port}/a/{entry_id}.html"

    def add_feed(self, number: int, count: int, folder: str = "") -> None:
        stream = f"feed/{number}"
        self.feeds[stream] = (f"Feed {number}", folder)
        first = BASE_ID + 100 * number
        for n in range(count):
            self.entries[first + n] = Entry(first + n, stream, f"Feed {number} story {n}",
                                            crawled=1764547200 + 100 * number + n)

    def ids(self, *, read: bool | None = None, starred: bool | None = None) -> set[int]:
        return {e.id for e in self.entries.values()
                if (read is None or e.read == read) and (starred is None or e.starred == starred)}

    # the protocol

    def get(self, path: str, query: dict[str, list[str]]) -> Any:
        one = {k: v[0] for k, v in query.items()}
        if path in self.overrides:
            return self.overrides[path]
        if path == "user-info":
            return {"userId": "1", "userName": EMAIL}
        if path == "token":
            return TOKEN
        if path == "subscription/list":
            return {"subscriptions": [
                {"id": stream, "title": title,
                 "url": self.urls.get(stream, f"http://127.0.0.1:{self.port}/{stream}.xml"),
                 "categories": [{"id": f"user/-/label/{folder}", "label": folder}] if folder
                 else []} for stream, (title, folder) in self.feeds.items()]}
        if path.startswith("stream/contents/"):
            since = int(one.get("ot", 0))
            chosen = sorted((e for e in self.entries.values() if e.crawled >= since),
                            key=lambda e: -e.crawled)
            return self._page(chosen, one, "items", self._item)
        if path == "stream/items/ids":
            chosen = sorted(self._stream(one["s"]), key=lambda e: -e.crawled)
            if one.get("xt") == READ:
                chosen = [e for e in chosen if not e.read]
            return self._page(chosen, one, "itemRefs",
                              lambda e: {"id": str(e.id - 2**64 if e.id >= 2**63 else e.id)})
        raise KeyError(path)

    def post(self, path: str, form: dict[str, list[str]]) -> Any:
        if path == "stream/items/contents":
            wanted = [int(i.rsplit("/", 1)[1], 16) for i in form.get("i", [])]
            return {"items": [self._item(self.entries[i]) for i in wanted if i in self.entries]}
        if path == "edit-tag":
            ids = [int(i.rsplit("/", 1)[1], 16) for i in form.get("i", [])]
            self.edits.append(form.get("i", []))
            for tag, value in ((t, True) for t in form.get("a", [])):
                self._tag(ids, tag, value)
            for tag in form.get("r", []):
                self._tag(ids, tag, False)
            return "OK"
        if path == "subscription/quickadd":
            url = form["quickadd"][0]
            stream = f"feed/{len(self.feeds) + 100}"
            self.feeds[stream] = (url.rsplit("/", 1)[-1], "")
            self.urls[stream] = url
            return {"numResults": 1, "query": url, "streamId": stream}
        if path == "subscription/edit":
            stream = form["s"][0]
            if stream not in self.feeds:
                raise KeyError(stream)
            if form.get("ac") == ["unsubscribe"]:
                del self.feeds[stream]
                self.entries = {k: e for k, e in self.entries.items() if e.feed != stream}
                return "OK"
            title, folder = self.feeds[stream]
            for added in form.get("a", []):
                folder = added.removeprefix(LABEL)
            if form.get("r") and not form.get("a"):
                folder = ""
            self.feeds[stream] = (form.get("t", [title])[0], folder)
            return "OK"
        raise KeyError(path)

    def _tag(self, ids: list[int], tag: str, value: bool) -> None:
        for i in ids:
            entry = self.entries.get(i)
            if entry and tag == READ:
                entry.read = value
            elif entry and tag == STARRED:
                entry.starred = value
            elif entry and tag.startswith(LABEL):
                (entry.labels.add if value else entry.labels.discard)(tag.removeprefix(LABEL))

    def _stream(self, stream: str) -> list[Entry]:
        if stream == STARRED:
            return [e for e in self.entries.values() if e.starred]
        return list(self.entries.values())

    def _page(self, chosen: list[Entry], one: dict[str, str], key: str,
              shape: Any) -> dict[str, Any]:
        start, size = int(one.get("c") or 0), int(one.get("n", 20))
        out: dict[str, Any] = {key: [shape(e) for e in chosen[start:start + size]]}
        if start + size < len(chosen):
            out["continuation"] = str(start + size)
        return out

    def _item(self, e: Entry) -> dict[str, Any]:
        folder = self.feeds.get(e.feed, ("", ""))[1]
        tags = ["user/-/state/com.google/reading-list",
                *([READ] if e.read else []), *([STARRED] if e.starred else []),
                *(LABEL + name for name in sorted(e.labels | ({folder} if folder else set())))]
        return {"id": f"tag:google.com,2005:reader/item/{e.id:016x}", "title": e.title,
                "published": e.crawled, "crawlTimeMsec": str(e.crawled * 1000),
                "canonical": [{"href": self.page(e.id)}], "categories": tags,
                "origin": {"streamId": e.feed}, "summary": {"content": f"<p>{e.title}.</p>"}}


def serve(fake: FakeGReader) -> ThreadingHTTPServer:
    class Handler(inprocess.Handler):
        def do_GET(self) -> None:
            self._answer(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(parse_qs(self.rfile.read(length).decode()))

        def _answer(self, form: dict[str, list[str]] | None) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            fake.requests.append(path)
            if path.startswith("/a/"):
                entry = fake.entries.get(int(path[3:].split(".")[0]))
                title = entry.title if entry else "gone"
                return self._send(200, f"<html><body><article><h1>{title}</h1><p>{title} is "
                                       "told here in full, with words enough for a body.</p>"
                                       "</article></body></html>", "text/html; charset=utf-8")
            if path == "/api/greader.php/accounts/ClientLogin" and form is not None:
                if form.get("Email") == [EMAIL] and form.get("Passwd") == [PASSWORD]:
                    return self._send(200, f"SID={AUTH}\nLSID=null\nAuth={AUTH}\n")
                return self._send(401, "Error=BadAuthentication\n")
            if not path.startswith(API):
                return self._send(404, "not found")
            if self.headers.get("Authorization") != f"GoogleLogin auth={AUTH}":
                return self._send(401, "Unauthorized!")
            reading = path == API + "stream/items/contents"  # a POST that only reads
            if form is not None and not reading and form.get("T") != [TOKEN]:
                self.send_response(401)
                self.send_header("X-Reader-Google-Bad-Token", "true")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            name = path[len(API):]
            try:
                answer = fake.get(name, parse_qs(parts.query)) if form is None \
                    else fake.post(name, form)
            except KeyError:
                return self._send(404, "unknown")
            if isinstance(answer, str):
                return self._send(200, answer)
            return self._send(200, json.dumps(answer), "application/json")

        def _send(self, status: int, body: str, kind: str = "text/plain") -> None:
            self.send(status, body.encode(), kind)

    server = inprocess.start(Handler, fake.port)
    fake.port = server.server_address[1]
    return server
