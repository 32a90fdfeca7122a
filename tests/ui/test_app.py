"""Entry points: `reader` without a display, `reader screenshot`, translations, dialogs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QProgressDialog, QSpinBox

from reader._library.sources import SAMPLE_SECTIONS
from reader.config import SETTINGS, SOURCE_SETTINGS
from reader.library import Library
from reader.ui import app, i18n, screenshot
from reader.ui.add_source_dialog import AddSourceDialog
from reader.ui.settings_dialog import SettingsDialog, description, label
from reader.ui.tasks import TaskRunner
from tests.conftest import SiteServer, make_v1_library
from tests.ui.conftest import WORLD


def test_run_without_a_display_says_how_in_one_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert app.run(tmp_path) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "xvfb-run -a reader" in err


def test_only_the_first_open_subscribes_the_sample_site(qapp, tmp_path: Path) -> None:
    for expected_first_run in (True, False):
        library, first_run = app.open_library(qapp, tmp_path)
        try:
            assert first_run is expected_first_run
            assert sorted(s.url.rsplit("sample_site/", 1)[1] for s in library.sources()) == \
                sorted(SAMPLE_SECTIONS)
        finally:
            library.close()


def test_screenshot_renders_the_window_with_the_article(
        qapp, news_library_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    with Library(folder) as library:
        article_id = library.articles(limit=1)[0].id
    out = tmp_path / "shot.png"
    screenshot.render(folder, out, article_id=article_id, size=(1000, 700), theme="dark")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert image.pixelColor(500, 650).lightness() < 100  # dark theme, article area


def test_chinese_translation_covers_the_window_and_every_setting(qapp) -> None:
    translators = i18n.install(qapp, QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        assert translators, "reader_zh_CN.qm should load"
        assert QCoreApplication.translate("MainWindow", "&Update all") == "全部更新(&U)"
        for setting in (*SETTINGS, *(s for s in SOURCE_SETTINGS if s.editable)):
            assert label(setting).isascii() is False, setting.name
            assert description(setting).isascii() is False, setting.name
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_settings_dialog_is_generated_from_the_declared_settings(qtbot, library: Library) -> None:
    dialog = SettingsDialog(library)
    qtbot.addWidget(dialog)
    kinds = {bool: QCheckBox, int: QSpinBox, list: QLineEdit}
    for setting in SETTINGS:
        widget = dialog.findChild(object, setting.name)
        expected = QComboBox if setting.choices else kinds.get(setting.type, QLineEdit)
        if setting.editable:
            assert isinstance(widget, expected), setting.name
        else:  # the sync key is set by signing in, and never shown
            assert widget is None, setting.name
    dialog.findChild(QSpinBox, "font_size").setValue(18)
    dialog.findChild(QLineEdit, "mute_words").setText("广告, sponsored")
    dialog.accept()
    assert library.setting("font_size") == 18
    assert library.setting("mute_words") == ["广告", "sponsored"]


def test_add_source_previews_then_subscribes(
        qtbot, library: Library, sample_site: SiteServer) -> None:
    runner = TaskRunner()
    dialog = AddSourceDialog(library, runner)
    qtbot.addWidget(dialog)
    dialog.url.setText(sample_site.url + WORLD)
    dialog.preview()
    qtbot.waitUntil(dialog.subscribe_button.isEnabled, timeout=10_000)
    assert "World" in dialog.summary.text() and "<li>" in dialog.summary.text()
    with qtbot.waitSignal(dialog.added, timeout=10_000) as added:
        dialog.subscribe_button.click()
    assert added.args[0].source.id in {s.id for s in library.sources()}
    runner.wait()


def test_an_old_library_is_migrated_in_a_worker_behind_a_dialog_that_repaints(
        qapp, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_v1_library(tmp_path / "old", 3)
    assert Library.needs_migration(tmp_path / "old")
    seen: list[bool] = []
    events_ran = threading.Event()

    class HeldLibrary(Library):
        """Opens only once the GUI thread has run its event loop with the dialog up."""

        def __init__(self, data_dir: Path) -> None:
            assert events_ran.wait(timeout=60), "the GUI thread was blocked"
            super().__init__(data_dir)

    def tick() -> None:
        dialogs = [w for w in qapp.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        seen.append(bool(dialogs))
        if dialogs:
            events_ran.set()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    monkeypatch.setattr(app, "Library", HeldLibrary)
    try:
        library, first_run = app.open_library(qapp, tmp_path / "old")
    finally:
        timer.stop()
    try:
        assert library.count() == 4 and not Library.needs_migration(tmp_path / "old")
        assert not first_run
    finally:
        library.close()
    assert any(seen)
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]  # the dialog is gone


def test_a_first_run_gets_the_sample_site_off_the_gui_thread(qapp, tmp_path) -> None:
    library, first_run = app.open_library(qapp, tmp_path / "new")
    try:
        assert first_run and library.sources()
    finally:
        library.close()


def test_screenshot_prints_only_the_file_name(news_library_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(folder),
                           "screenshot", str(out), "--size", "800x500"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == str(out)
    assert "propagateSizeHints" not in done.stderr and done.stderr.strip() == ""


PROBE = """
import gc, json, sys
from PySide6.QtCore import QTimer
from reader import cli
import reader.ui.app as app

seen = {"before": gc.isenabled()}


class Probe(app.MainWindow):
    def __init__(self, *args, **kwargs):
        seen["building"] = gc.isenabled()
        super().__init__(*args, **kwargs)
        QTimer.singleShot(0, self.look)

    def look(self):
        seen["shown"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count() > 0
        self.close()


app.MainWindow = Probe
code = cli.main(["--data-dir", sys.argv[1]])
seen["after"] = gc.isenabled()
print(json.dumps(seen | {"code": code}))
"""


def test_the_window_is_made_with_the_collector_off_and_shown_with_it_on(
        news_library_dir: Path, tmp_path: Path) -> None:
    # What the start makes lives as long as the window: the collector's passes over it while
    # the window was made cost 10-12 ms of start-up CPU. Once shown, it is frozen (out of the
    # full passes) and the collector runs again.
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True,
                          text=True, timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert json.loads(done.stdout) == {"before": True, "building": False, "shown": True,
                                       "frozen": True, "after": True, "code": 0}, done.stderr
