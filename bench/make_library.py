"""Build a synthetic library of N articles over 500 sources through the real Store API.

    .venv/bin/python bench/make_library.py 200000 bench/out/lib200k

Text comes from Zipf-distributed vocabularies (Chinese words of 1-4 characters over about 3,500
characters; English pseudo-words plus fixed phrases), so a query's document frequency depends on
its rank as in real text: the commonest characters are in almost every article, the rare ones in
a handful. Articles are 1-10 KB of UTF-8 (log-uniform), 60% Chinese; 30% carry small PNG images;
most have a related block; about 60% are read and 1% are favourites. The vocabularies are seeded,
so bench/search.py picks the same query terms with `queries()`.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import struct
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reader.store.storage import ImageData, Store, StoredImage
from reader.types import Article, Image, RelatedLink

SOURCES = 500
BATCH = 500
SEED = 5
_NOW = datetime(2025, 6, 1, tzinfo=UTC)
_SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi "
              "ho ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re "
              "ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo str pl tr gr "
              "ch sh th an en in on er or ar al el il ol").split()
_STOPWORDS = "the of and to in a is that for it as was with on by he at from".split()
_PHRASES = ("climate change", "central bank", "interest rates", "supply chain",
            "artificial intelligence", "public health", "trade talks", "city council")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    chars: list[str]  # by frequency, commonest first
    zh_words: list[str]
    zh_weights: list[float]  # cumulative
    en_words: list[str]
    en_weights: list[float]


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (r + 1) ** s for r in range(n)))


def vocabulary(seed: int = SEED) -> Vocabulary:
    rnd = random.Random(seed)
    # 3,500 characters, Zipf-ranked as in real Chinese text (the commonest near 4% of text).
    chars = rnd.sample([chr(c) for c in range(0x4E00, 0x9FA5)], 3500)
    char_cum = _zipf(len(chars), 1.05)
    words: set[str] = set()
    zh: list[str] = []
    while len(zh) < 40_000:
        length = rnd.choices((1, 2, 3, 4), (12, 70, 10, 8))[0]
        word = "".join(rnd.choices(chars, cum_weights=char_cum, k=length))
        if word not in words:
            words.add(word)
            zh.append(word)
    en_set: set[str] = set(_STOPWORDS)
    en = list(_STOPWORDS)
    while len(en) < 30_000:
        word = "".join(rnd.choices(_SYLLABLES, k=rnd.choice((1, 2, 2, 3, 3, 4))))
        if word not in en_set:
            en_set.add(word)
            en.append(word)
    for i, phrase in enumerate(_PHRASES):  # phrases at ranks 200, 400, ...
        en.insert(200 * (i + 1), phrase)
    return Vocabulary(chars, zh, _zipf(len(zh)), en, _zipf(len(en)))


def queries(voc: Vocabulary) -> dict[str, list[str]]:
    """Query terms of each kind, from very common to rare (the benchmark's workload)."""
    two = [w for w in voc.zh_words if len(w) == 2]
    four = [w for w in voc.zh_words if len(w) == 4]
    en = [w for w in voc.en_words if " " not in w and w not in _STOPWORDS]
    # The commonest characters come first; ranks spread to the rare tail.
    ranks = (0, 1, 2, 5, 10, 30, 100, 300, 1000)
    return {
        "zh-1": [voc.chars[r] for r in ranks],
        "zh-2": [two[r] for r in ranks],
        "zh-4": [four[r] for r in ranks],
        "en-word": [en[r] for r in ranks],
        "en-phrase": [f'"{p}"' for p in _PHRASES],
        "en-2words": [f"{en[r]} {en[r + 7]}" for r in ranks],
    }


def tiny_png(n: int) -> bytes:
    """A tiny valid PNG (8x8 grey), distinct per n."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + bytes([(n + y) % 256] * 8) for y in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Generator:
    def __init__(self, voc: Vocabulary, seed: int = SEED) -> None:
        self.voc = voc
        self.rnd = random.Random(seed + 1)

    def _zh(self, chars: int) -> str:
        out, n = [], 0
        while n < chars:
            words = self.rnd.choices(self.voc.zh_words, cum_weights=self.voc.zh_weights, k=64)
            out.extend(words)
            n += sum(map(len, words))
            out.append("，" if self.rnd.random() < 0.7 else "。")
        return "".join(out)

    def _en(self, chars: int) -> str:
        out, n = [], 0
        while n < chars:
            words = self.rnd.choices(self.voc.en_words, cum_weights=self.voc.en_weights, k=16)
            sentence = " ".join(words)
            out.append(sentence[0].upper() + sentence[1:] + ".")
            n += len(sentence) + 2
        return " ".join(out)

    def article(self, n: int, source: int, chinese: bool) -> tuple[Article, int]:
        """Article n of a source; returns it and how many images it points at."""
        size = int(math.exp(self.rnd.uniform(math.log(1000), math.log(10_000))))  # UTF-8 bytes
        if chinese:
            title = self._zh(self.rnd.randint(10, 22))[:22].rstrip("，。")
            paragraphs = [self._zh(self.rnd.randint(60, 200)) for _ in range(max(1, size // 450))]
        else:
            title = self._en(40)[:70].rsplit(" ", 1)[0].rstrip(".")
            paragraphs = [self._en(self.rnd.randint(200, 600)) for _ in range(max(1, size // 400))]
        images = self.rnd.choices((0, 1, 2, 3), (70, 18, 8, 4))[0]
        url = f"https://site{source}.example/a/{n}.html"
        published = _NOW - timedelta(seconds=self.rnd.randint(0, 2 * 365 * 86400))
        related = tuple(
            RelatedLink(f"https://site{source}.example/a/{self.rnd.randint(0, n)}.html",
                        title[: self.rnd.randint(5, len(title))], "", None)
            for _ in range(self.rnd.choice((0, 3, 5, 5))))
        article = Article(
            url=url, title=title, published=published, source=f"Source {source}",
            author="", views=self.rnd.randint(0, 50_000),
            breadcrumb=("首页", "新闻") if chinese else ("Home", "News"),
            text="\n\n".join(paragraphs),
            html="".join(f"<p>{p}</p>" for p in paragraphs) + "".join(
                f'<figure><img src="{url}.{i}.png"></figure>' for i in range(images)),
            images=tuple(Image(f"{url}.{i}.png", "图片" if chinese else "photo")
                         for i in range(images)),
            related=related, language="zh" if chinese else "en",
            encoding="utf-8")
        return article, images


def build(count: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    store = Store(out)
    if store.source_ids():
        sys.exit(f"{out} already holds a library")
    rnd = random.Random(SEED + 2)
    gen = Generator(vocabulary())
    sources = [store.add_source(f"https://site{i}.example/", f"https://site{i}.example/rss",
                                "feed", f"Source {i}") for i in range(SOURCES)]
    chinese = {s: rnd.random() < 0.6 for s in sources}
    weights = _zipf(SOURCES, 0.8)  # a few big sources, a long tail of small ones
    pngs = [tiny_png(i) for i in range(256)]
    start = time.perf_counter()
    text_bytes = 0
    for first in range(0, count, BATCH):
        batch = []
        for n in range(first, min(count, first + BATCH)):
            source = rnd.choices(sources, cum_weights=weights)[0]
            article, images = gen.article(n, source, chinese[source])
            text_bytes += len(article.title.encode()) + len(article.text.encode())
            blobs = [ImageData(f"png-{k}", "image/png", 8, 8, pngs[k])
                     for k in (rnd.randrange(len(pngs)) for _ in range(images))]
            batch.append((source, article, [StoredImage(i, b.hash)
                                            for i, b in zip(article.images, blobs, strict=True)],
                          blobs))
        store.save_articles(batch)
        if first // BATCH % 40 == 0:
            print(f"  {first + len(batch)} articles, {time.perf_counter() - start:.0f} s",
                  file=sys.stderr)
    built = time.perf_counter() - start
    # Reading state: whole sources read, plus a share of single articles; 1% favourites.
    for source in sources:
        if rnd.random() < 0.5:
            store.mark_all_read(source)
    ids = [r[0] for r in store.db.execute("SELECT id FROM articles")]
    for article_id in rnd.sample(ids, len(ids) // 10):
        store.set_read(article_id, True)
    for article_id in rnd.sample(ids, len(ids) // 100):
        store.set_favourite(article_id, True)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    print(f"built {count} articles in {built:.1f} s ({count / built:.0f} articles/s), "
          f"raw text {text_bytes / 2**20:.1f} MiB, file "
          f"{(out / 'library.sqlite').stat().st_size / 2**20:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    build(args.count, args.dir)


if __name__ == "__main__":
    main()
