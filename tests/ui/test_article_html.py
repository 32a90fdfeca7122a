"""The meta line shows the time as the page states it, and only the fields the page gave."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reader.types import Article, StoredArticle
from reader.ui.article_html import format_full, meta_parts


def stored(article: Article) -> StoredArticle:
    return StoredArticle(id=1, source_id=1, source_title="青石日报订阅", article=article,
                         related=(), is_read=False, is_favourite=False)


def test_meta_line_has_only_the_fields_found() -> None:
    when = datetime(2025, 5, 23, 8, 30).astimezone()
    full = Article(url="http://x.cn/a", title="标题", source="新京报", author="杜硕",
                   published=when)
    assert meta_parts(stored(full)) == ["新京报", "杜硕", "2025-05-23 08:30"]
    bare = Article(url="http://x.cn/a", title="标题", source="新京报")
    assert meta_parts(stored(bare)) == ["新京报"]
    nothing = Article(url="http://x.cn/a", title="标题")
    assert meta_parts(stored(nothing)) == ["青石日报订阅"]  # the subscription, nothing invented


def test_a_page_time_keeps_its_own_zone() -> None:
    beijing = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    newfoundland = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    local = datetime(2025, 5, 23, 8, 30).astimezone()
    assert format_full(local) == "2025-05-23 08:30"
    if local.utcoffset() != beijing.utcoffset():
        assert format_full(beijing) == "2025-05-23 08:30 UTC+08:00"
    if local.utcoffset() != newfoundland.utcoffset():
        assert format_full(newfoundland) == "2025-05-23 08:30 UTC-03:30"
