"""Add a source: preview a URL in a worker (kind, title, first entries), then subscribe."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.library import AddResult, Library
from reader.types import ParsedSource
from reader.ui.errors import describe_error
from reader.ui.tasks import TaskRunner

PREVIEW_ENTRIES = 5


class AddSourceDialog(QDialog):
    added = Signal(object)  # AddResult

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add source"))
        self.setMinimumWidth(520)
        self._library = library
        self._runner = runner
        self._previewed: ParsedSource | None = None

        self.url = QLineEdit(self)
        self.url.setPlaceholderText(self.tr("Feed or section page URL, e.g. https://example.com/news/"))
        self.url.setAccessibleName(self.tr("Source URL"))
        self.url.textChanged.connect(self._url_changed)
        self.url.returnPressed.connect(self.preview)
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.clicked.connect(self.preview)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Preview"))
        self.summary.setMinimumHeight(120)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.subscribe_button = self.buttons.addButton(self.tr("Subscribe"),
                                                       QDialogButtonBox.ButtonRole.AcceptRole)
        self.subscribe_button.setEnabled(False)
        self.buttons.accepted.connect(self.subscribe)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)

    def _url_changed(self) -> None:
        self._previewed = None
        self.subscribe_button.setEnabled(False)

    def _busy(self, text: str) -> None:
        self.summary.setText(text)
        self.preview_button.setEnabled(False)
        self.subscribe_button.setEnabled(False)

    def preview(self) -> None:
        url = self.url.text().strip()
        if not url:
            return
        self._busy(self.tr("Looking at {}…").format(url))
        self._runner.run(lambda: self._library.preview(url), self._show_preview, self._failed,
                         key="add-source")

    def _show_preview(self, parsed: ParsedSource) -> None:
        self._previewed = parsed
        self.preview_button.setEnabled(True)
        self.subscribe_button.setEnabled(True)
        kind = self.tr("Feed") if parsed.kind == "feed" else self.tr("Section page")
        entries = "".join(f"<li>{html.escape(e.title or e.url)}</li>"
                          for e in parsed.entries[:PREVIEW_ENTRIES])
        found = self.tr("{} entries found").format(len(parsed.entries))
        self.summary.setText(f"<b>{html.escape(parsed.title)}</b><br/>{kind} · {found}"
                            f"<ul>{entries}</ul>")

    def subscribe(self) -> None:
        url = self.url.text().strip()
        title = self._previewed.title if self._previewed else None
        self._busy(self.tr("Subscribing…"))
        self._runner.run(lambda: self._library.add_source(url, title=title), self._subscribed,
                         self._failed, key="add-source")

    def _subscribed(self, result: AddResult) -> None:
        self.added.emit(result)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.preview_button.setEnabled(True)
        self.summary.setText(html.escape(
            self.tr("Could not use this address: {}").format(describe_error(error))))
