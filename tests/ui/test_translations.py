"""The zh_CN translation: complete for the window's strings, full-width punctuation in Chinese."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox

from reader.library import Library
from reader.text import CJK
from reader.ui import errors
from reader.ui.settings_dialog import LABELS, ZERO_MEANS, SettingsDialog

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "reader_zh_CN.ts"
UI = ROOT / "src" / "reader" / "ui"

# A half-width mark touching a Chinese character ("选择一篇文章,在此阅读", "上限(MB)").
HALF_WIDTH_BY_CJK = re.compile(f"[{CJK}][,;:!?()]|[,;:!?()][{CJK}]|[{CJK}]\\([^)]*\\)")
MNEMONIC = re.compile(r"\(&\w\)")  # Qt's CJK accelerator form, half-width by convention


def _translations() -> dict[tuple[str, str], str]:
    found = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message.findtext("translation") or ""
    return found


def test_chinese_text_uses_full_width_punctuation() -> None:
    bad = [text for text in _translations().values()
           if HALF_WIDTH_BY_CJK.search(MNEMONIC.sub("", text))]
    assert not bad, "\n".join(bad)


def _tr_calls(path: Path) -> set[tuple[str, str]]:
    """(class, text) of every self.tr("…") in a module, and of every window.tr("…") in a
    function outside a class (the class is the parameter's annotation: `window: MainWindow`)."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            found |= {(node.name, text) for _, text in _texts(node)}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            classes = {a.arg: a.annotation.id for a in node.args.args
                       if isinstance(a.annotation, ast.Name)}
            found |= {(classes[owner], text) for owner, text in _texts(node) if owner in classes}
    return found


def _texts(node: ast.AST) -> set[tuple[str, str]]:
    """(the name tr is called on, text) of every NAME.tr("…") under node."""
    return {(call.func.value.id, call.args[0].value) for call in ast.walk(node)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "tr" and isinstance(call.func.value, ast.Name)
            and call.args and isinstance(call.args[0], ast.Constant)}


def test_every_string_of_the_window_has_a_chinese_translation() -> None:
    translated = {key for key, text in _translations().items() if text}
    wanted = {key for path in UI.glob("*.py") for key in _tr_calls(path)}
    wanted |= {("Errors", template) for _, template in errors._SHAPES}
    wanted |= {("Settings", text) for text in (*LABELS.values(), *ZERO_MEANS.values())}
    missing = sorted(key for key in wanted if key not in translated)
    assert not missing, "\n".join(f"{c}: {s}" for c, s in missing)


def test_english_settings_labels_are_words_with_units(qtbot, library: Library) -> None:
    dialog = SettingsDialog(library)
    qtbot.addWidget(dialog)
    form = dialog.findChild(QFormLayout)
    labels = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label and field:
            labels[field.widget().objectName()] = label.widget().text()
    assert all(isinstance(v, str) for v in labels.values())
    assert labels["max_image_mb"] == "Largest image (MB)"
    assert labels["request_delay_ms"] == "Pause between requests (ms)"
    assert labels["keep_days"] == "Keep articles (days)"
    assert dialog.findChild(QSpinBox, "keep_days").specialValueText() == "Forever"
    assert dialog.findChild(QSpinBox, "update_interval_minutes").specialValueText() == "Never"
    assert not any(isinstance(w, QLabel) and "_" in w.text() for w in dialog.children())
