"""Sanitised article HTML (the tags reader.parse.sanitize keeps) as Markdown."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "caption", "figure", "figcaption", "blockquote", "pre", "hr",
})
_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_SPACE = re.compile(r"[ \t\r\n]+")


def to_markdown(holder: HtmlElement) -> str:
    """The children of `holder` as Markdown blocks separated by blank lines."""
    return "\n\n".join(_blocks(holder)).strip() + "\n"


def _escape(text: str | None) -> str:
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text or ""))


def _blocks(parent: HtmlElement) -> list[str]:
    out: list[str] = []
    loose = _escape(parent.text)  # text between blocks becomes its own paragraph
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
        loose += _escape(child.tail)
    if loose.strip():
        out.append(loose.strip())
    return out


def _inline(node: HtmlElement) -> str:
    return (_escape(node.text) + "".join(_inline_element(c) + _escape(c.tail) for c in node))


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
        href = el.get("href")
        return f"[{inner}]({href})" if href and inner else inner
    if tag == "img":
        return f"![{_escape(el.get('alt'))}]({el.get('src', '')})" if el.get("src") else ""
    if tag == "br":
        return "  \n"
    return inner if tag else ""


def _indent(text: str, prefix: str, rest: str) -> str:
    lines = text.splitlines() or [""]
    tail = ((rest + line) if line else rest.rstrip() for line in lines[1:])
    return "\n".join([prefix + lines[0], *tail])


def _block(el: HtmlElement) -> str:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(tag[1]) + " " + _inline(el).strip()
    if tag in ("ul", "ol"):
        start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
        items = [li for li in el if li.tag == "li"]
        return "\n".join(
            _indent("\n\n".join(_blocks(li)), marker, " " * len(marker))
            for li, marker in ((li, "- " if tag == "ul" else f"{start + n}. ")
                               for n, li in enumerate(items)))
    if tag == "blockquote":
        return _indent("\n\n".join(_blocks(el)), "> ", "> ")
    if tag == "pre":
        return "```\n" + el.text_content().strip("\n") + "\n```"
    if tag == "hr":
        return "---"
    if tag in ("figcaption", "caption"):
        caption = _inline(el).strip()
        return f"*{caption}*" if caption else ""
    if tag == "table":
        rows = [[_inline(cell).strip().replace("|", "\\|") for cell in tr
                 if cell.tag in ("td", "th")] for tr in el.iter("tr")]
        rows = [r for r in rows if r]
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
        lines.insert(1, "|" + " --- |" * width)
        return "\n".join(lines)
    if tag == "dt":
        return f"**{_inline(el).strip()}**"
    if tag in ("li", "dd", "p"):
        return "\n\n".join(_blocks(el)) if any(c.tag in _BLOCKS for c in el) else _inline(el)
    return "\n\n".join(_blocks(el))  # figure, dl, thead, tbody, tr: their children
