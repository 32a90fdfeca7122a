"""Peak memory of one update over a source of long multi-page articles.

Each article has `--pages` pages of about `--page-kb` KB of text, joined by 下一页 links; the
source lists `--articles` of them. Each count runs in its own process (ru_maxrss only grows),
which reports the tracemalloc peak (Python objects: pages, articles, queues) and the process's
maximum resident set (with lxml's and SQLite's own memory).

    .venv/bin/python bench/update_memory.py --articles 4 8 16 --pages 10 --page-kb 1500
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

from localsite import FaultServer, Page, article_html, paragraphs, respond, rss

from reader.library import Library


def run(articles: int, pages: int, page_kb: int) -> None:
    server = FaultServer()
    fillers = {k: paragraphs(100 + k, 1)[0] for k in range(articles)}  # distinct articles

    def page(conn, path: str) -> None:  # type: ignore[no-untyped-def]
        stem = path.rsplit("/", 1)[1].split(".")[0]
        article, _, number = stem.partition("_")
        n = int(number or 1)
        filler = fillers[int(article)]
        big = f"<p>{filler}</p>" * max(1, page_kb * 1024 // (len(filler.encode()) + 7))
        more = f'<a href="{article}_{n + 1}.html">下一页</a>' if n < pages else ""
        respond(conn, article_html(Page(url=server.url(path), title=f"长文{article}",
                                        paragraphs=paragraphs(int(article) * 100 + n),
                                        extra=big + more)).encode())

    server.route("/a/*", page)
    items = [(server.url(f"/a/{k}.html"), f"长文{k}") for k in range(articles)]
    feed = server.serve("/feed.xml", rss(items), content_type="application/rss+xml")
    with tempfile.TemporaryDirectory() as folder, Library(Path(folder)) as library:
        library.set_setting("request_delay_ms", 0)
        library.set_setting("prefetch_related", False)
        library.add_source(feed)
        tracemalloc.start()
        [result] = library.update()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    server.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fetched = sum(n for p, n in server.hits.items() if p.startswith("/a/"))
    print(f"{articles:>4} articles  {fetched:>4} pages fetched  new {result.new:>3}  "
          f"failed {result.failed}  tracemalloc peak {peak / 2**20:7.1f} MB  "
          f"max RSS {rss_mb:7.1f} MB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--page-kb", type=int, default=1500)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run(args.articles[0], args.pages, args.page_kb)
        return 0
    print(f"{args.pages} pages of ~{args.page_kb} KB per article")
    for count in args.articles:
        subprocess.run([sys.executable, __file__, "--one", "--articles", str(count),
                        "--pages", str(args.pages), "--page-kb", str(args.page_kb)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
