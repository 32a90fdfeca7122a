"""The meta line shows the time as the page states it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reader.ui.article_html import format_full


def test_a_page_time_keeps_its_own_zone() -> None:
    beijing = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    newfoundland = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    local = datetime(2025, 5, 23, 8, 30).astimezone()
    assert format_full(local) == "2025-05-23 08:30"
    if local.utcoffset() != beijing.utcoffset():
        assert format_full(beijing) == "2025-05-23 08:30 UTC+08:00"
    if local.utcoffset() != newfoundland.utcoffset():
        assert format_full(newfoundland) == "2025-05-23 08:30 UTC-03:30"
