"""What the body search measures: text size in UTF-8 bytes (one CJK character weighs about as
much as a short Latin word), link density, and what class and id names say; with the tag
classes these rest on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul",
    "caption", "br",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|"
                       r"text|blog|story|detail|zhengwen|artibody|endtext|cont", re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget|recommend|social|nav|menu|copyright", re.I)
COMMAS = re.compile(r"[,，、。；;！？]")
# The zero-width space counts as space here (\s does not).
SPACE = re.compile(r"[ \t\r\n\u00a0\u3000\u200b]+")
MIN_PARAGRAPH = 25


@dataclass
class Stats:
    total: dict[HtmlElement, int] = field(default_factory=dict)
    links: dict[HtmlElement, int] = field(default_factory=dict)
    inline: dict[HtmlElement, int] = field(default_factory=dict)

    def density(self, el: HtmlElement) -> float:
        total = self.total.get(el, 0)
        return self.links.get(el, 0) / total if total else 0.0


def measure(body: HtmlElement, excluded: set[HtmlElement]) -> Stats:
    """Text, link text and inline text sizes of every element, in one pass."""
    stats = Stats()
    order = [el for el in body.iter("*")]
    total, links, inline = stats.total, stats.links, stats.inline
    for el in reversed(order):
        if el in excluded:
            total[el] = links[el] = inline[el] = 0
            continue
        direct = len((el.text or "").strip().encode("utf-8"))
        t = direct
        lk = 0
        inl = direct
        for child in el:
            tail = len((child.tail or "").strip().encode("utf-8")) if child.tail else 0
            t += tail
            inl += tail
            if not isinstance(child.tag, str) or child in excluded:
                continue
            t += total[child]
            lk += links[child]
            if child.tag not in BLOCK:
                inl += inline[child]
        if el.tag == "a":
            lk = t - sum((len((c.tail or "").strip().encode("utf-8")) for c in el), 0)
        total[el], links[el], inline[el] = t, lk, inl
    return stats


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def class_and_id(el: HtmlElement) -> str:
    ident = el.get("id", "")
    if ident.count("-") >= 3:
        ident = ""  # a slug made from a heading ("sharing-with-a-team") says nothing
    return f"{el.get('class', '')} {ident}"


def class_weight(el: HtmlElement) -> int:
    attrs = class_and_id(el)
    if not attrs.strip():
        return 0
    weight = 0
    if _NEGATIVE.search(attrs):
        weight -= 25
    if _POSITIVE.search(attrs):
        weight += 25
    return weight
