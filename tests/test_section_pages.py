"""Real-shaped portal section pages, subscribed and updated through the Library over HTTP.

Each page in tests/data/listing/portals/ carries portal chrome (nav bars, 热门/排行 boxes,
footer links, pagination) around its list; pages.json says which links are its articles and
which are documents. A local server stands in for every host of those pages: the Library
reaches it as its proxy, so sibling subdomains (news., dy., money.) are distinct hosts to
Reader, as on the web.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.library import Library
from reader.types import ArticleFilter

PORTALS = Path(__file__).resolve().parent / "data" / "listing" / "portals"
PAGES: dict[str, dict[str, Any]] = json.loads((PORTALS / "pages.json").read_text("utf-8"))

ARTICLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="article"><h1>{title}</h1><div class="info">2026-12-01 09:00 来源：示例</div>
<div class="content"><p>{title}。记者从有关部门获悉，相关工作已经全面展开，各地结合实际细化措施，
确保各项任务落到实处。</p><p>业内人士表示，这一举措有助于稳定预期、提振信心，下一步还将加强
跟踪评估，及时总结推广经验做法，让群众有更多获得感。</p></div>{related}</div></body></html>"""
RELATED = '<div class="xgxw"><h3>相关新闻</h3><ul>{}</ul></div>'



class Web:
    """Every host of the fixtures behind one proxy: the section pages, a PDF for each labelled
    document, and an article page for any other URL (a wrong pick is stored, and seen)."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.pages = {p["url"]: (name, p) for name, p in PAGES.items()}
        self.documents = {u for p in PAGES.values() for u in p.get("documents", ())}
        self.requested: list[str] = []
        self.related: dict[str, list[tuple[str, str]]] = {}  # article -> its 相关新闻 links
        server.expect_request(re.compile(".*")).respond_with_handler(self.respond)

    @property
    def proxy(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def respond(self, request: Request) -> Response:
        url = f"http://{request.host}{request.full_path.rstrip('?')}"
        self.requested.append(url)
        if url in self.pages:
            name, page = self.pages[url]
            return Response((PORTALS / f"{name}.html").read_bytes(),
                            headers={"Content-Type": page["content_type"]})
        if url in self.documents:
            return Response(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
        title = f"示例文章{len(self.requested)}"
        related = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in self.related.get(url, ()))
        page = ARTICLE.format(title=title, related=RELATED.format(related) if related else "")
        return Response(page.encode(), content_type="text/html; charset=utf-8")


@pytest.fixture
def web(httpserver: HTTPServer) -> Iterator[Web]:
    yield Web(httpserver)


@pytest.fixture
def library(tmp_path: Path, web: Web) -> Iterator[Library]:
    with Library(tmp_path / "lib") as library:
        library.set_setting("proxy", web.proxy)
        library.set_setting("request_delay_ms", 0)
        library.set_setting("download_images", False)
        yield library


def subscribe(library: Library, name: str) -> tuple[str, set[str]]:
    """Add the page and update it; the source's title and the links of the stored articles."""
    added = library.add_source(PAGES[name]["url"])
    [result] = library.update(source_id=added.source.id)
    assert not result.error and not result.failed, result
    rows = library.articles(ArticleFilter(source_id=added.source.id), limit=1000)
    return library.source(added.source.id).title, {r.url for r in rows}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_list_of_a_portal_section_page_is_stored(library: Library, name: str) -> None:
    page = PAGES[name]
    title, stored = subscribe(library, name)
    assert title == page["title"]
    assert stored == set(page["articles"]) | set(page.get("documents", ()))


def test_sibling_subdomains_are_the_same_site(library: Library) -> None:
    _, stored = subscribe(library, "subdomains")
    hosts = {u.split("/")[2] for u in stored}
    assert hosts == {"news.example.com.cn", "dy.example.com.cn", "money.example.com.cn"}


def test_related_pages_on_sibling_subdomains_are_fetched_ahead(library: Library,
                                                               web: Web) -> None:
    related = [("http://money.example.com.cn/26/1201/10/JH7M1A2B00259DLP.html",
                "前11个月全国铁路旅客发送量创同期新高"),
               ("http://dy.example.com.cn/article/JH7M3C4D0512B07B.html",
                "多地供暖季首周运行平稳 群众满意度提升")]
    web.related["http://dy.example.com.cn/article/JH7K2L0A0512B07B.html"] = related
    _, stored = subscribe(library, "subdomains")
    assert {u for u, _ in related} <= stored


def test_documents_are_links_not_fetched(library: Library, web: Web) -> None:
    _, stored = subscribe(library, "documents")
    documents = set(PAGES["documents"]["documents"])
    assert documents <= stored
    assert not documents & set(web.requested)
    pdf = "http://www.example-city.gov.cn/zwgk/tzgg/202612/P020261201385792012345.pdf"
    article = library.article(library.article_id(pdf)).article
    assert article.title == "关于2026年度市级部门预算公开情况的通知"
    assert f'href="{pdf}"' in article.html
    assert "PDF" in article.text
    assert article.published is not None and article.published.date().isoformat() == \
        "2026-12-01"
