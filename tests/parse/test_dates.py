from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader.parse.dates import CHINA, parse_date

PLUS2 = timezone(timedelta(hours=2))
EDT = timezone(timedelta(hours=-4))
NOW = datetime(2025, 5, 23, 12, 0, tzinfo=CHINA)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-05-23T08:30:00Z", datetime(2025, 5, 23, 8, 30, tzinfo=UTC)),
    ("2025-05-23T08:30:00+02:00", datetime(2025, 5, 23, 8, 30, tzinfo=PLUS2)),
    ("Fri, 23 May 2025 08:30:00 GMT", datetime(2025, 5, 23, 8, 30, tzinfo=UTC)),
    ("May 23, 2025 8:30 PM EDT", datetime(2025, 5, 23, 20, 30, tzinfo=EDT)),
    ("23 May 2025", datetime(2025, 5, 23, tzinfo=UTC)),
])
def test_international_forms(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "2025-05-23 08:30:00",
    "发布时间:2025-05-23 08:30:00",
    "发布时间：2025-05-23 08:30",
    "2025年5月23日 08:30",
    "2025年05月23日08:30",
    "2025/5/23 8:30",
    "２０２５－０５－２３　０８：３０",  # full-width digits
])
def test_chinese_forms_are_china_time(text: str) -> None:
    assert parse_date(text, tz=CHINA) == datetime(2025, 5, 23, 8, 30, tzinfo=CHINA)


def test_chinese_label_without_offset_assumes_china_time() -> None:
    assert parse_date("发布时间:2025-05-23 08:30:00").utcoffset() == timedelta(hours=8)


def test_relative_forms() -> None:
    assert parse_date("3小时前", now=NOW) == NOW - timedelta(hours=3)
    assert parse_date("15分钟前", now=NOW) == NOW - timedelta(minutes=15)
    assert parse_date("昨天 08:30", now=NOW) == datetime(2025, 5, 22, 8, 30, tzinfo=CHINA)
    assert parse_date("刚刚", now=NOW) == NOW
    assert parse_date("2 hours ago", now=NOW) == NOW - timedelta(hours=2)


def test_a_range_of_dates_is_not_one_date() -> None:
    assert parse_date("12/01/2004 - 01/01/2005") is None


@pytest.mark.parametrize("text", ["", "no date here", "2025-13-45", "第3版"])
def test_nonsense_gives_none(text: str) -> None:
    assert parse_date(text) is None
