"""The window over a real library of the sample site, served by a real local HTTP server."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from reader.library import Library
from reader.types import ArticleFilter
from reader.ui import article_html, article_model
from reader.ui.article_model import Column
from reader.ui.article_view import LoadedArticle, load_article
from reader.ui.main_window import MainWindow
from reader.ui.screenshot import settle
from tests.conftest import SAMPLE_SITE, SiteServer
from tests.ui.conftest import NEWS, WORLD, subscribe

VOCATIONAL = "news/2025/11/t20251120_1001.html"  # two images with captions, a related block
CHARGING = "全市公共充电桩突破两万个 新能源汽车“充电焦虑”明显缓解"  # in its related block
IMAGES = ("images/vocational.jpg", "images/vocational-class.jpg")


def show(qtbot, window: MainWindow, article_id: int) -> None:
    """Select an article in the list and wait until the view and the related pane show it."""
    row = window.model.row_of(article_id)
    assert row is not None, f"article {article_id} is not in the list"
    with qtbot.waitSignals([window.view.shown, window.related.loaded], timeout=10_000):
        window.list.setCurrentIndex(window.model.index(row, 0))
    assert window.view.article_id == article_id


def click(qtbot, view, index: QModelIndex) -> None:
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())


def test_window_opens_on_the_sample_site(window: MainWindow, library: Library) -> None:
    sources = window.sources.sources
    labels = [sources.index(i).data() for i in range(sources.rowCount())]
    assert labels[:3] == ["All articles", "Unread", "Favourites"]
    assert labels[3] == library.sources()[0].title
    assert window.model.rowCount() == library.count() > 0
    assert window.list.accessibleName() and window.view.accessibleName()
    assert window.related.accessibleName() and window.sources.accessibleName()


def test_selecting_an_article_shows_title_meta_and_cached_images(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    show(qtbot, window, article_id)
    text = window.view.toPlainText()
    stored = library.article(article_id)
    assert stored.article.title in text
    assert "周明远" in text and "1,286" in text  # author and views on the meta line
    document = window.view.document()
    for path in IMAGES:
        image = document.resource(QTextDocument.ResourceType.ImageResource.value,
                                  QUrl(sample_site.url + path))
        assert isinstance(image, QImage) and not image.isNull(), path
    caption = "学院教师在万象培训中心为当地学员讲解数控车床操作要点。"
    assert text.count(caption) == 1
    qtbot.waitUntil(lambda: library.article(article_id).is_read)  # opening marks it read


def test_an_article_is_not_settled_while_its_images_decode(
        window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    # `reader screenshot` and the start-up benchmark wait until the view is settled: the
    # images are decoded one per turn of the event loop after the loading task has ended.
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    window.view.show_article(load_article(library, article_id))
    assert not window.view.settled  # the second image is decoded on the next turn
    settle(window)
    assert window.view.settled
    assert library.article(article_id).article.title in window.view.toPlainText()

def test_a_photo_wider_than_the_column_comes_decoded_from_the_worker(
        window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    # Decoded by Qt on the GUI thread, twenty such photos stalled the window 40-60 ms: PySide
    # holds the GIL through Qt's decoding, and its smooth scaling waits on Qt's own threads.
    import io

    from PIL import Image as Pillow

    from reader.images import Pixels, cache_key
    from reader.store.storage import ImageData, StoredImage
    from reader.types import Image

    buffer = io.BytesIO()
    Pillow.linear_gradient("L").resize((1600, 1000)).convert("RGB").save(buffer, "JPEG")
    photo = buffer.getvalue()
    narrow_id = library.article_id(sample_site.url + VOCATIONAL)
    narrow = library.article(narrow_id).article
    picture = Image("https://photos.example/wide.jpg", "一张宽照片")
    article = replace(narrow, url="https://photos.example/a.html", title="一张宽照片",
                      text="照片。", images=(picture,),
                      html=f'<p>照片。</p><figure><img src="{picture.url}"></figure>')
    blob = ImageData(cache_key(photo), "image/jpeg", 1600, 1000, photo)
    article_id, _ = library.store.save_article(
        library.sources()[0].id, article, [StoredImage(picture, blob.hash)], [blob])
    loaded = load_article(library, article_id)
    assert isinstance(loaded.images[picture.url], Pixels)  # decoded in the worker
    assert all(isinstance(data, bytes)  # pictures that fit are decoded by the view
               for data in load_article(library, narrow_id).images.values())
    window.view.show_article(loaded)
    settle(window)
    image = window.view.document().resource(QTextDocument.ResourceType.ImageResource.value,
                                            QUrl(picture.url))
    assert isinstance(image, QImage) and 0 < image.width() <= window.view._image_width()
    colour = image.pixelColor(image.width() // 2, image.height() - 1)
    assert colour.red() == colour.green() == colour.blue() > 200  # its light last row


def test_related_pane_lists_the_pages_block_and_opens_an_item(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    show(qtbot, window, library.article_id(sample_site.url + VOCATIONAL))
    own = window.related.own
    titles = [own.item(i).title for i in range(own.rowCount())]
    assert CHARGING in titles
    assert window.related.similar.rowCount() > 0
    row = titles.index(CHARGING)
    target = own.item(row).article_id
    assert target is not None
    with qtbot.waitSignal(window.view.shown, timeout=10_000):
        click(qtbot, window.related.own_view, own.index(row))
    assert window.view.article_id == target
    assert CHARGING in window.view.toPlainText()


def test_starring_puts_the_article_under_favourites(
        qtbot, window: MainWindow, library: Library) -> None:
    article_id = window.model.article(2).id
    show(qtbot, window, article_id)
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: library.article(article_id).is_favourite)
    assert window.model.index(2, 4).data() == "★"
    favourites = window.sources.sources.row_of(ArticleFilter(favourites=True))
    click(qtbot, window.sources, window.sources.sources.index(favourites))
    assert [window.model.article(i).id for i in range(window.model.rowCount())] == [article_id]
    assert window.list.currentIndex().row() == 0  # the article on display stays selected


def test_search_finds_a_two_character_chinese_word(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    expected = library.article_id(sample_site.url + "news/2025/11/t20251112_1009.html")
    qtbot.keyClick(window.list, Qt.Key.Key_Slash)
    assert window.search.hasFocus()
    with qtbot.waitSignal(window.searched, timeout=10_000):
        window.search.setText("供暖")  # QTest cannot type Han characters
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    ids = [window.model.article(i).id for i in range(window.model.rowCount())]
    assert expected in ids
    assert not window.model.canFetchMore()
    window.search.clear()
    with qtbot.waitSignal(window.model.modelReset):
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.model.rowCount() == library.count()


def test_update_reports_progress_then_adds_rows_keeping_the_selection(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer,
        monkeypatch) -> None:
    kept = window.model.article(3).id
    show(qtbot, window, kept)
    before = window.model.rowCount()
    subscribe(library, sample_site, WORLD)
    reports = []
    report = window.status.report
    monkeypatch.setattr(window.status, "report", lambda p: (reports.append(p), report(p)))
    with qtbot.waitSignal(window.updated, timeout=30_000) as updated:
        window.update_action.trigger()
        assert window.status.progress.isVisible()
    assert not any(r.error for r in updated.args[0])
    assert reports and reports[-1].done == reports[-1].total
    assert "World" in {r.source for r in reports}
    assert window.model.rowCount() > before
    assert window.model.article(window.list.currentIndex().row()).id == kept
    assert window.view.article_id == kept
    assert not window.status.progress.isVisible()
    assert window.sources.sources.rowCount() == 5


def test_keyboard_navigation(qtbot, window: MainWindow, library: Library) -> None:
    first, second = window.model.article(0).id, window.model.article(1).id
    show(qtbot, window, first)
    window.list.setFocus()
    with qtbot.waitSignal(window.view.shown):
        qtbot.keyClick(window.list, Qt.Key.Key_J)
    assert window.view.article_id == second
    with qtbot.waitSignal(window.view.shown):
        qtbot.keyClick(window.list, Qt.Key.Key_K)
    assert window.view.article_id == first
    with qtbot.waitSignal(window.view.shown):
        qtbot.keyClick(window.list, Qt.Key.Key_Down)
    assert window.view.article_id == second
    qtbot.waitUntil(lambda: library.article(second).is_read)
    qtbot.keyClick(window.list, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: not library.article(second).is_read)
    assert window.model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    qtbot.keyClick(window.list, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.view


def test_zoom_changes_the_body_font(qtbot, window: MainWindow) -> None:
    show(qtbot, window, window.model.article(0).id)
    size = window.view.font_size
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font_size == size + 1
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font_size == size


def test_window_state_and_last_article_persist(qtbot, library: Library) -> None:
    first = MainWindow(library, library.data_dir, theme_name="light")
    qtbot.addWidget(first)
    article_id = library.articles(limit=2)[1].id
    with qtbot.waitSignal(first.view.shown):
        first.open_article(article_id)
    first.outer.setSizes([250, 700, 330])
    first.close()
    second = MainWindow(library, library.data_dir, theme_name="light")
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.view.article_id == article_id)
    assert second.outer.sizes()[0] == first.outer.sizes()[0]
    second.shutdown()


def test_clicking_the_date_header_orders_oldest_first(qtbot, window: MainWindow) -> None:
    header = window.list.horizontalHeader()

    def click_column(column: int) -> None:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(column) + 5, 5))

    newest = [window.model.article(i).id for i in range(window.model.rowCount())]
    show(qtbot, window, newest[2])
    click_column(Column.PUBLISHED)
    assert window.model.oldest_first
    assert [window.model.article(i).id for i in range(window.model.rowCount())] == newest[::-1]
    assert window.list.currentIndex().row() == window.model.row_of(newest[2])

    def shown(key) -> list:
        return [key(window.model.article(i)) for i in range(window.model.rowCount())]

    click_column(Column.TITLE)  # A-Z, then Z-A
    titles = shown(lambda r: r.title.casefold())
    assert titles == sorted(titles) and len(titles) == window.model.rowCount() > 3
    assert window.list.currentIndex().row() == window.model.row_of(newest[2])
    click_column(Column.TITLE)
    assert shown(lambda r: r.title.casefold()) == sorted(titles, reverse=True)
    click_column(Column.VIEWS)  # most read first
    views = shown(lambda r: r.views or 0)
    assert views == sorted(views, reverse=True) and views[0] > views[-1]
    click_column(Column.SOURCE)
    sources = shown(lambda r: r.source.casefold())
    assert sources == sorted(sources)
    click_column(Column.PUBLISHED)  # back to the date, through the index
    assert window.model.order is None
    assert shown(lambda r: r.id) in (newest, newest[::-1])


def test_a_list_too_long_to_order_by_title_keeps_the_date_order(
        qtbot, window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(article_model, "SORT_IN_MEMORY", 3)
    header = window.list.horizontalHeader()
    before = [window.model.article(i).id for i in range(window.model.rowCount())]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(Column.TITLE) + 5, 5))
    assert header.sortIndicatorSection() == Column.PUBLISHED
    assert [window.model.article(i).id for i in range(window.model.rowCount())] == before
    assert "Only the date orders" in window.status.currentMessage()


def test_file_menu_imports_opml_and_exports_favourites(
        qtbot, window: MainWindow, library: Library, tmp_path) -> None:
    before = len(library.sources())
    window.chores.import_opml(Path(__file__).parent.parent / "data" / "opml" / "feedly.opml")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    assert len(library.sources()) > before
    assert "Imported" in window.status.currentMessage()

    library.set_favourite(window.model.article(0).id)
    window.chores.export_shown(tmp_path / "fav.json", "json")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    exported = json.loads((tmp_path / "fav.json").read_text())
    assert [a["id"] for a in exported] == [window.model.article(0).id]


def test_export_takes_the_search_hits_when_the_list_shows_them(
        qtbot, window: MainWindow, library: Library, tmp_path) -> None:
    window.search.setText("供暖")
    window.run_search()
    qtbot.waitUntil(lambda: window.model.search_query == "供暖", timeout=10_000)
    hits = {window.model.article(i).id for i in range(window.model.rowCount())}
    window.chores.export_shown(tmp_path / "hits.json", "json")
    qtbot.waitUntil(lambda: (tmp_path / "hits.json").exists() and not window.runner.busy,
                    timeout=10_000)
    assert hits and {a["id"] for a in json.loads((tmp_path / "hits.json").read_text())} == hits


def test_restore_from_the_window_brings_the_backup_back(
        qtbot, window: MainWindow, library: Library, tmp_path) -> None:
    article_id = window.model.article(0).id
    library.backup(tmp_path / "copy.sqlite")
    library.set_favourite(article_id)
    window.chores.restore(tmp_path / "copy.sqlite")
    qtbot.waitUntil(lambda: "Restored" in window.status.currentMessage(), timeout=10_000)
    assert not library.article(article_id).is_favourite
    assert window.model.rowCount() == library.count()


def test_tags_from_the_window_save_a_tagged_favourite(qtbot, window: MainWindow,
                                                      library: Library) -> None:
    article_id = window.model.article(1).id
    show(qtbot, window, article_id)
    window.chores.set_tags(article_id, "教育, 出海")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    stored = library.article(article_id)
    assert stored.is_favourite and stored.tags == ("教育", "出海")
    assert window.model.article(1).is_favourite


def test_the_favourite_state_shows_on_the_toolbar_and_in_the_article(
        qtbot, window: MainWindow, library: Library) -> None:
    article_id = window.model.article(0).id
    show(qtbot, window, article_id)
    button = window.toolbar.widgetForAction(window.star_action)
    assert not window.star_action.isChecked() and not button.isChecked()
    assert "★" not in window.view.toPlainText()
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_S)
    assert window.star_action.isChecked() and button.isChecked()
    assert "★ Favourite" in window.view.toPlainText()
    qtbot.waitUntil(lambda: library.article(article_id).is_favourite)
    qtbot.keyClick(window.list, Qt.Key.Key_S)
    assert not window.star_action.isChecked()
    assert "★" not in window.view.toPlainText()
    qtbot.waitUntil(lambda: not library.article(article_id).is_favourite)


def test_one_site_subscribed_twice_is_told_apart_and_never_its_own_relative(
        qtbot, library: Library, sample_site: SiteServer) -> None:
    # The sample site from file:// and over HTTP: two sources called 实时讯息.
    local = library.add_source((SAMPLE_SITE / NEWS).as_uri(), root=str(SAMPLE_SITE))
    library.update(source_id=local.source.id)
    window = MainWindow(library, library.data_dir, theme_name="light", restore=False)
    qtbot.addWidget(window)
    window.show()
    try:
        labels = [window.sources.sources.index(i).data() for i in range(3, 5)]
        assert labels[0] != labels[1] and all(label.startswith("实时讯息") for label in labels)
        assert any("127.0.0.1" in label for label in labels)
        for row in range(3):
            article_id = window.model.article(row).id
            show(qtbot, window, article_id)
            title = library.article(article_id).article.title
            shown = [model.item(i) for model in (window.related.similar, window.related.own)
                     for i in range(model.rowCount())]
            assert all(item.article_id != article_id and item.title != title for item in shown)
    finally:
        window.shutdown()


def test_the_reading_column_keeps_its_place_when_the_scroll_bar_comes_and_goes(
        qtbot, window: MainWindow, library: Library) -> None:
    # Margins that followed the bar changed the images' width, so an article whose length sat
    # at the bar's threshold was laid out again and again (every 120 ms, for good).
    window.resize(1800, 900)
    stored = library.article(library.articles(limit=1)[0].id)

    def margins_with(text: str) -> tuple[int, int, bool]:
        article = replace(stored.article, text=text, html="", images=())
        with qtbot.waitSignal(window.view.shown):
            window.view.show_article(LoadedArticle(stored._replace(article=article), {},
                                                   article_html.body(article)))
        QApplication.processEvents()
        margins = window.view.viewportMargins()
        return margins.left(), margins.right(), window.view.verticalScrollBar().isVisible()

    *short, short_bar = margins_with("一段。")
    *long, long_bar = margins_with("\n\n".join(["很长的一段文字。" * 40] * 40))
    assert not short_bar and long_bar
    assert short == long and short[0] > 0


@pytest.mark.parametrize(("batch", "first"), [(10, 10), (3, None)])
def test_the_list_reads_a_page_more_only_when_scrolled_to_or_not_filled(
        qtbot, library: Library, monkeypatch, batch: int, first: int | None) -> None:
    # 12 articles; 10 rows fill the list, 3 do not. Qt's own layout asked for a second page
    # at once, whatever was on screen.
    monkeypatch.setattr(article_model, "FIRST_PAGE", batch)
    monkeypatch.setattr(article_model, "BATCH", batch)
    win = MainWindow(library, library.data_dir, theme_name="light", restore=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        if first is not None:
            QApplication.processEvents()
            assert win.model.rowCount() == first
            win.list.scrollToBottom()
        qtbot.waitUntil(lambda: win.model.rowCount() == library.count() == 12)
    finally:
        win.shutdown()


def test_the_sources_pane_knows_its_selected_row_and_the_one_under_the_mouse(
        qtbot, window: MainWindow) -> None:
    # Its delegate paints both from this, not from option.state (see PaintedList).
    pane = window.sources
    chosen, other = pane.model().index(0, 0), pane.model().index(1, 0)
    assert pane.row_state(chosen) == (True, False)
    qtbot.mouseMove(pane.viewport(), pane.visualRect(other).center())
    qtbot.waitUntil(lambda: pane.row_state(other) == (False, True))
    assert pane.row_state(chosen) == (True, False)
    qtbot.mouseMove(window.view, window.view.rect().center())  # out of the pane
    qtbot.waitUntil(lambda: pane.row_state(other) == (False, False))


class Paints(QObject):
    """Notes each paint of the widget it filters."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.events.append("paint")
        return False


def test_the_related_pane_fills_after_the_article_is_painted(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The similarity query (cold at start-up) starts behind the article's first paint, and
    # the pane is still filled.
    events: list[str] = []
    paints = Paints(events)
    window.view.viewport().installEventFilter(paints)
    window.view.shown.connect(lambda _id: events.append("article"))
    show_for = window.related.show_for
    monkeypatch.setattr(window.related, "show_for",
                        lambda article_id: (events.append("related"), show_for(article_id)))
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    with qtbot.waitSignal(window.related.loaded, timeout=10_000):
        window.open_article(article_id)
    window.view.viewport().removeEventFilter(paints)
    assert events.index("article") < events.index("paint") < events.index("related")
    titles = [window.related.own.item(row).title for row in range(window.related.own.rowCount())]
    assert CHARGING in titles
    assert window.related.similar.rowCount() > 0


def test_a_newer_article_takes_the_related_pane_from_one_still_loading(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    first = library.article_id(sample_site.url + VOCATIONAL)
    second = next(window.model.article(row).id for row in (0, 1)
                  if window.model.article(row).id != first)
    loaded: list[int] = []
    window.related.loaded.connect(loaded.append)
    window.open_article(first)
    window.open_article(second)
    settle(window)
    assert window.view.article_id == second
    assert loaded == [second]
