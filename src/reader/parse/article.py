"""Article page -> Article: the extractor at the core of Reader.

One lxml parse. Machine-readable metadata is read first (JSON-LD, <meta>), then the tree is
cleaned, portal conventions are read off its visible text, and the body is found by text
and link density (see content.py). Every field falls back to weaker evidence; the
function never raises on HTML (ParseError only for empty or binary input).
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

import lxml.html

from reader.errors import parse_boundary
from reader.parse import breadcrumb, cleanup, content, credits, metadata, portal, related_block
from reader.parse.dates import CHINA, parse_date
from reader.parse.html import document
from reader.text import HAN_RE, HANGUL_RE, KANA_RE, SPACE_RE
from reader.types import Article

log = logging.getLogger(__name__)

_LATIN = re.compile(r"[A-Za-z]")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2]|[1-9])[/-]((?:0[1-9]|[12]\d|3[01]))"
                       r"(?:[/_.-]|$)|/((?:19|20)\d{2})(0[1-9]|1[0-2])((?:0[1-9]|[12]\d|3[01]))\d*"
                       r"(?:[/_.-]|$)")
_HEADLINE_TAGS = frozenset({"h1", "h2", "h3"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TITLE_CLASS = re.compile(r"title|headline|heading", re.I)
_INFO_LABEL = re.compile(r"来源|來源|作者|记者|記者|发布|發布|时间|時間")
_COUNTER = re.compile(r"\d\s*(?:次|人)?(?:浏览|瀏覽|阅读|閱讀|点击|點擊|views|reads)", re.I)
_HEADING_REACH = 8  # runs above the body's first paragraph (date, source, share buttons)
_TEXT_TAGS = frozenset({"strong", "b", "font", "div", "td", "span", "p"})


@parse_boundary
def extract(html: bytes, url: str, *, http_charset: str | None = None) -> Article:
    """Read one article page. Raises ParseError for empty or binary input, and for input the
    code beneath cannot read (see parse_boundary)."""
    root, encoding = document(html, url, http_charset, absolute_links=False)
    base = _base_url(root, url)
    meta = metadata.read(root)
    h1s = [SPACE_RE.sub(" ", h.text_content()).strip() for h in root.iter("h1")]
    cleanup.clean(root)
    body = root.find("body")
    if body is None:
        body = root
    runs = portal.lines(body)
    language = _language(meta.language, runs)
    zone: tzinfo = CHINA if language == "zh" else UTC
    title, agreed = _title(meta, [h for h in h1s if h])
    related, related_blocks = related_block.related(body, runs, base, zone)
    next_url = portal.next_page(body, url, base)
    found = content.extract(root, base, skip=related_blocks, title=title)
    text = found.text or content.rescue(html, url, http_charset, meta.body)
    if not agreed:  # no <h1> says what <title> says: the heading that opens the body does
        title = _opening_heading(runs, found.text, meta) or title
    start = _headline_run(runs, title)
    crumbs = breadcrumb.find(body, runs, start, meta.breadcrumb)
    line = portal.meta_line(runs, start, zone)
    published = (_published(meta, line.published, url, zone)
                 or portal.page_date(runs, start, zone) or _first_date(meta.modified, zone))
    credit = credits.read(runs, start, _body_end(runs, start, text),
                          structured=meta.authors, declared=meta.declared_authors,
                          not_names=_site_names(meta, title, url))
    return Article(
        url=url, title=title, published=published,
        source=credit.source, author=credit.author, views=line.views,
        breadcrumb=crumbs, text=text, html=found.html, images=found.images,
        related=related, language=language, encoding=encoding, next_page=next_url,
        canonical=_absolute(base, meta.canonical),
    )


def _body_end(runs: list[portal.Line], start: int, text: str) -> int:
    """Index of the last run of the body's last paragraphs: credits sit just after it."""
    tail = text[-400:]
    for i in range(len(runs) - 1, start, -1):
        if len(runs[i].text) >= 6 and runs[i].text in tail:
            return i
    return start


def _site_names(meta: metadata.PageMeta, title: str, url: str) -> list[str]:
    """What the site calls itself: og:site_name, the <title> parts that are not the headline,
    the labels of the host. None of these is an author."""
    key = _norm(title)
    parts = [p for p in metadata.title_parts(meta.doc_title) if _norm(p) not in key]
    host = [label for label in (urlsplit(url).hostname or "").split(".") if len(label) > 3]
    return [n for n in (meta.site_name, meta.publisher, *parts, *host) if n]


def _base_url(root: lxml.html.HtmlElement, url: str) -> str:
    """Links are resolved lazily, against <base href> when the page sets one."""
    base = root.find(".//base[@href]")
    return urljoin(url, base.get("href", "").strip()) if base is not None else url


def _absolute(base: str, href: str) -> str:
    try:
        return urljoin(base, href) if href else ""
    except ValueError:  # a malformed address (bad IPv6 host) is no address
        return ""


def _norm(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _title(meta: metadata.PageMeta, h1s: list[str]) -> tuple[str, bool]:
    """The headline, and whether an <h1> agrees with og:title / <title> on it.

    Without agreement, og:title or the JSON-LD headline, else <title> without the site name.
    An <h1> that is only the site's name (a logo, or the end of <title>) agrees with nothing.
    """
    keys = _declared_keys(meta)
    for h1 in h1s:
        key = _norm(h1)
        if _site_like(key, meta):
            continue
        if len(key) >= 4 and any(key in k or (k and k in key) for k in keys):
            return h1, True
    site = _norm(meta.site_name)
    for candidate in (meta.title, meta.headline):
        if candidate:
            return _strip_site(candidate, site), False
    if meta.doc_title:
        return _strip_site(meta.doc_title, site), False
    return (h1s[0] if h1s else ""), False


def _declared_keys(meta: metadata.PageMeta) -> list[str]:
    return [_norm(t) for t in (meta.title, meta.headline, meta.doc_title) if t]


def _site_like(key: str, meta: metadata.PageMeta) -> bool:
    """A heading that is the site's name: og:site_name, a later <title> part that is not the
    longest, or only the end of the titles that hold it (`标题 东区办事处` and a logo
    `东区办事处`)."""
    parts = metadata.title_parts(meta.doc_title)
    # `Headline - Site` or `Site - Headline`: the first part, or the longest, is the headline.
    others = [p for p in parts[1:] if p != max(parts, key=len)]
    if key in {_norm(meta.site_name), *(_norm(p) for p in others)}:
        return True
    holding = [k for k in _declared_keys(meta) if key in k]
    return bool(holding) and all(k != key and k.endswith(key) for k in holding)


def _opening_heading(runs: list[portal.Line], text: str, meta: metadata.PageMeta) -> str:
    """The heading just above the body's first paragraph (an h1-h6, or an element whose
    class says title); or that paragraph, when it is such a heading over an info line."""
    first = text.split("\n\n", 1)[0]
    if len(first) < 6:
        return ""
    begin = next((i for i, r in enumerate(runs)
                  if len(r.text) >= 6 and first.startswith(r.text[:12])), None)
    if begin is None:
        return ""
    if _heading(runs[begin]) and any(portal.DATE_LIKE.search(r.text) or _INFO_LABEL.search(r.text)
                                      for r in runs[begin + 1:begin + 4]):
        return runs[begin].text
    # Above the body there may be a kicker and a subtitle too: an <h1> first, else the top one.
    above = runs[max(0, begin - _HEADING_REACH):begin]
    headings = [r for r in above if _heading(r) and not _site_like(_norm(r.text), meta)]
    h1 = [r for r in headings if r.element.tag == "h1"]
    if headings:
        return (h1 or headings)[0].text
    # No heading markup at all (a table cell): the plain line right over the info line.
    for line, info in reversed(list(itertools.pairwise(above))):
        if _info_line(info) and _plain_line(line):
            return line.text
    return ""


def _info_line(run: portal.Line) -> bool:
    return bool(portal.DATE_LIKE.search(run.text) or _INFO_LABEL.search(run.text))


def _plain_line(run: portal.Line) -> bool:
    """A line that could be a headline: five words' worth of letters (not `1286次浏览`), no
    link, no date, no label."""
    in_link = run.element.tag == "a" or any(a.tag == "a" for a in run.element.iterancestors())
    letters = sum(ch.isalpha() for ch in run.text)
    return (letters >= 5 and len(run.text) <= 80 and not in_link and not _info_line(run)
            and not _COUNTER.search(run.text))


def _heading(run: portal.Line) -> bool:
    el = run.element
    if el.tag == "a" and el.getparent() is not None:
        el = el.getparent()
    named = _TITLE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")
    return (el.tag in _HEADINGS or bool(named)) and 5 <= len(run.text) <= 120


def _strip_site(title: str, site: str) -> str:
    """`Headline | Section | Site` -> `Headline`: the longest part that is not the site."""
    parts = metadata.title_parts(title)
    if len(parts) <= 1:
        return title.strip()
    keep = [p for p in parts if not site or (_norm(p) not in site and site not in _norm(p))]
    return max(keep or parts, key=len)


def _headline_run(runs: list[portal.Line], title: str) -> int:
    """Index of the visible text run that shows the headline (0 when not found)."""
    key = _norm(title)
    if not key:
        return 0
    # A heading first: the same words in a paragraph may be a comment quoting the headline.
    for tags in (_HEADLINE_TAGS, _HEADLINE_TAGS | _TEXT_TAGS):
        for i, run in enumerate(runs):
            el = run.element
            if el.tag == "a" and el.getparent() is not None:
                el = el.getparent()
            if el.tag in tags and _norm(run.text) == key:
                return i
    for i, run in enumerate(runs):
        if len(key) >= 6 and key[:12] in _norm(run.text):
            return i
    return 0


def _published(meta: metadata.PageMeta, line_date: datetime | None, url: str,
               zone: tzinfo) -> datetime | None:
    found = _first_date(meta.dates, zone)
    if found:
        return found
    if line_date:
        return line_date if line_date.tzinfo else line_date.replace(tzinfo=zone)
    return _first_date(meta.time_tags, zone) or _url_date(url, zone)


def _first_date(raws: list[str], zone: tzinfo) -> datetime | None:
    """The first of ``raws`` that reads as a date."""
    return next((d for d in (parse_date(raw, tz=zone) for raw in raws) if d), None)


def _url_date(url: str, zone: tzinfo) -> datetime | None:
    m = _URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    try:
        return datetime(int(y), int(mo), int(d), tzinfo=zone)
    except ValueError:
        return None


def _language(declared: str, runs: list[portal.Line]) -> str:
    if declared:
        primary = declared.replace("_", "-").split("-")[0].lower()
        if primary.isalpha() and 2 <= len(primary) <= 3:
            return primary
    sample = "".join(r.text for r in runs[:2000])[:20000]
    counts = {"ja": len(KANA_RE.findall(sample)),
              "ko": len(HANGUL_RE.findall(sample)),
              "zh": len(HAN_RE.findall(sample)), "en": len(_LATIN.findall(sample)) // 5}
    if counts["ja"] > 20:
        return "ja"
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ""
