"""The CLI as a shell pipeline uses it: a reader that stops early is not an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.store.storage import Store
from reader.types import Article


def test_list_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    store = Store(tmp_path)  # more rows than a pipe buffers, so the writer meets the close
    store.save_articles([(None, Article(url=f"http://x.test/{n}", title="标题" * 20, text="t",
                                        html="<p>t</p>"), [], []) for n in range(3000)])
    store.close()
    listing = subprocess.Popen([sys.executable, "-m", "reader", "--data-dir", str(tmp_path),
                                "list", "--limit", "3000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert listing.stdout and listing.stderr
    listing.stdout.readline()
    listing.stdout.close()  # as `| head -1` does
    assert listing.wait(timeout=60) == 0
    assert b"Traceback" not in listing.stderr.read()
