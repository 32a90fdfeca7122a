"""With the site gone, everything already fetched still opens; the rest says so at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument

from reader.library import Library
from reader.ui.main_window import MainWindow
from tests.conftest import SAMPLE_SITE, SiteServer, serve_directory
from tests.ui.conftest import NEWS, subscribe
from tests.ui.test_main_window import VOCATIONAL, click, show

NEVER_FETCHED = "全市职业院校国际交流合作研讨会召开"  # in VOCATIONAL's related block only


@pytest.fixture
def own_site() -> Iterator[SiteServer]:
    site = serve_directory(SAMPLE_SITE)  # our own server: stopping it affects no other test
    yield site
    site.stop()


@pytest.fixture
def offline_window(qtbot, own_site: SiteServer, tmp_path: Path) -> Iterator[MainWindow]:
    with Library(tmp_path / "library") as library:
        subscribe(library, own_site, NEWS)
        library.update()
        own_site.stop()
        window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
        qtbot.addWidget(window)
        window.show()
        yield window
        window.shutdown()


def test_cached_articles_open_offline_with_their_images(
        qtbot, offline_window: MainWindow, own_site: SiteServer) -> None:
    library = offline_window.library
    article_id = library.article_id(own_site.url + VOCATIONAL)
    show(qtbot, offline_window, article_id)
    assert library.article(article_id).article.title in offline_window.view.toPlainText()
    image = offline_window.view.document().resource(
        QTextDocument.ResourceType.ImageResource.value,
        QUrl(own_site.url + "images/vocational.jpg"))
    assert isinstance(image, QImage) and not image.isNull()


def test_a_related_page_never_fetched_says_not_available_offline(
        qtbot, offline_window: MainWindow, own_site: SiteServer) -> None:
    window = offline_window
    show(qtbot, window, window.library.article_id(own_site.url + VOCATIONAL))
    own = window.related.own
    row = next(i for i in range(own.rowCount()) if own.item(i).title == NEVER_FETCHED)
    assert own.item(row).article_id is None
    click(qtbot, window.related.own_view, own.index(row))
    assert window.related.busy.isVisibleTo(window.related)  # a visible busy state at once
    qtbot.waitUntil(lambda: window.related.notice.isVisible(), timeout=15_000)
    assert window.related.notice.text() == "Not available offline."
    assert not window.related.busy.isVisible()
    assert own.item(row).state == "offline"
    assert window.status.offline.isVisible()


def test_update_offline_marks_the_source_and_shows_the_offline_indicator(
        qtbot, offline_window: MainWindow) -> None:
    window = offline_window
    with qtbot.waitSignal(window.updated, timeout=30_000):
        window.update_all()
    assert window.status.offline.isVisible()
    source_row = window.sources.sources.index(3)
    assert source_row.data(Qt.ItemDataRole.ToolTipRole).startswith("<qt>Last update failed: ")


def test_a_missing_local_page_says_what_happened_not_offline(qtbot, tmp_path: Path) -> None:
    # The bundled sample subscribed from file://: its related block links a page not shipped.
    with Library(tmp_path / "library") as library:
        library.add_source((SAMPLE_SITE / NEWS).as_uri(), root=str(SAMPLE_SITE))
        library.update()
        window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
        qtbot.addWidget(window)
        window.show()
        try:
            show(qtbot, window, library.article_id((SAMPLE_SITE / VOCATIONAL).as_uri()))
            own = window.related.own
            row = next(i for i in range(own.rowCount()) if own.item(i).title == NEVER_FETCHED)
            click(qtbot, window.related.own_view, own.index(row))
            qtbot.waitUntil(lambda: window.related.notice.isVisible(), timeout=15_000)
            assert "offline" not in window.related.notice.text().lower()
            assert "no such file" in window.related.notice.text()
            assert own.item(row).state == "failed"
            assert not window.status.offline.isVisible()
        finally:
            window.shutdown()
