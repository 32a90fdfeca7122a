"""The article as a document for QTextBrowser: breadcrumb, title, meta line, body, captions.

Qt renders a subset of HTML 4 and CSS 2: no <figure>, no max-width. The body (already
sanitised by the extractor) is rewritten into what Qt lays out well: figures become centred
blocks with a caption paragraph, images lose their page-given sizes so the view can fit them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from reader.types import Article, StoredArticle
from reader.ui.theme import FONT_FAMILIES, Colours

if TYPE_CHECKING:
    from reader.ui.html_tree import Element

CAPTION_CLASS = "caption"


def stylesheet(c: Colours, font_pt: int) -> str:
    families = ", ".join(f"'{f}'" if " " in f else f for f in FONT_FAMILIES)
    return f"""
body {{ font-family: {families}; font-size: {font_pt}pt; color: {c.text}; }}
p {{ line-height: 170%; margin-top: 0; margin-bottom: 0.9em; }}
li {{ line-height: 160%; }}
h1.title {{ font-size: {round(font_pt * 1.55)}pt; font-weight: 700; line-height: 135%;
           margin-top: 4px; margin-bottom: 10px; }}
h2, h3, h4 {{ font-weight: 700; margin-top: 1.2em; margin-bottom: 0.5em; }}
.crumbs {{ color: {c.muted}; font-size: {max(font_pt - 4, 8)}pt; margin-bottom: 6px; }}
.meta {{ color: {c.muted}; font-size: {max(font_pt - 3, 8)}pt; margin-bottom: 18px; }}
.note {{ color: {c.muted}; font-style: italic; font-size: {max(font_pt - 3, 8)}pt; }}
.enclosures {{ font-size: {max(font_pt - 2, 8)}pt; margin-bottom: 18px; }}
.copies {{ color: {c.muted}; font-size: {max(font_pt - 3, 8)}pt; margin-bottom: 18px; }}
.figure {{ line-height: 100%; margin-top: 8px; margin-bottom: 0; }}
.{CAPTION_CLASS} {{ color: {c.muted}; font-size: {max(font_pt - 3, 8)}pt; line-height: 140%;
                    margin-top: 6px; margin-bottom: 22px; }}
a {{ color: {c.link}; text-decoration: none; }}
blockquote {{ color: {c.muted}; margin-left: 16px; }}
pre, code {{ font-family: 'DejaVu Sans Mono', monospace; }}
hr {{ color: {c.rule}; }}
"""


def document(stored: StoredArticle, body: str, *, meta: str, note: str = "",
             enclosures: Sequence[tuple[str, str]] = (),
             copies: tuple[str, Sequence[tuple[str, str]]] = ("", ())) -> str:
    """The HTML to set on the view around `body` (see `body`); `meta` is the translated meta
    line (source · author · ...),
    `note` says where the body comes from when that is not the page, `enclosures` are the
    (url, label) links to the item's audio and video, `copies` a heading and the (url, label)
    links to the same story on other sites."""
    from html import escape  # html.entities: 3.5 ms of start-up after PySide6, for an article

    a = stored.article
    parts = []
    if a.breadcrumb:
        crumbs = " › ".join(escape(c) for c in a.breadcrumb)
        parts.append(f'<p class="crumbs">{crumbs}</p>')
    parts.append(f'<h1 class="title">{escape(a.title or a.url)}</h1>')
    if meta:
        parts.append(f'<p class="meta">{escape(meta)}</p>')
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    heading, others = copies
    if others:
        links = " · ".join(f'<a href="{escape(url)}">{escape(label)}</a>'
                           for url, label in others)
        parts.append(f'<p class="copies">{escape(heading)} {links}</p>')
    if enclosures:
        links = "<br>".join(f'<a href="{escape(url)}">{escape(label)}</a>'
                            for url, label in enclosures)
        parts.append(f'<p class="enclosures">{links}</p>')
    parts.append(body)
    return f"<html><body>{''.join(parts)}</body></html>"


def body(article: Article) -> str:
    """The article's body as the view lays it out. Made in the loading worker, once per
    opening: reading a long page's body is tens of ms of Python (13 ms for 1,650 tags)."""
    from html import escape

    page = article.html or "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n\n")
                                   if p)
    return qt_body(page, {i.url: i.caption for i in article.images})


def qt_body(body: str, captions: dict[str, str]) -> str:
    """Rewrite sanitised HTML for Qt; an image without a figcaption gets its known caption."""
    if not body.strip():
        return ""
    from html import escape

    from reader.ui import html_tree  # the standard library's HTML parser: with the first article

    root = html_tree.parse(body)
    text = root.text_content()
    for empty in [p for p in root.iter("p") if not p.elements() and not p.text_content().strip()]:
        empty.drop()  # left behind by images the sanitiser refused; they only add gaps
    for figure in list(root.iter("figure")):
        figure.tag = "div"
        figure.set("class", "figure")
        figure.set("align", "center")
    for caption in list(root.iter("figcaption")):
        caption.tag = "p"
        caption.set("class", CAPTION_CLASS)
        caption.set("align", "center")
    for img in list(root.iter("img")):
        for size in ("width", "height"):
            img.attrs.pop(size, None)
        if not _in_figure(img):
            _caption(_figure_for(img), captions.get(img.get("src"), ""), text)
    lead = root.leading_text()
    while root.children and isinstance(root.children[0], str):
        del root.children[0]  # the lead: its own paragraph, or nothing when blank
    return (f"<p>{escape(lead)}</p>" if lead.strip() else "") + root.inner_html()


def _in_figure(img: Element) -> bool:
    return any(a.tag == "div" and a.get("class") == "figure" for a in img.ancestors())


def _figure_for(img: Element) -> Element:
    """A centred block holding the image: its own paragraph when it stands alone in one."""
    parent = img.parent
    # Never the body's holder itself, which is not written out (nor was its centring).
    alone = (parent is not None and parent.parent is not None and parent.tag in ("p", "div")
             and len(parent.elements()) == 1 and not parent.leading_text().strip()
             and not img.tail().strip())
    if alone:
        assert parent is not None
        block = parent
        block.attrs.clear()
        block.tag = "div"
    else:
        block = img.wrap("div")
    block.set("class", "figure")
    block.set("align", "center")
    return block


def _caption(block: Element, caption: str, body_text: str) -> None:
    """Style the paragraph after an image as its caption, or add the caption the page gave."""
    if not caption:
        return
    following = block.next_element()
    if following is not None and following.text_content().strip() == caption.strip():
        note = following
        note.attrs.clear()
        note.tag = "p"
    elif caption not in body_text:
        note = block.add_next("p", caption)
    else:
        return
    note.set("class", CAPTION_CLASS)
    note.set("align", "center")


def meta_parts(stored: StoredArticle) -> list[str]:
    """Source (the page's 来源 if given, else the subscription), author, publish time."""
    a = stored.article
    parts = [a.source or stored.source_title, a.author]
    if a.published:
        parts.append(format_full(a.published))
    return [p for p in parts if p]


def format_full(value: datetime) -> str:
    """The time as the page states it (发布时间 08:30 stays 08:30), with its zone when that is
    not the reader's own."""
    text = value.strftime("%Y-%m-%d %H:%M")
    offset = value.utcoffset()
    if offset is None or offset == datetime.now().astimezone().utcoffset():
        return text
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"{text} UTC{'+' if minutes >= 0 else '-'}{hours:02}:{rest:02}"
