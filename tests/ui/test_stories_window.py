"""The window shows a syndicated story once: its row names the other site ("also in"), the
article view names the copy and opens it; in English and in Chinese."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QUrl

from reader.library import Library
from reader.ui import i18n
from reader.ui.article_model import Column
from reader.ui.main_window import MainWindow
from tests import stories_site
from tests.conftest import serve_directory
from tests.ui.test_main_window import show


@pytest.fixture
def copied(news_library_dir: Path, tmp_path: Path) -> Iterator[tuple[Library, list[str]]]:
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    site = stories_site.build(tmp_path / "copies")
    server = serve_directory(site.root)
    site.feed(server.url)
    with Library(folder) as library:
        library.add_source(server.url + "rss.xml", title="东方资讯")
        library.update()
        yield library, site.originals
    server.stop()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_grouped_row_and_the_article_view_name_the_copies(
        qtbot, qapp, copied: tuple[Library, list[str]], tmp_path: Path, language: str) -> None:
    library, originals = copied
    translators = i18n.install(qapp, QLocale(QLocale.Language.Chinese, QLocale.Country.China)) \
        if language == "zh_CN" else []
    window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
    try:
        qtbot.addWidget(window)
        window.resize(1280, 760)
        window.show()
        qtbot.waitExposed(window)
        lead = next(r for r in library.articles(limit=500) if r.title == originals[0])
        row = window.model.row_of(lead.id)
        assert row is not None
        also = "又见于 东方资讯" if language == "zh_CN" else "also in 东方资讯"
        assert window.model.index(row, Column.TITLE).data() == f"{lead.title}  ·  {also}"
        assert window.model.index(row, Column.SOURCE).data() == lead.source
        titles = [window.model.article(r).title for r in range(window.model.rowCount())]
        assert not [t for t in titles if t.endswith("（图）")]  # copies are no rows

        show(qtbot, window, lead.id)
        text = window.view.toPlainText()
        heading = "又见于：" if language == "zh_CN" else "Also in:"
        assert f"{heading} 东方资讯" in text
        window.grab().save(str(tmp_path / f"grouped-{language}.png"))

        [copy] = library.article(lead.id).copies
        with qtbot.waitSignal(window.view.shown, timeout=10_000):
            window.view.anchorClicked.emit(QUrl(copy.url))  # the link in the view
        assert window.view.article_id == copy.id
        assert f"{heading} {lead.source}" in window.view.toPlainText()
    finally:
        window.shutdown()
        for translator in translators:
            qapp.removeTranslator(translator)
