"""The `reader` command: alone it opens the window over the user's library; with a command
(`reader.commands`) it works headless on the same Library."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence

from reader import config
from reader.errors import ReaderError


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _start(argv)
    except ReaderError as e:
        print(f"reader: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `reader list | head`: the reader of our output left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:  # the data folder: a file, a symlink loop, a lock that is a folder
        print(f"reader: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


def _start(argv: Sequence[str]) -> int:
    if not argv:  # `reader` alone: no parser, no command table (start-up)
        logging.basicConfig(level=logging.WARNING, format=_LOG_FORMAT)
        return window(None)
    from reader import commands

    args = commands.parse(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format=_LOG_FORMAT)
    return window(args.data_dir) if args.command is None else commands.run(args)


_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def window(data_dir: str | None) -> int:
    # No collection while the window is made: what its start makes lives as long as the window,
    # and the collector's passes over it cost 10-12 ms of CPU. reader.ui.app.run turns the
    # collector on again once the window is shown (or while a migration runs).
    gc.disable()
    try:
        # The library's modules before PySide6: PySide reads the source of every module
        # imported after it (its feature hook), which costs start-up.
        import reader.library  # noqa: F401
        from reader.ui.app import run

        return run(config.data_dir(data_dir))
    finally:
        gc.enable()
