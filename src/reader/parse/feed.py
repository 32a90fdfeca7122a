"""RSS 0.9x/1.0/2.0 and Atom (through feedparser) and JSON Feed 1.0/1.1 -> ParsedSource.

Every item is kept, with or without a link: its identity is the feed's own id (Entry.key).
Titles are plain text; links are kept only where a browser may go (reader.urls).

Safety: feedparser is only ever given a byte stream (given a str or bytes it may open a URL or
a local file named by it). Internal DTD subsets are removed first, so no entity is declared
(billion laughs) and none is external (XXE); feedparser also disables external entities.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.etree

from reader import charset
from reader.errors import ParseError, parse_boundary
from reader.parse.sanitize import html_text, image_sources, plain_text, sanitize
from reader.text import headline, squash
from reader.types import Article, Enclosure, Entry, Image, ParsedSource
from reader.urls import is_link_from, is_web_url

log = logging.getLogger(__name__)

MAX_ENTRIES = 10_000

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# The prolog: everything before the root element's start tag.
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_ITEM_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
# Both spellings the specification has used (1.0 said http://), and WordPress's escaped slashes.
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/1(?:\.\d+)?/?$")
_JSON_FEED_VERSION_BYTES = re.compile(
    rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org\\?/version\\?/1')
# A character reference past U+10FFFF makes feedparser call chr() on it and raise.
_BAD_CHARREF = re.compile(rb"&#(?:[xX]0*[1-9a-fA-F][0-9a-fA-F]{6,}|0*[1-9][0-9]{7,});")


def looks_like_feed(body: bytes) -> bool:
    """Whether the bytes are a feed, judged from the content itself (never Content-Type)."""
    head = _strip_bom(body[:4096]).lstrip()
    if head.startswith(b"{"):
        return _JSON_FEED_VERSION_BYTES.search(body[:65536]) is not None
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = body[:8192].decode("utf-16", "replace").encode("utf-8", "replace")
    return _root_name(head) in _FEED_ROOTS


@parse_boundary
def parse_feed(body: bytes, url: str, http_charset: str | None = None) -> ParsedSource:
    """Parse a feed. A feed without entries is valid; something that is no feed is not."""
    if not body.strip():
        raise ParseError("the feed is empty")
    if _strip_bom(body).lstrip().startswith(b"{"):
        return _parse_json_feed(body, url)
    return _parse_xml_feed(body, url, http_charset)


def _strip_bom(body: bytes) -> bytes:
    for bom in _BOMS:
        if body.startswith(bom):
            return body[len(bom):]
    return body


def _root_name(head: bytes) -> str:
    """The local name of the first element, lower-cased; '' when there is none."""
    head = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    head = _DOCTYPE.sub(b"", head)
    match = re.search(rb"<([A-Za-z_][\w.:-]*)", head)
    if not match:
        return ""
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def summary_article(entry: Entry, base: str, page_error: str = "") -> Article:
    """The article a feed item is by itself: its summary, led by the feed's pictures of it that
    the summary does not show, and its enclosures. page_error: why the page is not used."""
    base = entry.url or base
    body = sanitize(entry.summary_html, base)
    shown = set(image_sources(body))
    lead = "".join(f'<figure><img src="{html.escape(i.url)}"></figure>' for i in entry.images
                   if i.url not in shown)
    if lead:
        body = sanitize(lead, base) + body
    text = html_text(body)
    return Article(
        url=entry.url, title=entry.title or headline(text), published=entry.published,
        author=entry.author, text=text, html=body,
        images=tuple(Image(src) for src in dict.fromkeys(image_sources(body))),
        enclosures=entry.enclosures, page_error=page_error)


# --- XML feeds -----------------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, http_charset: str | None) -> ParsedSource:
    # Decoded as a page is (web encodings only, supersets, UTF-8 that proves itself), so the
    # XML parsers below read UTF-8 with no declaration to second-guess.
    body = charset.xml_as_utf8(body, http_charset)
    body = _cap_entries(_without_internal_subset(body))
    # feedparser mangles file:/// bases (to file://host/...): give it web bases only and
    # resolve entry links ourselves.
    headers = {"content-location": url} if url.startswith(("http://", "https://")) else {}
    body = _BAD_CHARREF.sub(b"&#xFFFD;", body)
    started = time.monotonic()
    try:
        # Our own sanitiser cleans and resolves every body (against the entry's link) and
        # every title is made plain text: feedparser's passes for both would be done twice.
        result = feedparser.parse(io.BytesIO(body), response_headers=headers,
                                  sanitize_html=False, resolve_relative_uris=False)
    except (UnicodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        # feedparser's own state machine trips on hostile markup (decoding, misnested tags)
        raise ParseError(f"not a readable feed: {e}") from e
    log.debug("feedparser: %d entries in %.2fs", len(result.entries), time.monotonic() - started)
    if not result.get("version") and not result.entries:
        raise ParseError(f"not a feed: {_bozo_reason(result) or 'no RSS, RDF or Atom root'}")
    if result.get("bozo"):
        # Lenient by design: broken feeds are common and usually still readable.
        log.info("accepting a malformed feed %s: %s", url, _bozo_reason(result))
    entries = [_entry(raw, url) for raw in result.entries[:MAX_ENTRIES]]
    return ParsedSource(kind="feed", title=_title(result.feed), entries=tuple(entries))


def _bozo_reason(result: Any) -> str:
    exc = result.get("bozo_exception")
    return str(exc) if exc else ""


def _without_internal_subset(body: bytes) -> bytes:
    """Drop a DOCTYPE's [internal subset]: feeds never need their own entities."""
    match = _ROOT_START.search(body)
    prolog_end = match.start() if match else len(body)
    prolog = body[:prolog_end]
    if b"[" not in prolog:  # entities can only be declared in an internal subset
        return body
    return _DOCTYPE.sub(b"", prolog) + body[prolog_end:]


def _cap_entries(body: bytes) -> bytes:
    """Cut a huge feed after MAX_ENTRIES items and close it, so parsing stays bounded."""
    starts = _ITEM_START.finditer(body)
    first = next(starts, None)
    if first is None:
        return body
    for count, match in enumerate(starts, start=2):
        if count > MAX_ENTRIES:
            log.warning("feed has more than %d entries; keeping the first ones", MAX_ENTRIES)
            return body[:match.start()] + _closing_tags(body[:first.start()])
    return body


def _closing_tags(head: bytes) -> bytes:
    """End tags for the elements still open before the first item (e.g. </channel></rss>)."""
    parser = lxml.etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                      no_network=True, load_dtd=False)
    stack: list[str] = []
    try:
        parser.feed(head)
        for event, element in parser.read_events():
            name = lxml.etree.QName(element).localname
            qname = f"{element.prefix}:{name}" if element.prefix else name
            if event == "start":
                stack.append(qname)
            elif stack:
                stack.pop()
    except lxml.etree.XMLSyntaxError:
        return b""  # feedparser's lenient parser copes with the unclosed rest
    return "".join(f"</{name}>" for name in reversed(stack)).encode()


def _entry(raw: Any, base: str) -> Entry:
    """One item; kept even without a link (it is readable from the feed's own content).

    feedparser has already applied xml:base and told a permalink guid (guidislink) from an
    opaque one (isPermaLink="false", any case)."""
    # dict.get skips FeedParserDict's deprecated updated->published key aliasing.
    published, updated = dict.get(raw, "published_parsed"), dict.get(raw, "updated_parsed")
    link = _web_link(raw.get("link") or (raw.get("id") if raw.get("guidislink") else ""), base)
    summary = sanitize(_summary_html(raw), link or base)
    title = _title(raw)
    enclosures, images = _attachments(raw, base)
    return Entry(
        url=link,
        title=title or headline(plain_text(summary)),
        # RSS 1.0 (dc:date) and many Atom feeds only say when an entry was updated.
        published=_struct_time(published or updated),
        updated=_struct_time(updated),
        summary_html=summary,
        author=squash(raw.get("author", "")),
        key=item_key(str(raw.get("id") or ""), link, title,
                     raw.get("published") or raw.get("updated") or "", summary),
        enclosures=enclosures, images=images,
    )


def item_key(feed_id: str, link: str, title: str, date: str, summary: str) -> str:
    """An item's identity: the feed's own id, else its link, else a hash of title and date
    (of the text too when both are missing, so two such notes stay two)."""
    if feed_id.strip():
        return feed_id.strip()
    if link:
        return link
    seed = f"{title}\0{date}" if title or date else summary
    return "sha1:" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()


def _title(raw: Any) -> str:
    """Plain text: a title the feed marks as HTML loses its tags ("<b>Slack</b> Stock")."""
    value = str(raw.get("title") or "")
    detail = raw.get("title_detail") or {}
    if "html" in str(detail.get("type", "")):
        return plain_text(value)
    return squash(value)


def _web_link(value: str, base: str) -> str:
    """An absolute link a browser may open, or "" (file:, javascript:, smb:, tag: ...)."""
    if not value or not value.strip():
        return ""
    try:
        link = urljoin(base, value.strip())
    except ValueError:
        return ""
    return link if is_link_from(link, base) else ""


def _attachments(raw: Any, base: str) -> tuple[tuple[Enclosure, ...], tuple[Image, ...]]:
    """Enclosures that are audio, video or documents, and the item's pictures (media:thumbnail,
    media:content images, image enclosures), each URL once."""
    enclosures: dict[str, Enclosure] = {}
    images: dict[str, Image] = {}
    media = [(m.get("url"), m.get("type") or m.get("medium") or "", m.get("filesize"))
             for m in raw.get("media_content") or []]
    for href, kind, length in [
            *((e.get("href"), e.get("type") or "", e.get("length")) for e in
              raw.get("enclosures") or []),
            *media,
            *((m.get("url"), "image", None) for m in raw.get("media_thumbnail") or [])]:
        url = _web_link(str(href or ""), base)
        kind = str(kind).strip().lower()
        if not url:
            continue
        if kind.startswith("image"):
            images.setdefault(url, Image(url))
        elif url not in enclosures:
            enclosures[url] = Enclosure(url, "" if kind in ("audio", "video") else kind,
                                        _length(length))
    return tuple(enclosures.values()), tuple(images.values())


def _length(value: Any) -> int | None:
    try:
        length = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return length if length > 0 else None


def _summary_html(raw: Any) -> str:
    """The fullest body the feed offers: content over summary; plain text is escaped."""
    for detail in [*raw.get("content", []), raw.get("summary_detail")]:
        if detail and detail.get("value"):
            if detail.get("type") == "text/plain":
                return f"<p>{html.escape(detail['value'])}</p>"
            return str(detail["value"])
    return ""


def _struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser normalises every date to a UTC struct_time."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# --- JSON Feed ------------------------------------------------------------------------------


def _parse_json_feed(body: bytes, url: str) -> ParsedSource:
    try:
        data = json.loads(_strip_bom(body).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ParseError(f"not a feed: invalid JSON ({e})") from e
    if not isinstance(data, dict) or not _JSON_FEED_VERSION.match(str(data.get("version", ""))):
        raise ParseError("not a feed: JSON without a JSON Feed version")
    items = data.get("items") or []
    if not isinstance(items, list):
        raise ParseError("not a feed: JSON Feed 'items' is not a list")
    feed_author = _json_author(data)
    entries = [_json_entry(item, url, feed_author) for item in items[:MAX_ENTRIES]
               if isinstance(item, dict)]
    return ParsedSource(kind="feed", title=squash(str(data.get("title", ""))),
                        entries=tuple(entries))


def _json_entry(item: dict[str, Any], base: str, feed_author: str) -> Entry:
    feed_id = str(item.get("id") or "")
    link = _json_link(item, feed_id, base)
    summary = _json_summary(item)
    # JSON Feed titles are plain text by definition, but WordPress writes entities into them.
    title = squash(html.unescape(str(item.get("title") or "")))
    published = item.get("date_published")
    return Entry(
        url=link,
        title=title or headline(plain_text(summary)),
        published=_rfc3339(published),
        updated=_rfc3339(item.get("date_modified")),
        summary_html=summary,
        author=_json_author(item) or feed_author,
        key=item_key(feed_id, link, title, str(published or ""), summary),
        enclosures=_json_enclosures(item, base),
        images=tuple(Image(url) for value in (item.get("image"), item.get("banner_image"))
                     if isinstance(value, str) and (url := _web_link(value, base))),
    )


def _json_link(item: dict[str, Any], feed_id: str, base: str) -> str:
    """The item's page: url, else external_url, else an id that is itself a web address."""
    for value in (item.get("url"), item.get("external_url"), feed_id):
        link = _web_link(value, base) if isinstance(value, str) else ""
        if link and (value != feed_id or is_web_url(value)):
            return link
    return ""


def _json_summary(item: dict[str, Any]) -> str:
    """content_html as it is, else the plain text (or the summary) as an escaped paragraph."""
    if item.get("content_html"):
        return str(item["content_html"])
    text = item.get("content_text") or item.get("summary")
    return f"<p>{html.escape(str(text))}</p>" if text else ""


def _json_enclosures(item: dict[str, Any], base: str) -> tuple[Enclosure, ...]:
    attachments = [a for a in item.get("attachments") or [] if isinstance(a, dict)]
    return tuple(Enclosure(url, str(a.get("mime_type") or ""), _length(a.get("size_in_bytes")))
                 for a in attachments if (url := _web_link(str(a.get("url") or ""), base)))


def _json_author(obj: dict[str, Any]) -> str:
    """1.1 has `authors` (a list), 1.0 had `author` (one object)."""
    authors = obj.get("authors") or [obj.get("author")]
    names = [squash(str(a["name"])) for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(names)


def _rfc3339(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
