"""The meta line shows the time as the page states it, and only the fields the page gave; the
body shows its pictures centred, with their captions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reader.parse.sanitize import sanitize
from reader.types import Article, StoredArticle
from reader.ui.article_html import format_full, meta_parts, qt_body


def stored(article: Article) -> StoredArticle:
    return StoredArticle(id=1, source_id=1, source_title="青石日报订阅", article=article,
                         related=(), is_read=False, is_favourite=False)


def test_meta_line_has_only_the_fields_found() -> None:
    when = datetime(2025, 5, 23, 8, 30).astimezone()
    full = Article(url="http://x.cn/a", title="标题", source="新京报", author="杜硕",
                   published=when)
    assert meta_parts(stored(full)) == ["新京报", "杜硕", "2025-05-23 08:30"]
    bare = Article(url="http://x.cn/a", title="标题", source="新京报")
    assert meta_parts(stored(bare)) == ["新京报"]
    nothing = Article(url="http://x.cn/a", title="标题")
    assert meta_parts(stored(nothing)) == ["青石日报订阅"]  # the subscription, nothing invented


def test_a_page_time_keeps_its_own_zone() -> None:
    beijing = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    newfoundland = datetime(2025, 5, 23, 8, 30, tzinfo=timezone(-timedelta(hours=3, minutes=30)))
    local = datetime(2025, 5, 23, 8, 30).astimezone()
    assert format_full(local) == "2025-05-23 08:30"
    if local.utcoffset() != beijing.utcoffset():
        assert format_full(beijing) == "2025-05-23 08:30 UTC+08:00"
    if local.utcoffset() != newfoundland.utcoffset():
        assert format_full(newfoundland) == "2025-05-23 08:30 UTC-03:30"


PAGE = """<div class="content"><p>　　新华社北京11月20日电 记者从教育部获悉。</p>
<p style="text-align:center"><img src="/images/class.jpg" width="600" height="400"></p>
<p style="text-align:center">学院教师讲解数控车床操作要点。</p>
<p><img src="data:image/gif;base64,R0lG" data-original="/images/yard.jpg"></p>
<figure><img src="/images/shop.jpg" width="800"><figcaption>图为车间一角</figcaption></figure>
<p>正文 &lt;img src=x onerror=alert(1)&gt; 与 &amp; 符号。</p><p> </p>
<p>文中<img src="/images/map.png" alt='say "hi"'>插图</p></div>"""
BASE = "http://news.example.cn/a/1.html"


def test_the_body_shows_pictures_centred_with_their_captions() -> None:
    body = sanitize(PAGE, BASE)
    images = "http://news.example.cn/images/"
    shown = qt_body(body, {images + "class.jpg": "学院教师讲解数控车床操作要点。",
                           images + "yard.jpg": "校园一角", images + "map.png": "线路图"})
    assert shown.startswith("<p>　　新华社北京11月20日电")
    centred = '<div class="figure" align="center">'
    # A picture alone in its paragraph: the paragraph is the block; the page's caption under
    # it is styled as one, not repeated.
    assert (f'{centred}<img src="http://news.example.cn/images/class.jpg"></div>\n'
            '<p class="caption" align="center">学院教师讲解数控车床操作要点。</p>') in shown
    assert shown.count("学院教师讲解数控车床操作要点。") == 1
    # A caption the page gave elsewhere (the feed, an alt) is added under its picture.
    assert (f'{centred}<img src="http://news.example.cn/images/yard.jpg"></div>\n'
            '<p class="caption" align="center">校园一角</p>') in shown
    assert (f'{centred}<img src="http://news.example.cn/images/shop.jpg">'
            '<p class="caption" align="center">图为车间一角</p></div>') in shown
    # In running text: a block of its own; no page-given sizes (the view fits the picture).
    assert (f'文中{centred}<img src="http://news.example.cn/images/map.png" '
            """alt='say "hi"'></div>插图""") in shown
    assert shown.count('<p class="caption" align="center">线路图</p>') == 1
    assert "width=" not in shown and "height=" not in shown
    assert "<p> </p>" not in shown  # empty paragraphs only add gaps
    assert "正文 &lt;img src=x onerror=alert(1)&gt; 与 &amp; 符号。" in shown  # text stays text


def test_a_body_that_is_one_picture_is_centred_with_its_caption() -> None:
    # A photo post: the picture is the whole body (this raised a TypeError in the view).
    body = sanitize('<img src="/p/photo.jpg">', BASE)
    assert qt_body(body, {"http://news.example.cn/p/photo.jpg": "雪后的故宫"}) == (
        '<div class="figure" align="center"><img src="http://news.example.cn/p/photo.jpg">'
        '</div><p class="caption" align="center">雪后的故宫</p>')


def test_leading_text_becomes_a_paragraph() -> None:
    assert qt_body("导语 &amp; 摘要<p>正文</p>", {}) == "<p>导语 &amp; 摘要</p><p>正文</p>"
    assert qt_body("  \n<p>正文</p>", {}) == "<p>正文</p>"
    assert qt_body(" \n ", {}) == ""
