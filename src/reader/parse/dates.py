"""Dates as pages and feeds write them, to timezone-aware datetimes.

Handles ISO 8601, RFC 822, `2025-05-23 08:30:00`, `2025/5/23`, `2025年5月23日 08:30`,
`May 23, 2025`, label prefixes (`发布时间:`), and relative forms (`3小时前`, `昨天 08:30`,
`刚刚`, `2 hours ago`). A date without an offset is taken as China time when the text is
Chinese, otherwise UTC; callers that know better pass ``tz``.
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from reader.text import HAN_RE

CHINA = timezone(timedelta(hours=8), "CST")

_TIME = r"(?:[T\s]*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:[.,]\d+)?)?\s*秒?)?"
_OFFSET = r"\s*(Z|[+-]\d{2}(?::?\d{2})?(?![\d:]))?"
# The same separator twice (2025-05-23, 2025/5/23) or 年月日: "2004 - 01/01" is a range.
_NUMERIC = re.compile(
    r"(?<!\d)(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2}))"
    r"(?!\d)\s*[日号]?" + _TIME + _OFFSET
)
_COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(?!\d)")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CLOCK = r"(?:(?:\s*(?:at|,|-|\|)?\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?"
_MDY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _CLOCK, re.I)
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})" + _CLOCK, re.I)
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
          "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "ist": 5.5, "jst": 9,
          "kst": 9, "aest": 10, "aedt": 11}
_ZONE = re.compile(r"\b(" + "|".join(_ZONES) + r")\b", re.I)
_RELATIVE = re.compile(r"(\d+)\s*(秒|分钟|小时|天|周|个月|seconds?|minutes?|mins?|hours?|hrs?"
                       r"|days?|weeks?)\s*(?:前|ago)", re.I)
_DAY_WORDS = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2,
              "just now": 0, "today": 0, "yesterday": 1}
_DAY_WORD = re.compile("|".join(_DAY_WORDS), re.I)
_HOUR_MIN = re.compile(r"(\d{1,2})[:：](\d{2})")
_UNIT_SECONDS = (("秒", 1), ("分", 60), ("小", 3600), ("天", 86400), ("周", 604800),
                 ("个", 2592000), ("sec", 1), ("min", 60), ("h", 3600), ("d", 86400),
                 ("w", 604800))
_RFC822 = re.compile(r"^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")


def parse_date(text: str, *, now: datetime | None = None, tz: tzinfo | None = None
               ) -> datetime | None:
    """The first date written in ``text``, or None. ``now`` anchors relative forms."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    zone = tz or (CHINA if HAN_RE.search(text) else UTC)
    for parse in (_numeric, _rfc822, _english, _compact):
        found = parse(text, zone)
        if found:
            return found
    return _relative(text, now, zone)


def _build(zone: tzinfo, y: str | int, mo: str | int, d: str | int, h: str | None = None,
           mi: str | None = None, s: str | None = None) -> datetime | None:
    try:
        when = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                        tzinfo=zone)
    except ValueError:
        return None
    return when if 1990 <= when.year <= 2100 else None


def _offset(raw: str | None, fallback: tzinfo) -> tzinfo:
    if not raw:
        return fallback
    if raw == "Z":
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def _numeric(text: str, zone: tzinfo) -> datetime | None:
    for m in _NUMERIC.finditer(text):
        y, _sep, mo, d, _, cn_mo, cn_d, h, mi, s, off = m.groups()
        mo, d = mo or cn_mo, d or cn_d
        found = _build(_offset(off, zone), y, mo, d, h, mi, s)
        if found:
            return found
    return None


def _compact(text: str, zone: tzinfo) -> datetime | None:
    m = _COMPACT.search(text)
    return _build(zone, *m.groups()) if m else None


def _rfc822(text: str, zone: tzinfo) -> datetime | None:
    if not _RFC822.match(text):
        return None
    try:
        found = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return found if found.tzinfo else found.replace(tzinfo=zone)


def _english(text: str, zone: tzinfo) -> datetime | None:
    m = _MDY.search(text)
    if m:
        mon, d, y, h, mi, s, ampm = m.groups()
    else:
        m = _DMY.search(text)
        if not m:
            return None
        d, mon, y, h, mi, s, ampm = m.groups()
    hour = int(h) if h else 0
    if ampm and ampm[0].lower() == "p" and hour < 12:
        hour += 12
    elif ampm and hour == 12:
        hour = 0
    named = _ZONE.search(text[m.end():m.end() + 12])
    if named:
        zone = timezone(timedelta(hours=_ZONES[named.group(1).lower()]))
    return _build(zone, y, _MONTHS[mon[:3].lower()], d, str(hour), mi, s)


def _relative(text: str, now: datetime | None, zone: tzinfo) -> datetime | None:
    if now is None:
        now = datetime.now(zone)
    now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    m = _RELATIVE.search(text)
    if m:
        unit = m.group(2).lower()
        seconds = next(secs for prefix, secs in _UNIT_SECONDS if unit.startswith(prefix))
        return now - timedelta(seconds=int(m.group(1)) * seconds)
    m = _DAY_WORD.search(text)
    if not m:
        return None
    days_back = _DAY_WORDS[m.group(0).lower()]
    if days_back == 0 and m.group(0) in ("刚刚", "just now"):
        return now
    day: date = (now - timedelta(days=days_back)).date()
    clock = _HOUR_MIN.search(text, m.end())
    h, mi = (clock.group(1), clock.group(2)) if clock else ("0", "0")
    return _build(zone, day.year, day.month, day.day, h, mi)
