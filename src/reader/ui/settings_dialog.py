"""The settings dialog, generated from reader.config.SETTINGS: one widget per declared type."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reader.config import SETTINGS, Setting
from reader.library import Library

log = logging.getLogger(__name__)


def label(setting: Setting) -> str:
    """A short label from the setting's name; translated under the "Settings" context."""
    return QCoreApplication.translate("Settings", setting.name.replace("_", " ").capitalize())


def description(setting: Setting) -> str:
    return QCoreApplication.translate("Settings", setting.description)


class SettingsDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self._library = library
        self._readers: dict[str, Callable[[], Any]] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for setting in (s for s in SETTINGS if s.editable):
            widget, read = self._editor(setting, library.setting(setting.name))
            widget.setToolTip(description(setting))
            widget.setAccessibleName(label(setting))
            widget.setAccessibleDescription(description(setting))
            widget.setObjectName(setting.name)
            self._readers[setting.name] = read
            form.addRow(label(setting), widget)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _editor(self, setting: Setting, value: Any) -> tuple[QWidget, Callable[[], Any]]:
        if setting.type is bool:
            box = QCheckBox(self)
            box.setChecked(bool(value))
            return box, box.isChecked
        if setting.type is int:
            spin = QSpinBox(self)
            spin.setRange(0, 10_000)
            spin.setValue(int(value))
            return spin, spin.value
        if setting.choices:
            combo = QComboBox(self)
            for choice in setting.choices:
                combo.addItem(QCoreApplication.translate("Settings", choice.capitalize()), choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo, combo.currentData
        if setting.type is list:
            words = QLineEdit(", ".join(value), self)
            words.setPlaceholderText(self.tr("Comma-separated"))
            return words, lambda: [w.strip() for w in words.text().split(",") if w.strip()]
        line = QLineEdit(str(value), self)
        return line, line.text

    def values(self) -> dict[str, Any]:
        return {name: read() for name, read in self._readers.items()}

    def accept(self) -> None:
        changed = {name: value for name, value in self.values().items()
                   if value != self._library.setting(name)}
        try:
            for name, value in changed.items():
                self._library.set_setting(name, value)
        except ValueError as e:  # config.coerce's message is meant for the user
            self.error.setText(str(e))
            self.error.show()
            return
        log.info("settings changed: %s", ", ".join(changed) or "none")
        super().accept()
