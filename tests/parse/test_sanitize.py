import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.parse.article import extract
from reader.parse.sanitize import _ATTRS, KEEP, sanitize

BASE = "http://example.org/news/item.html"
HOSTILE = """
<div onclick="steal()" style="background:url(http://evil.test/x.png)">
<p onmouseover="x()">Kept text <a href="javascript:alert(1)">js</a>
<a href=" JaVa&#09;Script:alert(2)">js2</a>
<a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html,hi">data</a> <a href="file:///etc/passwd">file</a>
<a href="/local/page.html">local</a></p>
<script>alert("script")</script><style>p { background: url(evil.png) }</style>
<iframe src="http://evil.test/">frame text</iframe><object data="x.swf">object text</object>
<embed src="x.swf"><form action="/post"><input name="q"><button>Go</button>form text</form>
<img src="http://tracker.test/pixel.gif" width="1" height="1">
<img src="data:image/gif;base64,R0lGOD" data-src="/img/real.jpg" onerror="x()">
<table><tr><td style="color:red">cell</td></tr></table>
<figure><img src="/img/a.png"><figcaption>A caption</figcaption></figure>
</div>"""

# Mutation XSS and parser differentials: markup that means one thing to one parser and
# another to the next (the output is parsed again by the reading view and by browsers).
# bench/sanitize.py also judges them as a browser parses (html5lib).
MXSS = [
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(2)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(3)></style></table></mtext>"
    "</math>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(4)>\">",
    '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(5)>',
    "<form><form><input formaction=javascript:alert(6)><button>x</button></form></form>",
    '<a href="jav&#x09;ascript:alert(7)">tab</a><a href="&#106;avascript:alert(8)">ent</a>',
    '<a href="java\nscript:alert(9)">nl</a><a href="  javascript:alert(10)">sp</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=">data</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(12)>">',
    '<img srcset="javascript:alert(13) 1x">',
    '<p style="background:url(javascript:alert(14))">css</p>',
    '<div style="width:expression(alert(15))">expr</div>',
    "<style>@import 'http://evil.test/x.css';</style>",
    "<table><tr><td><script>alert(16)</script>cell</td></tr></table>",
    "<p>unclosed <b>bold <i>italic <a href='http://safe.test/u'>link",
    "<listing><img src=x onerror=alert(17)></listing>",
    "<xmp><img src=x onerror=alert(18)></xmp>",
    "<textarea><img src=x onerror=alert(19)></textarea>",
    "<title><img src=x onerror=alert(20)></title>",
    "<iframe srcdoc='&lt;script&gt;alert(21)&lt;/script&gt;'></iframe>",
    "<object data='javascript:alert(22)'></object><embed src='javascript:alert(23)'>",
    "<a href='http://safe.test/ok' onclick='alert(24)' formaction='javascript:alert(25)'>ok</a>",
    "<svg><a xlink:href='javascript:alert(26)'><text>svg link</text></a></svg>",
    "<math href='javascript:alert(27)'>math link</math>",
    "<base href='javascript:alert(28)//'><a href='/x'>rel</a>",
    "<meta http-equiv='refresh' content='0;javascript:alert(29)'>",
    "<![CDATA[<img src=x onerror=alert(30)>]]>",
    "<!--<img src=x onerror=alert(31)>--><!--><img src=x onerror=alert(32)>-->",
    "<img src=x onerror=alert(33)//",
    "<<script>alert(34)//<</script>",
    "<scr<script>ipt>alert(35)</scr</script>ipt>",
    '<a href="http://safe.test/q?x=1&y=<script>">query</a>',
    "<details open ontoggle=alert(36)>d</details>",
    "<video><source onerror=alert(37)></video><audio src=x onerror=alert(38)></audio>",
    "<figure><img src='/p.jpg'><figcaption>图片说明 caption</figcaption></figure>",
]



def test_active_content_is_gone_with_its_text() -> None:
    out = sanitize(HOSTILE, BASE)
    for tag in ("script", "style", "iframe", "object", "embed", "form", "input", "button"):
        assert f"<{tag}" not in out
    for text in ('alert("script")', "frame text", "object text", "form text"):
        assert text not in out
    assert "Kept text" in out and "cell" in out


def test_no_handlers_styles_or_css_urls() -> None:
    out = sanitize(HOSTILE, BASE)
    assert not re.search(r"\son\w+\s*=", out)
    assert "style=" not in out and "url(" not in out


def test_only_http_links_survive() -> None:
    out = sanitize(HOSTILE, BASE)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', out)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert 'href="http://example.org/local/page.html"' in out
    for scheme in ("javascript:", "vbscript:", "data:", "file:"):
        assert scheme not in out.lower()


def test_trackers_dropped_lazy_images_resolved() -> None:
    out = sanitize(HOSTILE, BASE)
    assert "tracker.test" not in out
    assert 'src="http://example.org/img/real.jpg"' in out
    assert "<figcaption>A caption</figcaption>" in out


def test_empty_fragment() -> None:
    assert sanitize("", BASE) == "" and sanitize("   ", BASE) == ""


@settings(derandomize=True)  # the same examples every run
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ ajvscriptonloadhref:x")), max_size=80))
def test_never_raises_and_never_lets_script_through(fragment: str) -> None:
    out = sanitize(fragment, BASE)
    assert "<script" not in out.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", out)


def test_hostile_attribute_names_and_control_references_do_not_break_it() -> None:
    # Found by bench/fuzz.py: a "{" attribute name cannot be deleted by name, and &#1;
    # becomes a control character that lxml refuses when the tree is edited.
    body = ("<html><body><div><p>" + "正文内容足够长，用来测试清理过程。" * 6 +
            '<a {="x" href="http://example.org/a">链接</a> 控制&#1;字符&#x1f;</p>'
            '<img src="http://example.org/p.png" alt="&#2;"></div></body></html>')
    article = extract(body.encode(), "http://example.org/page.html")
    assert "链接" in article.text and "控制字符" in article.text
    assert "{" not in article.html and "\x01" not in article.html


def test_the_image_of_a_picture_survives_its_source_elements() -> None:
    # libxml2 does not know <source> is void and nests the <img> inside it; dropping <source>
    # with its content lost every such picture (three pages of shared/corpus, 15 images).
    fragment = ("<figure><picture><source srcset='/a.webp 1x' type='image/webp'>"
                "<source srcset='/a.avif'><img src='/a.jpg' alt='图'></picture>"
                "<figcaption>说明</figcaption></figure>"
                "<video><source src='/v.mp4'>视频后备文字</video>")
    out = sanitize(fragment, BASE)
    assert '<img src="http://example.org/a.jpg" alt="图">' in out
    assert "<figcaption>说明</figcaption>" in out
    assert "source" not in out and "v.mp4" not in out and "视频后备文字" not in out


@pytest.mark.parametrize("piece", MXSS)
def test_parser_differentials_leave_only_the_allow_list(piece: str) -> None:
    out = sanitize(f"<p>正文{piece}正文</p>", BASE)
    holder = lxml.html.fragment_fromstring(out, create_parent="div")
    for el in holder.iterdescendants():
        assert isinstance(el.tag, str) and el.tag in KEEP, el.tag
        assert set(el.attrib) <= set(_ATTRS.get(el.tag, ())), (el.tag, dict(el.attrib))
        for name in ("href", "src"):
            if name in el.attrib:
                assert el.attrib[name].startswith(("http://", "https://")), el.attrib[name]
    assert out.startswith("<p>正文")  # the article's words before the piece are kept
