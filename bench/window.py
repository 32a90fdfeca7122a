"""The window's figures in one run, with the bare-window floor measured in the same run.

    .venv/bin/python bench/window.py bench/out/empty bench/out/lib10k bench/out/lib200k

- start-up of each library against bench/bare_window.py (gui.py's start rounds, interleaved);
- on the last (largest) library: opening articles as a click does (bench/open_article.py);
- the longest stall of the event loop (a 5 ms timer) while: an update of 1000 articles runs
  (a fresh library, 50 local feeds x 20 articles, bench/update.py's site), an article with 20
  large photos opens (a fresh library), a search runs (the commonest term of each kind),
  the list pages down from the top as fast as the keys are taken, the largest source is
  chosen; each stall in wall time (what a user sees, inflated when the machine is busy), in
  wall time less the GUI thread's waits for a CPU (Linux schedstat: what the window and its
  workers did, GIL contention included, without the rest of a busy machine) and in the GUI
  thread's own CPU time between ticks (the work that blocked it);
- memory: resident size after opening 500 articles one after another.

Each scenario runs in a fresh subprocess (Qt offscreen). Opening articles marks them read:
run on copies of the libraries.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gui import (  # noqa: E402
    GapMeter,
    idle,
    launch,
    spin,
    start_figures,
    unqueued,
    window_over_local_feeds,
)

if TYPE_CHECKING:
    from reader.library import Library

STALL_TARGET_MS = 50
MEMORY_TARGET_MB = 200


class Meters:
    """GapMeters over the same stretch: wall, wall without CPU waits, GUI-thread CPU."""

    def __init__(self) -> None:
        self.wall, self.unqueued = GapMeter(), GapMeter(unqueued)
        self.cpu = GapMeter(time.thread_time)

    def result(self, **extra: object) -> str:
        fields = " ".join(f"{k}={v}" for k, v in extra.items())
        return (f"result wall={self.wall.stop():.1f} unqueued={self.unqueued.stop():.1f} "
                f"cpu={self.cpu.stop():.1f} {fields}")


def _window(data_dir: Path):  # type: ignore[no-untyped-def]
    from start_window import start

    from reader.ui.screenshot import settle

    library, window = start(data_dir)
    settle(window)  # the related pane filled: no task left
    return library, window


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def scenario_search(data_dir: Path) -> str:
    from make_library import queries, vocabulary

    library, window = _window(data_dir)
    terms = [kind[0] for kind in queries(vocabulary()).values()]
    meters = Meters()
    for term in terms:
        window.search.setText(term)
        window.run_search()
        spin(lambda: idle(window))
    result = meters.result(queries=len(terms), hits=window.model.rowCount())
    window.shutdown()
    library.close()
    return result


def scenario_scroll(data_dir: Path, seconds: float) -> str:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    library, window = _window(data_dir)
    window.list.setFocus()
    window.list.setCurrentIndex(window.model.index(0, 0))
    meters = Meters()
    start, presses = time.perf_counter(), 0
    # Page-down held: a key as soon as the last one was handled (faster than auto-repeat).
    while time.perf_counter() - start < seconds:
        QTest.keyClick(window.list, Qt.Key.Key_PageDown)
        presses += 1
        spin(lambda: True)
        if window.list.currentIndex().row() >= window.model.rowCount() - 1 \
                and not window.model.canFetchMore():
            break
    # The keys stop: the row they stopped on opens (within the measured stretch).
    spin(lambda: idle(window)
         and window.view.article_id == window.model.article(window.list.currentIndex().row()).id)
    result = meters.result(presses=presses, row=window.list.currentIndex().row(),
                           loaded=window.model.rowCount(), seconds=f"{seconds:.0f}")
    window.shutdown()
    library.close()
    return result


def scenario_source(data_dir: Path) -> str:
    from reader.types import ArticleFilter

    library, window = _window(data_dir)
    biggest = max(library.sources(), key=lambda s: library.count(ArticleFilter(source_id=s.id)))
    articles = library.count(ArticleFilter(source_id=biggest.id))
    meters = Meters()
    window.sources.choose(ArticleFilter(source_id=biggest.id))
    spin(lambda: idle(window))
    window.list.setCurrentIndex(window.model.index(0, 0))  # and its first article opened
    spin(lambda: idle(window))
    result = meters.result(articles=articles, rows=window.model.rowCount())
    window.shutdown()
    library.close()
    return result


def _photo(n: int) -> bytes:
    """A 3000 x 2000 JPEG photo-like picture (a gradient with noise), about 1 MB."""
    from PIL import Image, ImageFilter

    noise = Image.effect_noise((3000, 2000), 40 + n).convert("RGB")
    gradient = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    picture = Image.blend(noise.filter(ImageFilter.GaussianBlur(2)), gradient, 0.5)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def scenario_images() -> str:
    from datetime import UTC, datetime

    from reader.images import ImageInfo, cache_key, shrink, sniff
    from reader.store.storage import ImageData, Store, StoredImage
    from reader.types import Article, Image

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        source = store.add_source("https://photos.example/", "https://photos.example/rss",
                                  "feed", "Photos")
        url = "https://photos.example/a/1.html"
        images, blobs = [], []
        for n in range(20):
            data = _photo(n)
            info = sniff(data)
            assert isinstance(info, ImageInfo)
            data, info = shrink(data, info)  # as an update caches a download
            image = Image(f"{url}.{n}.jpg", f"照片 {n}")
            blob = ImageData(cache_key(data), info.mime, info.width, info.height, data)
            images.append(image)
            blobs.append((StoredImage(image, blob.hash), blob))
        text = "\n\n".join("图片说明，一段文字。" * 20 for _ in range(20))
        article = Article(
            url=url, title="二十张大照片 Twenty large photos", published=datetime.now(UTC),
            source="Photos", author="", views=None, breadcrumb=(), text=text,
            html="".join(f"<p>{p}</p><figure><img src=\"{i.url}\"></figure>"
                         for p, i in zip(text.split("\n\n"), images, strict=True)),
            images=tuple(images), related=(), language="zh", encoding="utf-8")
        store.save_articles([(source, article, [s for s, _ in blobs], [b for _, b in blobs])])
        store.close()
        library, window = _window(Path(tmp))  # which opens it once (first start, caches)
        article_id = window.model.article(0).id
        laid_out: list[int] = []
        window.view.shown.connect(laid_out.append)  # after the last image was decoded
        window.view.show_placeholder()
        spin(lambda: idle(window))
        meters = Meters()
        start = time.perf_counter()
        window.open_article(article_id)
        spin(lambda: article_id in laid_out and idle(window))
        window.view.viewport().repaint()
        shown = (time.perf_counter() - start) * 1000
        result = meters.result(images=len(images), shown_ms=f"{shown:.0f}")
        window.shutdown()
        library.close()
    return result


def scenario_update(sources: int) -> str:
    with window_over_local_feeds(sources) as (window, library):
        meters = Meters()
        start = time.perf_counter()
        window.update_all()
        spin(lambda: idle(window), 900)
        return meters.result(articles=library.count(),
                             seconds=f"{time.perf_counter() - start:.0f}")


def spread_ids(library: Library, count: int) -> list[int]:
    """`count` article ids spread over the library, newest to oldest, read a page at a time:
    holding every row at once would put 200,000 rows in the memory being measured."""
    step = max(1, library.count() // count)
    ids: list[int] = []
    page = library.articles(limit=step)
    while page and len(ids) < count:
        ids.append(page[0].id)
        page = library.articles(limit=step, after=page[-1])
    return ids


def scenario_memory(data_dir: Path, count: int) -> str:
    library, window = _window(data_dir)
    chosen = spread_ids(library, count)
    after: dict[int, float] = {}
    before = _rss_mb()  # the window up, its first article shown
    for n, article_id in enumerate(chosen, 1):
        window.open_article(article_id)
        spin(lambda shown=article_id: window.view.article_id == shown and idle(window))
        if n in (1, 100, count):
            after[n] = _rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = (f"result opened={len(chosen)} rss_after_0={before:.0f} "
              f"rss_after_1={after.get(1, 0):.0f} rss_after_100={after.get(100, 0):.0f} "
              f"rss_after_{count}={after.get(count, 0):.0f} peak={peak:.0f}")
    window.shutdown()
    library.close()
    return result


def child(argv: list[str]) -> None:
    name, rest = argv[0], argv[1:]
    if name == "search":
        line = scenario_search(Path(rest[0]))
    elif name == "scroll":
        line = scenario_scroll(Path(rest[0]), float(rest[1]))
    elif name == "source":
        line = scenario_source(Path(rest[0]))
    elif name == "images":
        line = scenario_images()
    elif name == "update":
        line = scenario_update(int(rest[0]))
    else:
        line = scenario_memory(Path(rest[0]), int(rest[1]))
    print(line, flush=True)


def _stall(label: str, args: list[str]) -> None:
    _, _, line = launch(["window.py", "--child", *args])
    fields = dict(f.split("=") for f in line.split()[1:])
    wall, own = float(fields.pop("wall")), float(fields.pop("unqueued"))
    cpu = float(fields.pop("cpu"))
    verdict = "met" if own < STALL_TARGET_MS else "MISSED"
    print(f"stall, {label}: {own:.1f} ms wall without CPU waits ({verdict}: target < "
          f"{STALL_TARGET_MS} ms), {wall:.1f} ms wall, {cpu:.1f} ms GUI-thread CPU {fields}",
          flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("dirs", type=Path, nargs="+", help="libraries, the largest last")
    parser.add_argument("--rounds", type=int, default=7, help="start-up rounds")
    parser.add_argument("--opens", type=int, default=200, help="articles opened for the p95")
    parser.add_argument("--memory-opens", type=int, default=500)
    parser.add_argument("--scroll-seconds", type=float, default=30)
    parser.add_argument("--update-sources", type=int, default=50, help="x 20 articles")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["start", "open", "update", "images", "search", "scroll",
                                 "source", "memory"])
    args = parser.parse_args()
    big = args.dirs[-1].resolve()
    if "start" not in args.skip:
        for line in start_figures(args.dirs, args.rounds):
            print(line, flush=True)
    if "open" not in args.skip:
        out = subprocess.run([sys.executable, str(HERE / "open_article.py"), str(big),
                              "--count", str(args.opens)], capture_output=True, text=True,
                             env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}, check=True)
        for line in out.stdout.splitlines():
            print(f"open, {big.name}: {line}", flush=True)
    if "update" not in args.skip:
        _stall(f"update of {args.update_sources * 20} articles",
               ["update", str(args.update_sources)])
    if "images" not in args.skip:
        _stall("an article with 20 large photos opens", ["images"])
    if "search" not in args.skip:
        _stall(f"searches in {big.name}", ["search", str(big)])
    if "scroll" not in args.skip:
        _stall(f"page-down held in {big.name}", ["scroll", str(big), str(args.scroll_seconds)])
    if "source" not in args.skip:
        _stall(f"the largest source of {big.name} chosen", ["source", str(big)])
    if "memory" not in args.skip:
        _, _, line = launch(["window.py", "--child", "memory", str(big), str(args.memory_opens)])
        fields = dict(f.split("=") for f in line.split()[1:])
        last = float(fields[f"rss_after_{args.memory_opens}"])
        print(f"memory, {big.name}: {line.removeprefix('result ')} MB "
              f"({'met' if last < MEMORY_TARGET_MB else 'MISSED'}: target < "
              f"{MEMORY_TARGET_MB} MB)", flush=True)


if __name__ == "__main__":
    main()
