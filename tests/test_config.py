"""The declared settings and their typed view stay in step."""

from __future__ import annotations

import sys
import typing
from pathlib import Path

import pytest

from reader import config
from reader.library import Library


def test_settings_declares_every_setting_with_its_type() -> None:
    fields = typing.get_type_hints(config.Settings)
    declared = {s.name: s.type for s in config.SETTINGS}
    assert list(fields) == list(declared)
    for name, hint in fields.items():
        assert (typing.get_origin(hint) or hint) is declared[name], (name, hint)


def test_library_settings_are_the_stored_values_else_the_defaults(tmp_path: Path) -> None:
    with Library(tmp_path) as library:
        library.set_setting("request_delay_ms", "0")
        library.set_setting("mute_words", "广告, sponsored")
        settings = library.settings()
    assert settings.request_delay_ms == 0 and settings.mute_words == ["广告", "sponsored"]
    assert settings.theme == "system" and settings.prefetch_related is True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "/srv/data home", "relative/share"])
def test_the_data_folder_is_where_platformdirs_puts_it(xdg: str | None, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # config reads the XDG rule itself (platformdirs is not imported at start): a library made
    # by an earlier version must be found where it was.
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("READER_DATA_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path) + xdg if xdg.startswith("/") else xdg)
    expected = Path(platformdirs.user_data_dir(config.APP_NAME, appauthor=False))
    assert config._user_data_dir() == expected
    assert config.data_dir() == expected and expected.is_dir()
