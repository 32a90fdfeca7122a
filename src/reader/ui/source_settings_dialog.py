"""One source's own settings (reader.config.SOURCE_SETTINGS), its XPath rule as a small form,
and a preview of what the rule reads off a page, fetched in the window's TaskRunner."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.config import SOURCE_SETTINGS
from reader.library import Library
from reader.types import Article, ParsedSource, iso
from reader.ui.settings_dialog import save_bar, setting_rows
from reader.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PREVIEW_ENTRIES = 30  # titles shown for a listing rule
PREVIEW_CHARS = 400  # of an article's text


def _rule_label(name: str) -> str:
    return QCoreApplication.translate("SourceSettingsDialog", name.capitalize())


class SourceSettingsDialog(QDialog):
    def __init__(self, library: Library, runner: TaskRunner, source_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        source = library.source(source_id)
        self.setWindowTitle(self.tr("Settings of {}").format(source.title or source.url))
        self.setAccessibleName(self.tr("Source settings"))
        self._library = library
        self._runner = runner
        self._source_id = source_id
        self._stored = library.source_settings(source_id)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._readers = setting_rows(form, SOURCE_SETTINGS, self._stored, self,
                                     {"update_interval_minutes": "With every update"})

        from reader.parse.sites.rules import RULE_FIELDS  # the parsers: not before it opens

        rule_box = QGroupBox(self.tr("Site rule (XPath; empty: detect)"), self)
        rule_form = QFormLayout(rule_box)
        self._rule: dict[str, QLineEdit] = {}
        for name in RULE_FIELDS:
            line = QLineEdit(self._stored["rule"].get(name, ""), rule_box)
            line.setObjectName(f"rule_{name}")
            line.setAccessibleName(_rule_label(name))
            self._rule[name] = line
            rule_form.addRow(_rule_label(name), line)
        self._rule["links"].setPlaceholderText("//ul[@class='list']/li/a")
        self._rule["next"].setPlaceholderText("//a[text()='下一页']")
        self.test_url = QLineEdit(source.fetch_url or source.url, rule_box)
        self.test_url.setObjectName("test_url")
        self.test_url.setAccessibleName(self.tr("Test URL"))
        self.test_button = QPushButton(self.tr("Test on this URL"), rule_box)
        self.test_button.clicked.connect(self.test_rule)
        row = QHBoxLayout()
        row.addWidget(self.test_url)
        row.addWidget(self.test_button)
        rule_form.addRow(self.tr("Page"), row)
        self.preview = QPlainTextEdit(rule_box)
        self.preview.setObjectName("preview")
        self.preview.setAccessibleName(self.tr("What the rule extracts"))
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(
            self.tr("A rule with Links shows the entries it finds; otherwise the article."))
        rule_form.addRow(self.preview)

        self.error, buttons = save_bar(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(rule_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def rule(self) -> dict[str, str]:
        return {name: line.text().strip() for name, line in self._rule.items()
                if line.text().strip()}

    def values(self) -> dict[str, Any]:
        return {**{name: read() for name, read in self._readers.items()}, "rule": self.rule()}

    def test_rule(self) -> None:
        url, rule = self.test_url.text().strip(), self.rule()
        self.error.hide()
        self.preview.setPlainText(self.tr("Fetching {}…").format(url))
        self.test_button.setEnabled(False)
        self._runner.run(lambda: self._library.test_rule(url, rule, source_id=self._source_id),
                         self._show_preview, self._test_failed, key="source-rule-test")

    def _show_preview(self, found: ParsedSource | Article) -> None:
        self.test_button.setEnabled(True)
        if isinstance(found, ParsedSource):
            lines = [self.tr("{} entries").format(len(found.entries))]
            lines += [f"• {e.title or e.url}" for e in found.entries[:PREVIEW_ENTRIES]]
            if found.next_page:
                lines.append(self.tr("Next page: {}").format(found.next_page))
        else:
            lines = [found.title, iso(found.published) or self.tr("(no date)"), "",
                     found.text[:PREVIEW_CHARS]]
        self.preview.setPlainText("\n".join(lines))

    def _test_failed(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self.preview.clear()
        self._show_error(str(error))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        changed = {name: value for name, value in self.values().items()
                   if value != self._stored[name]}
        try:
            # The rule first: a bad XPath then leaves every setting as it was.
            for name in sorted(changed, key=lambda n: n != "rule"):
                self._library.set_source_setting(self._source_id, name, changed[name])
        except ValueError as e:  # SettingError: the message names the value at fault
            self._show_error(str(e))
            return
        log.info("source %s settings changed: %s", self._source_id, ", ".join(changed) or "none")
        super().accept()
