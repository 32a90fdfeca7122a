"""Signing in and syncing from the window, against the real coldsweat server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.main_window import MainWindow
from reader.ui.sync_dialog import SyncAccountDialog
from tests.sync.conftest import EMAIL, PASSWORD, Coldsweat


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    with Library(tmp_path / "lib") as library:
        library.set_setting("request_delay_ms", 0)
        win = MainWindow(library, library.data_dir, theme_name="light", restore=False)
        qtbot.addWidget(win)
        win.show()
        yield win
        win.shutdown()


def _dialog(window: MainWindow) -> SyncAccountDialog:
    dialogs = window.findChildren(SyncAccountDialog)
    assert dialogs, "Sync now without an account should ask for one"
    return dialogs[-1]


def _sign_in(window: MainWindow, server: Coldsweat, password: str) -> SyncAccountDialog:
    """Sync now with no account: the dialog asks for one, filled in and sent."""
    window.sync_action.trigger()
    dialog = _dialog(window)
    dialog.endpoint.setText(server.endpoint)
    dialog.email.setText(EMAIL)
    dialog.password.setText(password)
    dialog.sign_in()
    return dialog


def test_a_wrong_password_is_said_in_the_dialog(qtbot, window: MainWindow,
                                                server: Coldsweat) -> None:
    dialog = _sign_in(window, server, "not the password")
    qtbot.waitUntil(lambda: "Could not sign in" in dialog.message.text(), timeout=10_000)
    assert window.library.setting("sync_api_key") == ""


def test_signing_in_syncs_the_servers_articles_into_the_list(qtbot, window: MainWindow,
                                                             server: Coldsweat) -> None:
    _sign_in(window, server, PASSWORD)
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("Synced"),
                    timeout=30_000)
    assert window.model.rowCount() == 10
    assert PASSWORD not in str([window.library.setting(n) for n in ("sync_endpoint",
                                                                  "sync_api_key")])


def test_the_dialog_signs_in_to_a_google_reader_server_and_names_it(qtbot,
                                                                    window: MainWindow) -> None:
    from tests.sync import fake_greader
    fake = fake_greader.FakeGReader()
    server = fake_greader.serve(fake)
    fake.add_feed(1, 2, folder="科技")
    try:
        window.sync_action.trigger()
        dialog = _dialog(window)
        assert "Google Reader API" in dialog.message.text()
        dialog.endpoint.setText(fake.endpoint)
        dialog.email.setText(fake_greader.EMAIL)
        dialog.password.setText(fake_greader.PASSWORD)
        with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signed:
            dialog.sign_in()
        assert signed.args[0].endswith("(Google Reader API)")
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=30_000)
    finally:
        server.shutdown()
        server.server_close()
