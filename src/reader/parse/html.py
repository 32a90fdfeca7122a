"""Bytes to an lxml tree, shared by the listing parser and the article extractor."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from reader import charset
from reader.errors import ParseError

# Characters XML forbids: lxml refuses them when a tree edit re-sets text (drop_tag does).
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# ... also when written as character references, which the parser would turn into them.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _drop_invalid_ref(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code > 0x10FFFF or (0xD800 <= code <= 0xDFFF) or INVALID_XML.match(chr(code)):
        return ""
    return match.group()


def document(body: bytes, url: str, http_charset: str | None = None, *,
             absolute_links: bool = True) -> tuple[lxml.html.HtmlElement, str]:
    """Parse a page; returns the root element and the encoding used.

    With absolute_links (the default) every link is made absolute against `url` and
    <base href>. That rewrite costs about a quarter of an article extraction, so the
    extractor turns it off and resolves only the links it keeps.
    """
    if not body.strip():
        raise ParseError("the page is empty")
    if b"\x00" in body[:1024] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("the page is binary data, not HTML")
    text, encoding = charset.decode(body, http_charset)
    text = INVALID_XML.sub("", text)
    if "&#" in text:
        text = _CHAR_REF.sub(_drop_invalid_ref, text)
    # lxml refuses str input that carries an encoding declaration; strip it (an unclosed one
    # too: a truncated page may end inside it).
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        text = text[end + 2:] if end >= 0 else ""
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ParseError(f"the page is not HTML: {e}") from e
    if absolute_links:
        root.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    return root, encoding
