"""A real Library over the real sample site, updated once per session and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.ui.main_window import MainWindow
from tests.conftest import SiteServer

NEWS = "news/index.html"
WORLD = "world/index.html"


def subscribe(library: Library, site: SiteServer, *sections: str) -> None:
    library.set_setting("request_delay_ms", 0)  # one local server: no politeness needed
    for section in sections:
        library.add_source(site.url + section)


@pytest.fixture(scope="session")
def news_library_dir(sample_site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The news section, updated: the starting point of most window tests."""
    folder = tmp_path_factory.mktemp("news-library")
    with Library(folder) as library:
        subscribe(library, sample_site, NEWS)
        library.update()
    return folder


@pytest.fixture
def library(news_library_dir: Path, tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    with Library(folder) as lib:
        yield lib


@pytest.fixture
def window(qtbot, library: Library) -> Iterator[MainWindow]:
    win = MainWindow(library, library.data_dir, theme_name="light", restore=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()

