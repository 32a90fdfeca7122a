"""No page with a body comes out empty: old GB2312 pages nested past the parser's depth limit,
articles inside an unclosed element the clean-up drops, text the page hides until a script
runs, and pages whose only words are their description."""

from __future__ import annotations

import pytest

from reader.parse.article import extract

URL = "http://news.example.cn/2005/0312/a1.html"
PARAGRAPHS = [
    "本报讯 青石镇横跨清水河的新石桥今天上午正式通车，附近三个村的村民不必再绕行去县城。",
    "新桥全长一百二十米，宽十二米，设计使用年限一百年，桥面两侧各留有一米半宽的人行道。",
    "镇里表示，旧桥将保留作为步行桥，并在明年春天前完成加固和照明改造，方便居民晚上散步。",
    "据介绍，新桥由县交通局投资建设，从去年三月开工，比原计划提前两个月完工。",
]


def gb2312_page(body: str, head: str = "") -> bytes:
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            f"<title>青石镇新桥通车_青石新闻网</title>{head}</head><body>{body}</body></html>"
            ).encode("gb18030")


@pytest.mark.parametrize("chrome", [
    '<table><tr><td><font size="2" color="#333333">' * 150,  # past libxml2's 256 levels
    '<font size="2"><b>' * 1500,  # past even its 2048 levels for a huge tree
])
def test_unclosed_font_tags_past_the_parsers_depth_limit(chrome: str) -> None:
    # A 2005 portal template: every table cell opens a <font> that is never closed.
    story = "".join(f"{p}<br><br>" for p in PARAGRAPHS)
    article = extract(gb2312_page(chrome + f'<font class="f14">{story}</font>'), URL)
    assert article.encoding == "gb18030"
    for paragraph in (PARAGRAPHS[0], PARAGRAPHS[-1]):
        assert paragraph in article.text


def test_an_unclosed_noscript_keeps_the_article_it_swallowed() -> None:
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = gb2312_page('<div class="top"><noscript><img src="/count.gif?id=1">'
                       f'<div class="main"><h1>青石镇新桥通车</h1>{story}</div></body>')
    text = extract(page, URL).text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text


def test_an_unclosed_select_keeps_the_article_it_swallowed() -> None:
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = gb2312_page('<form><select name="links"><option>友情链接<option>人民网</selct></form>'
                       f'<div class="main">{story}</div>')
    text = extract(page, URL).text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text


def test_text_hidden_until_a_script_runs_is_still_the_body() -> None:
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = gb2312_page(f'<div id="app"></div><div id="content" style="display:none">{story}</div>')
    text = extract(page, URL).text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text


def test_a_page_with_no_visible_words_gives_its_description() -> None:
    head = f'<meta name="description" content="{PARAGRAPHS[0]}">'
    page = gb2312_page('<div id="app"></div><script>render({"id": 1})', head=head)
    assert extract(page, URL).text == PARAGRAPHS[0]


def test_a_korean_euc_kr_page_with_br_separated_text() -> None:
    lines = ["서울시는 오늘 한강 다리 보수 공사를 마치고 차량 통행을 다시 허용한다고 밝혔다.",
             "공사는 지난해 봄에 시작되어 예정보다 두 달 빨리 끝났으며 총 예산은 백억 원이었다.",
             "시 관계자는 다리 양쪽에 자전거 도로와 보행로를 새로 만들었다고 설명했다."]
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
            "<title>한강 다리 통행 재개</title></head><body>"
            '<div class="nav"><a href="/">홈</a> <a href="/news">뉴스</a></div>'
            + '<table><tr><td><font size="2">' * 140
            + '<div id="articleBody">' + "<br><br>".join(lines) + "</div></body></html>")
    article = extract(html.encode("euc-kr"), "http://news.example.kr/view.php?id=7")
    assert article.language == "ko"
    assert lines[0] in article.text and lines[-1] in article.text
