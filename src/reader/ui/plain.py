"""Outside text (titles, names, server and error messages) in Qt widgets, always as plain text.

A QLabel, a QMessageBox and a tooltip render whatever looks like HTML as rich text, so a feed
titled ``<h2>…</h2><img src="file://…">`` could rewrite a confirmation or show a local file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Widget classes are looked up when used, as library_actions does: touching one at import
# builds its Python enums, which the window's first paint does not need.
from PySide6 import QtWidgets
from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget


def tooltip(text: str) -> str:
    """A tooltip that shows `text` as written: escaped inside rich text, which Qt does not
    second-guess."""
    import html  # with the first tooltip: html.entities is 3.5 ms of start-up after PySide6

    return f"<qt>{html.escape(text)}</qt>" if text else ""


def label(widget: QLabel) -> QLabel:
    """The label shows its text as plain text, whatever it looks like."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/No question (QMessageBox.question) whose text is plain text."""
    box_class = QtWidgets.QMessageBox
    buttons = box_class.StandardButton
    box = box_class(box_class.Icon.Question, title, text, buttons.Yes | buttons.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == buttons.Yes
