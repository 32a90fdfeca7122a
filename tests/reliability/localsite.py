"""Local servers and generated pages for the reliability tests and benchmarks.

`FaultServer` speaks just enough HTTP over raw sockets that a route can misbehave at any byte
(drip, reset, lie, never end). `Site` is a large deterministic news site whose pages say
exactly which images and related links each article has, so a check after a crash can compare
every stored article with its page. The bench scripts import this module too.
"""

from __future__ import annotations

import html
import random
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Handler = Callable[[socket.socket, str], None]


def respond(conn: socket.socket, body: bytes = b"", *, status: str = "200 OK",
            content_type: str = "text/html; charset=utf-8",
            headers: Sequence[tuple[str, str]] = (), length: bool = True) -> None:
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", "Connection: close"]
    if length:
        head.append(f"Content-Length: {len(body)}")
    head += [f"{k}: {v}" for k, v in headers]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)


def _read_request(conn: socket.socket) -> str | None:
    """The request path, or None when the client went away first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return parts[1] if len(parts) >= 2 else "/"


class FaultServer:
    """One thread per connection; a route is a function that owns the socket until it returns."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self._listener.getsockname()[1]
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def serve(self, path: str, body: bytes, **options: object) -> str:
        return self.route(path, lambda conn, _: respond(conn, body, **options))  # type: ignore[arg-type]

    def _prefix_route(self, path: str) -> Handler | None:
        """Routes ending in /* take every path below them."""
        for key, handler in self.routes.items():
            if key.endswith("/*") and path.startswith(key[:-1]):
                return handler
        return None

    def close(self) -> None:
        self._closed.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            path = _read_request(conn)
            if path is None:
                return
            with self._lock:
                self.hits[path] = self.hits.get(path, 0) + 1
            handler = self.routes.get(path) or self._prefix_route(path)
            if handler is None:
                respond(conn, b"not here", status="404 Not Found", content_type="text/plain")
            else:
                handler(conn, path)
        except OSError:
            pass  # the client gave up (deadline, cap): that is the point of most routes
        finally:
            conn.close()


def then(first: Handler, after: Handler, *, times: int = 1) -> Handler:
    """Behave well `times` times (so the source can be added), then misbehave."""
    calls = [0]
    lock = threading.Lock()

    def handler(conn: socket.socket, path: str) -> None:
        with lock:
            calls[0] += 1
            good = calls[0] <= times
        (first if good else after)(conn, path)

    return handler


# --- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """What an article page holds, as the generator wrote it."""

    url: str
    title: str
    paragraphs: tuple[str, ...]
    images: tuple[tuple[str, str], ...] = ()  # (src, caption)
    related: tuple[tuple[str, str], ...] = ()  # (href, title)
    extra: str = ""  # raw HTML put inside the body, for hostile content


def article_html(page: Page, *, charset: str = "utf-8") -> str:
    """An article page in the style of the bundled sample site (a Chinese portal)."""
    body = []
    for i, text in enumerate(page.paragraphs):
        body.append(f"<p>{html.escape(text)}</p>")
        if i < len(page.images):
            src, caption = page.images[i]
            body.append(f'<p style="text-align:center"><img src="{html.escape(src)}" alt="" '
                        f'width="640" height="360"></p>')
            body.append(f'<p class="img-note">{html.escape(caption)}</p>')
    related = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f'<span class="time">2025-11-01 08:00:00</span></li>' for href, title in page.related)
    related_block = (f'<div class="related"><ul><li class="related-head">相关文章</li>'
                     f'{related}</ul></div>') if page.related else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>{html.escape(page.title)} - 测试新闻网</title></head><body>
<div class="header"><a href="/">首页</a> <a href="/news/">新闻</a></div>
<div class="main">
<div class="position">所在位置: <a href="/">首页</a> &gt; <a href="/news/">新闻</a> &gt;</div>
<div class="article">
<h1 class="title">{html.escape(page.title)}</h1>
<div class="info"><span class="views">1286次浏览</span>&nbsp;&nbsp;
<span>发布时间: 2025-11-20 08:30:00</span>&nbsp;&nbsp;<span>来源: 测试发布</span></div>
<div class="content" id="zoom">
{"".join(body)}
{page.extra}
</div></div>
{related_block}
</div>
<div class="footer"><p>Copyright 2025 测试新闻网</p></div>
</body></html>"""


_WORDS = ("市民", "交通", "公园", "学校", "医院", "铁路", "河道", "社区", "图书馆", "志愿者",
          "农产品", "博物馆", "地铁", "老街", "新能源", "供暖", "比赛", "研讨会", "工程", "规划")


def paragraphs(seed: int, count: int = 4) -> tuple[str, ...]:
    """Deterministic Chinese-looking paragraphs, long enough for the extractor to keep."""
    rng = random.Random(seed)
    return tuple("".join(rng.choice(_WORDS) + rng.choice(",的和在。") for _ in range(40))
                 for _ in range(count))


def rss(items: Iterable[tuple[str, str]], title: str = "测试频道") -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>Thu, 20 Nov 2025 08:30:00 +0800</pubDate></item>" for u, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{html.escape(title)}</title><link>http://example.invalid/</link>"
            f"<description>d</description>{entries}</channel></rss>").encode()


def png(width: int, height: int, seed: int = 0, padding: int = 0) -> bytes:
    """A valid 1-bit greyscale PNG, distinct per seed; cheap at any size (20,000^2 is ~60 KB).

    `padding` adds that many incompressible bytes in an ancillary chunk, to fill disks.
    """
    row = bytes([0]) + bytes([seed % 256]) * ((width + 7) // 8)
    raw = zlib.compressobj(9)
    data = b"".join(raw.compress(row) for _ in range(height)) + raw.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload)))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"tEXt", b"seed\0" + str(seed).encode())
            + (chunk(b"raNd", random.Random(seed).randbytes(padding)) if padding else b"")
            + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


# --- a large generated site -----------------------------------------------------------------


class Site:
    """`articles` pages behind one RSS feed, each with 2 images and 3 related links.

    Pages are made on request from their number, so the site costs nothing until fetched and
    any article can be re-derived later to check what was stored. The feed lists the first
    `visible` articles (all by default), so a site can grow between updates.
    """

    IMAGES = 2
    RELATED = 3

    def __init__(self, server: FaultServer, articles: int, *, prefix: str = "/site",
                 image_bytes: int = 0) -> None:
        self.server = server
        self.articles = articles
        self.visible = articles
        self.prefix = prefix
        self.image_bytes = image_bytes
        server.route(f"{prefix}/feed.xml", self._feed)
        server.route(f"{prefix}/a/*", self._article)
        server.route(f"{prefix}/img/*", self._image)

    @property
    def feed_url(self) -> str:
        return self.server.url(f"{self.prefix}/feed.xml")

    def page(self, n: int) -> Page:
        base = self.server.url(self.prefix)
        related = [(n + d) % self.articles for d in range(1, self.RELATED + 1)]
        return Page(
            url=self.url(n), title=self.title(n), paragraphs=paragraphs(n),
            images=tuple((f"{base}/img/{n}-{k}.png", f"图片说明{n}-{k}")
                         for k in range(self.IMAGES)),
            related=tuple((self.url(r), self.title(r)) for r in related))

    def url(self, n: int) -> str:
        return self.server.url(f"{self.prefix}/a/{n}.html")

    @staticmethod
    def title(n: int) -> str:
        return f"第{n}号新闻 测试站点文章标题"

    def _feed(self, conn: socket.socket, _: str) -> None:
        items = [(self.url(n), self.title(n)) for n in range(self.visible)]
        respond(conn, rss(items, "生成站点"), content_type="application/rss+xml")

    def _article(self, conn: socket.socket, path: str) -> None:
        n = int(path.rsplit("/", 1)[1].split(".")[0])
        respond(conn, article_html(self.page(n)).encode())

    def _image(self, conn: socket.socket, path: str) -> None:
        n, k = path.rsplit("/", 1)[1].split(".")[0].split("-")
        respond(conn, png(16, 16, int(n) * self.IMAGES + int(k), self.image_bytes),
                content_type="image/png")
