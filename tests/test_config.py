"""The declared settings and their typed view stay in step."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reader import config
from reader.library import Library


def test_settings_declares_every_setting_with_its_type() -> None:
    fields = {f.name: f.type for f in dataclasses.fields(config.Settings)}
    declared = {s.name: s.type.__name__ for s in config.SETTINGS}
    assert list(fields) == list(declared)
    for name, annotation in fields.items():
        assert str(annotation).startswith(declared[name]), (name, annotation)


def test_library_settings_are_the_stored_values_else_the_defaults(tmp_path: Path) -> None:
    with Library(tmp_path) as library:
        library.set_setting("request_delay_ms", "0")
        library.set_setting("mute_words", "广告, sponsored")
        settings = library.settings()
    assert settings.request_delay_ms == 0 and settings.mute_words == ["广告", "sponsored"]
    assert settings.theme == "system" and settings.prefetch_related is True
