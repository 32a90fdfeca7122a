"""Line icons from resources/icons, tinted to the current palette so they suit light and dark."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from reader.resources import resource

WARNING = "#d97706"
_SIZES = (16, 20, 24, 32, 48)


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
    svg = svg.replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    result = QIcon()
    disabled = QColor(color)
    disabled.setAlphaF(0.35)
    for mode, tint in ((QIcon.Mode.Normal, None), (QIcon.Mode.Disabled, disabled)):
        for size in _SIZES:
            pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so HiDPI screens stay crisp
            pixmap.setDevicePixelRatio(2)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size, size))
            if tint is not None:
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
                painter.fillRect(QRectF(0, 0, size, size), tint)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result
