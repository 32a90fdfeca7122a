"""A second portal that republishes sample-site stories with its own chrome (a 原标题 line, a
责任编辑 line, the headline's punctuation changed, a promotion paragraph), plus two stories of
its own that share a template: daily weather reports with other figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from html import escape
from pathlib import Path

from reader.parse.article import extract
from tests.conftest import SAMPLE_SITE

COPIED = ("t20251120_1001.html", "t20251119_1002.html")
PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_东方资讯</title></head><body>
<div class="top-bar"><a href="/">东方资讯</a> | 登录 | 注册 | 下载客户端</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/guonei/">国内</a></li>
<li><a href="/caijing/">财经</a></li><li><a href="/keji/">科技</a></li></ul>
<div class="main"><div class="article"><h1>{title}</h1>
<div class="info"><span>{published}</span> <span>来源：东方资讯</span></div>
<div class="article-content">{body}</div>
<div class="share">分享到：微信 微博 QQ空间</div></div>
<div class="sidebar"><h3>热门推荐</h3><ul>
<li><a href="/a/1.html">新能源汽车下乡活动启动</a></li>
<li><a href="/a/2.html">秋粮收购进度过半</a></li>
<li><a href="/a/3.html">多地发布寒潮预警</a></li></ul></div></div>
<div class="footer"><p>关于我们 | 联系我们 | 版权声明</p>
<p>Copyright © 2025 东方资讯 All Rights Reserved</p></div></body></html>"""
WEATHER = ["中央气象台{day}日6时发布天气预报。",
           "北京：{sky}，最高气温{high}℃，最低气温{low}℃，北风{wind}级，相对湿度{damp}%。",
           "上海：{sky}，最高气温{high2}℃，最低气温{low2}℃，东风{wind}级，相对湿度{damp2}%。",
           "广州：{sky}，最高气温{high3}℃，最低气温{low3}℃，南风{wind}级，相对湿度{damp3}%。",
           "气象台提醒：早晚温差较大，请注意适时增减衣物，出行注意交通安全，驾车减速慢行。"]


@dataclass(frozen=True)
class CopySite:
    root: Path
    originals: list[str]  # the sample-site titles of the copied stories

    def feed(self, base: str) -> None:
        names = [f"copy{n}.html" for n in range(len(COPIED))] + ["weather1.html",
                                                                  "weather2.html"]
        items = "".join(f"<item><title>{n}</title><link>{base}{n}</link></item>" for n in names)
        (self.root / "rss.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>东方资讯</title><link>{base}</link>{items}</channel></rss>",
            encoding="utf-8")


def build(root: Path) -> CopySite:
    """The pages under root; call .feed(url) once the server's address is known."""
    root.mkdir(parents=True, exist_ok=True)
    originals = []
    for n, name in enumerate(COPIED):
        path = SAMPLE_SITE / "news" / "2025" / "11" / name
        article = extract(path.read_bytes(), path.as_uri())
        assert article.published is not None
        originals.append(article.title)
        title = article.title.replace(":", "：").replace("，", " ") + "（图）"
        body = [f"原标题：{article.title}", *article.text.split("\n\n"),
                "点击关注东方资讯公众号，第一时间获取更多新闻资讯，精彩内容不容错过。",
                "责任编辑：王芳"]
        when = (article.published + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S")
        (root / f"copy{n}.html").write_text(PAGE.format(
            title=escape(title), published=when,
            body="".join(f"<p>{escape(p)}</p>" for p in body)), encoding="utf-8")
    for n, (day, sky, figures) in enumerate(((20, "晴", (12, 1, 14, 6, 21, 12)),
                                             (21, "多云", (9, -2, 11, 4, 19, 10)))):
        values = dict(zip(("high", "low", "high2", "low2", "high3", "low3"), figures,
                          strict=True))
        lines = [line.format(day=day, sky=sky, wind=3 + n, damp=40 + n, damp2=60 + n,
                             damp3=70 + n, **values) for line in WEATHER]
        (root / f"weather{n + 1}.html").write_text(PAGE.format(
            title="全国天气预报", published=f"2025-11-{day} 06:00:00",
            body="".join(f"<p>{escape(p)}</p>" for p in lines)), encoding="utf-8")
    return CopySite(root, originals)
