"""Exports of cached articles, offline: Markdown folder, one HTML file, EPUB 3, JSON."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from PIL import Image

from reader.interop.export import export
from reader.library import Library
from reader.parse.sanitize import sanitize
from reader.types import Article, ArticleFilter, StoredArticle
from tests.conftest import SAMPLE_SITE, Cli, serve_directory

OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A library with the sample site's news section, three favourites, then offline."""
    folder = tmp_path_factory.mktemp("lib")
    site = serve_directory(SAMPLE_SITE)
    try:
        with Library(folder) as library:
            library.add_source(site.url + "news/index.html")
            library.update()
            rows = library.articles(ArticleFilter(), limit=100)
            with_images = [r for r in rows if library.article(r.id).article.images]
            for row in with_images[:3]:
                library.set_favourite(row.id)
    finally:
        site.stop()  # every export below runs from the cache alone
    yield folder


@pytest.fixture
def offline_cli(library_dir: Path, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("READER_DATA_DIR", str(library_dir))
    return Cli(library_dir, capsys)


def _favourites(library_dir: Path) -> list[int]:
    with Library(library_dir) as library:
        return [r.id for r in library.articles(ArticleFilter(favourites=True))]


def test_markdown_folder_with_cached_images(offline_cli: Cli, library_dir: Path,
                                            tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert "exported 3 articles" in offline_cli("export", "--format", "md", "--favourites",
                                                str(out))
    pages = sorted(out.glob("*.md"))
    assert len(pages) == 3
    linked = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("# ")
        linked |= set(re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", text))
    assert linked and all((out / name).stat().st_size > 0 for name in linked)
    assert {p.name for p in (out / "images").iterdir()} == {n[len("images/"):] for n in linked}


def test_one_self_contained_html_file(offline_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "favourites.html"
    offline_cli("export", "--format", "html", "--favourites", str(out))
    page = lxml.html.fromstring(out.read_bytes())
    assert len(page.findall(".//article")) == 3
    sources = [img.get("src") for img in page.iter("img")]
    assert sources and all(s.startswith("data:image/") for s in sources)
    assert page.find(".//style") is not None and not page.xpath("//link[@rel='stylesheet']")


def test_epub_3_package(offline_cli: Cli, library_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "favourites.epub"
    offline_cli("export", "--format", "epub", "--favourites", str(out))
    with zipfile.ZipFile(out) as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
        container = etree.fromstring(epub.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(epub.read(opf_path))
        base = opf_path.rsplit("/", 1)[0] + "/"
        names = set(epub.namelist())

        assert opf.get("version") == "3.0"
        unique = opf.get("unique-identifier")
        assert opf.find(f".//{{*}}identifier[@id='{unique}']").text.startswith("urn:uuid:")
        assert opf.find(f"{OPF}metadata/{OPF}meta[@property='dcterms:modified']") is not None
        items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
        assert all(base + i.get("href") in names for i in items.values())
        assert [i for i in items.values() if i.get("properties") == "nav"]
        spine = [r.get("idref") for r in opf.iter(f"{OPF}itemref")]
        assert len(spine) == 3 and all(r in items for r in spine)
        assert any(i.get("media-type").startswith("image/") for i in items.values())
        for idref in spine:  # every chapter is well-formed XHTML
            chapter = etree.fromstring(epub.read(base + items[idref].get("href")))
            assert chapter.tag == "{http://www.w3.org/1999/xhtml}html"
            for img in chapter.iter("{http://www.w3.org/1999/xhtml}img"):
                assert base + img.get("src") in names


def test_json_and_a_search_selection(offline_cli: Cli, library_dir: Path,
                                     tmp_path: Path) -> None:
    out = tmp_path / "favourites.json"
    offline_cli("export", "--format", "json", "--favourites", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(a["id"] for a in data) == sorted(_favourites(library_dir))
    assert {"title", "url", "text", "html", "images", "tags"} <= data[0].keys()

    hits = tmp_path / "hits.json"
    offline_cli("export", "--format", "json", "--search", "职业", str(hits))
    assert all("职业" in a["title"] + a["text"] for a in json.loads(hits.read_text()))
    assert "nothing to export" in offline_cli("export", "--format", "json", "--search",
                                              "zzzqqqxxx", str(tmp_path / "none.json"), code=1)


XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE_TITLE = 'A & B <script>alert("x")</script> ]]> 标题\x01\x1b]0;t\x07'


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def _portal_article(n: int, url: str) -> StoredArticle:
    """A body as a portal's table layout gives it (the chosen cell's row, so table parts
    with no table), with figures, a caption on its own, sizes in percent, a <picture>."""
    raw = (f"<td><p>{'市民在图书馆参加志愿者活动，社区交通规划持续推进。' * 3}</p></td>"
           f"<td><figure><img src='/img/{n}.jpg' width='100%' height='240px'>"
           "<figcaption>图一 & 说明</figcaption><span>摄影 王五</span></figure></td>"
           f"<p><picture><source srcset='/img/{n}.webp' type='image/webp'>"
           f"<img src='/img/p{n}.jpg' width='640'></picture></p>"
           "<figcaption>单独的说明 <b>caption</b></figcaption>"
           "<p><img src='/img/missing.jpg' alt='未缓存'>未缓存的图片之后的文字</p>"
           "<table><tr><td>表格</td><td>3 &lt; 4</td></tr></table>")
    article = Article(url=url, title=HOSTILE_TITLE if n == 1 else f"第{n}篇 <b>&amp;</b>",
                      html=sanitize(raw, url), language="zh",
                      text="市民在图书馆参加志愿者活动", source="本地 & <报>")
    return StoredArticle(id=n, source_id=1, source_title="来源", article=article, related=(),
                         is_read=False, is_favourite=True)


def test_epub_of_portal_bodies_and_hostile_titles_is_valid_xhtml(tmp_path: Path) -> None:
    articles = [_portal_article(n, f"http://news.example.cn/2025/{n}.html") for n in (1, 2)]
    assert articles[0].article.html.startswith("<td>")  # the shape this test is about
    assert "\x01" not in articles[0].article.title  # the parse boundary cleaned it
    picture = _jpeg()
    cache = {f"http://news.example.cn/img/{name}.jpg": picture for name in ("1", "2", "p1", "p2")}
    out = tmp_path / "book.epub"
    export(articles, "epub", out, cache.get, title="Reader: 搜索 & <词>\x01")

    with zipfile.ZipFile(out) as epub:
        names = set(epub.namelist())
        opf = etree.fromstring(epub.read("OEBPS/content.opf"))  # the \x01 did not get in
        assert opf.find(".//{*}title").text == "Reader: 搜索 & <词>"
        manifest = {"OEBPS/" + i.get("href") for i in opf.iter(f"{OPF}item")}
        assert manifest == names - {"mimetype", "META-INF/container.xml", "OEBPS/content.opf"}
        for stored in articles:
            chapter = etree.fromstring(epub.read(f"OEBPS/a{stored.id}.xhtml"))
            assert "".join(chapter.find(f".//{XHTML}h1").itertext()) == stored.article.title
            images = list(chapter.iter(f"{XHTML}img"))
            assert len(images) == 2  # the figure's and the <picture>'s; not the uncached one
            for img in images:
                assert "OEBPS/" + img.get("src") in names
                assert all(img.get(size, "0").isdigit() for size in ("width", "height"))
            # 100% is no pixel size and goes; 240px becomes 240
            assert (images[0].get("width"), images[0].get("height")) == (None, "240")
            assert images[1].get("width") == "640"
            for part in ("tr", "td", "th", "tbody", "caption"):
                for el in chapter.iter(f"{XHTML}{part}"):
                    assert any(a.tag == f"{XHTML}table" for a in el.iterancestors())
            for caption in chapter.iter(f"{XHTML}figcaption"):
                figure = caption.getparent()
                assert figure.tag == f"{XHTML}figure" and caption in (figure[0], figure[-1])
            text = "".join(chapter.itertext())
            for kept in ("图一 & 说明", "摄影 王五", "单独的说明 caption", "未缓存的图片之后的文字",
                         "3 < 4", "市民在图书馆参加志愿者活动"):
                assert kept in text
