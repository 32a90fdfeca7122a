"""The location path of portal article pages: labelled, unlabelled rows of links, crumb
classes, structured data, and the menus and dates that only look like paths."""

from reader.parse.article import extract

URL = "https://news.example.cn/2024/0518/a1.html"
PARAGRAPH = ("今年入夏以来，全市各区陆续开放了十二处纳凉点，社区志愿者每天轮流值守，"
             "为独居老人送去绿豆汤和防暑药品，附近居民也纷纷加入进来。")
MENU = ('<div class="menu"><a href="/">首页</a><a href="/news/">新闻</a><a href="/sports/">体育</a>'
        '<a href="/ent/">娱乐</a><a href="/money/">财经</a></div>')


def page(path: str, *, head: str = "", menu: str = MENU) -> bytes:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>全市开放十二处纳凉点_示例新闻网</title>{head}</head><body>
{menu}{path}<h1>全市开放十二处纳凉点</h1><div class="info">2024-05-18 09:05:00 来源：北方晚报</div>
<div class="article">{body}</div></body></html>""".encode()


def crumbs(path: str, **kw: str) -> tuple[str, ...]:
    return extract(page(path, **kw), URL).breadcrumb


def test_unlabelled_row_of_links_ending_in_zhengwen() -> None:
    path = ('<div class="top"><a href="/">网易首页</a> &gt; <a href="/news/">新闻中心</a> &gt; '
            '<a href="/domestic/">国内新闻</a> &gt; 正文 <a href="/join">申请入驻</a></div>')
    assert crumbs(path) == ("网易首页", "新闻中心", "国内新闻", "正文")


def test_separators_in_their_own_spans_and_a_logo_before_the_path() -> None:
    path = ('<div class="bar"><span class="logo">新闻中心</span><a href="/china/">国内新闻</a>'
            '<span class="s">&gt;</span><span>正文</span></div>')
    assert crumbs(path) == ("国内新闻", "正文")


def test_menu_links_before_the_path_are_not_items() -> None:
    path = ('<div class="head"><a href="/">首页</a><a href="/a/">时政</a><a href="/b/">评论</a>'
            '<a href="/b/hw/">&gt; 海外观察</a></div>')
    assert crumbs(path) == ("评论", "海外观察")


def test_slash_row_counts_in_a_crumb_like_element() -> None:
    path = '<div class="cur-position"><a href="/">首頁</a> / <a href="/soc/">社會</a></div>'
    assert crumbs(path) == ("首頁", "社會")


def test_slash_menu_is_not_a_path() -> None:
    menu = ('<div class="links"><a href="/a/">新闻</a> / <a href="/b/">图片</a> / '
            '<a href="/c/">视频</a></div>')
    assert crumbs("", menu=menu) == ()


def test_a_date_split_by_slashes_is_not_a_path() -> None:
    path = '<div class="day"><em>2023</em> / <em>11</em> / <em>17</em></div>'
    assert crumbs(path) == ()


def test_traditional_label() -> None:
    path = '<div>當前位置：<a href="/">首頁</a> &gt; <a href="/n/">即時</a> &gt; 生活</div>'
    assert crumbs(path) == ("首頁", "即時", "生活")


def test_crumb_class_with_a_time_beside_it() -> None:
    path = ('<div class="menu_bread_crumb"><a href="/"><span>新聞雲</span></a>'
            '<a href="/local/"><span>地方</span></a><time>2017年12月09日 00:26</time></div>')
    assert crumbs(path) == ("新聞雲", "地方")


LD_PATH = ('<script type="application/ld+json">{"@context": "https://schema.org", '
           '"@type": "BreadcrumbList", "itemListElement": ['
           '{"@type": "ListItem", "position": 1, "name": "示例新闻网"},'
           '{"@type": "ListItem", "position": 2, "name": "社会"}]}</script>')


def test_json_ld_path_whose_items_are_printed() -> None:
    path = '<div class="loc"><a href="/">示例新闻网</a><a href="/soc/">社会</a></div>'
    assert crumbs(path, head=LD_PATH) == ("示例新闻网", "社会")


def test_json_ld_path_the_page_does_not_print_is_not_shown() -> None:
    assert crumbs("", head=LD_PATH) == ()


def test_page_without_a_path() -> None:
    assert crumbs("") == ()


def test_position_element_whose_separators_are_images() -> None:
    path = ('<div class="position"><img src="/i/home.gif"><a href="/">首页</a>'
            '<img src="/i/arrow.gif"><a href="/zwgk/">政务公开</a><img src="/i/arrow.gif">'
            '<a href="/zwgk/tzgg/">通知公告</a></div>')
    assert crumbs(path) == ("首页", "政务公开", "通知公告")


def test_ip_location_is_not_a_path() -> None:
    info = '<div class="location"><a href="/u/1">某账号</a></div>'
    assert crumbs(info) == ()
