"""Find the article body in a cleaned tree and turn it into paragraphs, HTML and images.

Readability-style: paragraphs (any element with enough inline text) score their ancestors
by text length and commas; scores are scaled down by link density; the best container
plus its sibling paragraphs is the body (candidates.py, over the sizes of density.py). Inside
it, link-heavy or boilerplate blocks are left out (paragraphs.py, boilerplate.py). Text is
measured in UTF-8 bytes so that one CJK character weighs about as much as a short Latin word.
The tree is cleaned first (cleanup.py); when the search finds nothing, ``rescue`` falls back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from reader.parse import sanitize
from reader.parse.boilerplate import drop_boilerplate, masthead
from reader.parse.candidates import best_candidate, find_headline, posts, unlikely, with_siblings
from reader.parse.cleanup import drop
from reader.parse.density import SPACE, measure
from reader.parse.html import document
from reader.parse.paragraphs import Output, captioned, walk_all
from reader.types import Image

# What is no page text even when nothing else is: code, and the markup a missing end tag
# turns into the raw text of a <textarea> or an <iframe>.
_RAW_TEXT = ("script", "style", "head", "template", "textarea", "iframe", "xmp")
_DESCRIPTION = lxml.etree.XPath(
    "//meta[@name='description' or @property='og:description' or @name='twitter:description']"
    "/@content")


@dataclass
class Body:
    text: str
    html: str
    images: tuple[Image, ...]
    node: HtmlElement | None = None


def extract(root: HtmlElement, base_url: str, *, skip: Iterable[HtmlElement] = (),
            title: str = "") -> Body:
    """The body of a cleaned page. ``skip`` are blocks known not to be body (related lists)."""
    body = root.find("body")
    if body is None:
        body = root
    known = set(skip)
    headline = find_headline(body, title)
    best: tuple[list[HtmlElement], Output] | None = None
    for strict in (True, False):
        excluded = known | (unlikely(body) if strict else set())
        stats = measure(body, excluded)
        top = best_candidate(body, stats, excluded, headline)
        if top is None:
            continue
        nodes = posts(top, stats, excluded) or with_siblings(top, stats, excluded)
        out = walk_all(nodes, stats, excluded, base_url)
        if best is None or out.size() > best[1].size():
            best = nodes, out
        if out.size() >= 500:
            break
    if best is None or not best[1].paragraphs:
        best = [body], walk_all([body], measure(body, known), known, base_url, lenient=True)
    return _finish(*best, base_url, title)


def rescue(html: bytes, url: str, http_charset: str | None, article_body: str) -> str:
    """The text of a page the density search found empty (its text hidden, or inside an
    element the clean-up drops): the same search over everything the page holds, hidden
    parts included; else the JSON-LD articleBody; else the page's description."""
    root, _ = document(html, url, http_charset, absolute_links=False)
    described = _DESCRIPTION(root)
    lxml.etree.strip_elements(root, *_RAW_TEXT, lxml.etree.Comment,
                              lxml.etree.ProcessingInstruction, with_tail=False)
    found = extract(root, url).text
    if found:
        return found
    if article_body.strip():
        return article_body.strip()
    return next((SPACE.sub(" ", d).strip() for d in described if d.strip()), "")


def _finish(nodes: list[HtmlElement], out: Output, base_url: str, title: str) -> Body:
    """Text, images and sanitised HTML of the chosen body; only now is the tree pruned."""
    images = captioned(out.images, out.paragraphs)
    paragraphs = drop_boilerplate(out.paragraphs, title)
    for el in out.dropped + masthead(nodes, title):
        drop(el)
    html = "".join(_sanitised(node, base_url) for node in nodes)
    return Body("\n\n".join(paragraphs), html, images, nodes[0] if nodes else None)


def _sanitised(node: HtmlElement, base_url: str) -> str:
    holder = lxml.html.Element("div")
    holder.append(copy.deepcopy(node))
    holder[0].tail = None
    return sanitize.sanitize_element(holder, base_url)
