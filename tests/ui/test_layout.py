"""The window at 800×500 and wider: everything reachable, panes shrink, keys go to text fields."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QToolBar, QWidget

from reader.library import Library
from reader.ui.article_model import Column
from reader.ui.main_window import MainWindow
from tests.conftest import SiteServer
from tests.ui.test_main_window import IMAGES, VOCATIONAL, show


def _inside(window: MainWindow, widget: QWidget) -> bool:
    """The widget is shown and wholly within the window (not cut off at the right)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def _resize(qtbot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (width, height), timeout=2000)
    QApplication.processEvents()


def test_search_and_settings_stay_reachable_at_800_by_500(qtbot, window: MainWindow) -> None:
    _resize(qtbot, window, 800, 500)
    bar = window.findChild(QToolBar, "main-toolbar")
    assert _inside(window, window.search)
    assert _inside(window, bar.widgetForAction(window.settings_action))
    assert window.search.width() >= 120


def test_panes_shrink_with_the_window(qtbot, window: MainWindow) -> None:
    _resize(qtbot, window, 800, 500)
    # The reading pane keeps more room than the list; nothing scrolls sideways.
    assert window.view.height() > window.list.height()
    assert not window.view.horizontalScrollBar().isVisible()
    assert window.inner.width() >= 380  # the middle column is the widest


def test_the_title_column_takes_the_spare_width(qtbot, window: MainWindow) -> None:
    for width in (800, 1050, 1280, 1920):
        _resize(qtbot, window, width, 700)
        header = window.list.horizontalHeader()
        title = header.sectionSize(Column.TITLE)
        others = sum(header.sectionSize(c) for c in (Column.SOURCE, Column.PUBLISHED,
                                                     Column.VIEWS, Column.STAR))
        assert title >= others, f"title {title} px against {others} px at {width} px"
        assert not window.list.horizontalScrollBar().isVisible(), width


def test_typing_in_the_search_box_fires_no_single_key_shortcut(
        qtbot, window: MainWindow, library: Library) -> None:
    _resize(qtbot, window, 800, 500)
    first = window.model.article(0).id
    show(qtbot, window, first)
    qtbot.waitUntil(lambda: library.article(first).is_read)  # opening marks it read
    before = library.article(first)
    opened: list[QDialog] = []
    window.tags_action.triggered.connect(lambda: opened.append(QDialog()))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "market")  # m, a, r, k, e, t: all shortcuts elsewhere
    assert window.search.text() == "market"
    assert window.view.article_id == first
    after = library.article(first)
    assert (after.is_read, after.is_favourite) == (before.is_read, before.is_favourite)
    assert window.model.article(window.list.currentIndex().row()).id == first
    assert not opened


def test_single_key_shortcuts_still_work_from_the_list(qtbot, window: MainWindow) -> None:
    first, second = window.model.article(0).id, window.model.article(1).id
    show(qtbot, window, first)
    window.list.setFocus()
    with qtbot.waitSignal(window.view.shown, timeout=10_000):
        qtbot.keyClick(window.list, Qt.Key.Key_J)
    assert window.view.article_id == second


def _image_width(window: MainWindow, url: str) -> int:
    image = window.view.document().resource(QTextDocument.ResourceType.ImageResource.value,
                                            QUrl(url))
    assert isinstance(image, QImage) and not image.isNull()
    return image.width()


def test_images_reflow_when_the_window_widens(
        qtbot, window: MainWindow, library: Library, sample_site: SiteServer) -> None:
    _resize(qtbot, window, 800, 500)
    show(qtbot, window, library.article_id(sample_site.url + VOCATIONAL))
    url = sample_site.url + IMAGES[0]
    # Once the layout settles (a resize re-fits the images after REFLOW_DELAY_MS)
    qtbot.waitUntil(lambda: not window.view.horizontalScrollBar().isVisible(), timeout=5_000)
    narrow = _image_width(window, url)
    assert narrow < 600  # 640 px wide at the source
    _resize(qtbot, window, 1600, 900)
    qtbot.waitUntil(lambda: _image_width(window, url) == 640, timeout=5_000)
    _resize(qtbot, window, 800, 500)
    qtbot.waitUntil(lambda: _image_width(window, url) <= narrow, timeout=5_000)
    qtbot.waitUntil(lambda: not window.view.horizontalScrollBar().isVisible(), timeout=5_000)


def test_small_points_cancel_label_related_placeholder_and_divider(
        qtbot, window: MainWindow) -> None:
    assert window.status.cancel.text() == "Stop"
    assert window.status.cancel.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    related = window.related
    assert related.notice.isVisible() and related.notice.text().startswith("Open an article")
    assert not related.own_heading.isVisible() and not related.similar_heading.isVisible()
    assert window.inner.handle(1).height() >= 3  # a divider one can see and grab
    show(qtbot, window, window.model.article(0).id)
    assert related.similar_heading.isVisible() and not related.notice.isVisible()
