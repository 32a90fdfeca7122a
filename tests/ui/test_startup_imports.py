"""The window paints from the store alone: the network and parsing side is imported where it
is first used, never on the way to the first paint (docs/performance.md, start-up)."""

from __future__ import annotations

import json
import subprocess
import sys

LATE = ("requests", "feedparser", "reader.parse", "reader.fetch", "reader.services.update",
        "reader.services.sync", "reader.sync.fever", "reader.sync.greader", "reader.interop")


def test_opening_the_window_imports_no_parser_fetcher_or_sync() -> None:
    code = ("import json, sys; import reader.ui.app; "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    loaded = json.loads(out)
    early = [m for m in loaded if m.split(".")[0] in LATE or m.startswith(LATE)]
    assert early == []
