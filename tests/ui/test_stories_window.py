"""The window shows a syndicated story once: its row names the other site ("also in"), the
article view names the copy and opens it; in English and in Chinese."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt, QUrl

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui import article_model, i18n
from reader.ui.article_folds import FOLD_ROLE, Fold
from reader.ui.article_list import FOLD_WIDTH
from reader.ui.article_model import ArticleModel, Column
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


@contextmanager
def shown_window(qtbot, qapp, library: Library, language: str) -> Iterator[MainWindow]:
    """The window over the library, shown at 1280x760, in English or in Chinese."""
    translators = i18n.install(qapp, QLocale(QLocale.Language.Chinese, QLocale.Country.China)) \
        if language == "zh_CN" else []
    window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
    try:
        qtbot.addWidget(window)
        window.resize(1280, 760)
        window.show()
        qtbot.waitExposed(window)
        yield window
    finally:
        window.shutdown()
        for translator in translators:
            qapp.removeTranslator(translator)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_grouped_row_and_the_article_view_name_the_copies(
        qtbot, qapp, copied: tuple[Library, list[str]], tmp_path: Path, language: str) -> None:
    library, originals = copied
    with shown_window(qtbot, qapp, library, language) as window:
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


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_grouped_row_opens_on_its_copies_in_the_list(
        qtbot, qapp, copied: tuple[Library, list[str]], tmp_path: Path, language: str) -> None:
    library, originals = copied
    with shown_window(qtbot, qapp, library, language) as window:
        model, view = window.model, window.list
        leads = [r for r in library.articles(limit=500) if r.title in originals]
        assert len(leads) == 2 and all(lead.copies == 1 for lead in leads)
        rows = model.rowCount()
        row = model.row_of(leads[0].id)
        assert row is not None
        assert model.fold(row) == Fold.CLOSED
        assert model.index(row, Column.TITLE).data(FOLD_ROLE) == Fold.CLOSED
        others = [r for r in range(rows) if model.article(r).id not in {lead.id for lead in leads}]
        assert not [r for r in others if model.fold(r) is not None]  # no arrow without copies

        # A click on the arrow opens the story: its copy is the row under it, indented.
        arrow = view.visualRect(model.index(row, Column.TITLE))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(arrow.left() + FOLD_WIDTH // 2, arrow.center().y()))
        [copy] = library.article(leads[0].id).copies
        assert model.rowCount() == rows + 1
        assert model.fold(row) == Fold.OPEN and model.fold(row + 1) == Fold.COPY
        assert model.article(row + 1).id == copy.id
        assert model.index(row + 1, Column.SOURCE).data() == "东方资讯"
        assert model.index(row + 1, Column.TITLE).data() == copy.title
        assert model.index(row + 1, Column.TITLE).data(Qt.ItemDataRole.FontRole).bold()
        show(qtbot, window, leads[0].id)  # reading the story reads its copy: its row too
        assert model.index(row + 1, Column.TITLE).data(Qt.ItemDataRole.FontRole) is None
        shot = tmp_path / f"stories-expanded-{language}.png"
        assert window.grab().save(str(shot))

        # The copy opens like any row; Left goes back to the story and closes it; Right
        # opens it again.
        show(qtbot, window, copy.id)
        qtbot.keyClick(view, Qt.Key.Key_Left)
        assert model.rowCount() == rows and model.fold(row) == Fold.CLOSED
        assert view.currentIndex().row() == row
        qtbot.keyClick(view, Qt.Key.Key_Right)
        assert model.rowCount() == rows + 1 and model.article(row + 1).id == copy.id

        # An update's reload keeps the story open; a click on the arrow closes it.
        model.reload()
        assert model.fold(row) == Fold.OPEN and model.article(row + 1).id == copy.id
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(arrow.left() + FOLD_WIDTH // 2, arrow.center().y()))
        assert model.rowCount() == rows and model.fold(row) == Fold.CLOSED


def test_an_open_story_at_the_end_of_a_page_leaves_the_next_page_whole(
        qtmodeltester, copied: tuple[Library, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The next page starts after the story's row, not after its copy; the copies count for
    no loaded row."""
    library, originals = copied
    listed = library.articles(limit=500)
    lead = next(i for i, r in enumerate(listed) if r.title in originals)
    monkeypatch.setattr(article_model, "FIRST_PAGE", lead + 1)  # the story ends the first page
    model = ArticleModel(library)
    model.set_filter(ArticleFilter())
    assert model.rowCount() == lead + 1
    model.set_open(lead, True)
    assert model.rowCount() == lead + 2 and model.fold(lead + 1) == Fold.COPY
    while model.canFetchMore():
        model.fetchMore()
    shown = [model.article(i).id for i in range(model.rowCount())]
    [copy] = library.copies(listed[lead].id)
    assert shown == [r.id for r in listed[:lead + 1]] + [copy.id] \
        + [r.id for r in listed[lead + 1:]]
    qtmodeltester.check(model)
    model.set_open(lead, False)
    assert [model.article(i).id for i in range(model.rowCount())] == [r.id for r in listed]
