"""The portal fields of the extractor, in the shape ../shared/tools/portal_score.py scores.

    .venv/bin/python ../shared/tools/portal_score.py ../shared/portal-corpus \
        --adapter bench.portal:adapter [--per-page]

Run from the project's root (the scorer imports ``bench.portal``). The figures before and
after each change are in docs/extraction.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reader.parse.article import extract


def adapter(html: bytes, url: str) -> dict[str, Any]:
    article = extract(html, url or "http://unknown.invalid/")
    return {
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source or None,
        "author": article.author or None,
        "breadcrumb": list(article.breadcrumb),
        "related": [{"title": r.title, "url": r.url} for r in article.related],
        "text": article.text,
    }
