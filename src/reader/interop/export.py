"""Articles out of the cache as Markdown, one HTML file, EPUB 3 or JSON; offline only.

Images come from the cache (`image(url)`, i.e. Library.image); one not cached keeps its
original address. Links between exported articles are rewritten to point inside the export.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from reader.errors import ReaderError
from reader.interop import FORMATS, write_atomic
from reader.interop.markdown import destination, escape, to_markdown
from reader.parse.sanitize import remove_keep_tail, sanitize
from reader.text import HAN_RE, clean
from reader.types import StoredArticle
from reader.urls import is_web_url

ImageSource = Callable[[str], bytes | None]

# Magic numbers of the image types an EPUB may carry (core media types) and browsers show.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png", "png"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
          (b"GIF87a", "image/gif", "gif"), (b"GIF89a", "image/gif", "gif"))

CSS = """body { font: 16px/1.6 "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  max-width: 46em; margin: 2em auto; padding: 0 1em; color: #222; }
article { margin-bottom: 3em; }
.meta { color: #666; font-size: 0.9em; }
img { max-width: 100%; height: auto; }
figcaption { color: #666; font-size: 0.9em; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #444; }
"""


def _sniff(data: bytes) -> tuple[str, str] | None:
    for magic, mime, ext in _MAGIC:
        if data.startswith(magic):
            return mime, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


class _Images:
    """The cached images an export uses, each named once by its content."""

    def __init__(self, image: ImageSource) -> None:
        self._image = image
        self.files: dict[str, tuple[str, bytes]] = {}  # name -> (mime, data)
        self._names: dict[str, str | None] = {}  # url -> name, None when not usable

    def name(self, url: str) -> str | None:
        if url not in self._names:
            data = self._image(url)
            kind = _sniff(data) if data else None
            if data is None or kind is None:
                self._names[url] = None
            else:
                name = f"{hashlib.sha256(data).hexdigest()[:16]}.{kind[1]}"
                self.files[name] = (kind[0], data)
                self._names[url] = name
        return self._names[url]

    def data_uri(self, url: str) -> str | None:
        name = self.name(url)
        if name is None:
            return None
        mime, data = self.files[name]
        return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _body(stored: StoredArticle, image: Callable[[str], str | None],
          links: dict[str, str]) -> HtmlElement:
    """The article body sanitised again (a restored backup's bodies were not written by
    this Reader) and parsed, with image and link addresses rewritten for the export."""
    body = sanitize(stored.article.html, stored.article.url)
    holder = lxml.html.fragment_fromstring(body or "<p></p>", create_parent="div")
    for img in holder.iter("img"):
        local = image(img.get("src", ""))
        if local:
            img.set("src", local)
        img.set("alt", img.get("alt") or "")
    for a in holder.iter("a"):
        if a.get("href") in links:
            a.set("href", links[a.get("href")])
    return holder


def _meta(stored: StoredArticle) -> list[str]:
    a = stored.article
    return [x for x in (a.source or stored.source_title, a.author,
                        a.published.strftime("%Y-%m-%d %H:%M %z") if a.published else "") if x]


def _slug(stored: StoredArticle) -> str:
    words = re.sub(r"[^\w]+", "-", stored.article.title).strip("-")[:50]
    return f"{stored.id}-{words}" if words else str(stored.id)


def export(articles: Sequence[StoredArticle], fmt: str, out: Path, image: ImageSource,
           *, title: str = "Reader export") -> None:
    """Write `articles` to `out`: a folder for md, one file for the others."""
    writers = {"md": _markdown, "html": _html, "epub": _epub, "json": _json}
    if fmt not in writers:
        raise ReaderError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    # The title may be a search query as typed: no control character may reach the XML.
    writers[fmt](articles, out, image, clean(title))


def _json(articles: Sequence[StoredArticle], out: Path, image: ImageSource, title: str) -> None:
    write_atomic(out, json.dumps([s.to_json() for s in articles], ensure_ascii=False,
                                 indent=2).encode())


def _markdown(articles: Sequence[StoredArticle], out: Path, image: ImageSource,
              title: str) -> None:
    """A folder of .md files and images/; or, for a path ending in .md, one file (articles
    between rules) with its images in NAME-images/ beside it."""
    single = out.suffix.lower() == ".md"
    folder = out.parent if single else out
    pictures = f"{out.stem}-images" if single else "images"
    images = _Images(image)
    names = {s.article.url: f"{_slug(s)}.md" for s in articles}
    links = ({url: f"#{_anchor(s)}" for s in articles for url in [s.article.url]} if single
             else names)
    try:
        (folder / pictures).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ReaderError(f"cannot create {folder / pictures}: {e.strerror}") from e

    def local(url: str) -> str | None:
        name = images.name(url)
        return f"{pictures}/{name}" if name else None

    pages = []
    for stored in articles:
        a = stored.article
        link = destination(a.url)
        source = f"[{escape(a.url)}]({link})" if link else escape(a.url)
        parts = [f"# {escape(a.title)}", " · ".join([*map(escape, _meta(stored)), source]),
                 to_markdown(_body(stored, local, names)).strip()]
        if stored.related:
            heading = "相关文章" if HAN_RE.search(a.title) else "Related"
            parts.append(f"## {heading}\n\n" + "\n".join(
                f"- [{escape(r.title)}]({target})" if (target := destination(
                    links.get(r.url, r.url))) else f"- {escape(r.title)}"
                for r in stored.related))
        if stored.tags:
            parts.append("Tags: " + ", ".join(map(escape, stored.tags)))
        pages.append("\n\n".join(parts) + "\n")
    if single:
        write_atomic(out, "\n---\n\n".join(pages).encode())
    else:
        for stored, page in zip(articles, pages, strict=True):
            write_atomic(out / names[stored.article.url], page.encode())
    for name, (_, data) in images.files.items():
        write_atomic(folder / pictures / name, data)


def _anchor(stored: StoredArticle) -> str:
    """The anchor Markdown viewers give a heading (GitHub's rule: lower case, dashes)."""
    return re.sub(r"[^\w\- ]", "", stored.article.title.lower()).replace(" ", "-")


def _article_html(stored: StoredArticle, body: HtmlElement, method: str) -> str:
    a = stored.article
    meta = " · ".join(html.escape(m) for m in _meta(stored))
    inner = "".join(etree.tostring(child, method=method, encoding="unicode") for child in body)
    link = (f"<a href=\"{html.escape(a.url)}\">{html.escape(a.url)}</a>" if is_web_url(a.url)
            else html.escape(a.url))  # only http(s) is made clickable
    return (f"<h1>{html.escape(a.title)}</h1>\n<p class=\"meta\">{meta} · {link}</p>\n"
            f"{html.escape(body.text or '')}{inner}")


def _html(articles: Sequence[StoredArticle], out: Path, image: ImageSource, title: str) -> None:
    # Our own file, read offline: images inline as data: URIs, CSS inline, one file to share.
    images = _Images(image)
    anchors = {s.article.url: f"#a{s.id}" for s in articles}
    toc = "\n".join(f"<li><a href=\"#a{s.id}\">{html.escape(s.article.title)}</a></li>"
                    for s in articles)
    sections = "\n".join(
        f"<article id=\"a{s.id}\">\n"
        f"{_article_html(s, _body(s, images.data_uri, anchors), 'html')}\n</article>"
        for s in articles)
    page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style></head>\n<body>\n"
            f"<h1>{html.escape(title)}</h1>\n<ol>\n{toc}\n</ol>\n{sections}\n</body></html>\n")
    write_atomic(out, page.encode())


_XHTML = ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n"
          "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
          "xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\">\n"
          "<head><meta charset=\"utf-8\"/><title>{title}</title>"
          "<link rel=\"stylesheet\" type=\"text/css\" href=\"{css}\"/></head>\n"
          "<body>\n{body}\n</body>\n</html>\n")
_CONTAINER = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<container version=\"1.0\" "
              "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
              "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
              "media-type=\"application/oebps-package+xml\"/></rootfiles></container>\n")


_TABLE_PARTS = ("caption", "thead", "tbody", "tfoot", "tr", "td", "th")
_INTEGER = re.compile(r"\s*(\d+)(?:px)?\s*")


def _as_xhtml_content(body: HtmlElement) -> None:
    """What EPUB's XHTML content model asks beyond what a browser forgives: images only from
    inside the book (one not cached goes, its caption stays), sizes in whole pixels, table
    parts only inside a table, a figcaption only as a figure's first or last child."""
    for img in list(body.iter("img")):
        if "://" in img.get("src", "") or not img.get("src"):
            remove_keep_tail(img)
            continue
        for size in ("width", "height"):
            if size in img.attrib:
                whole = _INTEGER.fullmatch(img.get(size, ""))
                if whole:
                    img.set(size, whole[1])
                else:
                    del img.attrib[size]
    for part in list(body.iter(*_TABLE_PARTS)):
        if next(part.iterancestors("table"), None) is None:
            part.tail = " " + (part.tail or "")  # cells' words stay apart
            part.drop_tag()
    for caption in list(body.iter("figcaption")):
        figure = caption.getparent()
        if figure is None or figure.tag != "figure" or figure.find("figcaption") is not caption:
            caption.tag = "p"
        elif caption.getprevious() is not None or (figure.text or "").strip():
            _last_in_figure(caption)


def _last_in_figure(caption: HtmlElement) -> None:
    """A figcaption is its figure's first or last child: what follows it (a photo credit)
    joins it."""
    tail, caption.tail = caption.tail, None
    for sibling in list(caption.itersiblings()):
        caption.append(sibling)
    if tail and len(caption):
        caption[-1].tail = (caption[-1].tail or "") + tail
    elif tail:
        caption.text = (caption.text or "") + tail


def _epub(articles: Sequence[StoredArticle], out: Path, image: ImageSource, title: str) -> None:
    images = _Images(image)
    lang = next((s.article.language for s in articles if s.article.language), "und")
    chapters = {s.article.url: f"a{s.id}.xhtml" for s in articles}
    files: dict[str, bytes] = {}
    for s in articles:
        body = _body(s, lambda url: f"images/{n}" if (n := images.name(url)) else None, chapters)
        _as_xhtml_content(body)
        files[chapters[s.article.url]] = _XHTML.format(
            lang=html.escape(s.article.language or lang), title=html.escape(s.article.title),
            css="style.css", body=_article_html(s, body, "xml")).encode()
    toc = "\n".join(f"<li><a href=\"a{s.id}.xhtml\">{html.escape(s.article.title)}</a></li>"
                    for s in articles)
    files["nav.xhtml"] = _XHTML.format(
        lang=lang, title=html.escape(title), css="style.css",
        body=f"<nav epub:type=\"toc\" id=\"toc\"><h1>{html.escape(title)}</h1>"
             f"<ol>\n{toc}\n</ol></nav>").encode()
    files["style.css"] = CSS.encode()

    manifest = ["<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
                "properties=\"nav\"/>",
                "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>"]
    manifest += [f"<item id=\"a{s.id}\" href=\"a{s.id}.xhtml\" "
                 "media-type=\"application/xhtml+xml\"/>" for s in articles]
    for n, (name, (mime, data)) in enumerate(images.files.items()):
        files[f"images/{name}"] = data
        manifest.append(f"<item id=\"img{n}\" href=\"images/{name}\" media-type=\"{mime}\"/>")
    spine = "".join(f"<itemref idref=\"a{s.id}\"/>" for s in articles)
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    files["content.opf"] = (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
        "unique-identifier=\"id\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        f"<dc:identifier id=\"id\">urn:uuid:{uuid.uuid4()}</dc:identifier>"
        f"<dc:title>{html.escape(title)}</dc:title><dc:language>{html.escape(lang)}"
        f"</dc:language><meta property=\"dcterms:modified\">{modified}</meta></metadata>\n"
        f"<manifest>\n{chr(10).join(manifest)}\n</manifest>\n<spine>{spine}</spine>\n"
        "</package>\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as epub:
        # OCF: "mimetype" first and stored, so readers can sniff the type at a fixed offset.
        epub.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip",
                      compress_type=zipfile.ZIP_STORED)
        epub.writestr("META-INF/container.xml", _CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in files.items():
            epub.writestr(f"OEBPS/{name}", data, compress_type=zipfile.ZIP_DEFLATED)
    write_atomic(out, buffer.getvalue())
