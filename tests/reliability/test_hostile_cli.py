"""Hostile input to the CLI itself: huge numbers, a gzip bomb, a FIFO in a local source, odd
data folders, someone else's database, a user agent that would split a request."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from localsite import rss

from reader.cli import main
from reader.library import ImportResult, Library
from reader.store.storage import NewSource
from tests.conftest import SAMPLE_SITE, Cli

HUGE = "99999999999999999999"


@pytest.mark.parametrize("args", [("list", "--limit", HUGE), ("show", HUGE), ("fav", HUGE),
                                  ("update", "--source", HUGE)])
def test_numbers_sqlite_cannot_hold_are_a_usage_error(
        cli: Cli, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--data-dir", str(cli.data_dir), *args])
    assert exit.value.code == 2
    assert "out of range" in capsys.readouterr().err


def test_extract_does_not_inflate_a_gzip_bomb(cli: Cli, tmp_path: Path) -> None:
    bomb = tmp_path / "page.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body>" + b"\0" * (200 * 2**20), compresslevel=9))
    assert bomb.stat().st_size < 1 * 2**20
    assert "larger than 8 MB" in cli("extract", str(bomb), code=1)


def test_a_fifo_in_a_local_source_is_refused_not_waited_on(cli: Cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, site)
    victim = sorted((site / "news").rglob("t*.html"))[0]
    victim.unlink()
    os.mkfifo(victim)  # opening it for reading would wait for a writer
    cli("settings", "prefetch_related", "false")
    cli("add", (site / "news" / "index.html").as_uri())
    summary = cli("update")
    assert "special file" in summary and "FAILED" not in summary, summary
    assert re.search(r"[1-9]\d* new", summary), summary


@pytest.mark.parametrize("make", ["file", "loop", "lock-folder"])
def test_an_unusable_data_folder_is_a_message_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str) -> None:
    target = tmp_path / "data"
    if make == "file":
        target.write_text("not a folder")
    elif make == "loop":
        target.symlink_to(tmp_path / "other")
        (tmp_path / "other").symlink_to(target)
    else:
        (target / "library.lock").mkdir(parents=True)
    assert main(["--data-dir", str(target), "sources"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "Traceback" not in err


def test_someone_elses_database_is_refused_and_left_as_it_was(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "library.sqlite")
    db.execute("CREATE TABLE accounts (name, balance)")
    db.execute("INSERT INTO accounts VALUES ('ann', 10)")
    db.commit()
    db.close()
    before = (data / "library.sqlite").read_bytes()
    assert main(["--data-dir", str(data), "sources"]) == 1
    assert "not a Reader library" in capsys.readouterr().err
    assert (data / "library.sqlite").read_bytes() == before  # not switched to WAL
    assert not (data / "library.sqlite-wal").exists()


def test_a_user_agent_with_a_line_break_is_refused(cli: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([]))
    cli("add", feed.as_uri())
    error = cli("source-settings", "1", "user_agent", "Reader\r\nX-Injected: 1", code=1)
    assert "control characters" in error
    assert cli.json("sources")[0]["id"] == 1  # type: ignore[index]


def _opml(urls: list[str]) -> bytes:
    outlines = "".join(f'<outline type="rss" text="源{n}" xmlUrl="{u}"/>'
                       for n, u in enumerate(urls))
    return (f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
            f"<body>{outlines}</body></opml>").encode()


def test_a_large_opml_is_imported_once_each(cli: Cli, tmp_path: Path) -> None:
    """30,000 outlines (a lookup per outline made this quadratic), one already subscribed,
    500 listed twice: each added once."""
    first = tmp_path / "first.opml"
    first.write_bytes(_opml(["http://feeds.test/0.xml"]))
    cli("import-opml", str(first))
    urls = [f"http://feeds.test/{n}.xml" for n in range(30_000)]
    big = tmp_path / "big.opml"
    big.write_bytes(_opml(urls + urls[:500]))
    db = sqlite3.connect(cli.data_dir / "library.sqlite")
    before = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    out = cli("import-opml", str(big))
    assert out.splitlines()[-1].startswith("29999 added, 1 already subscribed")
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == before + 29_999
    assert db.execute("SELECT count(DISTINCT url) FROM sources").fetchone()[0] == 30_000
    db.close()


def test_an_opml_import_lets_another_writer_in_between_batches(tmp_path: Path) -> None:
    """30,000 outlines imported on a worker thread, as the window imports; another write,
    queued once the import's first batch is visible, is committed before the import's last
    batch: the import holds the write lock one bounded transaction at a time. (Source ids
    follow commit order; one transaction for the whole file would put the other source
    after every imported one.)"""
    big = tmp_path / "big.opml"
    big.write_bytes(_opml([f"http://feeds.test/{n}.xml" for n in range(30_000)]))
    library = Library(tmp_path / "lib")
    try:
        imported: list[ImportResult] = []
        worker = threading.Thread(target=lambda: imported.append(library.import_opml(big)))
        worker.start()
        watch = sqlite3.connect(f"{(tmp_path / 'lib' / 'library.sqlite').as_uri()}?mode=ro",
                                uri=True)
        while worker.is_alive() and not watch.execute(
                "SELECT count(*) FROM sources").fetchone()[0]:
            pass
        watch.close()
        [other] = library.store.add_sources([NewSource("http://other.test/feed.xml", "feed",
                                                       "另一个源")])
        worker.join()
        added = [s.id for s in imported[0].added]
        assert len(added) == 30_000
        assert min(added) < other < max(added)
    finally:
        library.close()
