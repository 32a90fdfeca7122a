"""What `reader` imports before the window's Qt: reader.cli, then reader.library (as
cli.window does), then PySide6.QtWidgets, in a fresh process, against PySide6.QtWidgets
alone (the floor's import). Rounds interleaved; medians of the child's CPU time (user +
system). The modules both import (logging, inspect, argparse...) are paid once either way, so
the difference is what Reader's core adds to the start. `--importtime` prints the modules
that cost the most beyond the floor's (own time, least of the rounds).

    .venv/bin/python bench/start_imports.py [--repeat 15] [--before CHECKOUT] [--importtime]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import resource, sys
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime
start = cpu()
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
    import reader.cli, reader.library
core = cpu()
import PySide6.QtWidgets
print(f"{core - start:.4f} {cpu():.4f}")
"""


def child(src: str, importtime: bool = False) -> tuple[float, float, str]:
    """CPU seconds of Reader's imports and of the whole process; -X importtime's report."""
    flags = ["-X", "importtime"] if importtime else []
    done = subprocess.run([sys.executable, *flags, "-c", CHILD, src], capture_output=True,
                          text=True, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    core, total = (float(x) for x in done.stdout.split())
    return core, total, done.stderr


def own_times(report: str) -> dict[str, int]:
    """Module -> own microseconds, from -X importtime's lines."""
    times = {}
    for line in report.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            own, _, name = line.split("|")
            times[name.strip()] = int(own.split(":")[1])
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--before", type=Path, metavar="CHECKOUT")
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    trees = {"after": HERE.parent} | ({"before": args.before.resolve()} if args.before else {})
    for tree in trees.values():
        compileall.compile_dir(tree / "src", quiet=1)  # as installed
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(args.repeat):
        runs["floor"].append(child("")[:2])
        for label, tree in trees.items():
            runs[label].append(child(str(tree / "src"))[:2])
    floor = statistics.median(total for _, total in runs.pop("floor"))
    print(f"PySide6.QtWidgets alone: CPU median {floor * 1000:.1f} ms")
    for label, timings in runs.items():
        total = statistics.median(t for _, t in timings)
        core = statistics.median(c for c, _ in timings)
        print(f"{label}: CPU median {total * 1000:.1f} ms, {(total - floor) * 1000:+.1f} ms "
              f"on the floor's import; reader.cli + reader.library first: {core * 1000:.1f} ms")
    if args.importtime:
        least: dict[str, dict[str, int]] = {}
        sources = {"floor": ""} | {label: str(tree / "src") for label, tree in trees.items()}
        for label, src in sources.items():
            table = least.setdefault(label, {})
            for _ in range(min(args.repeat, 7)):
                for name, own in own_times(child(src, importtime=True)[2]).items():
                    table[name] = min(own, table.get(name, own))
        for label in trees:
            extra = {n: t for n, t in least[label].items() if n not in least["floor"]}
            top = sorted(extra.items(), key=lambda item: -item[1])[:15]
            print(f"{label}, beyond the floor's modules, own ms: "
                  + ", ".join(f"{n} {t / 1000:.1f}" for n, t in top))


if __name__ == "__main__":
    main()
