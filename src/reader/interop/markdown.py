"""Sanitised article HTML (the tags reader.parse.sanitize keeps) as Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from lxml.html import HtmlElement

from reader.urls import is_web_url

_BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "blockquote", "pre", "hr",
})
_SPECIAL = re.compile(r"([\\`*_\[\]<>!#|&])")
_SPACE = re.compile(r"[ \t\r\n]+")


def to_markdown(holder: HtmlElement) -> str:
    """The children of `holder` as Markdown blocks separated by blank lines."""
    return "\n\n".join(_blocks(holder)).strip() + "\n"


def escape(text: str | None) -> str:
    """Outside text as Markdown text: no character of it starts markup, a tag or a link."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text or ""))


def destination(url: str | None) -> str | None:
    """A link target: an http(s) URL or a path inside the export, with the characters that
    could end it (spaces, parentheses, angle brackets) percent-encoded; None for any other
    scheme (javascript:, file:, data:)."""
    if not url:
        return None
    try:
        relative = not urlsplit(url).scheme and not url.startswith("//")
    except ValueError:
        return None
    if not (relative or is_web_url(url)):
        return None
    return quote(url.strip(), safe="/:?#[]@!$&'*+,;=%-._~")


def _blocks(parent: HtmlElement) -> list[str]:
    out: list[str] = []
    loose = escape(parent.text)  # text between blocks becomes its own paragraph
    for child in parent:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            if loose.strip():
                out.append(loose.strip())
            loose = ""
            block = _block(child)
            if block.strip():
                out.append(block)
        else:
            loose += _inline_element(child)
        loose += escape(child.tail)
    if loose.strip():
        out.append(loose.strip())
    return out


def _inline(node: HtmlElement) -> str:
    return (escape(node.text) + "".join(_inline_element(c) + escape(c.tail) for c in node))


def _inline_element(el: HtmlElement) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    inner = _inline(el).strip() if tag not in ("img", "br", "code") else ""
    if tag in ("strong", "b"):
        return f"**{inner}**" if inner else ""
    if tag in ("em", "i"):
        return f"*{inner}*" if inner else ""
    if tag == "code":
        return f"`{el.text_content().replace('`', '')}`"
    if tag == "a":
        href = destination(el.get("href"))
        return f"[{inner}]({href})" if href and inner else inner
    if tag == "img":
        src = destination(el.get("src"))
        return f"![{escape(el.get('alt'))}]({src})" if src else ""
    if tag == "br":
        return "  \n"
    return inner if tag else ""


def _indent(text: str, prefix: str, rest: str) -> str:
    lines = text.splitlines() or [""]
    tail = ((rest + line) if line else rest.rstrip() for line in lines[1:])
    return "\n".join([prefix + lines[0], *tail])


def _heading(el: HtmlElement) -> str:
    return "#" * int(el.tag[1]) + " " + _inline(el).strip()


def _list(el: HtmlElement) -> str:
    start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
    items = [li for li in el if li.tag == "li"]
    return "\n".join(
        _indent("\n\n".join(_blocks(li)), marker, " " * len(marker))
        for li, marker in ((li, "- " if el.tag == "ul" else f"{start + n}. ")
                           for n, li in enumerate(items)))


def _quote(el: HtmlElement) -> str:
    return _indent("\n\n".join(_blocks(el)), "> ", "> ")


def _code_block(el: HtmlElement) -> str:
    return "```\n" + el.text_content().strip("\n") + "\n```"


def _caption(el: HtmlElement) -> str:
    caption = _inline(el).strip()
    return f"*{caption}*" if caption else ""


def _table(el: HtmlElement) -> str:
    rows = [[_inline(cell).strip().replace("|", "\\|") for cell in tr
             if cell.tag in ("td", "th")] for tr in el.iter("tr")]
    rows = [r for r in rows if r]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _paragraph(el: HtmlElement) -> str:
    """p, li, dd: inline text, or blocks when it holds any."""
    return "\n\n".join(_blocks(el)) if any(c.tag in _BLOCKS for c in el) else _inline(el)


def _children(el: HtmlElement) -> str:
    """figure, dl, thead, tbody, tr: their children's blocks."""
    return "\n\n".join(_blocks(el))


_WRITERS: dict[str, Callable[[HtmlElement], str]] = {
    **{f"h{n}": _heading for n in range(1, 7)},
    "ul": _list, "ol": _list, "blockquote": _quote, "pre": _code_block,
    "hr": lambda el: "---", "figcaption": _caption, "caption": _caption, "table": _table,
    "dt": lambda el: f"**{_inline(el).strip()}**",
    "li": _paragraph, "dd": _paragraph, "p": _paragraph,
}


def _block(el: HtmlElement) -> str:
    return _WRITERS.get(el.tag, _children)(el)
