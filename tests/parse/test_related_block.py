"""The page's own related block on portal-shaped pages: one fixture per shape seen on real
portals (heading above the list, tabs, cards, site-wide lists, script-filled boxes)."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.parse.article import extract
from reader.parse.dates import CHINA
from reader.parse.related_block import is_heading

URL = "http://news.example.cn/2024/05/20/a1.html"

BODY = """
<div class="article">
<h1>青石镇新修的石桥通车了</h1>
<div class="info">2024-05-20 09:15 来源：青石日报</div>
<div class="text">
<p>青石镇横跨清水河的新石桥今天上午正式通车，附近三个村的村民从此不必再绕行十多公里去县城。</p>
<p>新桥全长一百二十米，宽十二米，设计使用年限一百年，桥面两侧各留有一米半宽的人行道。</p>
<p>镇里表示，旧桥将保留作为步行桥，并在明年春天前完成加固和照明改造，方便居民晚上散步。</p>
</div>
</div>
"""

SITE_WIDE = """
<div class="side">
<div class="hd"><h3>热门推荐</h3></div>
<ul>
<li><a href="/2024/05/01/h1.html">全国多地迎来今年首场高温天气</a></li>
<li><a href="/2024/05/02/h2.html">明星夫妇官宣离婚引发网友热议</a></li>
<li><a href="/2024/05/03/h3.html">五一假期国内旅游出游人次创新高</a></li>
</ul>
<h3>排行榜</h3>
<ol>
<li><a href="/2024/04/01/r1.html">一图读懂今年政府工作报告要点</a></li>
<li><a href="/2024/04/02/r2.html">这些新规五月起施行 影响你我生活</a></li>
</ol>
<div class="title">为你推荐</div>
<ul>
<li><a href="/2024/03/01/f1.html">震惊！这种水果竟然不能和牛奶一起吃</a></li>
<li><a href="/2024/03/02/f2.html">月薪三千如何在一线城市活得体面</a></li>
</ul>
</div>
"""


def page(block: str, *, side: str = "") -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>青石镇新修的石桥通车了_青石新闻网</title>'
            f'</head><body><div class="nav"><a href="/">首页</a> <a href="/news/">新闻</a></div>'
            f'{BODY}{block}{side}<div class="footer">版权所有 青石新闻网</div></body></html>'
            ).encode()


def titles(html: bytes) -> list[str]:
    return [r.title for r in extract(html, URL).related]


def test_heading_in_a_title_bar_above_the_list() -> None:
    block = """
    <div class="box">
      <div class="box-hd"><h2><span>相关新闻</span></h2><a href="/news/">更多&gt;&gt;</a></div>
      <div class="ad-label">广告</div>
      <div class="box-bd"><ul>
        <li><a href="/2024/05/18/b1.html">清水河沿岸绿道工程完成过半</a><span>2024-05-18</span></li>
        <li><a href="/2024/05/10/b2.html">县里召开农村公路建设推进会</a><span>2024-05-10</span></li>
      </ul></div>
    </div>"""
    article = extract(page(block, side=SITE_WIDE), URL)
    assert [r.title for r in article.related] == [
        "清水河沿岸绿道工程完成过半", "县里召开农村公路建设推进会"]
    first = article.related[0]
    assert first.url == "http://news.example.cn/2024/05/18/b1.html"
    assert first.published == datetime(2024, 5, 18, tzinfo=CHINA)
    assert "绿道" not in article.text and "相关新闻" not in article.text


def test_heading_sits_inside_the_list_it_heads() -> None:
    block = """
    <ul class="list">
      <div class="title">相关推荐</div>
      <li><a href="/2024/05/19/c1.html">石桥通车后首个周末 游客骑行过桥</a>
        <a href="/tag/traffic">交通</a></li>
      <li><a href="/2024/05/17/c2.html">清水河今年汛期前完成清淤工作</a>
        <a href="/tag/water">水利</a></li>
    </ul>"""
    assert titles(page(block)) == [
        "石桥通车后首个周末 游客骑行过桥", "清水河今年汛期前完成清淤工作"]


def test_a_tab_heads_the_panel_at_its_position() -> None:
    block = """
    <div class="recommend">
      <div class="tabs"><div class="tab active">热点推荐</div><div class="tab">相关推荐</div></div>
      <div class="panel"><ul>
        <li><a href="/2024/05/19/hot1.html">外地一网红景区五一接待游客百万人次</a></li>
        <li><a href="/2024/05/19/hot2.html">某品牌手机新品发布会定于下月举行</a></li>
      </ul></div>
      <div class="panel"><ul>
        <li><a href="/2024/04/28/d1.html">石桥合龙 青石镇新桥主体完工</a></li>
        <li><a href="/2024/03/02/d2.html">青石镇新桥开工 预计五月通车</a></li>
      </ul></div>
    </div>"""
    assert titles(page(block)) == ["石桥合龙 青石镇新桥主体完工", "青石镇新桥开工 预计五月通车"]


def test_cards_take_their_headline_not_the_picture_or_the_date() -> None:
    block = """
    <section class="more"><h3 class="sec-title">延伸阅读</h3>
    <div class="cards">
      <div class="card"><a href="/2024/05/01/e1.html"><img src="/i/e1.jpg"></a>
        <h5><a href="/2024/05/01/e1.html">青石镇老街改造完成 百年石板路重现</a></h5>
        <span class="src">青石日报</span></div>
      <div class="card"><a href="/2024/04/20/e2.html"><img src="/i/e2.jpg"></a>
        <p class="card-title">县城至青石镇公交线路加密班次</p></div>
      <div class="card"><a href="/2024/04/11/e3.html"><img src="/i/e3.jpg">
        <div class="t">清水河两岸植树三千株</div><div class="d">2024-04-11</div></a></div>
      <div class="card"><a href="/2024/04/02/e4.html"><span class="age">6小时前</span>
        青石镇中心小学新图书室开放</a></div>
    </div></section>"""
    article = extract(page(block), URL)
    assert [r.title for r in article.related] == [
        "青石镇老街改造完成 百年石板路重现", "县城至青石镇公交线路加密班次",
        "清水河两岸植树三千株", "青石镇中心小学新图书室开放"]
    assert article.related[2].published == datetime(2024, 4, 11, tzinfo=CHINA)


def test_traditional_heading_and_one_item_box_inside_the_body() -> None:
    block = """
    <div class="article-extra"><div class="ttl">延伸閱讀</div>
    <div class="cnt"><p><a href="/2024/05/19/f1.html">女警一天打100電話被停機 電信核實後恢復</a></p>
    <p>近日，一名社區女警在核查人口時平均每天撥打一百多個電話，被誤判為詐騙。</p></div></div>"""
    article = extract(page(block), URL)
    assert [r.title for r in article.related] == ["女警一天打100電話被停機 電信核實後恢復"]
    assert "社區女警" not in article.text


def test_site_wide_lists_are_no_related_block() -> None:
    assert titles(page("", side=SITE_WIDE)) == []


def test_a_block_a_script_would_fill_is_no_block() -> None:
    block = """
    <div class="blk-related">
      <div class="tab-wrap"><div class="tab-related"><a class="cur" href="javascript:;">相关新闻</a>
        <a class="app" href="http://app.example.cn/download">下载客户端看更多精彩新闻</a></div></div>
      <div class="tab-cont">加载中</div>
    </div>"""
    assert titles(page(block, side=SITE_WIDE)) == []


def test_keyword_links_beside_the_heading_are_not_items() -> None:
    block = """
    <div class="keywords">
      <div class="kw-title">关键词阅读： <span><a href="/kw/1.html">石桥建设工程</a>
        <a href="/kw/2.html">清水河</a></span></div>
      <ul>
        <li><a href="/2024/05/11/g1.html">全县今年将新建改建农村桥梁二十座</a> 2024/05/11</li>
        <li><a href="/2024/02/03/g2.html">清水河上的老石桥：一座桥和三个村</a> 2024/02/03</li>
      </ul>
    </div>"""
    assert titles(page(block)) == [
        "全县今年将新建改建农村桥梁二十座", "清水河上的老石桥：一座桥和三个村"]


def test_a_heading_that_is_a_sentence_is_no_heading() -> None:
    block = ("<p>相关新闻报道称，新桥建成后将大大方便沿岸居民出行，详见"
             "<a href='/x.html'>交通局通知全文</a>。</p>")
    assert titles(page(block)) == []


def test_a_tab_whose_panel_is_hidden_takes_no_other_list() -> None:
    # The page was saved with the 热点 tab active: the 相关 panel is display:none, and the
    # one list left belongs to the other tab.
    block = """
    <div class="recommend">
      <ul class="tabs"><li class="on">热点推荐</li><li>相关推荐</li></ul>
      <ul class="panel">
        <li><a href="/2024/05/19/hot1.html">外地一网红景区五一接待游客百万人次</a></li>
        <li><a href="/2024/05/19/hot2.html">某品牌手机新品发布会定于下月举行</a></li>
      </ul>
      <ul class="panel" style="display:none">
        <li><a href="/2024/04/28/d1.html">石桥合龙 青石镇新桥主体完工</a></li>
      </ul>
    </div>"""
    assert titles(page(block)) == []


def test_english_and_korean_headings() -> None:
    cards = """
    <aside class="more"><h2>Related stories</h2><ul>
      <li><article><a href="/2024/05/18/bridge-opens.html"><img src="/i/1.jpg"></a>
        <h3><a href="/2024/05/18/bridge-opens.html">New bridge opens to traffic in the valley</a>
        </h3><time>May 18, 2024</time></article></li>
      <li><article><a href="/2024/05/10/road-plan.html"><img src="/i/2.jpg"></a>
        <h3><a href="/2024/05/10/road-plan.html">County approves rural road plan for 2025</a>
        </h3><time>May 10, 2024</time></article></li>
    </ul></aside>"""
    assert titles(page(cards)) == ["New bridge opens to traffic in the valley",
                                   "County approves rural road plan for 2025"]
    korean = """
    <div class="relation"><strong>관련기사</strong><ul>
      <li><a href="/view.php?id=8">한강 다리 보수 공사 마치고 통행 재개</a></li>
      <li><a href="/view.php?id=9">서울시 자전거 도로 새로 만든다</a></li>
    </ul></div>"""
    assert titles(page(korean)) == [
        "한강 다리 보수 공사 마치고 통행 재개", "서울시 자전거 도로 새로 만든다"]


def test_a_title_cut_short_in_the_list_is_read_whole_from_the_link() -> None:
    block = """
    <div class="xgxw"><h3>相关阅读</h3><ul>
      <li><a href="/2024/05/19/k1.html" title="青石镇新桥通车后首个周末 游客骑行过桥打卡"
        >青石镇新桥通车后首个周末 游客…</a></li>
      <li><a href="/2024/05/17/k2.html">清水河<em>石桥</em>今年汛期前完成清淤</a></li>
    </ul></div>"""
    assert titles(page(block)) == [
        "青石镇新桥通车后首个周末 游客骑行过桥打卡", "清水河石桥今年汛期前完成清淤"]


@pytest.mark.parametrize(("text", "heads"), [
    ("相关新闻", True), ("相关阅读：", True), ("【相关报道】", True), ("更多相关新闻", True),
    ("相关文章推荐", True), ("延伸閱讀", True), ("推薦閱讀", True), ("延伸 · 推荐", True),
    ("关键词阅读：", True), ("Related stories", True), ("关联", False), ("热门推荐", False),
    ("为你推荐", False), ("为您推荐", False), ("猜你喜欢", False), ("排行榜", False),
    ("精彩推荐", False), ("新闻推荐", False), ("You may also like", False),
    ("相关新闻报道称，新桥建成", False),
])
def test_which_words_head_a_related_block(text: str, heads: bool) -> None:
    assert is_heading(text) is heads


def test_an_endless_feed_under_a_related_heading_is_cut_to_twenty() -> None:
    items = "".join(f'<li><a href="/2024/05/{i:02d}/f.html">推荐信息流里的第{i}篇文章标题</a></li>'
                    for i in range(1, 31))
    block = f'<div class="feed"><div class="title">相关推荐</div><ul>{items}</ul></div>'
    found = titles(page(block))
    assert len(found) == 20 and found[0] == "推荐信息流里的第1篇文章标题"


def test_bare_links_between_line_breaks_make_a_list() -> None:
    block = """
    <div class="extend">
      <h4>相关阅读</h4>
      <a href="/2024/05/11/g1.html">全县今年将新建改建农村桥梁二十座</a><br>
      <a href="/2024/02/03/g2.html">清水河上的老石桥：一座桥和三个村</a><br>
      <a href="/2024/01/20/g3.html">青石镇今冬明春水利工程全面开工</a>
      <p>本站所有文章如需转载请注明出处，违者必究，欢迎广大读者监督举报。</p>
      <a href="/2023/12/30/g4.html">年终盘点：青石镇这一年办成的十件实事</a>
    </div>"""
    # the paragraph of prose ends the list
    assert titles(page(block)) == ["全县今年将新建改建农村桥梁二十座",
                                   "清水河上的老石桥：一座桥和三个村",
                                   "青石镇今冬明春水利工程全面开工"]


def test_one_bare_link_under_a_heading_is_no_list() -> None:
    block = """
    <div class="extend">
      <h4>相关阅读</h4>
      <a href="/2024/05/11/g1.html">全县今年将新建改建农村桥梁二十座</a>
      <p>本站所有文章如需转载请注明出处，违者必究，欢迎广大读者监督举报。</p>
    </div>"""
    assert titles(page(block)) == []


def test_another_section_between_the_heading_and_a_list_ends_the_search() -> None:
    block = """
    <div class="extend">
      <h4>相关阅读</h4>
      <p>本站所有文章如需转载请注明出处，违者必究，欢迎广大读者监督举报。</p>
      <ul>
        <li><a href="/2024/05/11/g1.html">全县今年将新建改建农村桥梁二十座</a></li>
        <li><a href="/2024/02/03/g2.html">清水河上的老石桥：一座桥和三个村</a></li>
      </ul>
    </div>"""
    assert titles(page(block)) == []
