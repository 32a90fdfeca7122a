"""The window paints from the store alone: the network and parsing side is imported where it
is first used, never on the way to the first paint (docs/performance.md, start-up)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

LATE = ("requests", "feedparser", "PIL", "numpy", "lxml", "reader.store.stories", "reader.parse",
        "reader.fetch", "reader.services.update", "reader.services.sync", "reader.sync",
        "reader.interop",
        # the commands, their table and terminal output: `reader` alone opens the window
        "reader.commands", "reader.cli_table", "reader.terminal",
        # OpenSSL (3 ms) hashes only what is stored; the data folder's rule is config's own
        "hashlib", "_hashlib", "platformdirs",
        "publicsuffixlist",  # same-site checks: updates and section pages
        # dialogs: their widgets' Python enums are built on import, a few ms each
        "reader.ui.add_source_dialog", "reader.ui.settings_dialog",
        "reader.ui.source_settings_dialog", "reader.ui.sync_dialog")


def test_opening_the_window_imports_no_parser_fetcher_sync_or_dialog() -> None:
    # What the `reader` command imports on its way to the window.
    code = ("import json, sys; import reader.cli, reader.ui.app; "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    loaded = json.loads(out)
    early = [m for m in loaded if m.split(".")[0] in LATE or m.startswith(LATE)]
    assert early == []
    # Only an article needs these (its body's escaping, its pictures): imported after PySide6,
    # whose import hook reads each new module's source, html.entities alone cost 3.5 ms.
    assert [m for m in loaded if m in ("html", "html.entities", "reader.images")] == []


def test_the_search_tokens_expressions_are_compiled_when_first_used() -> None:
    # 2.4 ms at import for classes as wide as CJK's; the first paint does not need them.
    code = ("import reader.cli, reader.ui.app; from reader.store import tokens; "
            "print(tokens._cjk_run.cache_info().currsize, tokens._word.cache_info().currsize); "
            "tokens.parse_query('新桥 river'); print(tokens._cjk_run.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    assert out.split() == ["0", "0", "1"]


# PySide makes a Qt class (and its Python enums) when Python first touches it. These are never
# on screen; they appear when a call returns a QWidget or QPaintDevice of a class PySide has not
# seen (viewport(), QPainter.device(): it then makes every QWidget class to find it), when
# fillRect's overloads are resolved (QGradient), or when Python reads an item's option.state
# or is handed the application's style (QStyle). A search's highlights need the last two.
NEVER_SHOWN = ("QMdiArea", "QGraphicsView", "QWizard", "QGradient", "QStyle", "QTextCharFormat",
               "QRegularExpression")


def test_a_painted_window_makes_no_qt_class_it_does_not_show(news_library_dir: Path,
                                                             tmp_path: Path) -> None:
    # With an article open (two pictures with captions): showing a stored body needs no lxml
    # either (the body is read by html.parser: 1.7 ms against 10-15 ms for lxml's import).
    folder = tmp_path / "library"
    shutil.copytree(news_library_dir, folder)
    code = ("import json, sys; from pathlib import Path; "
            "from reader.ui.screenshot import render; "
            "render(Path(sys.argv[1]), Path(sys.argv[2])); "
            "import PySide6.QtCore as c, PySide6.QtGui as g, PySide6.QtWidgets as w; "
            f"made = {{*vars(c), *vars(g), *vars(w)}}; "
            f"print(json.dumps([n for n in {NEVER_SHOWN!r} if n in made])); "
            "print(json.dumps(sorted(sys.modules))); "
            "print(json.dumps(sorted({l.rsplit('/', 1)[-1].strip() for l in "
            "open('/proc/self/maps') if '/imageformats/' in l})))")
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(tmp_path / "shot.png")],
                         capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    assert (tmp_path / "shot.png").stat().st_size > 0  # the window was painted
    made, loaded, plugins = (json.loads(line) for line in out.splitlines()[-3:])
    assert made == []
    # The pictures are decoded as the format their header names (JPEG here): asked to guess,
    # Qt loaded every image plugin to ask which one reads them.
    assert plugins == ["libqjpeg.so"]
    assert [m for m in loaded if m.split(".")[0] in LATE or m.startswith(LATE)] == []
    assert "reader.ui.html_tree" in loaded  # an article was shown


# A frozen dataclass costs the start 0.5 ms to make (its methods are compiled with exec); the
# store's rows, the settings, the library's results and every value no parser makes are named
# tuples (0.07 ms), and so are the window's own (reader.ui: a loaded article, a pane's row,
# the theme's colours).
CORE_DATACLASSES = {f"reader.types.{name}" for name in (
    "Article", "Enclosure", "Entry", "Image", "ParsedSource", "RelatedLink")}


def test_the_core_makes_no_new_dataclass_on_the_way_to_the_window() -> None:
    code = ("import dataclasses, json, sys; import reader.cli, reader.ui.app; "
            "print(json.dumps(sorted(f'{m}.{n}' for m, mod in list(sys.modules.items()) "
            "if m.startswith('reader') "
            "for n, v in vars(mod).items() if isinstance(v, type) and v.__module__ == m "
            "and dataclasses.is_dataclass(v))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    made = set(json.loads(out))
    assert "reader.types.Article" in made  # the check sees the dataclasses there are
    assert made <= CORE_DATACLASSES, sorted(made - CORE_DATACLASSES)
