"""A feed item in the article view: where its body comes from, and its enclosures as links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytest_httpserver import HTTPServer

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui import i18n
from reader.ui.article_view import ArticleView, load_article

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>岭南夜话</title><link>{base}</link><description>播客</description>
<item><title>第42期：从 ThinkPad 到骑楼</title><guid isPermaLink="false">ep-42</guid>
<description>本期我们走访了恩宁路的骑楼，聊了聊修缮背后的故事。</description>
<itunes:duration>00:48:12</itunes:duration>
<enclosure url="{base}audio/ep42.mp3" length="46284800" type="audio/mpeg"/></item>
<item><title>广州地铁十一号线年底开通</title><link>{base}news/line11.html</link>
<description>环线全长四十四公里，设车站三十二座。</description></item>
</channel></rss>"""


@pytest.fixture
def library(tmp_path: Path, httpserver: HTTPServer) -> Iterator[Library]:
    httpserver.no_handler_status_code = 404  # the news page cannot be fetched
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED.format(base=httpserver.url_for("/")), content_type="application/rss+xml")
    with Library(tmp_path / "lib") as lib:
        lib.set_setting("request_delay_ms", 0)
        lib.add_source(httpserver.url_for("/feed.xml"))
        lib.update()
        yield lib


def _shown(qtbot, library: Library, title: str) -> ArticleView:
    view = ArticleView(library)
    qtbot.addWidget(view)
    view.resize(760, 420)
    [row] = [r for r in library.articles(ArticleFilter(), limit=10) if r.title == title]
    view.show_article(load_article(library, row.id))
    return view


def test_an_episode_shows_its_audio_as_a_link(qtbot, library: Library,
                                              httpserver: HTTPServer, tmp_path: Path) -> None:
    view = _shown(qtbot, library, "第42期：从 ThinkPad 到骑楼")
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "episode.png"))
    text = view.toPlainText()
    assert "Audio: ep42.mp3 (44.1 MB)" in text
    assert "could not be fetched" not in text  # an episode has no page: nothing failed
    assert f'href="{httpserver.url_for("/audio/ep42.mp3")}"' in view.toHtml()


def test_a_summary_says_the_page_could_not_be_fetched(qtbot, library: Library,
                                                      tmp_path: Path) -> None:
    app = QApplication.instance()
    translators = i18n.install(app, QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        view = _shown(qtbot, library, "广州地铁十一号线年底开通")
        text = view.toPlainText()
        assert "来自订阅源的摘要；无法获取原网页（HTTP 404 Not Found）。" in text
        assert "环线全长四十四公里" in text
        view.show()
        qtbot.waitExposed(view)
        view.grab().save(str(tmp_path / "summary-note.png"))
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    view = _shown(qtbot, library, "广州地铁十一号线年底开通")
    assert ("Summary from the feed; the page could not be fetched (HTTP 404 Not Found)."
            in view.toPlainText())


def test_the_window_says_how_many_pages_could_not_be_fetched(qtbot, tmp_path: Path,
                                                            httpserver: HTTPServer) -> None:
    from reader.ui.main_window import MainWindow

    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED.format(base=httpserver.url_for("/")), content_type="application/rss+xml")
    with Library(tmp_path / "lib") as library:
        library.set_setting("request_delay_ms", 0)
        library.add_source(httpserver.url_for("/feed.xml"))
        window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
        qtbot.addWidget(window)
        window.show()
        try:
            with qtbot.waitSignal(window.updated, timeout=30_000):
                window.update_action.trigger()
            assert window.status.currentMessage() == (
                "2 new articles; pages that could not be fetched: 1 "
                "(the feeds' summaries were kept)")
        finally:
            window.shutdown()
