"""The reading pane: a QTextBrowser showing images from the library cache, never the network."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QMargins, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.errors import Cancelled
from reader.library import Library
from reader.types import StoredArticle
from reader.ui import article_html
from reader.ui.theme import LIGHT, Colours
from reader.urls import is_web_url

if TYPE_CHECKING:
    from PySide6.QtCore import QRegularExpression

    from reader.images import Pixels

log = logging.getLogger(__name__)

COLUMN = 760  # widest comfortable measure for body text, in pixels
MARGIN = 28
WIDEST_PICTURE = COLUMN - 2 * MARGIN  # no picture is shown wider: the column holds it
ZOOM_STEP = 1
MIN_FONT, MAX_FONT = 9, 32
MAX_MARKS = 500  # a one-letter prefix could match every word of a long article
REFLOW_DELAY_MS = 120  # one re-layout once a resize settles, not one per step


class LoadedArticle(NamedTuple):
    """An article with its cached pictures and its body made ready for the view, read in a
    worker.

    A picture wider than the column is decoded and scaled there by Pillow
    (reader.images.pixels), which lets go of the GIL, into plain bytes: Qt's decoding holds the
    GIL through PySide, and its smooth scaling makes the GUI thread wait on Qt's own threads,
    which stalled the window 40-60 ms while twenty photos opened. The others stay bytes that
    the GUI thread decodes, one picture per turn of its event loop (see
    ArticleView.show_article). Never a QImage made in a worker: one decoded there while the GUI
    thread paints can deadlock (the worker holds the GIL and waits for a Qt lock that the
    painting thread holds while it waits for the GIL to call loadResource).
    """

    stored: StoredArticle
    images: dict[str, Pixels | bytes]  # decoded here when wider than the column, else bytes
    body: str  # as the view lays it out (article_html.body)


def load_article(library: Library, article_id: int,
                 cancel: threading.Event | None = None) -> LoadedArticle:
    """Read in a worker: the article and its pictures (no Qt): one wider than the column
    decoded and scaled to it here, the others as bytes. Once `cancel` is set (the user moved
    on) it stops before the next picture: Cancelled."""
    # With the first article (3 ms after PySide6's import); Pillow (20 ms) only for a picture
    # wider than the column.
    from reader.images import pixels, sniff, viewable

    stored = library.article(article_id)
    images: dict[str, Pixels | bytes] = {}
    for image in stored.article.images:
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled")
        if not (data := library.image(image.url)):
            continue
        info = sniff(data)
        wide = info is not None and info.width > WIDEST_PICTURE
        if shown := pixels(data, WIDEST_PICTURE) if wide else viewable(data):
            images[image.url] = shown
    return LoadedArticle(stored, images, article_html.body(stored.article))


# Qt's names of the formats reader.images keeps.
QT_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


def decode(data: bytes) -> QImage:
    """The picture, in the format its header names: asked to guess, Qt's first decode loads
    every image plugin to ask which one reads it (2 ms; the PDF plugin loads QtPdf)."""
    from reader.images import sniff

    info = sniff(data)
    if info is None:
        return QImage()
    return QImage.fromData(data, QT_FORMATS[info.mime])  # type: ignore[arg-type]  # a str


def image_of(shown: Pixels) -> QImage:
    """A QImage of its own of a picture decoded in a worker."""
    channels, layout = ((4, QImage.Format.Format_RGBA8888) if shown.alpha
                        else (3, QImage.Format.Format_RGB888))
    return QImage(shown.data, shown.width, shown.height, channels * shown.width, layout).copy()


class ArticleView(QTextBrowser):
    article_requested = Signal(int)  # a link to an article that is in the library
    shown = Signal(int)  # an article has been laid out
    state_changed = Signal()  # the shown article's read or favourite state changed

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article")
        self.setAccessibleName(self.tr("Article"))
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        self.setAutoFillBackground(True)
        self._library = library
        self._colours = LIGHT
        self._font_pt = 15
        self._current: LoadedArticle | None = None
        self._opening: LoadedArticle | None = None  # its images being decoded
        self._decoded: dict[str, QImage] = {}  # the current article's images
        self.document().setDocumentMargin(MARGIN)
        self._fitted = 0  # the width images were scaled to, at the last render
        self._highlights: list[QRegularExpression] = []  # the search's words, marked in the text
        self._reflow = QTimer(self)
        self._reflow.setSingleShot(True)
        self._reflow.setInterval(REFLOW_DELAY_MS)
        self._reflow.timeout.connect(lambda: self._render(keep_scroll=True))
        self.show_placeholder()

    @property
    def article_id(self) -> int | None:
        return self._current.stored.id if self._current else None

    @property
    def current(self) -> LoadedArticle | None:
        return self._current

    def patch(self, *, is_read: bool | None = None, is_favourite: bool | None = None) -> None:
        """Keep the shown article's read and favourite state in step with the actions."""
        if self._current is not None:
            old = self._current.stored
            stored = old._replace(is_read=old.is_read if is_read is None else is_read,
                                  is_favourite=old.is_favourite if is_favourite is None
                                  else is_favourite)
            self._current = self._current._replace(stored=stored)
            if stored.is_favourite != old.is_favourite:
                self._render(keep_scroll=True)  # the star on the meta line
            self.state_changed.emit()

    @property
    def settled(self) -> bool:
        """The article asked for is laid out (its images decoded) and no re-layout is pending
        (images are fitted to the current width)."""
        return self._opening is None and not self._reflow.isActive()

    @property
    def font_size(self) -> int:
        return self._font_pt

    # --- content --------------------------------------------------------------------------

    def show_article(self, loaded: LoadedArticle) -> None:
        """Decode the pictures (or wrap those decoded in the worker) one per turn of the event
        loop, then lay the article out: the window keeps answering while a picture-heavy
        article opens. It is the current article (for the actions) at once."""
        self._current = self._opening = loaded
        self._decoded = {}
        self._decode_next(loaded, list(loaded.images.items()))

    def _decode_next(self, loaded: LoadedArticle,
                     todo: list[tuple[str, Pixels | bytes]]) -> None:
        if self._opening is None or self._opening.stored.id != loaded.stored.id:
            return  # a newer article was asked for
        if todo:
            url, shown = todo.pop()
            image = decode(shown) if isinstance(shown, bytes) else image_of(shown)
            if not image.isNull():
                self._decoded[url] = image
            QTimer.singleShot(0, lambda: self._decode_next(loaded, todo))
            return
        self._opening = None
        self._render(keep_scroll=False)
        self.shown.emit(loaded.stored.id)

    def show_placeholder(self, text: str | None = None) -> None:
        self._current = self._opening = None
        message = text or self.tr("Select an article to read it here.")
        self.document().setDefaultStyleSheet(article_html.stylesheet(self._colours, self._font_pt))
        self.setHtml(f'<p class="meta" align="center"><br/><br/>{message}</p>')

    def set_theme(self, colours: Colours) -> None:
        self._colours = colours
        self._render(keep_scroll=True)

    def set_font_size(self, points: int) -> None:
        self._font_pt = max(MIN_FONT, min(MAX_FONT, points))
        self._render(keep_scroll=True)

    def zoom(self, steps: int) -> None:
        self.set_font_size(self._font_pt + steps * ZOOM_STEP)

    def _render(self, *, keep_scroll: bool) -> None:
        if self._current is None:
            self.show_placeholder()
            return
        bar = self.verticalScrollBar()
        ratio = bar.value() / bar.maximum() if keep_scroll and bar.maximum() else 0.0
        stored = self._current.stored
        doc = self.document()
        doc.setDefaultStyleSheet(article_html.stylesheet(self._colours, self._font_pt))
        doc.setBaseUrl(QUrl(stored.article.url))
        self._fitted = self._image_width()
        self.setHtml(article_html.document(stored, self._current.body,
                                           meta=self._meta(stored),
                                           note=self._note(stored),
                                           enclosures=self._enclosures(stored),
                                           copies=(self.tr("Also in:"), [
                                               (c.url, c.source or c.title)
                                               for c in stored.copies])))
        self._mark()
        bar.setValue(round(ratio * bar.maximum()))

    def highlight(self, patterns: list[str]) -> None:
        """Mark what these regular expressions match (the search's words) in every article
        shown from now on, until called with none."""
        self._highlights = []
        if patterns:
            # Imported with the first search, as QTextCharFormat below: building their Python
            # enums (QTextFormat's, 116 properties) cost the window's start-up 2.5 ms.
            from PySide6.QtCore import QRegularExpression

            options = (QRegularExpression.PatternOption.CaseInsensitiveOption
                       | QRegularExpression.PatternOption.UseUnicodePropertiesOption)
            self._highlights = [QRegularExpression(p, options) for p in patterns]
        self._mark()

    def _mark(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if self._highlights and self._current is not None:
            from PySide6.QtGui import QTextCharFormat

            marked = QTextCharFormat()
            colour = QColor(self._colours.accent)
            colour.setAlpha(70)  # a tint over the page, the text keeps its own colour
            marked.setBackground(colour)
            doc = self.document()
            for pattern in self._highlights:
                cursor = doc.find(pattern, 0)
                while not cursor.isNull() and len(selections) < MAX_MARKS:
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor, selection.format = cursor, marked
                    selections.append(selection)
                    cursor = doc.find(pattern, cursor)
        self.setExtraSelections(selections)

    def _meta(self, stored: StoredArticle) -> str:
        parts = article_html.meta_parts(stored)
        if stored.is_favourite:
            parts.insert(0, "★ " + self.tr("Favourite"))
        if stored.article.views is not None:
            parts.append(self.tr("{} views").format(f"{stored.article.views:,}"))
        return "  ·  ".join(parts)

    def _note(self, stored: StoredArticle) -> str:
        if not stored.article.page_error:
            return ""
        return self.tr("Summary from the feed; the page could not be fetched ({}).").format(
            stored.article.page_error)

    def _enclosures(self, stored: StoredArticle) -> list[tuple[str, str]]:
        """(url, label) of each enclosure a browser may open: "Audio: ep42.mp3 (44 MB)"."""
        links = []
        for e in stored.article.enclosures:
            if not is_web_url(e.url):
                continue
            kind = e.type.partition("/")[0]
            label = (self.tr("Audio: {}") if kind == "audio" else self.tr("Video: {}")
                     if kind == "video" else self.tr("Attachment: {}"))
            name = unquote(urlsplit(e.url).path.rsplit("/", 1)[-1]) or e.url
            size = f" ({e.length / 2**20:.1f} MB)" if e.length else ""
            links.append((e.url, label.format(name + size)))
        return links

    # --- images from the cache ------------------------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, url)
        key = url.toString() if isinstance(url, QUrl) else url
        image = self._decoded.get(key)
        if image is None:
            # Not read ahead (an image the extractor did not list): one indexed read, and
            # only an image small enough to decode here.
            from reader.images import fits_view

            data = self._library.image(key)
            image = decode(data) if data and fits_view(data) else QImage()
        if image.isNull():
            log.debug("image not cached: %s", key)
            return QImage()  # an empty image, so Qt does not ask again
        return self._fit(image)

    def _image_width(self) -> int:
        # Room for the scroll bar is kept either way: a long article shows it only after the
        # images were laid out, and they must not then stick out sideways.
        room = (self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
                - self.viewportMargins().left() - self.viewportMargins().right())
        return min(COLUMN, room) - 2 * MARGIN

    def _fit(self, image: QImage) -> QImage:
        width = self._image_width()
        if width > 0 and image.width() > width:
            return image.scaledToWidth(width, mode=Qt.TransformationMode.SmoothTransformation)
        return image

    # --- links ----------------------------------------------------------------------------

    def _follow(self, url: QUrl) -> None:
        if self._current is not None and url.isRelative():
            url = QUrl(self._current.stored.article.url).resolved(url)
        target = url.toString()
        article_id = self._library.article_id(target)
        if article_id is not None:
            self.article_requested.emit(article_id)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        else:
            log.info("ignored link %s", target)

    # --- a readable column in a wide window -----------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Viewport resizes arrive here too, so use the widget's width and set margins only on
        # a change (setting them resizes the viewport). The scroll bar's room is kept whether
        # it shows or not: margins that followed it changed the images' width, so an article
        # whose length sat at the bar's threshold was laid out again every 120 ms, for good.
        spare = max(0, self.width() - self.verticalScrollBar().sizeHint().width() - COLUMN)
        margins = QMargins(spare // 2, 0, spare - spare // 2, 0)
        if margins != self.viewportMargins():
            self.setViewportMargins(margins)
        super().resizeEvent(event)
        if self._current is not None and self._image_width() != self._fitted:
            self._reflow.start()  # images are scaled when loaded: load them again at the new width

