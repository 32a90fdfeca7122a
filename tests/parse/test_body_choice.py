"""Which block is the body, on portal shapes where text density alone picks the wrong one."""

from __future__ import annotations

from reader.parse.article import extract

URL = "https://hk.news.example.com/story-0522.html"


def test_a_short_story_wins_over_the_feed_of_teasers_under_it() -> None:
    # A syndication page: a three-sentence agency story, then a long feed of other stories'
    # summaries (no links in their text) that outweighs it.
    teasers = "".join(
        f'<li><div class="item"><div class="item-body"><h4><a href="/n{i}.html">第{i}則其他新聞'
        f'標題</a></h4><p>{"這是另一則新聞的摘要內容，與本文無關，只是推薦清單裡的一項，"*14}'
        f"讀者可點擊閱讀全文。</p></div><div class=\"src\">通訊社·{i}小時前</div></div></li>"
        for i in range(8))
    story = ("路透月度調查顯示，日本企業信心5月保持穩定，但製造業及服務業反映，日圓疲弱帶來的"
             "通脹壓力正損害利潤。製造業景氣判斷指數持平於正10，非製造業指數微升至正26，"
             "比前月高1點；未來3個月則預料有所轉差。")
    html = ('<html><head><meta charset="utf-8"><title>日本企業5月信心保持穩定</title></head><body>'
            '<div class="wrap"><div class="col"><article class="story"><header>'
            "<h1>日本企業5月信心保持穩定</h1></header><div class=\"story-body-wrap\">"
            '<div class="attr">香港電台 2024年5月22日</div>'
            f'<div class="story-body"><p>{story}</p></div></div></article></div>'
            f'<div class="aside-feed"><h3>更多新聞</h3><ul class="feed">{teasers}</ul></div>'
            "</div></body></html>").encode()
    text = extract(html, URL).text
    assert story in text and "推薦清單" not in text


def test_a_dated_line_with_an_article_class_is_not_the_body() -> None:
    # The story is one <p> of <br>-separated paragraphs in a box that also holds an app
    # banner and a hot-news strip (many links); the date line above it is called
    # "article_create", a class name that says "article".
    hot = "".join(f'<a href="/hot/{i}.html"><span>熱門新聞第{i}則標題文字很長很長</span></a>'
                  for i in range(12))
    paragraphs = ["台中市凌晨發生一起墜樓案，一名女子酒後與男友發生口角，從租屋處五樓跳樓輕生。",
                  "今晨3時許，位在文心路的一棟住宅大樓突然傳出巨響，保全人員聞訊找尋聲音來源，"
                  "才驚見一名女子倒臥在大樓大門前，救護人員趕抵現場時女子已無生命跡象。",
                  "據了解，女子與男友當晚在住處喝酒，兩人發生口角後，女子將自己反鎖在房間內，"
                  "男友察覺不對勁報警，警消破門時女子已從窗戶墜落。",
                  "警方已勘驗現場並報請相驗，將進一步釐清死因。（記者／台中報導）"]
    html = ('<html><head><meta charset="utf-8"><title>女墜樓不治</title></head><body>'
            '<main class="article"><hgroup><h1>女墜樓不治</h1>'
            '<div class="article_create">出版時間：2016/05/21 11:44</div></hgroup>'
            '<div class="article_box"><div class="article_margin">'
            f'<p>{"<br><br>".join(paragraphs)}</p>'
            '<div><a href="/app">下載新聞APP</a></div>'
            f'<div class="strip">{hot}</div></div></div></main></body></html>').encode()
    text = extract(html, "https://tw.news.example.com/20160521/1.html").text
    assert text.startswith(paragraphs[0]) and paragraphs[-1] in text


def test_the_rest_of_a_story_folded_under_read_all_is_body() -> None:
    # Portals show the opening paragraphs and fold the rest away (display:none) until the
    # reader taps 展开全文; the folded part is most of the story.
    shown = ["记者今天从市交通委获悉，城市轨道交通三号线二期工程已完成全部主体结构施工，",
             "预计明年上半年开通试运营，届时沿线居民出行将更加便捷。"]
    folded = [f"第{i}段，工程建设过程中，施工单位克服了地质条件复杂、管线密集等困难，"
              "采用多项新工艺，确保了工程质量和施工安全，沿线居民对此表示欢迎。" for i in range(8)]
    terms = "登录即表示同意用户协议和隐私政策，我们将依法保护您的个人信息，" * 8
    html = ('<html><head><meta charset="utf-8"><title>三号线二期明年开通</title></head><body>'
            '<div class="content-article"><h1>三号线二期明年开通</h1>'
            + "".join(f"<p>{p}</p>" for p in shown)
            + '<div class="fold" style="display:none">'
            + "".join(f"<p>{p}</p>" for p in folded)
            + '</div><div class="expand"><a href="javascript:;">展开全文</a></div></div>'
            f'<div class="login-dialog" style="display:none"><p>{terms}</p></div>'
            "</body></html>").encode()
    text = extract(html, "https://new.example.com/rain/a/20240520A01.html").text
    assert shown[0] in text and folded[0] in text and folded[-1] in text
    assert "用户协议" not in text


def test_a_summary_under_the_headline_does_not_replace_a_short_body() -> None:
    summary = ("摘要：市交通委表示，轨道交通三号线二期工程进展顺利，主体结构已经完工，"
               "铺轨、供电、信号、通信等设备安装正在推进，车站装修同步进行，"
               "明年上半年开通试运营，沿线居民出行将更加便捷，换乘也更方便。")
    paragraphs = ["记者今天从市交通委获悉，城市轨道交通三号线二期工程已完成全部主体结构施工，"
                  "铺轨和设备安装正在进行。",
                  "据介绍，二期工程全长十二公里，设车站九座，其中换乘站三座，"
                  "预计明年上半年开通试运营。",
                  "工程建设过程中，施工单位克服了地质条件复杂、管线密集等困难，确保了工程质量。"]
    html = ('<html><head><meta charset="utf-8"><title>三号线二期明年开通</title></head><body>'
            '<div class="wrap"><div class="top"><div class="head"><h1>三号线二期明年开通</h1>'
            f'<div class="lead"><p>{summary}</p></div></div></div>'
            '<div class="mid"><div class="txt">'
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + '</div></div></div></body></html>').encode()
    text = extract(html, "https://news.example.cn/2024/05/20/metro.html").text
    assert paragraphs[0] in text and paragraphs[-1] in text
