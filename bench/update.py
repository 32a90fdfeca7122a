"""Library.update over a local site of 500 feeds x 20 new articles, with newsboat as reference.

    .venv/bin/python bench/update.py [--sources 500] [--per-source 20] [--repeat 3]

The pages (portal-style, Chinese and English, one PNG each, a related block) are generated into
a temp folder and served by `python -m http.server` (threaded) in a subprocess, bound to all
interfaces so the feeds can be spread over 50 loopback hosts (127.0.0.2-51): Reader is polite
per host, as it would be on the web. Figures:
- feed refresh: every feed fetched and parsed, Updater.retrieve_source in a pool of 4 threads,
  against `newsboat -x reload` with reload-threads 4 and a fresh cache, run alternately;
- full update: Library.update (request_delay_ms 0), articles stored per second and CPU time
  per article (process time of this process, which is not the server).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import format_datetime
from pathlib import Path

from make_library import Generator, tiny_png, vocabulary

from reader.library import Library
from reader.services.update import Updater

HOSTS = 50
WORKERS = 4

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
</head><body><div class="header"><a href="/">Site {source}</a></div>
<div class="position">所在位置: <a href="/">首页</a> &gt; <a href="/s{source}/">新闻</a> &gt;</div>
<div class="article"><h1 class="title">{title}</h1>
<div class="info"><span>发布时间: {published}</span> <span>来源: Source {source}</span></div>
<div class="content" id="zoom">{body}
<p style="text-align:center"><img src="{n}.png" alt="" width="8" height="8"></p>
<p class="img-note">{caption}</p></div>
<div class="related"><ul><li class="related-head">相关文章</li>{related}</ul></div>
</div><div class="footer"><p>Copyright 2025</p></div></body></html>"""


def build_site(root: Path, sources: int, per_source: int, port: int) -> list[str]:
    """Write the feeds, pages and images; returns the feed URLs."""
    gen = Generator(vocabulary())
    pngs = [tiny_png(i) for i in range(256)]
    feeds = []
    for s in range(sources):
        host = f"http://127.0.0.{2 + s % HOSTS}:{port}"
        folder = root / f"s{s}"
        folder.mkdir()
        items = []
        for k in range(per_source):
            n = s * per_source + k
            article, _ = gen.article(n, s, chinese=s % 5 < 3)
            url = f"{host}/s{s}/{n}.html"
            related = "".join(
                f'<li><a href="{s * per_source + j}.html">title {j}</a><p>snippet</p></li>'
                for j in range(max(0, k - 3), k))
            published = article.published.strftime("%Y-%m-%d %H:%M:%S") \
                if article.published else ""
            (folder / f"{n}.html").write_text(PAGE.format(
                lang=article.language, title=article.title, source=s, published=published,
                body=article.html.split("<figure>")[0], n=n, caption=article.title[:12],
                related=related), encoding="utf-8")
            (folder / f"{n}.png").write_bytes(pngs[n % len(pngs)])
            items.append(f"<item><title>{article.title}</title><link>{url}</link>"
                         f"<guid>{url}</guid><pubDate>{format_datetime(article.published)}"
                         f"</pubDate><description>{article.text[:120]}</description></item>")
        (folder / "rss.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Source {s}</title><link>{host}/s{s}/</link><description>d</description>"
            f"{''.join(items)}</channel></rss>", encoding="utf-8")
        feeds.append(f"{host}/s{s}/rss.xml")
    return feeds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(root: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "0.0.0.0",
         "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.2", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    sys.exit("the local server did not start")


def newsboat(feeds: list[str], work: Path) -> float:
    """Seconds for `newsboat -x reload` over the feeds with a fresh cache."""
    work.mkdir(exist_ok=True)
    (work / "urls").write_text("\n".join(feeds) + "\n")
    (work / "config").write_text(f"reload-threads {WORKERS}\n")
    cache = work / "cache.db"
    cache.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["newsboat", "-x", "reload", "-u", str(work / "urls"), "-c", str(cache),
                    "-C", str(work / "config")], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    stored = subprocess.run(["sqlite3", str(cache), "SELECT count(*) FROM rss_item"],
                            capture_output=True, text=True).stdout.strip() \
        if shutil.which("sqlite3") else "?"
    print(f"  newsboat reload: {elapsed:.2f} s ({stored} items cached)")
    return elapsed


def subscribe(directory: Path, feeds: list[str]) -> Library:
    library = Library(directory)
    library.set_setting("request_delay_ms", 0)
    for i, url in enumerate(feeds):
        library.store.add_source(url, url, "feed", f"Source {i}")
    return library


def reader_refresh(feeds: list[str], work: Path) -> float:
    """Seconds for Reader to fetch and parse every feed, 4 at a time (nothing stored)."""
    shutil.rmtree(work, ignore_errors=True)
    library = subscribe(work, feeds)
    updater: Updater = library._updater()
    states = [library.store.source_state(i) for i in library.store.source_ids()]
    start = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        entries = sum(len(p.entries) for p, _, _ in pool.map(updater.retrieve_source, states)
                      if p is not None)
    elapsed = time.perf_counter() - start
    library.close()
    print(f"  reader feed refresh: {elapsed:.2f} s ({entries} entries)")
    return elapsed


def reader_update(feeds: list[str], work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    library = subscribe(work, feeds)
    cpu, start = time.process_time(), time.perf_counter()
    results = library.update()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    stored = sum(r.new for r in results)
    failed = sum(r.failed for r in results) + sum(bool(r.error) for r in results)
    blobs = library.store.db.execute("SELECT count(*) FROM article_images WHERE hash IS NOT "
                                     "NULL").fetchone()[0]
    print(f"full update: {stored} articles ({blobs} images, {failed} failures) in "
          f"{elapsed:.1f} s: {stored / elapsed:.0f} articles/s, "
          f"CPU {cpu * 1000 / max(stored, 1):.2f} ms/article")
    library.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--per-source", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        port = free_port()
        feeds = build_site(root, args.sources, args.per_source, port)
        server = serve(root, port)
        try:
            ours, theirs = [], []
            for _ in range(args.repeat):  # alternate, so both see the same machine load
                theirs.append(newsboat(feeds, Path(tmp) / "newsboat"))
                ours.append(reader_refresh(feeds, Path(tmp) / "refresh"))
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"feed refresh of {len(feeds)} feeds, median of {args.repeat}: Reader "
                  f"{a:.2f} s, newsboat {b:.2f} s, Reader/newsboat = {a / b:.2f} "
                  f"({'met' if a <= b else 'MISSED'}: target <= 1)")
            reader_update(feeds, Path(tmp) / "update")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
