"""An update whose article pages are out of reach: time and requests, with and without giving
dead hosts up.

Feeds are served by a local server; every item links to a page on a host of its own feed that
is out of reach: `refused` (127.0.0.N on a closed port: connection refused) or `silent`
(a listener that takes the request and never answers: read timeouts). The Fetcher runs with
its real timeouts, retries, back-off and per-host delay. `--no-give-up` measures the Fetcher
as it was before hosts were given up on (never).

    .venv/bin/python bench/unreachable.py refused 31 10
    .venv/bin/python bench/unreachable.py silent 2 15
    .venv/bin/python bench/unreachable.py refused 31 10 --no-give-up
"""

from __future__ import annotations

import argparse
import functools
import http.server
import socket
import tempfile
import threading
import time
from pathlib import Path

import common  # noqa: F401 (sets sys.path)

from reader.library import Library


class Silent:
    """Takes connections and requests, answers nothing, counts requests."""

    def __init__(self, host: str) -> None:
        self.listener = socket.create_server((host, 0))
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)  # kept open: the client waits for an answer
            self.requests += 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def feed(n: int, base: str, items: int) -> str:
    entries = "".join(
        f"<item><title>Feed {n} story {i}</title><link>{base}/{n}/{i}.html</link>"
        f"<guid>{base}/{n}/{i}.html</guid><description>Summary {i} of feed {n}, which the "
        f"reader keeps when the page is out of reach.</description></item>"
        for i in range(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>{base}/</link><description>d</description>{entries}</channel></rss>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("refused", "silent"))
    parser.add_argument("feeds", type=int)
    parser.add_argument("items", type=int)
    parser.add_argument("--no-give-up", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "feeds").mkdir()
        silent = []
        port = closed_port()
        for n in range(args.feeds):
            host = f"127.0.0.{n + 2}"
            if args.mode == "silent":
                silent.append(Silent(host))
                base = f"http://{host}:{silent[-1].port}"
            else:
                base = f"http://{host}:{port}"
            (root / "feeds" / f"{n}.xml").write_text(feed(n, base, args.items))
        handler = functools.partial(_Quiet, directory=str(root / "feeds"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        options = {"give_up_after": 10**9} if args.no_give_up else {}
        with Library(root / "lib", fetcher_options=options) as library:
            library.set_setting("prefetch_related", False)
            for n in range(args.feeds):
                library.add_source(f"http://127.0.0.1:{server.server_address[1]}/{n}.xml")
            started = time.perf_counter()
            results = library.update()
            elapsed = time.perf_counter() - started
        server.shutdown()
    kept = sum(len(r.unfetched) for r in results)
    failed = sum(r.failed for r in results)
    print(f"{args.mode}, {args.feeds} feeds x {args.items} items, "
          f"{'never giving up' if args.no_give_up else 'giving up after 3 failures'}: "
          f"{elapsed:.1f} s; {kept} kept the feed's summary, {failed} failed"
          + (f"; requests to the silent hosts: {sum(s.requests for s in silent)}"
             if silent else ""))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request."""


if __name__ == "__main__":
    main()
