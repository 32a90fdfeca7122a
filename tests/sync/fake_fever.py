"""An in-process Fever server for what coldsweat never does: accept a change and keep nothing,
answer `auth=1` over a broken database, forget a feed the user unsubscribed from, list one URL
under two feeds, send wrong types.

It speaks the Fever API as FreshRSS and Miniflux serve it: every call a POST to
`/fever/?api&COMMAND` with the form field `api_key`; ids are integers, id lists are
comma-joined strings; `items` pages by `since_id` (50 per call) or fetches `with_ids`.
Article pages are served too, at `/a/N.html`, so the sync can read them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.sync import inprocess

EMAIL = "reader@example.com"
PASSWORD = "a fever password"
KEY = hashlib.md5(f"{EMAIL}:{PASSWORD}".encode()).hexdigest()


@dataclass
class Item:
    id: int
    feed_id: int
    title: str
    url: str = ""  # "" = the server's own page for it, /a/ID.html
    is_read: bool = False
    is_saved: bool = False


@dataclass
class FakeFever:
    feeds: dict[int, str] = field(default_factory=dict)  # id -> feed URL
    names: dict[int, str] = field(default_factory=dict)  # id -> title, when not "Feed N"
    folders: dict[int, str] = field(default_factory=dict)  # id -> group title
    items: dict[int, Item] = field(default_factory=dict)
    # What a broken server does: "keeps_nothing" answers marks with auth=1 and changes
    # nothing; "broken_db" answers every call with auth=1, total_items -1 and empty lists;
    # "endless" always has 50 items newer than the one asked for.
    fault: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)  # command -> answer fields
    raw: dict[str, bytes] = field(default_factory=dict)  # command -> the body, as it is
    calls: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    def page(self, item_id: int) -> str:
        return f"http://127.0.0.1:{self.port}/a/{item_id}.html"

    def add_feed(self, feed_id: int, count: int, *, first_id: int) -> list[Item]:
        self.feeds[feed_id] = f"http://127.0.0.1:{self.port}/feed{feed_id}.xml"
        made = [Item(first_id + n, feed_id, f"Feed {feed_id} story {n}") for n in range(count)]
        self.items.update((i.id, i) for i in made)
        return made

    def unread(self) -> set[int]:
        return {i.id for i in self.items.values() if not i.is_read}

    def saved(self) -> set[int]:
        return {i.id for i in self.items.values() if i.is_saved}

    def unsubscribe(self, feed_id: int) -> None:
        """As FreshRSS does: the feed and every item of it are gone."""
        del self.feeds[feed_id]
        self.items = {k: i for k, i in self.items.items() if i.feed_id != feed_id}

    # the protocol

    def answer(self, query: dict[str, list[str]], form: dict[str, list[str]]) -> Any:
        command = next((c for c in query if c != "api"), "")
        self.calls.append(command or ("mark" if "mark" in form else "login"))
        if form.get("api_key", [""])[0] != KEY:
            return {"api_version": 3, "auth": 0}
        out: dict[str, Any] = {"api_version": 3, "auth": 1}
        if command in self.overrides:
            return {**out, **self.overrides[command]}
        if self.fault == "broken_db":
            return {**out, "items": [], "total_items": -1, "unread_item_ids": "",
                    "saved_item_ids": "", "feeds": [], "groups": [], "feeds_groups": []}
        if "mark" in form:
            if self.fault != "keeps_nothing":
                self._mark(form["as"][0], int(form["id"][0]))
        elif command == "groups":
            groups = sorted(set(self.folders.values()))
            out |= {"groups": [{"id": n + 1, "title": g} for n, g in enumerate(groups)],
                    "feeds_groups": [{"group_id": n + 1, "feed_ids": ",".join(
                        str(f) for f, name in self.folders.items() if name == g)}
                        for n, g in enumerate(groups)]}
        elif command == "feeds":
            out |= {"feeds": [{"id": f, "title": self.names.get(f, f"Feed {f}"), "url": u}
                              for f, u in self.feeds.items()], "feeds_groups": []}
        elif command == "items":
            if self.fault == "endless":
                since = int(query.get("since_id", ["0"])[0])
                chosen = [Item(since + n, 1, f"Story {since + n}", url=" ") for n in range(1, 51)]
            elif "with_ids" in query:
                wanted = [int(i) for i in query["with_ids"][0].split(",") if i]
                chosen = [self.items[i] for i in wanted if i in self.items]
            else:
                since = int(query.get("since_id", ["0"])[0])
                chosen = sorted((i for i in self.items.values() if i.id > since),
                                key=lambda i: i.id)[:50]
            out |= {"items": [self._item(i) for i in chosen], "total_items": len(self.items)}
        elif command == "unread_item_ids":
            out["unread_item_ids"] = ",".join(map(str, sorted(self.unread())))
        elif command == "saved_item_ids":
            out["saved_item_ids"] = ",".join(map(str, sorted(self.saved())))
        return out

    def _mark(self, mark: str, item_id: int) -> None:
        item = self.items.get(item_id)
        if item is None:
            return
        if mark in ("read", "unread"):
            item.is_read = mark == "read"
        else:
            item.is_saved = mark == "saved"

    def _item(self, i: Item) -> dict[str, Any]:
        return {"id": i.id, "feed_id": i.feed_id, "title": i.title, "author": "",
                "html": f"<p>{i.title}, as the server keeps it.</p>",
                "url": i.url or self.page(i.id), "is_saved": int(i.is_saved),
                "is_read": int(i.is_read), "created_on_time": 1764547200 + i.id}


def serve(fever: FakeFever) -> ThreadingHTTPServer:
    class Handler(inprocess.Handler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path.startswith("/a/"):
                item = fever.items.get(int(path[3:].split(".")[0] or 0))
                if item is not None:
                    body = (f"<html><head><title>{item.title}</title></head><body><article>"
                            f"<h1>{item.title}</h1><p>{item.title} is told here in full, "
                            "with enough words to be read as the body of the page.</p>"
                            "</article></body></html>").encode()
                    return self.send(200, body, "text/html; charset=utf-8")
            self.send(404, b"not found")

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            query = parse_qs(parts.query, keep_blank_values=True)
            command = next((c for c in query if c != "api"), "")
            body = fever.raw.get(command) or json.dumps(fever.answer(query, form)).encode()
            self.send(200, body, "application/json")

    server = inprocess.start(Handler, fever.port)
    fever.port = server.server_address[1]
    return server
