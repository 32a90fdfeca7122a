"""Mutation fuzzing of the parsers: no unhandled exception, no hang.

Seeds are the bundled sample site and tests/data (pages, feeds, listings), date strings, and
generated hostile shapes: JSON-LD blocks (lone surrogates, deep nesting, wrong types), JSON
Feeds, pages in legacy charsets under right, wrong and bogus labels, and deeply nested markup.
Each input is a mutated seed (byte flips, inserts, deletions, splices, truncation, hostile
tokens, deep markup and JSON nesting). Inputs run in a worker process; the parent kills and
restarts it when an input passes the per-input time limit, so a hang is counted, not waited on.
Only ParseError (any ReaderError) may leave a target, and what a parser returns must be clean
text (no control character, no lone surrogate): anything else is a crash.

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
TARGETS = ("extract", "parse_feed", "parse_source", "parse_date", "decode", "decode_label",
           "sanitize")
# Labels a header or a page may give: web encodings, their legacy aliases, and Python codecs
# that are no text encoding.
LABELS = ("utf-8", "gbk", "gb2312", "big5", "shift_jis", "euc-kr", "iso-8859-1", "utf-16le",
          "utf-16", "windows-1251", "rot13", "base64", "idna", "undefined", "utf-7", "hex",
          "x-user-defined", "replacement", "", "\x00", "gb18030", "euc-jp", "iso-2022-jp")
TOKENS = [b"<", b">", b"</", b"&#", b"&#x110000;", b"&amp", b"<![CDATA[", b"]]>", b"<!--",
          b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", b"&e;", b"\x00",
          b"\xff\xfe", b"\xef\xbb\xbf", b'<?xml version="1.0" encoding="utf-16"?>',
          b'<meta charset="gbk">', b"<script>", b"<table>", b"<a href='javascript:x'>",
          b'<img src="data:,">', b"\xe4\xb8", "年月日时分秒前".encode(), b"9999999999999999",
          b"<rss><channel><item><link>", b"</item>", b'{"version":"https://jsonfeed.org/version/1"',
          "发布时间: 2025-13-45 25:61".encode(), "相关文章".encode(), "下一页".encode(),
          b'<script type="application/ld+json">', b'{"@type":"NewsArticle","headline":"\\ud800"}',
          b'"\\udfff"', b"[" * 50, b'{"@graph":[', b'"headline":{"@value":1}', b"\x1b]0;x\x07",
          b"\x1b[2J", b"\xc2\x9b", b'<meta charset="rot13">', b'encoding="big5"',
          b"charset=utf-16le", b'"items":[{"url":"javascript:alert(1)","title":"\\u001b"}]']
DATES = ["2025-11-20 08:30:00", "2025年11月20日 08:30", "Thu, 20 Nov 2025 08:30:00 +0800",
         "3小时前", "昨天 08:30", "刚刚", "May 23, 2025 at 8:30 pm", "2025/5/23",
         "发布时间:2025-05-23T08:30:00+08:00", "20250523", "2 hours ago", "23 May 2025 GMT"]


def seeds() -> list[bytes]:
    found = [p for p in sorted((ROOT / "resources" / "sample_site").rglob("*"))
             + sorted((ROOT / "tests" / "data").rglob("*"))
             if p.is_file() and p.suffix in (".html", ".xml", ".rdf", ".json", ".opml", ".htm")]
    return [p.read_bytes() for p in found] + [d.encode() for d in DATES] + hostile_seeds()


_TEXT = "市民在图书馆参加志愿者活动,社区交通和公园规划工程持续推进。"
_TRADITIONAL = "香港特別行政區政府今日宣佈,將於下週舉行記者會,說明經濟發展計劃。"


def _page(head: str = "", body: str = "", charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><title>标题</title>{head}</head><body>'
            f"<h1>标题 \x1b[2J</h1><p>{_TEXT * 4}</p>{body}<p>{_TEXT * 3}</p></body></html>")


def hostile_seeds() -> list[bytes]:
    """Generated shapes the corpus lacks: JSON-LD, JSON Feed, charsets, nested markup."""
    import json

    ld = '<script type="application/ld+json">{}</script>'
    out = [_page(ld.format(json.dumps(v))).encode() for v in (
        {"@type": "NewsArticle", "headline": "\ud800坏", "datePublished": "2025-11-20",
         "author": {"name": {"name": ["x"]}}, "articleBody": _TEXT * 5},
        {"@graph": [{"@type": ["NewsArticle"], "headline": 7, "author": [None, 1]}]},
        [[[[{"@type": "BreadcrumbList", "itemListElement": "x"}]]]],
    )]
    out.append(_page(ld.format("[" * 3000 + "]" * 3000)).encode())
    out.append(_page(ld.format('{"a":' * 900 + "1" + "}" * 900)).encode())
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "\x1b]0;t\x07\ud800",
            "items": [{"id": 1, "url": "http://fuzz.test/a", "title": "\ud83d",
                       "content_html": "<p>x</p>", "date_published": "2025-99-99"},
                      {"id": "2", "url": "javascript:alert(1)", "authors": [{"name": 3}]},
                      {"id": None, "content_text": _TEXT, "tags": [[[]]]}]}
    out.append(json.dumps(feed).encode())
    out.append(json.dumps({"version": "https://jsonfeed.org/version/1", "items":
                           [[[[{}]]]] * 3}).encode())
    for text, codec, labels in ((_TEXT, "gb18030", ("gbk", "utf-8", "rot13")),
                                (_TRADITIONAL, "big5hkscs", ("big5", "", "utf-7")),
                                ("日本語のテキスト①", "cp932", ("shift_jis", "euc-jp")),
                                ("한국어 텍스트", "cp949", ("euc-kr", "base64")),
                                (_TEXT, "utf-16-le", ("utf-16le", "utf-8")),
                                (_TEXT, "utf-8", ("gbk", "idna", "undefined"))):
        for label in labels:
            page = _page(charset=label).replace(_TEXT, text)
            out.append(page.encode(codec, "replace"))
            out.append((f'  \n<?xml version="1.0" encoding="{label}"?><rss version="2.0">'
                        f"<channel><title>{text}</title><item><title>{text}</title>"
                        f"<link>http://fuzz.test/1</link></item></channel></rss>"
                        ).encode(codec, "replace"))
    for tag in ("table><tr><td", "ul><li", "div", "blockquote", "ol><li><dl><dd"):
        opening = "".join(f"<{t}>" for t in tag.split("><"))
        out.append(_page(body=opening * 300 + _TEXT).encode())
    out.append(_page(body="<table>" + "<tr>" + "<td>格</td>" * 200 + "</tr>" * 200).encode())
    return out


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
            depth = rng.choice((100, 1000, 5000))
            if rng.random() < 0.3:  # JSON nesting, for JSON-LD and JSON Feed
                data[pos:pos] = rng.choice((b"[", b'{"a":', b'{"@graph":[')) * depth
            else:
                tag = rng.choice((b"div", b"p", b"table", b"ul", b"a", b"item", b"span",
                                  b"blockquote", b"li", b"td"))
                data[pos:pos] = (b"<" + tag + b">") * depth
        else:
            start = rng.randint(0, len(data))
            data[pos:pos] = data[start:start + rng.randint(1, 3000)] * rng.randint(1, 4)
    return bytes(data)


def run_one(target: str, data: bytes) -> None:
    url = "http://fuzz.test/news/2025/11/page.html"
    result: Any = None
    if target == "extract":
        from reader.parse.article import extract
        result = extract(data, url)
    elif target == "parse_feed":
        from reader.parse.feed import parse_feed
        result = parse_feed(data, url)
    elif target == "parse_source":
        from reader.parse.listing import parse_source
        result = parse_source(data, url, "text/html", None)
    elif target == "parse_date":
        from reader.parse.dates import parse_date
        parse_date(data.decode("utf-8", "replace")[:2000])
    elif target == "decode":
        from reader.charset import decode
        decode(data, "utf-8")
    elif target == "decode_label":
        from reader.charset import decode, xml_as_utf8
        label = LABELS[sum(data[:64]) % len(LABELS)]
        decode(data, label)
        xml_as_utf8(data, label)
    else:
        from reader.parse.sanitize import sanitize
        found = sanitize(data.decode("utf-8", "replace"), url)
        _check_clean("sanitize", found)
        return
    _check_clean(target, result)


def _check_clean(target: str, value: Any) -> None:
    """What a parser returns holds no control character and no lone surrogate (text.clean
    would change nothing): the parse boundary's promise."""
    from dataclasses import fields, is_dataclass

    from reader.text import clean
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if clean(item) != item:
                raise AssertionError(f"{target} returned unclean text: {item[:80]!r}")
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in fields(item))


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
