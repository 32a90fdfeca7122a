"""OPML 1.0/2.0 subscription lists, as RSS Guard, Feedly, FreshRSS and others write them.

Folders are outline nesting; a source's folder is the "/"-joined path of the outlines around
it. Parsing is all-or-nothing: any bad outline makes `parse` raise, so an import never lands
half-way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from lxml import etree

from reader.errors import ParseError
from reader.types import Source, SourceKind

MAX_BYTES = 20 * 2**20  # a subscription list, not a dump; refuse anything absurd


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str  # xmlUrl: the feed, or the section page of a listing source
    title: str
    kind: SourceKind = "feed"
    folder: str = ""
    html_url: str = ""


def _attr(outline: etree._Element, name: str) -> str:
    # Old writers spell attributes in any case (xmlurl, XMLURL); namespaced ones are not ours.
    for key, value in outline.attrib.items():
        if isinstance(key, str) and key.lower() == name.lower():
            return str(value).strip()
    return ""


def _kind(outline_type: str) -> SourceKind:
    # FreshRSS marks scraped pages "HTML+XPath"; we write "html" for listing sources.
    return "listing" if outline_type.lower().startswith("html") else "feed"


def parse(data: bytes) -> list[Subscription]:
    """Every subscription of an OPML document, in order, first occurrence of each URL.

    Raises ParseError naming every bad outline; never touches the network or resolves entities.
    """
    if len(data) > MAX_BYTES:
        raise ParseError(f"the OPML file is larger than {MAX_BYTES // 2**20} MB")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"not a well-formed OPML file: {e}") from e
    if root is None or etree.QName(root).localname != "opml":
        raise ParseError("not an OPML file: the document does not start with <opml>")
    body = root.find("body")
    if body is None:
        raise ParseError("not an OPML file: there is no <body>")

    found: dict[str, Subscription] = {}
    problems: list[str] = []

    def walk(parent: etree._Element, path: tuple[str, ...]) -> None:
        for outline in parent.iterchildren("outline"):
            name = _attr(outline, "title") or _attr(outline, "text")
            page = _kind(_attr(outline, "type")) == "listing"
            # A section page is written as type="html" with htmlUrl alone (no xmlUrl, so other
            # readers do not take it for a feed); older exports put the page in xmlUrl.
            url = _attr(outline, "xmlUrl") or (_attr(outline, "htmlUrl") if page else "")
            if not url:
                # A folder; Feedly and FreshRSS nest one level, RSS Guard any depth.
                walk(outline, (*path, name.replace("/", "-")) if name else path)
                continue
            if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
                problems.append(f"line {outline.sourceline}: {url!r} is not an http(s) address")
                continue
            # Feedly lists a feed once per category it is in; the first one wins.
            found.setdefault(url, Subscription(
                url=url, title=name or url, kind=_kind(_attr(outline, "type")),
                folder="/".join(path), html_url=_attr(outline, "htmlUrl")))

    walk(body, ())
    if problems:
        raise ParseError("the OPML file has bad outlines, nothing was imported:\n  "
                         + "\n  ".join(problems))
    return list(found.values())


def from_sources(sources: Iterable[Source]) -> list[Subscription]:
    """What to write for our sources: the feed behind a page, the page as html_url."""
    return [Subscription(url=s.fetch_url or s.url, title=s.title, kind=s.kind, folder=s.folder,
                         html_url=s.url if s.kind == "feed" and s.url != s.fetch_url else "")
            for s in sources]


def write(subscriptions: Iterable[Subscription], *, title: str = "Reader subscriptions",
          now: datetime | None = None) -> bytes:
    """An OPML 2.0 document; folders become nested outlines (text and title both set, since
    RSS Guard reads text and others read title)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC),
                                                                  usegmt=True)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], etree._Element] = {(): body}

    def folder(path: tuple[str, ...]) -> etree._Element:
        if path not in folders:
            folders[path] = etree.SubElement(folder(path[:-1]), "outline",
                                             text=path[-1], title=path[-1])
        return folders[path]

    for s in sorted(subscriptions, key=lambda s: s.folder.casefold()):
        attrs = {"type": "html" if s.kind == "listing" else "rss", "text": s.title,
                 "title": s.title}
        if s.kind == "listing":  # a web page, not a feed: no xmlUrl for others to parse
            attrs["htmlUrl"] = s.url
        else:
            attrs["xmlUrl"] = s.url
            if s.html_url:
                attrs["htmlUrl"] = s.html_url
        path = tuple(p for p in s.folder.split("/") if p)
        etree.SubElement(folder(path), "outline", attrs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
