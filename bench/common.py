"""Shared bits of the benchmarks: timing and figures."""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# ../shared beside the checkout, or two levels up for a worktree
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
              ROOT.parent / "shared")

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values):7.1f} ms  p95 {percentile(values, 95):7.1f} ms  "
            f"max {max(values):7.1f} ms  (n={len(values)})")


def verdict(value: float, target: float) -> str:
    return f"{'met' if value < target else 'MISSED'} (target < {target:g} ms)"


def corpus_pages(shared: Path) -> Iterator[tuple[str, bytes]]:
    """(url, page bytes) of each page of shared/corpus, in name order; an invented address
    where the truth file has none."""
    folder = shared / "corpus"
    urls = {}
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        urls[row["id"]] = row.get("url")
    for path in sorted(folder.glob("*.html.gz")):
        name = path.name.removesuffix(".html.gz")
        yield urls.get(name) or f"https://corpus.example.org/{name}.html", \
            gzip.decompress(path.read_bytes())
