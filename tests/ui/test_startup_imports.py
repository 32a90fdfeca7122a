"""The window paints from the store alone: the network and parsing side is imported where it
is first used, never on the way to the first paint (docs/performance.md, start-up)."""

from __future__ import annotations

import json
import subprocess
import sys

LATE = ("requests", "feedparser", "PIL", "numpy", "reader.store.stories", "reader.parse",
        "reader.fetch", "reader.services.update", "reader.services.sync", "reader.sync.fever",
        "reader.sync.greader", "reader.interop.",
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
