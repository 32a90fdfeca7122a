"""Bytes to an lxml tree, shared by the listing parser and the article extractor."""

from __future__ import annotations

import re
import threading

import lxml.etree
import lxml.html

from reader import charset
from reader.errors import ParseError
from reader.text import clean

# Characters XML forbids: lxml refuses them when a tree edit re-sets text (drop_tag does).
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# ... also when written as character references, which the parser would turn into them.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
# Old portal pages leave <font>/<div> unclosed by the hundred. Past 256 levels libxml2 stops
# building the tree (the article is lost) unless told the document may be huge; such a page is
# parsed again that way and flattened below _MAX_DEPTH, since the extractor walks trees
# recursively. Parsers are per thread: the error log says how the last parse went.
_PARSERS = threading.local()
_MAX_DEPTH = 200
_STYLE_TAGS = re.compile(r"</?(?:font|span|b|i|u|em|strong|small|big|center)\b[^>]*>", re.I)


def _parse(text: str) -> lxml.html.HtmlElement:
    if not hasattr(_PARSERS, "plain"):
        _PARSERS.plain = lxml.html.HTMLParser()
        _PARSERS.huge = lxml.html.HTMLParser(huge_tree=True)
    root = lxml.html.document_fromstring(text, parser=_PARSERS.plain)
    if _too_deep(_PARSERS.plain):
        root = lxml.html.document_fromstring(text, parser=_PARSERS.huge)
        if _too_deep(_PARSERS.huge):  # past 2048 levels even so: drop the font-style tags
            root = lxml.html.document_fromstring(_STYLE_TAGS.sub("", text), parser=_PARSERS.huge)
        _flatten(root)
    return root


def _too_deep(parser: lxml.html.HTMLParser) -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


def _flatten(root: lxml.html.HtmlElement) -> None:
    """Unwrap the elements nested deeper than _MAX_DEPTH; their text and leaves stay."""
    deep = []
    depth = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > _MAX_DEPTH and len(el) and isinstance(el.tag, str):
            deep.append(el)
    for el in deep:
        el.drop_tag()


def _drop_invalid_ref(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if 0x80 <= code <= 0x9F:  # as a browser reads it: windows-1252's “ ” — € (or nothing)
        return bytes([code]).decode("cp1252", "ignore")
    if code > 0x10FFFF or clean(chr(code)) != chr(code):
        return ""  # a control character, a lone surrogate: kept out of the tree
    return match.group()


def without_bad_references(text: str) -> str:
    """Character references to what `text.clean` would remove dropped (C1 ones read as
    windows-1252): libxml2 would put those characters into the tree."""
    return _CHAR_REF.sub(_drop_invalid_ref, text) if "&#" in text else text


def document(body: bytes, url: str, http_charset: str | None = None, *,
             absolute_links: bool = True) -> tuple[lxml.html.HtmlElement, str]:
    """Parse a page; returns the root element and the encoding used.

    With absolute_links (the default) every link is made absolute against `url` and
    <base href>. That rewrite costs about a quarter of an article extraction, so the
    extractor turns it off and resolves only the links it keeps.
    """
    if not body.strip():
        raise ParseError("the page is empty")
    if b"\x00" in body[:1024] and not body.startswith((b"\xff\xfe", b"\xfe\xff")) \
            and not (charset.normalise(http_charset) or "").startswith("utf-16"):
        raise ParseError("the page is binary data, not HTML")
    text, encoding = charset.decode(body, http_charset)
    text = without_bad_references(INVALID_XML.sub("", text))
    # lxml refuses str input that carries an encoding declaration; strip it (an unclosed one
    # too: a truncated page may end inside it).
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        text = text[end + 2:] if end >= 0 else ""
    try:
        root = _parse(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ParseError(f"the page is not HTML: {e}") from e
    if absolute_links:
        root.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    return root, encoding
