"""Machine-readable evidence a page carries about itself: JSON-LD, <meta>, <time>, <title>.

Read before the tree is cleaned, because JSON-LD lives in <script>.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
from lxml.html import HtmlElement

log = logging.getLogger(__name__)

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle",
                  "socialmediaposting", "liveblogposting", "scholarlyarticle", "techarticle",
                  "webpage", "report", "creativework"}
# Most specific first: a page's own publication time beats generic or modified dates.
_DATE_KEYS = ("article:published_time", "og:article:published_time", "og:published_time",
              "datepublished", "publishdate", "publish-date", "publish_date", "pubdate",
              "publishtime", "publishedtime", "article.published", "parsely-pub-date",
              "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
              "dc.date.created", "date", "article:created", "created", "og:updated_time",
              "article:modified_time")
# Last resort only: a page that prints a day without its year may state it here.
_MODIFIED_KEYS = ("datemodified", "dateupdate", "dateupdated", "lastmodified", "last-modified")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "byl", "sailthru.author",
                "parsely-author", "twitter:creator")
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site", "publisher", "source")
# The attributes that name a <meta>, in the order they are believed.
_META_NAMES = ("property", "name", "itemprop", "http-equiv")
_LD = lxml.etree.XPath("//script[@type='application/ld+json']/text()")
_METAS = lxml.etree.XPath("//meta[@content]")
_ITEMPROP = lxml.etree.XPath(
    "//*[@itemprop='datePublished' or @itemprop='dateCreated'][@content or @datetime]")
_TIMES = lxml.etree.XPath("//time[@datetime]")
_CANONICAL = lxml.etree.XPath("//link[translate(@rel, 'CANONICL', 'canonicl')='canonical']/@href")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class PageMeta:
    title: str = ""
    headline: str = ""  # JSON-LD
    doc_title: str = ""  # <title>
    site_name: str = ""
    dates: list[str] = field(default_factory=list)  # best first
    modified: list[str] = field(default_factory=list)
    time_tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # JSON-LD
    declared_authors: list[str] = field(default_factory=list)  # <meta name=author> and kin
    publisher: str = ""
    body: str = ""  # JSON-LD articleBody
    breadcrumb: tuple[str, ...] = ()
    language: str = ""
    canonical: str = ""  # <link rel=canonical> or og:url, as written (may be relative)


def read(root: HtmlElement) -> PageMeta:
    meta = PageMeta()
    _read_json_ld(root, meta)
    metas = _meta_tags(root)
    meta.title = _first(metas, _TITLE_KEYS)
    meta.site_name = _first(metas, _SITE_KEYS)
    meta.canonical = _canonical(root) or metas.get("og:url", "")
    meta.dates += _all(metas, _DATE_KEYS)
    meta.modified = _all(metas, _MODIFIED_KEYS)
    meta.dates += [el.get("content") or el.get("datetime") or "" for el in _ITEMPROP(root)]
    meta.time_tags = [el.get("datetime", "") for el in _TIMES(root)]
    meta.declared_authors = _declared_author(metas)
    meta.doc_title = _doc_title(root)
    meta.language = _language(root, metas)
    return meta


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """The content of each <meta>, by its lower-cased name; the first of a name wins."""
    metas: dict[str, str] = {}
    for el in _METAS(root):
        key = next((el.get(a) for a in _META_NAMES if el.get(a)), "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, content)
    return metas


def _all(metas: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    """The values of the keys present, in the order of keys."""
    return [metas[k] for k in keys if k in metas]


def _first(metas: dict[str, str], keys: tuple[str, ...]) -> str:
    return next(iter(_all(metas, keys)), "")


def _canonical(root: HtmlElement) -> str:
    links = _CANONICAL(root)
    return links[0].strip() if links else ""


def _declared_author(metas: dict[str, str]) -> list[str]:
    """The first author <meta> that gives a name: not a profile URL, not an @handle."""
    names = [v for v in _all(metas, _AUTHOR_KEYS) if not v.startswith(("http", "@"))]
    return names[:1]


def _doc_title(root: HtmlElement) -> str:
    title = root.find(".//title")
    return " ".join(title.text_content().split()) if title is not None else ""


def _language(root: HtmlElement, metas: dict[str, str]) -> str:
    return (root.get("lang") or root.get("xml:lang") or metas.get("content-language")
            or metas.get("og:locale") or "").strip()


def _read_json_ld(root: HtmlElement, meta: PageMeta) -> None:
    for raw in _LD(root):
        raw = _CDATA.sub("", raw)
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            log.debug("unreadable JSON-LD block skipped")
            continue
        for node in _nodes(data):
            _take_node(node, meta)


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every object in a JSON-LD document, flattening lists and @graph, in document order.
    A loop, not recursion: a hostile block may nest as deep as the JSON parser allows."""
    found, todo = [], [data]
    while todo:
        item = todo.pop()
        if isinstance(item, list):
            todo.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            todo.append(item.get("@graph", []))
    return found


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _take_node(node: dict[str, Any], meta: PageMeta) -> None:
    kinds = _types(node)
    if "breadcrumblist" in kinds and not meta.breadcrumb:
        meta.breadcrumb = _crumbs(node)
        return
    if not kinds & _ARTICLE_TYPES:
        return
    generic = kinds <= {"webpage", "creativework"}
    if generic and (meta.headline or meta.dates):
        return  # an Article node already spoke; a WebPage node is weaker
    headline = node.get("headline") or ("" if generic else node.get("name"))
    if isinstance(headline, str) and headline.strip() and not meta.headline:
        meta.headline = " ".join(headline.split())
    for key in ("datePublished", "dateCreated", "uploadDate"):
        if isinstance(node.get(key), str):
            meta.dates.append(node[key])
            break
    if not meta.authors:
        meta.authors = _names(node.get("author"))
    if not meta.publisher:
        names = _names(node.get("publisher"))
        meta.publisher = names[0] if names else ""
    body = node.get("articleBody")
    if isinstance(body, str) and len(body) > len(meta.body):
        meta.body = body


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() and not value.startswith("http") else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _crumbs(node: dict[str, Any]) -> tuple[str, ...]:
    items = node.get("itemListElement")
    if not isinstance(items, list):
        return ()
    names = []
    for item in items:
        if not isinstance(item, dict):
            continue
        inner = item.get("item")
        name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return tuple(names)


# A bare hyphen between digits is part of the headline (`1-10月`), not a separator.
_TITLE_SPLIT = re.compile(r"\s+[|\-–—·:»]\s+|\s*[|｜_—–]\s*|(?<!\d)\s*-{1,2}\s*(?=\S)|"
                          r"\s*-{1,2}\s*(?=[^\d\s])")


def title_parts(title: str) -> list[str]:
    """<title> cut at its usual separators: `Headline | Section | Site`."""
    return [p.strip() for p in _TITLE_SPLIT.split(title) if p and p.strip()]
