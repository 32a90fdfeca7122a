"""Benchmark the article extractor on a labelled folder (NAME.html[.gz] + truth.jsonl).

    .venv/bin/python bench/extraction.py DATA_DIR [--compare trafilatura] [--rounds 3]

Prints the metrics of shared/tools/score.py (text bag-of-tokens P/R/F1, exact title, same-day
date, failures, empty outputs, pages/s) per language. With --compare, the other extractor runs
on the same pages in the same process, interleaved page by page, so the speed ratio compares
like with like; pages/s is the median over --rounds. ``adapter`` below is the same extractor
in score.py's shape, to cross-check: score.py DATA --adapter bench.extraction:adapter
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reader.parse.article import extract

Extractor = Callable[[bytes, str], dict[str, Any]]
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
LANGS = {"ALL": 0, "zh": 1, "en": 2, "ja": 3, "ko": 4}


def adapter(html: bytes, url: str) -> dict[str, Any]:
    article = extract(html, url or "http://unknown.invalid/")
    published = article.published.isoformat() if article.published else None
    return {"title": article.title, "published": published, "text": article.text}


def trafilatura_adapter() -> Extractor:
    import trafilatura  # benchmark-only dependency

    def run(html: bytes, url: str) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True)
        data = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
        return {"title": data.get("title"), "published": data.get("date"),
                "text": data.get("text") or ""}
    return run


def tokens(text: str) -> list[str]:
    return TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower())


def prf(pred: list[str], true: list[str]) -> tuple[float, float, float]:
    common = sum((collections.Counter(pred) & collections.Counter(true)).values())
    if not pred or not true or not common:
        return 0.0, 0.0, 0.0
    p, r = common / len(pred), common / len(true)
    return p, r, 2 * p * r / (p + r)


def norm_title(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").lower() if ch.isalnum())


def day(value: Any) -> tuple[int, int, int] | None:
    m = DAY.search(unicodedata.normalize("NFKC", str(value))) if value else None
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def load(folder: Path) -> list[dict[str, Any]]:
    rows = []
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        path = next(p for p in (folder / f"{rec['id']}.html", folder / f"{rec['id']}.html.gz")
                    if p.exists())
        data = path.read_bytes()
        rec["_html"] = gzip.decompress(data) if path.suffix == ".gz" else data
        rows.append(rec)
    return rows


def run_one(func: Extractor, rec: dict[str, Any]) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    try:
        out, error = func(rec["_html"], rec.get("url") or ""), None
    except Exception as e:  # a failure is a result here
        out, error = {}, f"{type(e).__name__}: {e}"
    elapsed = time.perf_counter() - start
    return {**score(rec, out), "error": error, "seconds": elapsed}, elapsed


def score(rec: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    res: dict[str, Any] = {"id": rec["id"], "lang": rec.get("lang"),
                           "chars": len(out.get("text") or "")}
    if rec.get("text") is not None:
        res["p"], res["r"], res["f1"] = prf(tokens(out.get("text") or ""), tokens(rec["text"]))
    if rec.get("title") is not None:
        res["title"] = bool(norm_title(rec["title"])) and \
            norm_title(out.get("title") or "") == norm_title(rec["title"])
    if day(rec.get("published")):
        got, want = day(out.get("published")), day(rec["published"])
        res["date"] = got == want
        res["date_cov"] = got is not None
    return res


def summarise(pages: list[dict[str, Any]], pages_per_sec: dict[str, float]) -> list[list[str]]:
    groups: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for page in pages:
        groups[page["lang"] or "?"].append(page)
        groups["ALL"].append(page)
    rows = []
    for lang in sorted(groups, key=lambda k: (LANGS.get(k, 9), k)):
        ps = groups[lang]
        f1 = [p["f1"] for p in ps if "f1" in p]
        titles = [p["title"] for p in ps if "title" in p]
        dates = [p["date"] for p in ps if "date" in p]
        rows.append([lang, str(len(ps)), _f(_mean(f1)), _f(statistics.median(f1) if f1 else None),
                     _f(_mean([p["p"] for p in ps if "p" in p])),
                     _f(_mean([p["r"] for p in ps if "r" in p])),
                     str(len(titles)), _pct(_mean(titles)), str(len(dates)), _pct(_mean(dates)),
                     _pct(_mean([p["date_cov"] for p in ps if "date_cov" in p])),
                     str(sum(1 for p in ps if p["error"])),
                     str(sum(1 for p in ps if not p["error"] and not p["chars"])),
                     f"{pages_per_sec[lang]:.1f}"])
    return rows


def _mean(values: list[Any]) -> float | None:
    return sum(values) / len(values) if values else None


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def table(runs: list[tuple[str, list[list[str]]]]) -> str:
    head = ["extractor", "lang", "pages", "textF1 mean", "textF1 med", "P", "R", "title n",
            "title exact", "date n", "date match", "date cov", "fail", "empty", "pages/s"]
    rows = [[name, *row] for name, summary in runs for row in summary]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--compare", choices=["trafilatura"])
    ap.add_argument("--rounds", type=int, default=3, help="timed passes; pages/s is the median")
    ap.add_argument("--worst", type=int, default=8, help="list this many lowest-F1 pages")
    ap.add_argument("--out", type=Path, help="write per-page results (JSON) here")
    args = ap.parse_args(argv)

    rows = load(args.data)
    extractors: dict[str, Extractor] = {"reader": adapter}
    if args.compare:
        extractors[args.compare] = trafilatura_adapter()
    for func in extractors.values():  # warm-up: imports and first-call costs stay out of timing
        for lang in {r["lang"] for r in rows}:
            run_one(func, next(r for r in rows if r["lang"] == lang))
    results: dict[str, list[dict[str, Any]]] = {}
    speeds: dict[str, dict[str, list[float]]] = {n: collections.defaultdict(list)
                                                 for n in extractors}
    for round_no in range(max(1, args.rounds)):
        seconds: dict[str, dict[str, float]] = {n: collections.defaultdict(float)
                                                for n in extractors}
        for rec in rows:
            for name, func in extractors.items():  # interleaved: both see the same machine load
                res, elapsed = run_one(func, rec)
                if round_no == 0:
                    results.setdefault(name, []).append(res)
                seconds[name][rec["lang"]] += elapsed
                seconds[name]["ALL"] += elapsed
        for name in extractors:
            counts = collections.Counter(r["lang"] for r in rows)
            counts["ALL"] = len(rows)
            for lang, total in seconds[name].items():
                speeds[name][lang].append(counts[lang] / total)
    medians = {n: {lang: statistics.median(v) for lang, v in s.items()} for n, s in speeds.items()}
    print(table([(name, summarise(results[name], medians[name])) for name in extractors]))
    if args.compare:
        ratios = [a / b for a, b in zip(speeds["reader"]["ALL"], speeds[args.compare]["ALL"],
                                        strict=True)]
        print(f"\nspeed ratio reader/{args.compare}: median {statistics.median(ratios):.2f}x "
              f"over {len(ratios)} rounds ({', '.join(f'{r:.2f}' for r in ratios)})")
    worst = sorted((r for r in results["reader"] if "f1" in r), key=lambda r: r["f1"])
    print("\nlowest text F1 (reader):")
    for r in worst[:args.worst]:
        print(f"  {r['id']:<45} {r['lang']} F1={r['f1']:.3f} P={r['p']:.3f} R={r['r']:.3f}")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
