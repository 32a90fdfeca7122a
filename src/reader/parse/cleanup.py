"""The tree before the body search: active content, comments and hidden elements dropped (an
article folded away under 展开全文 kept), a container a missing end tag let swallow the page
unwrapped."""

from __future__ import annotations

import re

import lxml.etree
from lxml.html import HtmlElement

from reader.parse import sanitize
from reader.parse.density import COMMAS, MIN_PARAGRAPH

JUNK_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "applet", "svg",
             "canvas", "template", "select", "textarea", "button", "input", "map", "link",
             "meta", "frameset", "frame", "head", "dialog")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|is-hidden|d-none|hide|visually-hidden|sr-only|"
                           r"screen-reader-text|off-screen|offscreen)(?=\s|$)", re.I)
# Containers a missing end tag makes swallow the page (unlike <script> or <textarea>, whose
# content a browser does not show as page text either).
_SWALLOWING = ("noscript", "select", "button", "object", "embed", "applet", "map", "svg",
               "canvas", "dialog")
_SWALLOWED_CHARS = 200
_FOLDED_CHARS = 200
# Elements that carry the attributes a test looks at, selected in C: far fewer than all.
_MAY_HIDE = lxml.etree.XPath("descendant-or-self::*[@hidden or @aria-hidden or @style]")
_CLASSED = lxml.etree.XPath("descendant-or-self::*[@class]")


def clean(root: HtmlElement) -> None:
    """Drop active content, comments and hidden elements; the tree is ours to change."""
    _unwrap_swallowing(root)
    lxml.etree.strip_elements(root, *JUNK_TAGS, lxml.etree.Comment,
                              lxml.etree.ProcessingInstruction, with_tail=False)
    hidden = [el for el in _MAY_HIDE(root)
              if el.get("hidden") is not None or el.get("aria-hidden") == "true"
              or _HIDDEN_STYLE.search(el.get("style", ""))]
    for el in hidden:
        if el.getparent() is not None and el.tag != "body" and not _folded_text(el):
            drop(el)
    # Hidden by a utility class (paywall/sign-in variants, screen-reader labels). Scripts may
    # reveal such a block, so one that holds most of the page's text stays.
    classed = [el for el in _CLASSED(root) if _HIDDEN_CLASS.search(el.get("class", ""))]
    if classed:
        page = len(root.text_content())
        for el in classed:
            if el.getparent() is not None and el.tag not in ("body", "html") \
                    and len(el.text_content()) < page / 2 and not _folded_text(el):
                drop(el)


def _folded_text(el: HtmlElement) -> bool:
    """The rest of an article folded away under 展开全文 / Read more: hidden running text
    among the visible paragraphs it continues (a menu, a dialog or a login box is not)."""
    text = el.text_content()
    if len(text) < _FOLDED_CHARS or len(COMMAS.findall(text)) < 3:
        return False
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    if linked > len(text) * 0.2:
        return False
    parent = el.getparent()
    return parent is not None and any(
        c.tag == "p" and c is not el and len(COMMAS.findall(c.text_content())) >= 1
        and len(c.text_content().strip()) >= MIN_PARAGRAPH for c in parent)


def _unwrap_swallowing(root: HtmlElement) -> None:
    """An unclosed <noscript>, <select>, <button>, <object>, <map> or <svg> takes the rest of
    the page inside it; a browser still shows that text, so one holding most of the page's
    text loses its tag, not its content."""
    big = [el for el in root.iter(*_SWALLOWING) if len(el.text_content()) > _SWALLOWED_CHARS]
    if not big:
        return
    page = len(root.text_content())
    for el in big:
        if len(el.text_content()) > page / 2 and el.getparent() is not None:
            el.drop_tag()


def drop(el: HtmlElement) -> None:
    """Remove an element and its content, keeping the words that follow it."""
    sanitize.remove_keep_tail(el, blank_tail=False)
