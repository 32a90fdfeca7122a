"""Pages and feeds built to break the parsers, through the CLI against a local server.

One hostile article must end as that article's error (or be read safely), never stop the run:
the healthy source in the same update still stores its articles, and later updates work.
"""

from __future__ import annotations

import json
import re
import socket
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from localsite import FaultServer, Page, article_html, paragraphs, respond, rss

from reader.services import retrieve, update
from tests.conftest import Cli

ESC_TITLE = "\x1b]0;owned\x07\x1b]52;c;ZWNobyBvd25lZA==\x07\x1b[2J标题\x9b31m有控制符"
CLEANED_TITLE = "]0;owned]52;c;ZWNobyBvd25lZA==[2J标题31m有控制符"
DEEP = 5000


def _page(server: FaultServer, path: str, title: str, *, head: str = "", extra: str = "",
          seed: int = 1) -> str:
    page = Page(url=server.url(path), title=title, paragraphs=paragraphs(seed), extra=extra)
    return article_html(page).replace("</head>", head + "</head>")


def _json_ld(value: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


@pytest.fixture
def cli(cli: Cli) -> Cli:
    cli("settings", "request_delay_ms", "0")
    cli("settings", "prefetch_related", "false")
    return cli


def _hostile_source(server: FaultServer) -> str:
    """A feed whose articles each carry one way to crash a parser or a store."""
    surrogate = '{"@type": "NewsArticle", "headline": "\\ud800坏标题"}'
    pages = {
        "/surrogate.html": _page(server, "/surrogate.html", "代理项",
                                 head=f'<script type="application/ld+json">{surrogate}'
                                      "</script>", seed=2),
        "/deep.html": _page(server, "/deep.html", "深层嵌套",
                            head='<script type="application/ld+json">' + "[" * DEEP
                                 + "]" * DEEP + "</script>", seed=3),
        "/rot13.html": _page(server, "/rot13.html", "怪字符集", seed=4).replace(
            '<meta charset="utf-8">', '<meta charset="rot13">'),
        "/escape.html": _page(server, "/escape.html", ESC_TITLE, seed=5),
    }
    for path, body in pages.items():
        server.serve(path, body.encode())
    # Content-Type names a codec that is no text encoding.
    server.serve("/base64.html", _page(server, "/base64.html", "头部字符集", seed=6).encode(),
                 content_type="text/html; charset=base64")
    server.serve("/j.html", _page(server, "/j.html", "正常标题", seed=7).encode())
    # A JSON Feed can carry what no XML can: lone surrogates and escape characters.
    items = [{"id": p, "url": server.url(p), "title": f"条目{p}"}
             for p in [*pages, "/base64.html"]]
    items.append({"id": "j", "url": server.url("/j.html"), "title": "\ud800\x1b[31m坏条目"})
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": ESC_TITLE,
                       "items": items})  # ASCII, with \uXXXX escapes
    return server.serve("/hostile.json", feed.encode(), content_type="application/feed+json")


def _healthy_source(server: FaultServer) -> str:
    server.serve("/good.html", _page(server, "/good.html", "健康文章", seed=8).encode())
    return server.serve("/good.xml", rss([(server.url("/good.html"), "健康文章")]),
                        content_type="application/rss+xml")


def test_hostile_articles_do_not_stop_the_update(cli: Cli, server: FaultServer,
                                                 tmp_path: Path) -> None:
    cli("add", _hostile_source(server))
    cli("add", _healthy_source(server))
    summary = cli("update")
    assert "FAILED" not in summary and "Traceback" not in summary, summary
    rows = cli.json("list", "--limit", "100")
    assert isinstance(rows, list)
    titles = {r["title"] for r in rows}
    assert "健康文章" in titles
    assert len(rows) == 7, summary  # every hostile page read safely, none lost
    for text in (summary, cli("list"), cli("sources"),
                 *(cli("show", str(r["id"])) for r in rows)):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    assert CLEANED_TITLE in titles  # the text around the controls is kept
    # A second run works too: nothing left in the library breaks it.
    assert "FAILED" not in cli("update", "--all")

    out = tmp_path / "all.epub"
    for r in rows:
        cli("fav", str(r["id"]))
    cli("export", str(out), "--format", "epub", "--favourites")
    with zipfile.ZipFile(out) as epub:
        for name in epub.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                lxml.etree.fromstring(epub.read(name))  # well-formed XML, or this raises


def test_an_unexpected_error_in_one_article_is_that_articles_error(
        cli: Cli, server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a page makes the code raise (a bug met by odd input) fails that article."""
    feed_url = _healthy_source(server)
    server.serve("/bug.html", _page(server, "/bug.html", "触发缺陷", seed=9).encode())
    feed = rss([(server.url("/good.html"), "健康文章"), (server.url("/bug.html"), "触发缺陷")])
    feed_url = server.serve("/two.xml", feed, content_type="application/rss+xml")
    real = update.Updater._retrieve_pages

    def failing(self: update.Updater, url: str, root: str | None) -> object:
        if url.endswith("/bug.html"):
            raise KeyError("a bug")
        return real(self, url, root)

    monkeypatch.setattr(update.Updater, "_retrieve_pages", failing)
    cli("add", feed_url)
    summary = cli("update")
    assert "1 new" in summary and "1 failed" in summary, summary
    assert "bug.html: internal error: KeyError('a bug')" in summary
    rows = cli.json("list")
    assert [r["title"] for r in rows] == ["健康文章"]  # type: ignore[index]


def test_extract_reads_hostile_pages(cli: Cli, server: FaultServer, tmp_path: Path) -> None:
    deep = _page(server, "/deep.html", "深层嵌套", head='<script type="application/ld+json">'
                 + "[" * DEEP + "]" * DEEP + "</script>", seed=3)
    path = tmp_path / "deep.html"
    path.write_text(deep, encoding="utf-8")
    assert cli.json("extract", str(path))["title"] == "深层嵌套"  # type: ignore[index]
    page = _page(server, "/x.html", ESC_TITLE, seed=4).replace(
        '<meta charset="utf-8">', '<meta charset="undefined">')
    url = server.serve("/x.html", page.encode(), content_type="text/html; charset=idna")
    shown = cli.json("extract", url)
    assert shown["title"] == CLEANED_TITLE  # type: ignore[index]
    assert shown["encoding"] == "utf-8"  # type: ignore[index]


def test_a_related_block_of_3000_links_costs_a_bounded_number_of_requests(
        cli: Cli, server: FaultServer) -> None:
    cli("settings", "prefetch_related", "true")
    server.route("/r/*", lambda conn, path: respond(conn, article_html(Page(
        url=server.url(path), title=f"相关{path}",
        paragraphs=paragraphs(10 + int(path.rsplit("/", 1)[1].split(".")[0])))).encode()))
    links = tuple((server.url(f"/r/{n}.html"), f"相关文章标题第{n}篇") for n in range(3000))
    page = Page(url=server.url("/hub.html"), title="三千相关链接", paragraphs=paragraphs(4),
                related=links)
    server.serve("/hub.html", article_html(page).encode())
    cli("add", server.serve("/hub.xml", rss([(page.url, page.title)]),
                            content_type="application/rss+xml"))
    summary = cli("update")
    assert "1 new" in summary, summary
    fetched = sum(n for path, n in server.hits.items() if path.startswith("/r/"))
    assert fetched == update.RELATED_PER_ARTICLE
    assert len(cli.json("list", "--limit", "5000")) == 1 + fetched  # type: ignore[arg-type]


def test_a_multi_page_article_is_capped(cli: Cli, server: FaultServer) -> None:
    """Ten pages of ~1.5 MB each: pages are joined only up to MAX_ARTICLE_CHARS."""
    big = "".join(f"<p>{p}</p>" for p in paragraphs(6, 3000))

    def page(conn: socket.socket, path: str) -> None:
        stem = path.rsplit("/", 1)[1].split(".")[0]
        n = int(stem.split("_")[1]) if "_" in stem else 1
        more = f'<a href="a_{n + 1}.html">下一页</a>' if n < 10 else ""
        respond(conn, article_html(Page(url=server.url(path), title="十页长文",
                                        paragraphs=paragraphs(n), extra=big + more)).encode())

    server.route("/long/*", page)
    cli("add", server.serve("/long.xml", rss([(server.url("/long/a.html"), "十页长文")]),
                            content_type="application/rss+xml"))
    assert "1 new" in cli("update")
    [row] = cli.json("list")  # type: ignore[misc]
    shown = cli.json("show", str(row["id"]))
    size = len(shown["html"]) + len(shown["text"])  # type: ignore[index,arg-type]
    pages = sum(1 for p in server.hits if p.startswith("/long/"))
    assert server.hits.get("/long/a_2.html") == 1  # pages are followed...
    assert 2 <= pages < 10 and "/long/a_10.html" not in server.hits  # ...until it is full
    assert size <= retrieve.MAX_ARTICLE_CHARS + size / pages


MARKDOWN_TITLE = "# <img src=x onerror=alert(1)> [click](javascript:alert(2)) <script>x</script>"


def test_exports_escape_outside_text_and_link_only_the_web(cli: Cli, server: FaultServer,
                                                           tmp_path: Path) -> None:
    page = Page(url=server.url("/q/a.html?q=)>%3Cscript%3E"), title=MARKDOWN_TITLE,
                paragraphs=paragraphs(3), extra='<p><a href="http://safe.test/ok">正常</a></p>')
    server.route("/q/*", lambda conn, _: respond(conn, article_html(page).encode()))
    cli("add", server.serve("/md.xml", rss([(page.url, MARKDOWN_TITLE)]),
                            content_type="application/rss+xml"))
    assert "1 new" in cli("update")
    [row] = cli.json("list")  # type: ignore[misc]
    cli("fav", str(row["id"]))
    folder = tmp_path / "md"
    cli("export", str(folder), "--format", "md", "--favourites")
    [md] = folder.glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)[<>]", text)  # no tag, no autolink: every < is text
    assert not re.search(r"(?<!\\)\]\(javascript", text)
    assert text.startswith("# \\# \\<img")  # the title is text, not a heading or a tag
    assert "q=%29%3E%3Cscript%3E)" in text  # the address cannot end its own link early

    out = tmp_path / "out.html"
    cli("export", str(out), "--format", "html", "--favourites")
    exported = lxml.html.fromstring(out.read_bytes())
    assert not exported.xpath("//script | //img[@onerror]")
    hrefs = exported.xpath("//a/@href")
    assert all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs


def test_a_feed_item_holding_a_mangled_document_keeps_the_feed(cli: Cli,
                                                               server: FaultServer) -> None:
    """A summary that is a whole page with a broken <body> made lxml's fragment parser fail
    an assertion, which took the whole feed down (a fuzz finding)."""
    mangled = "<html><head><title>x</title></heDd><bodx><p>摘要正文还在这里</p></html>"
    items = [{"id": "1", "url": server.url("/gone.html"), "title": "坏摘要",
              "content_html": mangled}]
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "源",
                       "items": items})
    cli("add", server.serve("/m.json", feed.encode(), content_type="application/feed+json"))
    summary = cli("update")
    assert "FAILED" not in summary, summary
    [row] = cli.json("list")  # type: ignore[misc]
    assert "摘要正文还在这里" in cli("show", str(row["id"]))


def test_character_references_to_controls_never_reach_the_text(cli: Cli, tmp_path: Path) -> None:
    """&#1; or &#x11; would put a control character into the tree (a fuzz finding in feed
    summaries); &#147; is a windows-1252 quote to a browser, and to Reader."""
    page = tmp_path / "refs.html"
    body = "".join(f"<p>{p}&#x11;&#1;&#xDFFF;</p>" for p in paragraphs(3))
    title = "&#147;引号&#148;&#27;标题"
    page.write_text(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                    f"{body}</body></html>", encoding="utf-8")
    found = cli.json("extract", str(page))
    assert found["title"] == "“引号”标题"  # type: ignore[index]
    assert "\x11" not in found["text"] and "\x01" not in found["html"]  # type: ignore[index,operator]
