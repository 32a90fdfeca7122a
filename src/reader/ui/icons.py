"""Line icons from resources/icons, tinted to the current palette so they suit light and dark."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from reader.resources import resource

WARNING = "#d97706"
_CLONES: list[_TintedSvg] = []


def icon(name: str, *, warning: bool = False, color: str | None = None) -> QIcon:
    if color is None:
        color = WARNING if warning else _text_colour()
    return _tinted(name, color)


def _text_colour() -> str:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()


@cache
def _tinted(name: str, color: str) -> QIcon:
    svg = resource("icons", f"{name}.svg").read_text(encoding="utf-8")
    return QIcon(_TintedSvg(svg.replace("currentColor", color).encode(), color))


class _TintedSvg(QIconEngine):
    """Draws the SVG at the size and mode asked for, when first asked: a window uses one or
    two of each icon's sizes, and rendering all of them up front was a tenth of start-up."""

    def __init__(self, svg: bytes, color: str) -> None:
        super().__init__()
        self._svg = svg
        self._color = color
        self._renderer: QSvgRenderer | None = None
        self._drawn: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def clone(self) -> QIconEngine:
        # Qt takes the copy (a QIcon detaching, e.g. on addPixmap) without holding its Python
        # side: keep that alive here, or the first paint after it crashes.
        copy = _TintedSvg(self._svg, self._color)
        _CLONES.append(copy)
        return copy

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), mode)
        if key not in self._drawn:
            self._drawn[key] = self._draw(size, mode)
        return self._drawn[key]

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        # Drawn at the screen's resolution, so HiDPI screens stay crisp.
        pixmap = QPixmap(self.pixmap(size * scale, mode, state))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # The screens' highest ratio, not the painter's device: asking for the device makes
        # PySide look up the Python class of every QPaintDevice (QWidget and all of its
        # subclasses, their enums built: 5 ms of start-up). Too fine a pixmap only scales down.
        app = QGuiApplication.instance()
        scale = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def _draw(self, size: QSize, mode: QIcon.Mode) -> QPixmap:
        if self._renderer is None:
            self._renderer = QSvgRenderer(QByteArray(self._svg))
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(0, 0, size.width(), size.height())
        self._renderer.render(painter, area)
        if mode == QIcon.Mode.Disabled:
            faded = QColor(self._color)
            faded.setAlphaF(0.35)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            # drawRect, not fillRect: resolving fillRect's overloads builds QGradient's enums.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(faded)
            painter.drawRect(area)
        painter.end()
        return pixmap
