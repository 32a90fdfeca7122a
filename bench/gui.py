"""Start-up, event-loop stalls and peak memory of the window (Qt offscreen).

    .venv/bin/python bench/gui.py bench/out/lib10k bench/out/lib200k [--repeat 3]

Each figure comes from a fresh subprocess (QT_QPA_PLATFORM=offscreen), timed by the parent
from launch to the child's "ready" line:
- start: bench/start_window.py, what `reader` does (its imports, QApplication, Library,
  MainWindow, show), then the first article opened as a click would, run until no task is
  left, and the window painted (grab); the package is byte-compiled first, as installed;
- floor: bench/bare_window.py, a bare PySide6 window with a QTextBrowser, painted the same way;
- browse: after start, scroll the list to 20 pages, open 20 articles, switch 5 sources and
  search; the longest gap of a 5 ms QTimer over it, and peak RSS at the end;
- update: a fresh library subscribed to 50 local feeds x 20 articles (bench/update.py's site),
  window.update_all(); the longest gap of a 5 ms QTimer while the update runs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_RSS_MB = 300


def launch(args: list[str]) -> tuple[float, str, str]:
    """Seconds from launch to the child's 'ready' line, that line and its last output line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    (HERE / "out").mkdir(exist_ok=True)
    log = (HERE / "out" / "gui-child.log").open("a")  # Qt's offscreen chatter
    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True, env=env,
                             cwd=HERE, stderr=log)
    assert child.stdout is not None
    ready = 0.0
    ready_line = last = ""
    for line in child.stdout:
        if line.startswith("ready") and not ready:
            ready = time.perf_counter() - start
            ready_line = line.strip()
        last = line.strip()
    code = child.wait()
    log.close()
    if code != 0:
        sys.exit(f"{args} failed ({code}): {last}; see bench/out/gui-child.log")
    return ready, ready_line, last


# the child


class GapMeter:
    """The longest gap between ticks of a 5 ms timer: how long the event loop stalled.

    clock: time.perf_counter (wall: what a user waits, inflated when the machine is busy),
    unqueued (wall without the waits for a CPU: what the window itself and its workers did,
    GIL contention included) or time.thread_time (the GUI thread's own CPU time between
    ticks: the work that blocked it, whatever else the machine runs)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        from PySide6.QtCore import QTimer
        self.longest = 0.0
        self._clock = clock
        self._last = clock()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> float:
        self._timer.stop()
        return self.longest * 1000


def unqueued() -> float:
    """Wall seconds less the time this thread spent waiting for a CPU (Linux schedstat): the
    time it ran or was blocked (on the GIL held by a worker, a lock, the disk), without what
    the other processes of a busy machine took from it."""
    with open("/proc/thread-self/schedstat") as stats:
        waited_ns = int(stats.read().split()[1])
    return time.perf_counter() - waited_ns / 1e9


def spin(until: Callable[[], bool], seconds: float = 120) -> None:
    """Run the event loop (as app.exec would) until the condition holds."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    deadline = time.perf_counter() + seconds
    while True:
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        if until() or time.perf_counter() > deadline:
            return


def idle(window: Any) -> bool:
    """No task running or due: the related pane's query waits for its article's paint."""
    return not window.runner.busy and not window.related.pending


def child_browse(data_dir: Path) -> None:
    from start_window import start

    from reader.ui.screenshot import settle

    library, window = start(data_dir)
    settle(window)
    print("ready", flush=True)
    meter = GapMeter()
    for _ in range(20):
        window.model.fetchMore()
        spin(lambda: True)
    for row in range(0, 2000, 100):
        window.open_article(window.model.article(row).id)
        spin(lambda: idle(window))
    for source in library.sources()[:5]:
        window.sources.reload()
        window.model.set_filter(type(window.sources.chosen)(source_id=source.id))
        spin(lambda: idle(window))
    stall = meter.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"browse stall={stall:.1f} rss={rss:.0f}", flush=True)
    window.shutdown()
    library.close()


@contextmanager
def window_over_local_feeds(sources: int) -> Iterator[tuple[Any, Any]]:
    """(window, library): a fresh library subscribed to `sources` local feeds of 20 articles
    each (bench/update.py's site, served while it lasts), in a window shown and settled."""
    from update import build_site, free_port, serve, subscribe

    from reader.ui.app import application
    from reader.ui.main_window import MainWindow
    from reader.ui.screenshot import settle

    application()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        port = free_port()
        feeds = build_site(root, sources, 20, port)
        server = serve(root, port)
        try:
            library = subscribe(Path(tmp) / "lib", feeds)
            window = MainWindow(library, Path(tmp) / "lib", theme_name="light", restore=False)
            window.show()
            settle(window)
            try:
                yield window, library
            finally:
                window.shutdown()
                library.close()
        finally:
            server.terminate()
            server.wait()


def child_update(sources: int) -> None:
    with window_over_local_feeds(sources) as (window, library):
        print("ready", flush=True)
        meter = GapMeter()
        start = time.perf_counter()
        window.update_all()
        spin(lambda: not window.runner.busy, 600)
        elapsed = time.perf_counter() - start
        stall = meter.stop()
        print(f"update stall={stall:.1f} articles={library.count()} seconds={elapsed:.1f}",
              flush=True)


def _timed(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds to the child's ready line, the CPU seconds it reports there, and those it
    reports once settled (no task left; the floor has none: its ready figure)."""
    wall, ready_line, last = launch(args)
    cpu = [float(f.split("=")[1]) for line in (ready_line, last) for f in line.split()
           if f.startswith("cpu=")]
    return wall, cpu[0], cpu[-1]


def start_figures(dirs: list[Path], repeat: int, before: Path | None = None,
                  before_dirs: list[Path] | None = None, shape: bool = False) -> list[str]:
    """Start-up: the floor and each library launched in turn, round after round, so a busy
    spell of the machine falls on all of them; wall time and the child's own CPU time
    (user + system, which other processes on the machine do not inflate). `before`: another
    checkout (an earlier commit) whose start_window.py runs in the same rounds; `before_dirs`:
    its own copies of the libraries, one for each of `dirs` (a library opened by newer code has
    a schema the earlier one refuses); `shape`: shape_window.py on each library too (a window
    of Reader's shape in plain PySide6)."""
    trees = {"": HERE.parent} | ({"before ": before.resolve()} if before else {})
    for tree in trees.values():
        # An installed package is byte-compiled; a checkout run with PYTHONDONTWRITEBYTECODE
        # would otherwise compile every changed module in every start.
        compileall.compile_dir(tree / "src", quiet=1)
    runs: dict[str, list[tuple[float, float, float]]] = {"floor": []}
    for _ in range(repeat):
        runs["floor"].append(_timed(["bare_window.py"]))
        for label, tree in trees.items():
            for i, directory in enumerate(dirs):
                opened = before_dirs[i] if label and before_dirs else directory
                runs.setdefault(label + directory.name, []).append(_timed(
                    [str(tree / "bench" / "start_window.py"), str(opened.resolve())]))
        for directory in dirs if shape else []:
            runs.setdefault("shape " + directory.name, []).append(_timed(
                ["shape_window.py", str(directory.resolve())]))
    floor_wall = statistics.median(w for w, _, _ in runs["floor"])
    floor_cpu = statistics.median(c for _, c, _ in runs["floor"])
    lines = []
    for name, timings in runs.items():
        wall = statistics.median(w for w, _, _ in timings)
        cpu = statistics.median(c for _, c, _ in timings)
        settled = statistics.median(s for _, _, s in timings)
        lines.append(f"start {name}: wall median {wall:.2f} s ({wall / floor_wall:.2f}x the "
                     f"floor), CPU median {cpu:.3f} s ({cpu / floor_cpu:.2f}x); settled, CPU "
                     f"median {settled:.3f} s ({settled / floor_cpu:.2f}x)")
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(HERE.parent / "src"))
        if sys.argv[2] == "update":
            child_update(int(sys.argv[3]))
        else:
            child_browse(Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--update-sources", type=int, default=50)
    parser.add_argument("--start-only", action="store_true", help="skip browse and update")
    parser.add_argument("--before", type=Path, metavar="CHECKOUT",
                        help="also start this checkout's window in the same rounds")
    parser.add_argument("--before-dirs", type=Path, nargs="+", metavar="DIR",
                        help="copies of DIRS for --before, in the same order (when its "
                             "schema is older)")
    parser.add_argument("--shape", action="store_true",
                        help="also start shape_window.py on each library in the same rounds")
    args = parser.parse_args()
    if args.before_dirs and len(args.before_dirs) != len(args.dirs):
        parser.error("--before-dirs needs one copy for each of DIRS")
    for line in start_figures(args.dirs, args.repeat, args.before, args.before_dirs,
                              args.shape):
        print(line)
    if args.start_only:
        return
    for directory in args.dirs:
        _, _, line = launch(["gui.py", "--child", "browse", str(directory.resolve())])
        fields = dict(f.split("=") for f in line.split()[1:])
        rss = float(fields["rss"])
        print(f"browse {directory.name}: longest stall {fields['stall']} ms, peak RSS "
              f"{rss:.0f} MB ({'met' if rss < TARGET_RSS_MB else 'MISSED'}: "
              f"target < {TARGET_RSS_MB} MB)")
    _, _, line = launch(["gui.py", "--child", "update", str(args.update_sources)])
    print(f"update in the window: {line}")


if __name__ == "__main__":
    main()
