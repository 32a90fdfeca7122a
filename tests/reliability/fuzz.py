"""Mutation fuzzing of the parsers: no unhandled exception, no hang.

Seeds are the bundled sample site and tests/data (pages, feeds, listings) plus date strings;
each input is a mutated seed (byte flips, inserts, deletions, splices, truncation, hostile
tokens, deep nesting). Inputs run in a worker process; the parent kills and restarts it when
an input passes the per-input time limit, so a hang is counted, not waited on. Only ParseError
(any ReaderError) may leave a target.

    .venv/bin/python bench/fuzz.py --inputs 20000 --limit 2
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.connection
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("extract", "parse_feed", "parse_source", "parse_date", "decode")
TOKENS = [b"<", b">", b"</", b"&#", b"&#x110000;", b"&amp", b"<![CDATA[", b"]]>", b"<!--",
          b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"\x00",
          b"\xff\xfe", b"\xef\xbb\xbf", b'<?xml version="1.0" encoding="utf-16"?>',
          b'<meta charset="gbk">', b"<script>", b"<table>", b"<a href='javascript:x'>",
          b'<img src="data:,">', b"\xe4\xb8", "年月日时分秒前".encode(), b"9999999999999999",
          b"<rss><channel><item><link>", b"</item>", b'{"version":"https://jsonfeed.org/version/1"',
          "发布时间: 2025-13-45 25:61".encode(), "相关文章".encode(), "下一页".encode()]
DATES = ["2025-11-20 08:30:00", "2025年11月20日 08:30", "Thu, 20 Nov 2025 08:30:00 +0800",
         "3小时前", "昨天 08:30", "刚刚", "May 23, 2025 at 8:30 pm", "2025/5/23",
         "发布时间:2025-05-23T08:30:00+08:00", "20250523", "2 hours ago", "23 May 2025 GMT"]


def seeds() -> list[bytes]:
    found = [p for p in sorted((ROOT / "resources" / "sample_site").rglob("*"))
             + sorted((ROOT / "tests" / "data").rglob("*"))
             if p.is_file() and p.suffix in (".html", ".xml", ".rdf", ".json", ".opml", ".htm")]
    return [p.read_bytes() for p in found] + [d.encode() for d in DATES]


def mutate(rng: random.Random, pool: list[bytes]) -> bytes:
    data = bytearray(rng.choice(pool))
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(8)
        pos = rng.randint(0, len(data))
        if op == 0 and data:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 1:
            data[pos:pos] = rng.randbytes(rng.randint(1, 64))
        elif op == 2:
            del data[pos:pos + rng.randint(1, 2000)]
        elif op == 3:
            data[pos:pos] = rng.choice(TOKENS) * rng.choice((1, 1, 1, 10, 500))
        elif op == 4:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            data[pos:pos] = other[start:start + rng.randint(1, 5000)]
        elif op == 5:
            del data[pos:]
        elif op == 6:
            tag = rng.choice((b"div", b"p", b"table", b"ul", b"a", b"item", b"span"))
            depth = rng.choice((100, 1000, 5000))
            data[pos:pos] = b"<" + tag + b">" * 1 + (b"<" + tag + b">") * depth
        else:
            start = rng.randint(0, len(data))
            data[pos:pos] = data[start:start + rng.randint(1, 3000)] * rng.randint(1, 4)
    return bytes(data)


def run_one(target: str, data: bytes) -> None:
    url = "http://fuzz.test/news/2025/11/page.html"
    if target == "extract":
        from reader.parse.article import extract
        extract(data, url)
    elif target == "parse_feed":
        from reader.parse.feed import parse_feed
        parse_feed(data, url)
    elif target == "parse_source":
        from reader.parse.listing import parse_source
        parse_source(data, url, "text/html", None)
    elif target == "parse_date":
        from reader.parse.dates import parse_date
        parse_date(data.decode("utf-8", "replace")[:2000])
    else:
        from reader.charset import decode
        decode(data, "utf-8")


def worker(conn: multiprocessing.connection.Connection) -> None:
    import logging

    from reader.errors import ReaderError
    logging.disable(logging.CRITICAL)  # broken inputs are logged at length otherwise
    while True:
        target, data = conn.recv()
        try:
            run_one(target, data)
            conn.send(("ok", ""))
        except ReaderError:
            conn.send(("refused", ""))
        except Exception as e:  # the finding: anything else escaping a parser
            conn.send(("crash", f"{type(e).__name__}: {e}\n{traceback.format_exc()[-1500:]}"))


class Pool:
    """One worker process, restarted after a hang."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=worker, args=(child,), daemon=True)
        self.process.start()

    def run(self, target: str, data: bytes, limit: float) -> tuple[str, str]:
        self.conn.send((target, data))
        if self.conn.poll(limit):
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        self._start()
        return "hang", f"over {limit} s"

    def close(self) -> None:
        self.process.kill()


def fuzz(inputs: int, seed: int, limit: float, out: Path | None = None) -> dict[str, Any]:
    rng = random.Random(seed)
    pool = seeds()
    counts: dict[str, Counter[str]] = {t: Counter() for t in TARGETS}
    findings: list[tuple[str, str, bytes]] = []
    worker_pool = Pool()
    started = time.monotonic()
    try:
        for i in range(inputs):
            target = TARGETS[i % len(TARGETS)]
            data = mutate(rng, pool) if i >= len(pool) * len(TARGETS) else \
                pool[i // len(TARGETS)]  # every seed unmutated first
            outcome, detail = worker_pool.run(target, data, limit)
            counts[target][outcome] += 1
            if outcome in ("crash", "hang"):
                findings.append((target, detail, data))
    finally:
        worker_pool.close()
    if out and findings:
        out.mkdir(parents=True, exist_ok=True)
        for n, (target, _detail, data) in enumerate(findings):
            (out / f"{target}-{n}.bin").write_bytes(data)
    return {"counts": counts, "findings": findings, "seconds": time.monotonic() - started,
            "seeds": len(pool)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds per input")
    parser.add_argument("--out", type=Path, help="write crashing or hanging inputs here")
    args = parser.parse_args()
    result = fuzz(args.inputs, args.seed, args.limit, args.out)
    print(f"{args.inputs} inputs from {result['seeds']} seeds in {result['seconds']:.0f} s "
          f"(limit {args.limit} s per input)")
    print(f"{'target':<14}{'inputs':>8}{'ok':>8}{'refused':>9}{'crash':>7}{'hang':>6}")
    for target, c in result["counts"].items():
        print(f"{target:<14}{sum(c.values()):>8}{c['ok']:>8}{c['refused']:>9}"
              f"{c['crash']:>7}{c['hang']:>6}")
    seen = set()
    for target, detail, _ in result["findings"]:
        key = (target, detail.splitlines()[0])
        if key not in seen:
            seen.add(key)
            print(f"\n{target}: {detail}")
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
