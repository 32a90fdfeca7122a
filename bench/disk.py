"""Database bytes per article (image blobs excluded) against the raw text (title + text, UTF-8).

    .venv/bin/python bench/disk.py bench/out/lib200k

Pages per table come from SQLite's dbstat virtual table. Text and html are stored deflated
(reader.store.packing.pack), so the raw size is measured by inflating every row.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from reader.store.packing import unpack

TARGET = 1.5
GROUPS = {
    "articles (text, html, metadata)": ("articles",),
    "search index": ("search_data", "search_idx", "search_docsize", "search_config",
                     "search_titles_data", "search_titles_idx", "search_titles_docsize",
                     "search_titles_config"),
    "article indexes": ("sqlite_autoindex_articles_1", "articles_by_time", "articles_by_source",
                        "articles_unread"),
    "related links": ("related_links", "related_links_by_url"),
    "image references": ("article_images", "article_images_by_url", "article_images_by_hash"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.dir / 'library.sqlite'}?mode=ro", uri=True)
    n, raw, plain, packed = 0, 0, 0, 0
    for title, body in db.execute("SELECT title, body FROM articles"):
        text, html = unpack(body)
        n += 1
        raw += len(title.encode()) + len(text.encode())
        plain += len(text.encode()) + len(html.encode())
        packed += len(body)
    pages = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    images = pages.pop("images", 0) + pages.pop("sqlite_autoindex_images_1", 0)
    total = sum(pages.values())
    print(f"{n} articles, raw text {raw / n:.0f} B/article; file without image blobs "
          f"{total / 2**20:.1f} MiB ({images / 2**20:.1f} MiB of images left out)")
    grouped = 0
    for name, tables in GROUPS.items():
        size = sum(pages.get(t, 0) for t in tables)
        grouped += size
        print(f"  {name:32} {size / n:8.0f} B/article  {size / raw:5.2f}x raw")
    print(f"  {'other':32} {(total - grouped) / n:8.0f} B/article  "
          f"{(total - grouped) / raw:5.2f}x raw")
    print(f"  of the articles table: text + html {plain / n:.0f} B/article as they are, "
          f"{packed / n:.0f} B/article deflated together ({packed / plain:.2f})")
    ratio = total / raw
    print(f"database / raw text = {ratio:.2f}x: {'met' if ratio < TARGET else 'MISSED'} "
          f"(target < {TARGET}x)")


if __name__ == "__main__":
    main()
