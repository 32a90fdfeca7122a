from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.parse import portal as portal_rules
from reader.parse.article import extract
from reader.parse.dates import CHINA
from tests.conftest import SAMPLE_SITE

DATA = Path(__file__).parents[1] / "data" / "extract"
PORTAL_URL = "http://news.example.cn/2024/10/bridge.html"


@pytest.fixture(scope="module")
def portal():
    return extract((DATA / "portal.html").read_bytes(), PORTAL_URL)


def test_json_ld_gives_headline_date_and_author() -> None:
    article = extract((DATA / "jsonld_date.html").read_bytes(), "https://courier.example/a")
    assert article.title == "Harbour lights return to Millbrook"
    assert article.published == datetime(2024, 3, 9, 18, 45,
                                         tzinfo=timezone(timedelta(hours=-5)))
    assert article.author == "Dana Okafor"
    assert article.language == "en"
    assert article.text.startswith("The strings of lamps")
    assert "About us" not in article.text and "Sport" not in article.text


def test_publish_time_line_is_china_time(portal) -> None:
    assert portal.published == datetime(2024, 10, 8, 9, 15, tzinfo=CHINA)
    assert portal.source == "青石日报"
    assert portal.author == "林小溪"


def test_view_count(portal) -> None:
    assert portal.views == 1024


def test_breadcrumb(portal) -> None:
    assert portal.breadcrumb == ("首页", "实时讯息")


def test_title_drops_site_name(portal) -> None:
    assert portal.title == "青石镇新修的石桥通车了"


def test_body_has_paragraphs_not_furniture(portal) -> None:
    paragraphs = portal.text.split("\n\n")
    assert paragraphs[0].startswith("经过八个月的施工")
    assert paragraphs[-1].startswith("据了解")
    for furniture in ("发布时间", "相关文章", "版权所有", "下一页", "夜间集市"):
        assert furniture not in portal.text
    assert "<p>" in portal.html and "<script" not in portal.html


def test_caption_is_the_short_line_under_an_image(portal) -> None:
    assert [(i.url, i.caption) for i in portal.images] == [
        ("http://news.example.cn/upload/bridge.jpg", "新石桥通车当天的清晨。")]


def test_related_block(portal) -> None:
    first, second = portal.related
    assert first.url == "http://news.example.cn/2024/09/market.html"
    assert first.title == "青石镇周末集市增设夜间摊位"
    assert first.snippet.startswith("来源:【青石日报】")
    assert first.published == datetime(2024, 9, 21, 18, 30, tzinfo=CHINA)
    assert second.title == "镇中心小学新图书室开放"


def test_multi_page_next_link(portal) -> None:
    assert portal.next_page == "http://news.example.cn/2024/10/bridge_2.html"


@pytest.mark.parametrize("here, there, page", [
    ("/a/bridge.html", "/a/bridge_2.html", 2),
    ("/a/bridge_2.html", "/a/bridge_3.html", 3),
    ("/a/t20251118_1003.html", "/a/t20251118_1003_2.html", 2),  # names that end in _digits
    ("/a/t20251118_1003_2.html", "/a/t20251118_1003_3.html", 3),
    ("/a/t20251118_1003.html", "/a/t20251118_1004.html", 0),  # the next article, not a page
    ("/a/bridge_2.html", "/a/bridge.html", 0),
    ("/a/bridge.html", "/a/bridge_2.htm", 0),
])
def test_which_names_continue_an_article(here: str, there: str, page: int) -> None:
    assert portal_rules._later_page(here, there) == page


def test_next_article_is_not_next_page() -> None:
    html = ("<html><body><div><p>" + "这是一段足够长的正文内容，用来测试翻页链接。" * 5 +
            '</p><a href="http://news.example.cn/2024/10/other.html">下一篇</a></div></body></html>')
    assert extract(html.encode(), PORTAL_URL).next_page is None


def test_gbk_page_with_lying_utf8_meta() -> None:
    article = extract((DATA / "gbk_lying_meta.html").read_bytes(), "http://edu.example.cn/a")
    assert article.encoding == "gb18030"
    assert article.title == "山区小学用上了太阳能热水"
    assert article.published == datetime(2023, 11, 5, 14, 20, tzinfo=CHINA)
    assert article.text.startswith("入冬以后")
    assert "\ufffd" not in article.text


def test_json_contract(portal) -> None:
    out = portal.to_json()
    assert out["published"] == "2024-10-08T09:15:00+08:00"
    assert out["breadcrumb"] == ["首页", "实时讯息"]
    assert out["images"][0]["caption"] == "新石桥通车当天的清晨。"


@pytest.mark.parametrize("body", [b"", b"   \n", b"\x00\x01\x02binary\x00" * 10])
def test_empty_or_binary_input_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        extract(body, "http://example.org/")


@pytest.mark.parametrize("html", [
    b"<p>Just one short line.</p>",
    b"<html><body><div><a href='/x'>only a link</a></div></body></html>",
    b"<html><head><title>Only a title</title></head><body></body></html>",
    b"<<<>>> not really html &&&",
])
def test_odd_html_never_raises(html: bytes) -> None:
    article = extract(html, "http://example.org/")
    assert isinstance(article.text, str)


def test_short_real_page_is_not_empty() -> None:
    article = extract(b"<html><body><p>Just one short line.</p></body></html>",
                      "http://example.org/")
    assert article.text == "Just one short line."


def test_dates_in_link_lists_rank_below_the_post_date() -> None:
    html = """<html><head><title>小院日记</title></head><body>
    <ul><li><a href="/a">年度合集(截至2019年5月2日)</a></li><li><a href="/b">旧文</a></li></ul>
    <table><tr><td><b>小院日记</b></td><td>2018-04-03 10:20:00</td></tr></table>
    <div><p>春天来了，院子里的桃花开得正好，邻居们都来看花，孩子们在树下追逐。</p>
    <p>傍晚时分，我们在院中摆上桌子，一起吃了一顿简单的晚饭，聊到很晚才散。</p></div>
    </body></html>""".encode()
    article = extract(html, "http://blog.example.cn/view?id=7")
    assert article.published == datetime(2018, 4, 3, 10, 20, tzinfo=CHINA)


def test_headline_is_found_in_a_heading_before_a_quoting_comment() -> None:
    html = """<html><body><h1><a href="/">林间</a></h1>
    <div><h2>初到此地</h2><p>今天第一次在这里写字，希望以后常来，和大家多多交流，一起进步。</p>
    <p class="foot">发表于 2005年1月9日 08:10</p></div>
    <div><h4>回复</h4><p>一</p><p>二</p><p>三</p><p>四</p>
    <h4>回复</h4><span>2005-01-11 09:00</span><p>林间</p><p>欢迎欢迎，期待你的文章！</p></div>
    </body></html>""".encode()
    article = extract(html, "http://blog.example.cn/post")
    assert article.published == datetime(2005, 1, 9, 8, 10, tzinfo=CHINA)


_STORY = "".join(f"<p>Paragraph {n} of the story, with enough words, commas, and detail to count "
                 f"as running text in the body of this page.</p>" for n in range(6))


def test_widgets_inside_the_article_are_left_out_but_captions_stay() -> None:
    html = f"""<html><body><article class="article-content">
    <figure><img src="/pier.jpg"><figcaption>The old pier at dusk.
    <span class="credit">Photo by A. Lens/Agency</span></figcaption></figure>{_STORY}
    <section class="article-content__newsletter"><h3>Morning Brief</h3>
    <p>By signing up you agree to receive our daily newsletter, offers and updates.</p></section>
    <div class="paywall-box hidden"><p>Subscribe now to read every story and puzzle.</p></div>
    <span class="sr-only">Article continues below</span>{_STORY}</article></body></html>"""
    article = extract(html.encode(), "https://paper.example/story")
    assert "Paragraph 5 of the story" in article.text
    for furniture in ("signing up", "Subscribe now", "continues below", "A. Lens"):
        assert furniture not in article.text
    assert [i.caption for i in article.images] == ["The old pier at dusk."]


def test_teaser_cards_inside_the_article_are_left_out() -> None:
    cards = "".join(f'<div class="card"><a href="/s{n}"><img src="/t{n}.jpg"></a>'
                    f'<h3><a href="/s{n}">Other headline number {n}</a></h3></div>'
                    for n in range(4))
    html = f"""<html><body><div class="story">{_STORY}<div class="rail">{cards}</div>
    {_STORY}</div></body></html>"""
    article = extract(html.encode(), "https://paper.example/story")
    assert "Paragraph 5 of the story" in article.text
    assert "Other headline" not in article.text


def test_english_byline_views_and_you_are_here_breadcrumb() -> None:
    html = f"""<html><body><div class="crumbs">You are here: <a href="/">Home</a> &gt;
    <a href="/world">World</a></div><h1>Harbour opens</h1>
    <p class="byline">Published 2024-06-01 10:00 · By Ana Ruiz · 1,204 views</p>{_STORY}
    </body></html>"""
    article = extract(html.encode(), "https://paper.example/world/harbour")
    assert article.views == 1204
    assert article.breadcrumb == ("Home", "World")


def test_portal_tool_links_are_furniture() -> None:
    story = "".join(f"<p>第{n}段：今天镇上开了新的集市，来往的人很多，摊位上摆满了蔬菜和水果。</p>"
                    for n in range(5))
    html = f"""<html><body><div class="content">{story}<p>发送给朋友</p><p>打印本文</p>
    <p>返回页首 | 关闭窗口</p></div></body></html>"""
    article = extract(html.encode(), "http://news.example.cn/a.html")
    assert article.text.endswith("摊位上摆满了蔬菜和水果。")


def test_archive_page_keeps_every_post_of_the_same_template() -> None:
    day = "<p>Entry {n}: a quiet day by the lake, with rain, wind, and a long walk home. </p>"
    posts = "".join(f'<div class="entry"><h2>Post {n}</h2><div><div><div><div class="text">'
                    + day.format(n=n) * (8 if n == 0 else 3) + "</div></div></div></div></div>"
                    for n in range(4))
    html = f"""<html><body><div class="nav"><a href="/">Home</a></div>
    <div class="posts">{posts}</div></body></html>"""
    article = extract(html.encode(), "https://diary.example/2019/05/")
    for n in range(4):
        assert f"Entry {n}:" in article.text


def test_lone_timestamps_and_also_like_headings_are_furniture() -> None:
    html = f"""<html><body><div class="story"><p>Updated Jun 2, 9:05 AM; Posted Jun 2, 8:50 AM</p>
    <p>2024-06-02 | 08:50</p>{_STORY}<h3>You may also like...</h3></div></body></html>"""
    article = extract(html.encode(), "https://paper.example/story")
    assert article.text.startswith("Paragraph 0 of the story")
    assert article.text.endswith("body of this page.")


def test_an_english_byline_names_the_author() -> None:
    html = ("<html><body><h1>Harbour cranes get a second life</h1>"
            "<p class='meta'>Published 2025-03-02 10:00 +00:00 · By Ana de Souza · 812 views</p>"
            "<div><p>" + "The old cranes were repainted and put back to work this spring. " * 8 +
            "</p></div></body></html>")
    article = extract(html.encode(), "http://example.org/cranes.html")
    assert (article.author, article.views) == ("Ana de Souza", 812)


@pytest.mark.parametrize("page", sorted((SAMPLE_SITE / "world" / "2025" / "11").glob("*.html"))
                         + sorted((SAMPLE_SITE / "news" / "2025" / "11").glob("*.html")),
                         ids=lambda p: p.name)
def test_the_headline_and_byline_over_the_body_are_not_repeated_in_it(page: Path) -> None:
    # The reading pane prints both above the body (the sample's night market page showed twice)
    article = extract(page.read_bytes(), page.as_uri())
    assert article.title and article.title not in article.html
    assert article.title not in article.text
    if article.author:
        assert article.author not in article.text and article.author not in article.html
