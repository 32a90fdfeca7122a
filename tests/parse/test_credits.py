"""The 来源 and the author of portal article pages: each class of credit, in the page shapes
portals send (a nav bar, an info line under the headline, the body, credits after it)."""

from reader.parse.article import extract

URL = "https://news.example.cn/2024/0518/a1.html"
PARAGRAPH = ("今年入夏以来，全市各区陆续开放了十二处纳凉点，社区志愿者每天轮流值守，"
             "为独居老人送去绿豆汤和防暑药品，附近居民也纷纷加入进来。")


def page(info: str, *, before: str = "", after: str = "", head: str = "",
         title_tag: str = "全市开放十二处纳凉点_示例新闻网") -> bytes:
    """A portal article: nav, headline, ``info`` line, ``before`` + body + ``after``."""
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title_tag}</title>
{head}</head><body>
<div class="top-nav"><a href="/">首页</a><a href="/news/">新闻</a><a href="/tech/">科技</a></div>
<div class="main"><h1>全市开放十二处纳凉点</h1>
<div class="info">{info}</div>
<div class="article">{before}{body}{after}</div></div>
<div class="side"><h3>热门排行</h3>
<ul><li><a href="/b.html">另一篇文章的标题在这里</a></li></ul></div>
<div class="footer">版权所有 示例新闻网</div></body></html>""".encode()


def test_outlet_slot_beside_the_time_is_the_source() -> None:
    article = extract(page('<span class="date">2024年05月18日 09:05</span>'
                           '<a href="http://www.example-daily.cn/">北方晚报</a>'
                           '<a href="#">举报</a>'), URL)
    assert article.source == "北方晚报"


def test_source_label_is_not_kept_and_a_city_tag_is_dropped() -> None:
    article = extract(page("2024-05-18 09:05:00 来源：<a href='/'>钱江晚报</a>(杭州)",
                           before="<p>图片来源：视觉中国</p>"), URL)
    assert article.source == "钱江晚报"


def test_photo_credit_is_not_the_source() -> None:
    article = extract(page("2024-05-18 09:05:00", before="<p>图片来源：视觉中国</p>",
                           after="<p>本文来源：北方晚报</p>"), URL)
    assert article.source == "北方晚报"


def test_reporter_byline_beats_the_responsible_editor() -> None:
    article = extract(page("2024-05-18 09:05:00 来源：北方晚报",
                           after="<p>（记者唐霁）</p><p>责任编辑：杜硕_NB12556</p>"), URL)
    assert article.author == "唐霁"


def test_responsible_editor_is_the_fallback_without_its_id() -> None:
    article = extract(page("2024-05-18 09:05:00 来源：北方晚报",
                           after="<p>[责任编辑：韩保林 PK155]</p>"), URL)
    assert article.author == "韩保林"


def test_an_editor_id_alone_is_no_author() -> None:
    article = extract(page("2024-05-18 09:05:00 来源：北方晚报",
                           after="<span>责任编辑：NF055</span>"), URL)
    assert article.author == ""


def test_writer_credit_beats_editors_and_keeps_two_names() -> None:
    article = extract(page("2024-05-18 09:05:00",
                           after="<p>本文来源：北方晚报 作者：何苗 张梦洁</p>"
                                 "<p>（编辑：严玉洁）</p>"), URL)
    assert (article.source, article.author) == ("北方晚报", "何苗 张梦洁")


def test_a_columnist_title_before_the_name_is_skipped() -> None:
    article = extract(page("2024-05-18 09:05:00", before="<p>【文/观察者网专栏作者 王文】</p>"),
                      URL)
    assert article.author == "王文"


def test_site_name_as_author_is_rejected() -> None:
    article = extract(page("2024-05-18 09:05:00", head='<meta name="author" content="示例新闻">',
                           title_tag="全市开放十二处纳凉点_示例新闻"), URL)
    assert article.author == ""


def test_organisation_placeholder_and_source_are_no_author() -> None:
    for credit in ("作者：北方晚报", "作者：网络整理", "作者：name, email@example.com"):
        article = extract(page("2024-05-18 09:05:00 来源：北方晚报", after=f"<p>{credit}</p>"),
                          URL)
        assert article.author == "", credit


def test_placeholder_author_falls_back_to_the_editor() -> None:
    article = extract(page("时间：2024-05-18", after="<p>作者：网络整理</p><p>责编：Demi Xia</p>"),
                      URL)
    assert article.author == "Demi Xia"


def test_photographer_is_not_the_author() -> None:
    article = extract(page("2024-05-18 09:05:00",
                           before="<p>（图/记者 张蕊 摄）</p><p>北方晚报记者 张蕊 摄</p>"), URL)
    assert article.author == ""


def test_words_after_reporter_in_prose_are_no_name() -> None:
    text = "记者注意到，今年的纳凉点比去年多了四处，" + PARAGRAPH
    article = extract(page("2024-05-18 09:05:00", before=f"<p>{text}</p>"), URL)
    assert article.author == ""


def test_traditional_labels_and_a_reporter_dateline() -> None:
    article = extract(page("<time>2018-02-28 14:31</time> 來源：中央社",
                           before="<p>（中央社記者邱俊欽桃園19日電）桃園市平鎮區一家輪胎行今天清晨"
                                  "發生大火，7人從火場中疏散。</p>"), URL)
    assert (article.source, article.author) == ("中央社", "邱俊欽")


def test_traditional_reporter_line_and_sign_off() -> None:
    byline = extract(page("2017年12月09日 00:26", before="<p>記者林悅／南市報導</p>"), URL)
    assert byline.author == "林悅"
    sign_off = extract(page("出版時間：2016/05/21 11:44",
                            after="<p>女子送醫不治，警方調查中。（王煌忠／台中報導）</p>"), URL)
    assert sign_off.author == "王煌忠"


def test_agency_dateline_names_the_source() -> None:
    article = extract(page("<time>2024年5月20日 下午2:05</time>",
                           before="<p>（法新社羅馬19日電） 德國網球好手今天擊敗智利選手。</p>"),
                      URL)
    assert article.source == "法新社"


def test_author_slot_marked_by_rel_author() -> None:
    article = extract(page('<time>2018年09月16日 15:31</time><a href="/c/11">中時</a>'
                           '<div class="rp"><a href="/reporter/899" rel="author">謝明俊</a></div>'),
                      URL)
    assert (article.source, article.author) == ("中時", "謝明俊")


def test_footer_chief_editor_is_not_the_author() -> None:
    footer = "<div class='foot'><p>总编辑：王大明</p><p>值班编辑：李小红</p></div>"
    article = extract(page("2024-05-18 09:05:00 来源：北方晚报", after=footer), URL)
    assert article.author == ""


def test_sources_of_the_articles_listed_under_the_body_are_not_its_source() -> None:
    listed = "".join(f"<li><a href='/n{i}.html'>另一条新闻的标题第{i}条</a></li>"
                     for i in range(12))
    later = "<p>来源：南方日报</p>"
    article = extract(page("2024-05-18 09:05:00", after=f"<ul class='more'>{listed}</ul>{later}"),
                      URL)
    assert article.source == ""


def test_bracketed_source_closing_the_body() -> None:
    article = extract(page("2005.08.26 05:39", after="<p>2005年8月25日（来源：上海证券报）</p>"),
                      URL)
    assert article.source == "上海证券报"


def test_site_acronym_or_domain_is_no_author() -> None:
    for credit in ("作者：CSDN.NET", "作者：CNN", "作者：ifeng.com"):
        article = extract(page("2024-05-18 09:05:00", after=f"<p>{credit}</p>"), URL)
        assert article.author == "", credit


def test_reporter_inside_a_sentence_or_a_menu_is_no_byline() -> None:
    for line in ("<p>经记者查实，这则新闻的主角</p>",
                 "<p><a href='/b'>记者博客</a> <a href='/c'>联系记者</a></p>",
                 "<p>第A04版：小记者训练营</p>"):
        article = extract(page("2024-05-18 09:05:00", before=line), URL)
        assert article.author == "", line


def test_placeholder_and_search_words_are_no_source() -> None:
    for line in ("来源：转载文章", "（来源搜索：“金锺国”）", "来源：网络"):
        article = extract(page(f"2024-05-18 09:05:00 {line}"), URL)
        assert article.source == "", line


def test_organisation_names_are_no_author() -> None:
    for credit in ("作者：大汉网络", "By Hans Publishers", "作者：某某传媒"):
        article = extract(page("2024-05-18 09:05:00", after=f"<p>{credit}</p>"), URL)
        assert article.author == "", credit


def test_vertical_bar_variants_separate_a_label() -> None:
    article = extract(page("2017-03-10 09:58:03 来源： 网易科学人",
                           after="<p>出品︱科学人栏目组</p><p>作者︱春春</p>"), URL)
    assert (article.source, article.author) == ("网易科学人", "春春")


def test_english_byline_words_are_not_names() -> None:
    html = f"""<html><head><meta charset="utf-8"><title>Harbour cranes return</title></head>
<body><h1>Harbour cranes return</h1><div class="byline"><span class="by">By</span>
<a class="author" href="/staff/a">Reuters</a><span class="date">November 2, 2017</span></div>
<div class="story"><p>{"The old cranes were repainted and put back to work this spring. " * 6}</p>
</div></body></html>"""
    article = extract(html.encode(), "https://news.example.com/cranes")
    assert (article.author, article.source) == ("", "")


def test_reporter_in_the_dateline_of_the_first_paragraph() -> None:
    lead = "人民网北京5月18日电（记者张三、李四）" + PARAGRAPH
    article = extract(page("2024-05-18 09:05:00 来源：人民网", before=f"<p>{lead}</p>",
                           after="<p>(责编：王五、赵六)</p>"), URL)
    assert article.author == "张三 李四"


def test_title_brackets_inside_a_source_stay_and_a_lost_bracket_goes() -> None:
    kept = extract(page("2024-01-05 05:00 来源：光明网-《光明日报》"), URL)
    assert kept.source == "光明网-《光明日报》"
    cut = extract(page("2024-01-05 05:00 【来源：新华网】"), URL)
    assert cut.source == "新华网"


def test_a_chinese_meta_author_counts_only_when_printed() -> None:
    brand = extract(page("2024-05-18 09:05:00", head='<meta name="author" content="某易">'), URL)
    assert brand.author == ""
    printed = extract(page("2024-05-18 09:05:00", after="<div class='sign'>严玉洁</div>",
                           head='<meta name="author" content="严玉洁">'), URL)
    assert printed.author == "严玉洁"


def test_an_author_beside_the_time_is_not_the_outlet() -> None:
    article = extract(page('<span class="time">2024-05-18 09:05</span>'
                           '<span class="author">严玉洁</span>'), URL)
    assert (article.source, article.author) == ("", "严玉洁")


def test_source_is_shown_as_printed() -> None:
    article = extract(page("2024年01月05日08:21 | 来源：<a href='/'>人民网－人民日报</a>"), URL)
    assert article.source == "人民网－人民日报"


def test_reporter_before_a_photographer_in_one_byline() -> None:
    article = extract(page("2024-05-18 09:05", before="<p>記者 王小明 攝影 李大華 / 台北報導</p>"),
                      URL)
    assert article.author == "王小明"


def test_outlet_before_the_reporter_byline_is_the_source() -> None:
    article = extract(page("2018-02-28 14:31", before="<p>聯合報／記者王小明／台北報導</p>"), URL)
    assert (article.source, article.author) == ("聯合報", "王小明")


def test_weekday_counter_and_ip_location_beside_the_time_are_no_outlet() -> None:
    for after_time in ('<span>星期五</span>', '<span>阅读</span><span>1024</span>',
                       '<span class="ip-location">北京</span>'):
        article = extract(page(f'<span class="time">2024-01-05 10:20</span>{after_time}'), URL)
        assert article.source == "", after_time


def test_a_date_glued_to_the_source_is_not_part_of_it() -> None:
    article = extract(page("来源：人民日报2024年01月05日"), URL)
    assert article.source == "人民日报"


def test_a_title_before_a_latin_name_is_skipped() -> None:
    article = extract(page("2024-05-18 09:05:00",
                           after="<p>作者：英国金融时报专栏 Tom Hancock</p>"), URL)
    assert article.author == "Tom Hancock"


def test_five_latin_words_are_a_phrase_not_a_name() -> None:
    for credit, author in (("作者：Jean Pierre Paul Dupont", "Jean Pierre Paul Dupont"),
                           ("作者：Jean Pierre Paul Marie Dupont", "")):
        article = extract(page("2024-05-18 09:05:00", after=f"<p>{credit}</p>"), URL)
        assert article.author == author, credit


def test_han_names_end_at_the_first_word_that_is_not_one() -> None:
    article = extract(page("2024-05-18 09:05:00",
                           after="<p>记者 张三 李四 王五 赵六 孙七 通讯员 周八</p>"), URL)
    assert article.author == "张三 李四 王五 赵六"


def test_an_info_line_element_classed_source_is_the_source() -> None:
    info = '<span class="article-source">北方晚报</span> <span class="time">2024-05-18 09:05</span>'
    assert extract(page(info), URL).source == "北方晚报"
    # a label anywhere in the info line says more than a class
    labelled = extract(page(f'{info} <span>来源：南方日报</span>'), URL)
    assert labelled.source == "南方日报"
    # the slot of a Chinese portal names its outlet in Chinese
    latin = '<span id="source">AFP</span> <span class="time">2024-05-18 09:05</span>'
    assert extract(page(latin), URL).source == ""
