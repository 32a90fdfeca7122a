"""Section pages, feed discovery and source sniffing, on the sample site and small portals."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import requests

from reader.errors import ParseError
from reader.parse.dates import CHINA
from reader.parse.listing import discover_feed, parse_listing, parse_source

TESTS = Path(__file__).resolve().parent.parent
SAMPLE_SITE = TESTS.parent / "resources" / "sample_site"
LISTING = TESTS / "data" / "listing"
FEEDS = TESTS / "data" / "feeds"


def article_paths(section: str) -> set[str]:
    """Every article page of a sample-site section (continuation pages excluded)."""
    return {p.relative_to(SAMPLE_SITE).as_posix()
            for p in (SAMPLE_SITE / section).glob("20*/*/*.html") if not p.stem.endswith("_2")}


def fetch_listing(base: str, path: str):
    response = requests.get(base + path, timeout=10)
    response.raise_for_status()
    return parse_listing(response.content, response.url, response.encoding)


@pytest.mark.parametrize(("section", "title", "total"), [("news", "实时讯息", 12),
                                                         ("world", "World", 8)])
def test_sample_section_over_http(sample_site, section: str, title: str, total: int) -> None:
    first = fetch_listing(sample_site.url, f"{section}/index.html")
    assert first.kind == "listing"
    assert first.title == title
    assert first.next_page == f"{sample_site.url}{section}/index_2.html"
    second = fetch_listing(sample_site.url, f"{section}/index_2.html")
    assert second.next_page is None
    urls = [e.url for e in first.entries + second.entries]
    assert len(urls) == len(set(urls)) == total
    assert {u.removeprefix(sample_site.url) for u in urls} == article_paths(section)
    assert all(e.title and e.published and e.summary_html for e in first.entries)


def test_sample_section_dates_and_titles(sample_site) -> None:
    news = fetch_listing(sample_site.url, "news/index.html")
    top = news.entries[0]
    assert top.title.startswith("职教出海新路径")
    assert top.published == datetime(2025, 11, 20, tzinfo=CHINA)
    world = fetch_listing(sample_site.url, "world/index.html")
    assert world.entries[0].published.isoformat() == "2025-11-20T08:30:00+00:00"


def test_sample_section_from_file_url() -> None:
    page = SAMPLE_SITE / "news" / "index.html"
    listing = parse_listing(page.read_bytes(), page.as_uri())
    assert listing.next_page == (SAMPLE_SITE / "news" / "index_2.html").as_uri()
    assert all(Path(e.url.removeprefix("file://")).is_file() for e in listing.entries)


def test_sample_sidebar_and_nav_are_ignored() -> None:
    page = SAMPLE_SITE / "world" / "index.html"
    urls = {e.url for e in parse_listing(page.read_bytes(), page.as_uri()).entries}
    # The "Most read" sidebar links Chinese articles; none of them is a World entry.
    assert all("/world/2025/" in u for u in urls)


def test_gb2312_table_portal() -> None:
    body = (LISTING / "portal_gbk.html").read_bytes()
    listing = parse_listing(body, "http://www.shannan-edu.example.cn/jydt/")
    assert listing.title == "教育动态"
    assert listing.next_page == "http://www.shannan-edu.example.cn/jydt/index_2.html"
    assert [e.url.rsplit("/", 1)[1] for e in listing.entries] == [
        "9001.html", "9000.html", "8999.html", "8998.html"]
    assert listing.entries[0].title == "第三实验小学举办校园科技节活动"
    assert listing.entries[-1].published == datetime(2025, 11, 17, tzinfo=CHINA)
    assert not any("other.example.com" in e.url or "/tzgg/" in e.url for e in listing.entries)


def test_html5_cards_with_rel_next() -> None:
    body = (LISTING / "blog_rel_next.html").read_bytes()
    listing = parse_listing(body, "https://lantern.example.com/science/")
    assert listing.title == "Science"
    assert listing.next_page == "https://lantern.example.com/science/page/2/"
    assert len(listing.entries) == 3
    assert listing.entries[1].url == "https://lantern.example.com/science/2025/11/19/bees-learn-colours"
    assert listing.entries[1].published.date().isoformat() == "2025-11-19"
    assert "election" not in " ".join(e.url for e in listing.entries)


@pytest.mark.parametrize("text", ["下一页", "下页", "后页", "Next", "Next page", "»", "›",
                                  "[下一页]"])
def test_next_page_words(text: str) -> None:
    body = f"""<html><body><ul>
      <li><a href="/a/2025/11/1001.html">一篇足够长的新闻标题用来测试</a></li>
      <li><a href="/a/2025/11/1002.html">另一篇足够长的新闻标题用来测试</a></li></ul>
      <div><a href="list_3.html">{text}</a></div></body></html>""".encode()
    listing = parse_listing(body, "https://x.example.com/a/list_2.html")
    assert listing.next_page == "https://x.example.com/a/list_3.html"


def test_no_article_links() -> None:
    body = b"<html><body><a href='/'>Home</a> <a href='/about'>About</a><p>Hello</p></body></html>"
    with pytest.raises(ParseError, match="no article links found"):
        parse_listing(body, "https://x.example.com/")


def test_discover_feed() -> None:
    page = SAMPLE_SITE / "index.html"
    assert discover_feed(page.read_bytes(), "http://127.0.0.1:1/") == "http://127.0.0.1:1/rss.xml"
    body = (LISTING / "blog_rel_next.html").read_bytes()
    assert discover_feed(body, "https://lantern.example.com/science/") == (
        "https://lantern.example.com/science/feed.atom")
    assert discover_feed(b"<html><head><title>x</title></head></html>", "https://x/") is None


def test_parse_source_feed_served_as_html() -> None:
    body = (FEEDS / "rss20.xml").read_bytes()
    source = parse_source(body, "https://news.example.cn/rss", "text/html; charset=utf-8")
    assert source.kind == "feed"
    assert len(source.entries) == 3


def test_parse_source_html_served_as_feed() -> None:
    page = SAMPLE_SITE / "news" / "index.html"
    source = parse_source(page.read_bytes(), "http://127.0.0.1:1/news/index.html",
                          "application/rss+xml")
    assert source.kind == "listing"
    assert len(source.entries) == 6
    assert source.feed_url == "http://127.0.0.1:1/rss.xml"


def test_parse_source_page_with_feed_but_no_links() -> None:
    body = (b'<html><head><title>Blog</title><link rel="alternate" type="application/rss+xml"'
            b' href="/feed.xml"></head><body><p>Welcome.</p></body></html>')
    source = parse_source(body, "https://blog.example.com/")
    assert source.entries == ()
    assert source.feed_url == "https://blog.example.com/feed.xml"


def test_parse_source_json_feed() -> None:
    source = parse_source((FEEDS / "jsonfeed11.json").read_bytes(), "https://d.example.org/f")
    assert source.kind == "feed"


@pytest.mark.parametrize("body", [b"", b"   \n", bytes(range(256)) * 4, b"plain words only",
                                  b'{"hello": "world"}'])
def test_parse_source_refuses_other_bytes(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"empty|neither a feed nor an HTML page|binary"):
        parse_source(body, "https://x.example.com/")


def test_sample_rss_over_http_and_file(sample_site) -> None:
    response = requests.get(sample_site.url + "rss.xml", timeout=10)
    feed = parse_source(response.content, response.url, response.headers["Content-Type"])
    assert feed.kind == "feed"
    assert len(feed.entries) == 10
    for entry in feed.entries:
        assert requests.get(entry.url, timeout=10).status_code == 200
    path = SAMPLE_SITE / "rss.xml"
    local = parse_source(path.read_bytes(), path.as_uri())
    assert all(Path(e.url.removeprefix("file://")).is_file() for e in local.entries)


def test_a_list_split_by_day_counts_whole_but_a_rank_box_beside_it_does_not_join() -> None:
    days = "".join(
        f'<h3>2026年11月{d}日</h3><ul class="list{d}">' + "".join(
            f'<li><a href="/gn/2026/11-{d}/10{d}{i:04d}.shtml">十一月{d}日第{i}条国内新闻的标题</a>'
            f'<span>11-{d} 10:0{i}</span></li>' for i in range(5)) + "</ul>"
        for d in (28, 29, 30))
    rank = '<ul class="list99">' + "".join(
        f'<li><em>{i}</em><a href="/gn/2026/11-20/20{i:04d}.shtml">'
        f'排行第{i}位的热门新闻标题还要更长一些才好</a></li>' for i in range(1, 11)) + "</ul>"
    page = f'<html><body><div class="col">{days}{rank}</div></body></html>'.encode()
    listing = parse_listing(page, "http://www.example-news.cn/gn/")
    assert len(listing.entries) == 15
    assert {e.url.split("/")[-2] for e in listing.entries} == {"11-28", "11-29", "11-30"}
    # Each item's time on the day of the heading above its sublist.
    assert listing.entries[0].published == datetime(2026, 11, 28, 10, 0, tzinfo=CHINA)
    assert listing.entries[-1].published == datetime(2026, 11, 30, 10, 4, tzinfo=CHINA)


def test_a_time_of_day_without_a_date_heading_gives_no_date() -> None:
    items = "".join(f'<li><a href="/gn/2026/12-01/1051{i:04d}.shtml">第{i}条国内新闻的标题文字'
                    f'</a><span>10:0{i}</span></li>' for i in range(5))
    page = (f'<html><body><div class="main"><h2>国内新闻</h2><ul>{items}</ul></div>'
            f'</body></html>').encode()
    listing = parse_listing(page, "http://www.example-news.cn/gn/")
    assert len(listing.entries) == 5
    assert all(e.published is None for e in listing.entries)


def test_numbered_boxes_in_different_columns_stay_apart() -> None:
    def box(number: int, path: str, count: int) -> str:
        return f'<div class="box{number}"><ul>' + "".join(
            f'<li><a href="/{path}/2026/12-01/{number}{i:04d}.shtml">'
            f'第{number}栏第{i}条新闻的标题文字</a></li>' for i in range(count)) + "</ul></div>"
    page = (f'<html><body><div class="col main">{box(1, "gn", 12)}</div>'
            f'<div class="col extra">{box(2, "hot", 8)}</div></body></html>').encode()
    listing = parse_listing(page, "http://www.example-news.cn/gn/")
    assert {e.url.split("/")[3] for e in listing.entries} == {"gn"}
    assert len(listing.entries) == 12
