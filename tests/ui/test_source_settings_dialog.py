"""The source settings dialog over a real library and a real local portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from reader.config import SOURCE_SETTINGS
from reader.library import Library
from reader.types import ArticleFilter
from reader.ui.main_window import MainWindow
from reader.ui.source_settings_dialog import SourceSettingsDialog
from tests.conftest import ROOT, SiteServer, serve_directory

SITES = ROOT / "tests" / "data" / "sites"


@pytest.fixture
def portal() -> Iterator[SiteServer]:
    site = serve_directory(SITES)
    yield site
    site.stop()


@pytest.fixture
def portal_window(qtbot, tmp_path: Path, portal: SiteServer) -> Iterator[MainWindow]:
    with Library(tmp_path / "lib") as library:
        library.set_setting("request_delay_ms", 0)
        library.add_source(portal.url + "portal/index.html")
        win = MainWindow(library, library.data_dir, theme_name="light", restore=False)
        qtbot.addWidget(win)
        yield win
        win.shutdown()


def _dialog(qtbot, window: MainWindow) -> SourceSettingsDialog:
    [source] = window.library.sources()
    dialog = SourceSettingsDialog(window.library, window.runner, source.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_action_needs_a_chosen_source(portal_window: MainWindow) -> None:
    assert not portal_window.source_settings_action.isEnabled()  # "All articles"
    [source] = portal_window.library.sources()
    portal_window.sources.choose(ArticleFilter(source_id=source.id))
    assert portal_window.source_settings_action.isEnabled()


def test_one_widget_per_declared_setting_and_the_rule_form(qtbot, portal_window) -> None:
    dialog = _dialog(qtbot, portal_window)
    for setting in SOURCE_SETTINGS:
        if setting.editable:
            assert dialog.findChild(object, setting.name) is not None, setting.name
    for name in ("links", "title", "body", "published", "next"):
        assert dialog.findChild(QLineEdit, f"rule_{name}") is not None


def test_the_test_button_previews_entries_then_an_article(qtbot, portal_window,
                                                          portal: SiteServer) -> None:
    dialog = _dialog(qtbot, portal_window)
    preview = dialog.findChild(QPlainTextEdit, "preview")
    dialog.findChild(QLineEdit, "rule_links").setText("//table[@class='list']//td/a")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "长者食堂开到家门口" in preview.toPlainText(), timeout=10_000)
    assert preview.toPlainText().startswith("3 entries") and "推荐" not in preview.toPlainText()

    dialog.findChild(QLineEdit, "rule_links").clear()
    dialog.findChild(QLineEdit, "rule_title").setText("//h1")
    dialog.test_url.setText(portal.url + "portal/a2.html")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: preview.toPlainText().startswith("供暖季开启热线畅通"),
                    timeout=10_000)
    assert "第一段" in preview.toPlainText()
    assert portal_window.library.count() == 0  # a preview stores nothing


def test_a_bad_xpath_is_shown_and_nothing_is_saved(qtbot, portal_window) -> None:
    dialog = _dialog(qtbot, portal_window)
    dialog.findChild(QLineEdit, "rule_title").setText("//h1[")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "rule title: bad XPath" in dialog.error.text()

    dialog.findChild(QLineEdit, "user_agent").setText("ReaderTest/1")
    dialog.accept()
    assert dialog.isVisible() and "rule title: bad XPath" in dialog.error.text()  # refused
    [source] = portal_window.library.sources()
    assert portal_window.library.source_settings(source.id)["user_agent"] == ""

    dialog.findChild(QLineEdit, "rule_title").setText("//h1")
    dialog.accept()
    assert not dialog.isVisible()
    settings = portal_window.library.source_settings(source.id)
    assert settings["rule"] == {"title": "//h1"} and settings["user_agent"] == "ReaderTest/1"
