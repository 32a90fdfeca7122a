"""The related pane shows the page's own block whenever the page has one: a real Library
fetches portal pages from a local server and the pane lists what the stored article links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.related_pane import RelatedPane
from reader.ui.tasks import TaskRunner
from tests.conftest import SiteServer, serve_directory

STORY = ("<p>青石镇横跨清水河的新石桥今天上午正式通车，附近三个村的村民从此不必再绕行去县城。</p>"
         "<p>新桥全长一百二十米，宽十二米，设计使用年限一百年，桥面两侧各留有人行道。</p>")
RELATED = ["清水河沿岸绿道工程完成过半", "县里召开农村公路建设推进会"]


def portal_page(title: str, story: str, extra: str = "") -> bytes:
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            f"<title>{title}_青石新闻网</title></head><body>"
            '<div class="nav"><a href="/">首页</a> &gt; <a href="/news/">新闻</a></div>'
            f'<div class="main"><h1>{title}</h1><div class="info">2024-05-20 09:15 来源：青石日报'
            f'</div><div class="text">{story}</div>{extra}</div>'
            '<div class="footer">版权所有 青石新闻网</div></body></html>').encode("gb18030")


def related_box() -> str:
    items = "".join(f'<li><a href="/news/b{i}.html">{t}</a><span>2024-05-1{i}</span></li>'
                    for i, t in enumerate(RELATED))
    return (f'<div class="box"><div class="box-hd"><h2>相关新闻</h2><a href="/news/">更多</a>'
            f'</div><div class="box-bd"><ul>{items}</ul></div></div>')


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[SiteServer]:
    site = tmp_path / "site" / "news"
    site.mkdir(parents=True)
    (site / "one.html").write_bytes(portal_page("青石镇新桥通车", STORY, related_box()))
    # A long article: the related block is printed under its last page only.
    (site / "two.html").write_bytes(portal_page(
        "清水河治理三年记", STORY, '<div class="pages"><a href="two_2.html">下一页</a></div>'))
    (site / "two_2.html").write_bytes(portal_page(
        "清水河治理三年记", STORY.replace("新石桥", "护岸"), related_box()))
    server = serve_directory(tmp_path / "site")
    yield server
    server.stop()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library") as lib:
        lib.set_setting("request_delay_ms", 0)
        yield lib


@pytest.mark.parametrize("page", ["news/one.html", "news/two.html"])
def test_the_pane_lists_the_pages_own_block(qtbot, library: Library, portal: SiteServer,
                                            page: str) -> None:
    article_id = library.fetch_article(portal.url + page)
    pane = RelatedPane(library, TaskRunner())
    qtbot.addWidget(pane)
    pane.show()
    with qtbot.waitSignal(pane.loaded, timeout=10_000):
        pane.show_for(article_id)
    titles = [pane.own.item(i).title for i in range(pane.own.rowCount())]
    assert titles == RELATED
    assert pane.own.item(0).url == portal.url + "news/b0.html"
    assert pane.own_view.isVisible() and pane.own_heading.isVisible()
