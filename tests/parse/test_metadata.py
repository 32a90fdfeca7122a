"""What metadata.read takes from a page's <head>: <meta> in its many spellings, <link>,
microdata, <time> and <title>."""

from __future__ import annotations

from reader.parse import metadata
from reader.parse.html import document

URL = "https://news.example.cn/2024/0521/a.html"

PORTAL_HEAD = """<!DOCTYPE html>
<html xml:lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="keywords" content="长者食堂,社区">
<title>
  长者食堂开到家门口 _ 社会 _ 新闻网
</title>
<meta property="og:site_name" content="">
<meta name="Application-Name" content="新闻网">
<meta property="twitter:title" content="长者食堂开到家门口（推特）">
<meta property="og:title" content="长者食堂开到家门口">
<meta property="og:url" content="https://news.example.cn/a.html">
<meta name="author" content="https://news.example.cn/authors/17">
<meta name="twitter:creator" content="@newsdesk">
<meta name="dc.creator" content="李明">
<meta name="byl" content="王芳">
<meta name="PubDate" content="2024-05-21 08:30">
<meta property="article:published_time" content="2024-05-21T08:30:00+08:00">
<meta property="article:published_time" content="2019-01-01T00:00:00+08:00">
<meta name="dateModified" content="2024-05-22">
<meta itemprop="og:locale" content="zh_CN">
<meta name="  " content="nameless">
<meta name="description" content="   ">
</head><body>
<span itemprop="datePublished" content="2024-05-21"></span>
<span itemprop="dateCreated" datetime="2024-05-20T22:00"></span>
<p>发布时间：<time datetime="2024-05-21T08:30">5月21日</time> <time datetime="">今天</time></p>
</body></html>"""


def _read(html: str) -> metadata.PageMeta:
    root, _ = document(html.encode(), URL, None, absolute_links=False)
    return metadata.read(root)


def test_head_fields_come_from_the_first_meta_of_the_most_trusted_name() -> None:
    meta = _read(PORTAL_HEAD)
    assert meta.title == "长者食堂开到家门口"  # og:title outranks twitter:title
    assert meta.site_name == "新闻网"  # the empty og:site_name is skipped, names are caseless
    assert meta.doc_title == "长者食堂开到家门口 _ 社会 _ 新闻网"
    assert meta.canonical == "https://news.example.cn/a.html"  # og:url when no <link>
    # the most specific date key first, the first of two equal names, then microdata
    assert meta.dates == ["2024-05-21T08:30:00+08:00", "2024-05-21 08:30",
                          "2024-05-21", "2024-05-20T22:00"]
    assert meta.modified == ["2024-05-22"]
    assert meta.time_tags == ["2024-05-21T08:30", ""]
    # a profile URL and an @handle are not names: the first author <meta> that is one
    assert meta.declared_authors == ["李明"]
    assert meta.language == "zh-CN"


def test_link_canonical_and_meta_language_are_fallbacks_in_their_order() -> None:
    meta = _read('<html><head><LINK REL="Canonical" href=" /a.html ">'
                 '<meta property="og:url" content="https://news.example.cn/other.html">'
                 '<meta http-equiv="Content-Language" content=" en-GB ">'
                 '<meta property="og:locale" content="en_US"></head><body><p>x</p></body></html>')
    assert meta.canonical == "/a.html"
    assert meta.language == "en-GB"
    assert (meta.title, meta.site_name, meta.doc_title) == ("", "", "")
    assert (meta.dates, meta.declared_authors, meta.time_tags) == ([], [], [])


def test_an_author_meta_that_is_only_a_handle_gives_no_name() -> None:
    meta = _read('<html><head><meta name="author" content="@desk">'
                 '<meta name="parsely-author" content="http://x.example/me"></head>'
                 '<body><p>x</p></body></html>')
    assert meta.declared_authors == []
