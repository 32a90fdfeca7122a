"""EPUB export: Reader's own writer (reader.interop.export) against one built on ebooklib.

    .venv/bin/python bench/epub.py [--shared ../shared] [--rounds 7]

Needs `pip install ebooklib`; epubcheck (Debian: `apt-get install -y epubcheck`) validates
both outputs when it is installed. The articles are real-shaped: the 131 pages of
shared/corpus as Reader extracts them (Chinese and English text, images, figure captions,
tables), the first of them retitled with hostile titles (`&<>"'`, `]]>`, markup, control
characters, which the parse boundary strips), and an export title with a control character,
as a `--search` query may give one. Images come from a stand-in cache: a real PNG or JPEG per
address, some not cached, some not an image. Both writers get the same bodies (`_body`, the
same chapter markup); only the packaging differs. Prints per writer: epubcheck's fatals,
errors and warnings, the structure check (mimetype first and stored, container.xml, manifest
and spine, nav, well-formed XHTML, every image packed and in the manifest, titles kept), then
the median time to write the book, alternated rounds, and the ratio.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import shutil
import statistics
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from common import SHARED, corpus_pages, timed
from ebooklib import epub
from lxml import etree
from PIL import Image

from reader.interop import write_atomic
from reader.interop.export import (
    CSS,
    ImageSource,
    _article_html,
    _as_xhtml_content,
    _body,
    _Images,
    export,
)
from reader.parse.article import extract
from reader.text import clean
from reader.types import Article, StoredArticle

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
HOSTILE_TITLES = ('A & B <script>alert("x")</script> 标题 \'引号\'',
                  "]]> <![CDATA[ 注入 ]]> &amp; &lt;b&gt; &#0;",
                  "控制\x01字符\x1b]0;标题\x07\x0b与\ud800孤立代理",
                  "<b>加粗</b> 与 <i>斜体</i> & “引号” ‘单引号’")
EXPORT_TITLE = "Reader: 搜索 & <查询> \x01"


def corpus_articles(shared: Path) -> list[StoredArticle]:
    """shared/corpus as Reader extracts it; the first few articles get hostile titles."""
    found = []
    for n, (url, page) in enumerate(corpus_pages(shared)):
        article: Article = extract(page, url)
        if n < len(HOSTILE_TITLES):
            article = replace(article, title=HOSTILE_TITLES[n])  # cleaned as a parse would
        found.append(StoredArticle(id=n + 1, source_id=1, source_title="语料 & <源>",
                                   article=article, related=(), is_read=False,
                                   is_favourite=True))
    return found


def image_cache(articles: Sequence[StoredArticle]) -> ImageSource:
    """A real PNG or JPEG per address; every seventh not cached, every eleventh not an image."""
    cache: dict[str, bytes | None] = {}
    for stored in articles:
        for image in stored.article.images:
            digest = int(hashlib.sha256(image.url.encode()).hexdigest()[:8], 16)
            if digest % 7 == 0:
                cache[image.url] = None
            elif digest % 11 == 0:
                cache[image.url] = b"<html>not an image</html>"
            else:
                picture = Image.new("RGB", (64 + digest % 64, 48), (digest % 256, 90, 160))
                out = io.BytesIO()
                picture.save(out, "PNG" if digest % 2 else "JPEG")
                cache[image.url] = out.getvalue()
    return lambda url: cache.get(url)


def ebooklib_epub(articles: Sequence[StoredArticle], out: Path, image: ImageSource,
                  title: str) -> None:
    """The same book as reader.interop.export writes, packaged by ebooklib."""
    images = _Images(image)
    lang = next((s.article.language for s in articles if s.article.language), "und")
    chapters = {s.article.url: f"a{s.id}.xhtml" for s in articles}
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid4()}")
    book.set_title(clean(title))  # as export() does: ebooklib raises on a control character
    book.set_language(lang)
    css = epub.EpubItem(uid="css", file_name="style.css", media_type="text/css",
                        content=CSS.encode())
    book.add_item(css)
    items = []
    for s in articles:
        body = _body(s, lambda url: f"images/{n}" if (n := images.name(url)) else None, chapters)
        _as_xhtml_content(body)
        chapter = epub.EpubHtml(title=s.article.title, file_name=chapters[s.article.url],
                                lang=s.article.language or lang)
        chapter.content = _article_html(s, body, "xml")
        chapter.add_item(css)
        book.add_item(chapter)
        items.append(chapter)
    for n, (name, (mime, data)) in enumerate(images.files.items()):
        book.add_item(epub.EpubItem(uid=f"img{n}", file_name=f"images/{name}", media_type=mime,
                                    content=data))
    book.toc = items
    book.add_item(epub.EpubNav())
    book.add_item(epub.EpubNcx())
    book.spine = items
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    write_atomic(out, buffer.getvalue())


def reader_epub(articles: Sequence[StoredArticle], out: Path, image: ImageSource,
                title: str) -> None:
    export(articles, "epub", out, image, title=title)


WRITERS: dict[str, Callable[[Sequence[StoredArticle], Path, ImageSource, str], None]] = {
    "reader": reader_epub, "ebooklib": ebooklib_epub}


def epubcheck(path: Path) -> tuple[str, collections.Counter[str]]:
    """epubcheck's closing counts and its messages by id, or why it did not run."""
    if not EPUBCHECK.exists() or not shutil.which("java"):
        return "epubcheck not installed", collections.Counter()
    report = path.with_suffix(".json")
    run = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path), "--json", str(report)],
                         capture_output=True, text=True, check=False)
    closing = next((line for line in run.stdout.splitlines() + run.stderr.splitlines()
                    if line.startswith("Messages:")), run.stderr.strip()[-200:])
    ids: collections.Counter[str] = collections.Counter()
    if report.exists():
        for message in json.loads(report.read_text(encoding="utf-8"))["messages"]:
            key = f"{message['severity']} {message['ID']}: {message['message'][:90]}"
            ids[key] += max(1, len(message.get("locations", ())))
    return closing, ids


def structure(path: Path, articles: Sequence[StoredArticle]) -> list[str]:
    """What a reading system needs of the package, checked by hand; the problems found."""
    problems = []
    with zipfile.ZipFile(path) as book:
        first = book.infolist()[0]
        if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED \
                or book.read("mimetype") != b"application/epub+zip":
            problems.append("mimetype not first, stored and exact")
        names = set(book.namelist())
        container = etree.fromstring(book.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        try:
            opf = etree.fromstring(book.read(opf_path))
        except etree.XMLSyntaxError as e:
            return [*problems, f"{opf_path} not well-formed: {e}"]
        base = opf_path.rpartition("/")[0] + "/" if "/" in opf_path else ""
        items = {i.get("id"): base + i.get("href") for i in opf.iter(f"{OPF}item")}
        problems += [f"manifest names missing {h}" for h in items.values() if h not in names]
        unlisted = names - set(items.values()) - {"mimetype", "META-INF/container.xml", opf_path}
        problems += [f"{n} packed but not in the manifest" for n in sorted(unlisted)]
        if not [i for i in opf.iter(f"{OPF}item") if "nav" in (i.get("properties") or "")]:
            problems.append("no nav document")
        spine = [items.get(r.get("idref")) for r in opf.iter(f"{OPF}itemref")]
        titles = {}
        for name in spine:
            if name is None:
                problems.append("spine names an id not in the manifest")
                continue
            try:
                page = etree.fromstring(book.read(name))
            except etree.XMLSyntaxError as e:
                problems.append(f"{name} not well-formed: {e}")
                continue
            for img in page.iter(f"{XHTML}img"):
                src = img.get("src", "")
                if "://" not in src and base + src not in names:
                    problems.append(f"{name}: image {src} not packed")
            heading = page.find(f".//{XHTML}h1")
            if heading is not None:
                titles[name.rpartition("/")[2]] = "".join(heading.itertext())
        lost = [s.id for s in articles if titles.get(f"a{s.id}.xhtml") != s.article.title]
        if lost:
            problems.append(f"{len(lost)} chapter headings differ from the titles: {lost[:5]}")
        if len(spine) < len(articles):
            problems.append(f"{len(articles) - len(spine)} articles missing from the spine")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    articles = corpus_articles(args.shared)
    image = image_cache(articles)
    print(f"{len(articles)} articles, {sum(s.article.html.count('<img') for s in articles)} "
          f"images, {sum(s.article.html.count('<figcaption') for s in articles)} captions, "
          f"{sum(s.article.html.count('<table') for s in articles)} tables")
    times: dict[str, list[float]] = {name: [] for name in WRITERS}
    with tempfile.TemporaryDirectory() as tmp:
        for name, write in WRITERS.items():
            for title in ("Reader favourites", EXPORT_TITLE):
                out = Path(tmp) / f"{name}.epub"
                try:
                    write(articles, out, image, title)
                except Exception as e:  # the finding: a writer that cannot write the book
                    print(f"{name:<9} title {title!r}: {type(e).__name__}: {e}")
                    continue
                closing, ids = epubcheck(out)
                print(f"{name:<9} title {title!r}: {out.stat().st_size / 1e6:.2f} MB; "
                      f"epubcheck {closing}")
                for message, count in ids.most_common():
                    print(f"    {count:>4} x {message}")
                for problem in structure(out, articles):
                    print(f"    structure: {problem}")
        for _ in range(args.rounds):
            for name, write in WRITERS.items():
                out = Path(tmp) / f"{name}.epub"
                ms, _ = timed(lambda w=write, o=out: w(articles, o, image, "Reader favourites"))
                times[name].append(ms)
    ours = statistics.median(times["reader"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<9} median {median:7.1f} ms over {len(values)} rounds  "
              f"({median / ours:.2f}x reader)")


if __name__ == "__main__":
    main()
