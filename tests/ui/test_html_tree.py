"""The article view reads sanitised bodies with the standard library's parser, as lxml (which
wrote them) reads them, so the first article does not import lxml."""

from __future__ import annotations

import lxml.html
import pytest

from reader.parse.sanitize import KEEP
from reader.ui import html_tree

VOID = {"img", "br", "hr"}


def lxml_reads(fragment: str) -> str:
    return lxml.html.tostring(lxml.html.fragment_fromstring(fragment, create_parent="div"),
                              encoding="unicode")


def test_one_element_in_another_is_nested_or_closed_as_lxml_does() -> None:
    # <b> around a <p>, a <td> in a <p>: the sanitiser writes the tree it was given, and
    # reading it back closes some elements before others open. Every pair of kept tags.
    fragments = [f"<{outer}>前<{inner}>中" + ("" if inner in VOID else f"</{inner}>")
                 + f"后</{outer}>" for outer in sorted(KEEP - VOID) for inner in sorted(KEEP)]
    assert len(fragments) == 1188
    read_otherwise = [f for f in fragments if html_tree.parse(f).html() != lxml_reads(f)]
    assert read_otherwise == []


@pytest.mark.parametrize("fragment", [
    '<p>甲 &lt;img src=x onerror=alert(1)&gt; &amp;amp; 乙</p>',  # text that looks like markup
    '<p><img src="http://x.cn/a.jpg?a=1&amp;b=2" alt=\'say "hi"\'></p>',
    '<p><img src="http://x.cn/%E5%9B%BE.jpg" alt="它\'s"></p>',
    '<p>一<b>二</p>三</b>四',  # an end tag closes what is open inside it
    '<table><tr><td>甲<b>乙</td><td>丙</td></tr></table>',
    '<b>x</p>y</b>',  # an end tag with nothing to close
    '<ul>\n <li>一</li>\n</ul>\n<pre>\n  代码</pre>',
])
def test_text_attributes_and_stray_tags_read_as_lxml_reads_them(fragment: str) -> None:
    assert html_tree.parse(fragment).html() == lxml_reads(fragment)
