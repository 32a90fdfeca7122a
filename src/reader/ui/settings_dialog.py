"""The settings dialog, generated from reader.config.SETTINGS: one widget per declared type.

`setting_rows` is shared with the source settings dialog (reader.config.SOURCE_SETTINGS)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
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
from reader.ui import plain

log = logging.getLogger(__name__)


# Labels in words with their unit (the names are for the command line); a name missing here
# reads as words. Translated under the "Settings" context, as are ZERO_MEANS.
LABELS = {
    "update_interval_minutes": "Update every (minutes)", "prefetch_related": "Fetch related pages",
    "max_image_mb": "Largest image (MB)", "request_delay_ms": "Pause between requests (ms)",
    "font_size": "Font size (pt)", "mute_words": "Muted words",
    "keep_days": "Keep articles (days)", "keep_per_source": "Keep per source (articles)",
    "sync_endpoint": "Sync server", "sync_protocol": "Sync protocol", "sync_api_key": "Sync key",
}
# What 0 means for a number setting, shown in its spin box instead of "0".
ZERO_MEANS = {"update_interval_minutes": "Never", "keep_days": "Forever", "keep_per_source": "All"}


def label(setting: Setting) -> str:
    text = LABELS.get(setting.name) or setting.name.replace("_", " ").capitalize()
    return QCoreApplication.translate("Settings", text)


def description(setting: Setting) -> str:
    return QCoreApplication.translate("Settings", setting.description)


def editor(setting: Setting, value: Any, parent: QWidget, zero: str = ""
           ) -> tuple[QWidget, Callable[[], Any]]:
    """A widget for one setting's type, and how to read its value back; `zero` says what 0
    means for a number."""
    if setting.type is bool:
        box = QCheckBox(parent)
        box.setChecked(bool(value))
        return box, box.isChecked
    if setting.type is int:
        spin = QSpinBox(parent)
        spin.setRange(0, 10_000)
        if zero:
            spin.setSpecialValueText(QCoreApplication.translate("Settings", zero))
        spin.setValue(int(value))
        return spin, spin.value
    if setting.choices:
        combo = QComboBox(parent)
        for choice in setting.choices:
            combo.addItem(QCoreApplication.translate("Settings", choice.capitalize()), choice)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        return combo, combo.currentData
    if setting.type is list:
        words = QLineEdit(", ".join(value), parent)
        words.setPlaceholderText(QCoreApplication.translate("SettingsDialog", "Comma-separated"))
        return words, lambda: [w.strip() for w in words.text().split(",") if w.strip()]
    line = QLineEdit(str(value), parent)
    return line, line.text


def setting_rows(form: QFormLayout, settings: Iterable[Setting], values: Mapping[str, Any],
                 parent: QWidget, zero_means: Mapping[str, str]
                 ) -> dict[str, Callable[[], Any]]:
    """A labelled, described row per editable setting; returns a reader per setting name."""
    readers: dict[str, Callable[[], Any]] = {}
    for setting in (s for s in settings if s.editable):
        widget, read = editor(setting, values[setting.name], parent,
                              zero_means.get(setting.name, ""))
        widget.setToolTip(description(setting))
        widget.setAccessibleName(label(setting))
        widget.setAccessibleDescription(description(setting))
        widget.setObjectName(setting.name)
        readers[setting.name] = read
        form.addRow(label(setting), widget)
    return readers


def save_bar(dialog: QDialog) -> tuple[QLabel, QDialogButtonBox]:
    """A hidden error line and Save/Cancel buttons wired to the dialog's accept/reject."""
    error = plain.label(QLabel(dialog))
    error.setObjectName("error")
    error.setWordWrap(True)
    error.hide()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return error, buttons


class SettingsDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self._library = library
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._readers = setting_rows(form, SETTINGS,
                                     {s.name: library.setting(s.name) for s in SETTINGS}, self,
                                     ZERO_MEANS)
        self.error, buttons = save_bar(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

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
