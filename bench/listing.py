"""Precision and recall of the section-page parser on the labelled portal pages.

    .venv/bin/python bench/listing.py [DIR]

DIR holds NAME.html pages and a pages.json that gives, for each NAME, the page's URL, its
Content-Type and the links of its articles and documents (default: the real-shaped pages of
tests/data/listing/portals). A page the parser refuses counts as precision 0, recall 0.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import common  # noqa: F401  (puts src/ on the path)

from reader.errors import ParseError
from reader.parse.listing import parse_source

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "listing" / "portals"


def charset_of(content_type: str) -> str | None:
    _, _, value = content_type.partition("charset=")
    return value.strip() or None


def score(directory: Path) -> list[tuple[str, float, float, str]]:
    rows = []
    pages = json.loads((directory / "pages.json").read_text("utf-8"))
    for name, page in sorted(pages.items()):
        body = (directory / f"{name}.html").read_bytes()
        expected = set(page["articles"]) | set(page.get("documents", ()))
        try:
            parsed = parse_source(body, page["url"], page["content_type"],
                                  charset_of(page["content_type"]))
        except ParseError as e:
            rows.append((name, 0.0, 0.0, str(e)))
            continue
        found = {e.url for e in parsed.entries}
        right = len(found & expected)
        rows.append((name, right / len(found) if found else 0.0, right / len(expected),
                     parsed.title))
    return rows


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    rows = score(directory)
    print("| page | precision | recall | source title |\n|---|---|---|---|")
    for name, precision, recall, title in rows:
        print(f"| {name} | {precision:.2f} | {recall:.2f} | {title} |")
    print(f"| **mean of {len(rows)}** | {statistics.mean(r[1] for r in rows):.2f} | "
          f"{statistics.mean(r[2] for r in rows):.2f} | |")


if __name__ == "__main__":
    main()
