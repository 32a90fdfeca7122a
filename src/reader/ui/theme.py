"""System, light and dark themes: a Fusion palette plus a small stylesheet."""

from __future__ import annotations

import logging
from string import Template
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader.resources import resource

log = logging.getLogger(__name__)

STYLE = "Fusion"  # the one style whose palette is honoured on every platform
_STYLED = "reader_style"  # the application's property: its style is STYLE already

# Chinese first so Han characters get a CJK face, Latin falls back to the same family.
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                 "WenQuanYi Micro Hei", "Noto Sans", "DejaVu Sans", "sans-serif"]


class Colours(NamedTuple):
    """What the stylesheet and the article document are painted with."""

    window: str
    base: str
    alternate: str
    text: str
    muted: str
    rule: str
    accent: str
    accent_text: str
    link: str
    dark: bool


LIGHT = Colours(window="#f4f4f2", base="#ffffff", alternate="#fafaf8", text="#1d1d1f",
                muted="#6e6e73", rule="#e2e2df", accent="#c2410c", accent_text="#ffffff",
                link="#b4410e", dark=False)
DARK = Colours(window="#1e1f22", base="#26272b", alternate="#2a2b2f", text="#e6e6e3",
               muted="#9a9aa0", rule="#3a3b40", accent="#f08a4b", accent_text="#1e1f22",
               link="#f4a06b", dark=True)


def resolve(theme: str) -> Colours:
    """The colours a theme name stands for; 'system' follows the desktop's colour scheme."""
    if theme == "dark":
        return DARK
    if theme == "light":
        return LIGHT
    hints = QGuiApplication.styleHints()
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def new_application(argv0: str) -> QApplication:
    """The application, its style chosen on its command line: `setStyle` hands Python the
    QStyle it makes, and PySide then builds QStyle's Python enums (6 ms of start-up)."""
    app = QApplication([argv0, "-style", STYLE])
    app.setProperty(_STYLED, STYLE)
    return app


def apply(app: QApplication, theme: str) -> Colours:
    colours = resolve(theme)
    qss = Template(resource("styles", "app.qss").read_text(encoding="utf-8")).substitute(
        _qss_values(colours))
    if app.styleSheet() == qss:
        return colours  # applied already: doing it again re-polishes every widget (~20 ms)
    if app.property(_STYLED) != STYLE:  # an application not made by new_application
        app.setStyle(STYLE)
        app.setProperty(_STYLED, STYLE)
    app.setPalette(_palette(colours))
    # The font before the stylesheet: polishing under a stylesheet fixes each widget's font.
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyleSheet(qss)
    log.debug("theme %s applied", theme)
    return colours


def _palette(c: Colours) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in ((role.Window, c.window), (role.WindowText, c.text), (role.Base, c.base),
                     (role.AlternateBase, c.alternate), (role.Text, c.text),
                     (role.Button, c.window), (role.ButtonText, c.text),
                     (role.ToolTipBase, c.base), (role.ToolTipText, c.text),
                     (role.PlaceholderText, c.muted), (role.Highlight, c.accent),
                     (role.HighlightedText, c.accent_text), (role.Link, c.link),
                     (role.Mid, c.rule), (role.Midlight, c.rule)):
        p.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, r, QColor(c.muted))
    # An unfocused list keeps a readable selection rather than Fusion's washed-out grey.
    inactive = QColor(c.accent)
    inactive.setAlphaF(0.75)
    p.setColor(QPalette.ColorGroup.Inactive, role.Highlight, inactive)
    p.setColor(QPalette.ColorGroup.Inactive, role.HighlightedText, QColor(c.accent_text))
    return p


def _qss_values(c: Colours) -> dict[str, str]:
    return {
        "window": c.window, "base": c.base, "text": c.text, "muted": c.muted,
        "rule": c.rule, "accent": c.accent, "accent_text": c.accent_text,
        "sidebar": "#18191c" if c.dark else "#ecebe8",
        "hover": "#303136" if c.dark else "#e4e3df",
        "selection_inactive": "#3d3530" if c.dark else "#f6e3d8",
    }
