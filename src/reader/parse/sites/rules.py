"""Declarative per-site rules: XPath expressions for a portal the generic parsers get wrong.

A rule names only what the heuristics miss; every field it leaves out comes from the generic
`parse_source` / `extract`, so a rule for the body alone keeps the detected title and date.
An expression may select elements (their text, or an <a>'s href) or strings (@href, text()).
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC
from typing import Any
from urllib.parse import urldefrag

import lxml.etree
import lxml.html

from reader.errors import ParseError, parse_boundary
from reader.parse.article import extract
from reader.parse.dates import CHINA, parse_date
from reader.parse.html import document
from reader.parse.listing import parse_source
from reader.parse.sanitize import html_text, safe_url, sanitize_element
from reader.text import squash
from reader.types import Article, Entry, Image, ParsedSource


@dataclass(frozen=True, slots=True)
class Rule:
    links: str = ""  # the article links of a section page
    title: str = ""  # an article's headline
    body: str = ""  # an article's body; several matches are joined (a body split by ads)
    published: str = ""  # the text holding an article's date
    next: str = ""  # the next page, of a listing or of a multi-page article

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> Rule:
        """A checked rule; ParseError names the field and the XPath at fault."""
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except json.JSONDecodeError as e:
                raise ParseError(f"rule: not JSON: {e}") from None
        if not isinstance(data, Mapping):
            raise ParseError("rule: expected a JSON object of XPath expressions")
        unknown = sorted(set(data) - set(RULE_FIELDS))
        if unknown:
            raise ParseError(f"rule: unknown field {unknown[0]!r} (known: "
                             f"{', '.join(RULE_FIELDS)})")
        for name, expression in data.items():
            if not isinstance(expression, str):
                raise ParseError(f"rule {name}: expected an XPath string, got {expression!r}")
            if expression.strip():
                _compile(name, expression)
        return cls(**{name: expression.strip() for name, expression in data.items()})

    def to_json(self) -> dict[str, str]:
        """The fields set, as stored."""
        return {name: value for name, value in asdict(self).items() if value}

    @property
    def is_listing(self) -> bool:
        return bool(self.links)


RULE_FIELDS = tuple(f.name for f in fields(Rule))


def _compile(name: str, expression: str) -> lxml.etree.XPath:
    try:
        return lxml.etree.XPath(expression)
    except lxml.etree.XPathSyntaxError as e:
        raise ParseError(f"rule {name}: bad XPath {expression!r}: {e}") from None


def _select(name: str, expression: str, root: lxml.html.HtmlElement) -> list[Any]:
    try:
        found = _compile(name, expression)(root)
    except lxml.etree.XPathEvalError as e:  # e.g. an unknown function, seen only when run
        raise ParseError(f"rule {name}: XPath {expression!r} failed: {e}") from None
    return found if isinstance(found, list) else [found]


def _text(item: Any) -> str:
    raw = item.text_content() if isinstance(item, lxml.html.HtmlElement) else str(item)
    return squash(raw)


def _href(item: Any) -> str:
    if isinstance(item, lxml.html.HtmlElement):
        anchor = item if item.tag == "a" else item.find(".//a[@href]")
        return "" if anchor is None else (anchor.get("href") or "").strip()
    return str(item).strip()


def _next_url(rule: Rule, root: lxml.html.HtmlElement, url: str) -> str | None:
    for item in _select("next", rule.next, root):
        found = safe_url(_href(item), url)
        if found:
            return found
    return None


@parse_boundary
def apply_listing(rule: Rule, body: bytes, url: str, http_charset: str | None = None
                  ) -> ParsedSource:
    """A section page read with the rule's `links` and `next`; the rest as parse_source.
    A feed is read as a feed: the rule's XPaths are for HTML pages."""
    if not (rule.links or rule.next):
        return parse_source(body, url, "", http_charset)
    try:
        generic: ParsedSource | None = parse_source(body, url, "", http_charset)
    except ParseError:  # the heuristics found no list: that is why the rule exists
        if not rule.links:
            raise
        generic = None
    if generic and generic.kind == "feed":
        return generic
    root, _ = document(body, url, http_charset)
    entries = _entries(rule, root, url) if rule.links else generic.entries if generic else ()
    title = generic.title if generic else _text(root.findtext(".//title") or "")
    next_page = _next_url(rule, root, url) if rule.next else \
        generic.next_page if generic else None
    return ParsedSource(kind="listing", title=title, entries=entries, next_page=next_page,
                        feed_url=generic.feed_url if generic else None)


def _entries(rule: Rule, root: lxml.html.HtmlElement, url: str) -> tuple[Entry, ...]:
    entries, seen = [], set()
    for item in _select("links", rule.links, root):
        link = safe_url(_href(item), url)
        if link is None:
            continue
        link = urldefrag(link).url
        if link not in seen:
            seen.add(link)
            entries.append(Entry(url=link, title=_text(item) if
                                 isinstance(item, lxml.html.HtmlElement) else ""))
    if not entries:
        raise ParseError(f"rule links: XPath {rule.links!r} found no links on {url}")
    return tuple(entries)


@parse_boundary
def apply_article(rule: Rule, body: bytes, url: str, http_charset: str | None = None
                  ) -> Article:
    """An article page read with the rule's title, body, published and next; the rest (and
    anything the rule does not find) as extract."""
    generic = extract(body, url, http_charset=http_charset)
    if not (rule.title or rule.body or rule.published or rule.next):
        return generic
    root, _ = document(body, url, http_charset)
    changes: dict[str, Any] = {}
    if rule.title:
        title = next((t for t in map(_text, _select("title", rule.title, root)) if t), "")
        if title:
            changes["title"] = title
    if rule.body:
        joined = "\n".join(_fragment(item, url) for item in _select("body", rule.body, root))
        if joined.strip():
            holder = lxml.html.fragment_fromstring(joined, create_parent="div")
            changes.update(html=joined, text=html_text(joined), images=tuple(
                Image(img.get("src", ""), img.get("alt", "")) for img in holder.iter("img")))
    if rule.published:
        zone = CHINA if generic.language == "zh" else UTC
        published = next((d for d in (parse_date(_text(i), tz=zone) for i in
                                      _select("published", rule.published, root)) if d), None)
        if published:
            changes["published"] = published
    if rule.next:
        changes["next_page"] = _next_url(rule, root, url)
    return replace(generic, **changes)


def _fragment(item: Any, url: str) -> str:
    """Sanitised html of one body match: an element with its children, or a text node."""
    if isinstance(item, lxml.html.HtmlElement):
        holder = lxml.html.Element("div")
        holder.append(copy.deepcopy(item))
        holder[0].tail = None
        return sanitize_element(holder, url)
    text = _text(item)
    return f"<p>{html.escape(text)}</p>" if text else ""
