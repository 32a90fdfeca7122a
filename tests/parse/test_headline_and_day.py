"""Headlines that are not in an agreeing <h1>, and publish days printed in pieces."""

from datetime import datetime

from reader.parse.article import extract
from reader.parse.dates import CHINA

URL = "http://www.example-institute.cn/Detail/876289/2174994"
PARAGRAPH = ("为贯彻落实全省干部职工大会精神，二月十九日下午，研究所召开干部职工大会，"
             "会议传达了重要讲话精神，全体职工观看了廉政警示教育片，并就下一步工作作了部署。")
BODY = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(3))


def test_logo_h1_with_the_site_name_is_not_the_headline() -> None:
    html = f"""<html><head><meta charset="utf-8">
<title>这个约会软件想帮你找对象_智能_好奇日报</title></head><body>
<h1 class="logo"><a href="/">好奇日报</a></h1><div class="menu"><a href="/">首页</a></div>
<div class="category-title"><p class="category"><span>智能</span></p>
<h2 class="title">这个约会软件想帮你找对象</h2></div>
<div class="author"><span class="name">谢若含</span>
<span class="date">2017-03-01 14:27:02</span></div>
<div class="article">{BODY}</div></body></html>"""
    article = extract(html.encode(), URL)
    assert article.title == "这个约会软件想帮你找对象"
    assert article.author == "谢若含"


def test_headline_in_an_h5_when_title_is_the_site_name() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>省淡水水产研究所</title></head><body>
<div class="nav"><a href="/">首页</a> <span>&gt;</span> <a href="/news">重要信息</a></div>
<div class="news-det"><div class="left"><h5>省淡水水产研究所召开干部职工大会暨党风廉政建设大会</h5>
<div class="date"><div class="day">21</div><div class="year">2024年02月</div></div>
<span>分享</span></div><div class="content">{BODY}</div></div>
<div class="footer"><span>©2025 省淡水水产研究所</span></div></body></html>"""
    article = extract(html.encode(), URL)
    assert article.title == "省淡水水产研究所召开干部职工大会暨党风廉政建设大会"
    assert article.published == datetime(2024, 2, 21, tzinfo=CHINA)
    assert article.breadcrumb == ("首页", "重要信息")


def test_headline_in_a_title_div_above_the_source_line() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>科普网-辟谣文章</title></head><body>
<div class="tags"><a href="/t/1">矿泉水</a><a href="/t/2">蚊子</a></div>
<div class="rumor-article"><div class="rumor-title">徒手抓子弹真的存在吗？</div>
<div class="rumor-info"><span>来源： 科普网-科学原理</span></div>
<div class="clearfix"><div class="rumor-content"><div>{BODY}</div></div></div></div>
</body></html>"""
    article = extract(html.encode(), URL)
    assert (article.title, article.source) == ("徒手抓子弹真的存在吗？", "科普网-科学原理")


def test_day_without_a_year_takes_it_from_the_modified_date() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>传呼机公司停止服务</title>
<meta itemprop="dateUpdate" content="2019-09-30 22:46:13"></head><body>
<div class="article-title"><h2>传呼机公司停止服务</h2></div>
<div class="article-desc"><p class="author-name">某科技网</p>
<span class="date">发布时间：09-30</span><span class="time">22:46</span></div>
<div class="article-content">{BODY}</div></body></html>"""
    article = extract(html.encode(), URL)
    assert article.published is not None
    assert article.published.date().isoformat() == "2019-09-30"


def test_headline_h1_over_a_subtitle_when_og_title_differs() -> None:
    html = f"""<html><head><meta charset="utf-8"><meta property="og:title" content="研究所开大会">
<title>研究所开大会</title></head><body><div class="nav"><a href="/">首页</a></div>
<div class="head"><h1>研究所召开干部职工大会暨党风廉政建设大会</h1>
<h2 class="sub">传达全省干部职工大会精神</h2><span class="time">2024-02-21 10:00</span></div>
<div class="content">{BODY}</div></body></html>"""
    article = extract(html.encode(), URL)
    assert article.title == "研究所召开干部职工大会暨党风廉政建设大会"


def test_hyphen_between_digits_stays_in_the_headline() -> None:
    html = f"""<html><head><meta charset="utf-8">
<title>1-10月全国规上工业利润增长_财经频道_示例网</title></head><body>
<div class="nav"><a href="/">首页</a></div><div class="content">{BODY}</div></body></html>"""
    assert extract(html.encode(), URL).title == "1-10月全国规上工业利润增长"


def test_time_printed_in_pieces_before_the_headline() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>研究所开大会-示例网</title></head><body>
<div class="nav"><a href="/">首页</a></div>
<div class="header-time"><span class="year"><em>2024</em></span>
<span class="day"><em>01</em>/<em>05</em></span><span class="time">08:21:22</span></div>
<div class="source">来源：示例网</div>
<h1>研究所开大会</h1><div class="content">{BODY}</div></body></html>"""
    article = extract(html.encode(), URL)
    assert article.published == datetime(2024, 1, 5, 8, 21, 22, tzinfo=CHINA)


def test_headline_in_a_table_cell_over_the_info_line() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>市人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zw">政务公开</a></div>
<table><tr><td class="bt">市卫健委部署夏季纳凉点开放工作</td></tr>
<tr><td>文章来源：市卫健委 发布时间：2024-01-05 点击数：56</td></tr>
<tr><td>{BODY}</td></tr></table></body></html>"""
    article = extract(html.encode(), URL)
    assert (article.title, article.source) == ("市卫健委部署夏季纳凉点开放工作", "市卫健委")


def test_site_name_h1_at_the_end_of_title_is_not_the_headline() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>夏季纳凉点开放通知 东区办事处</title></head>
<body><h1 class="logo">东区办事处</h1><div class="nav"><a href="/">首页</a></div>
<div class="art"><div class="art-title">夏季纳凉点开放通知</div>
<div class="art-info">发布时间：2024-06-01</div><div class="art-body">{BODY}</div></div>
</body></html>"""
    assert extract(html.encode(), URL).title == "夏季纳凉点开放通知"


def test_site_name_first_in_title_keeps_the_h1() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>示例网 - 夏季纳凉点开放通知</title></head>
<body><div class="nav"><a href="/">首页</a></div><h1>夏季纳凉点开放通知</h1>
<div class="art-body">{BODY}</div></body></html>"""
    assert extract(html.encode(), URL).title == "夏季纳凉点开放通知"


def test_short_headline_before_a_longer_site_name_keeps_its_h1() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>健康文章 - 测试新闻网</title></head>
<body><div class="nav"><a href="/">首页</a></div><h1 class="title">健康文章</h1>
<div class="info"><span class="views">1286次浏览</span>
<span>发布时间: 2025-11-20 08:30:00</span></div><div class="content">{BODY}</div></body></html>"""
    assert extract(html.encode(), URL).title == "健康文章"
