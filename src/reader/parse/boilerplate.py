"""Lines over the body that are no body: page furniture (责任编辑:, 【打印】, a lone timestamp),
and the headline and byline repeated at its top, which the reader shows above it."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader.parse.density import SPACE, utf8_size

_BYLINE = re.compile(r"(?:^|[·|•]\s*)(?:by|posted|published|updated)\b|作者|记者", re.I)
_DATED = re.compile(r"\d{4}[-/.年]\d{1,2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                    r"[a-z]*\.? \d{1,2}\b", re.I)
# Short lines that are page furniture, not body text.
_BOILERPLATE = re.compile(
    r"^(?:[【\[]?(?:打印|关闭|收藏|纠错|返回顶部|返回页首|字号|大|中|小|推荐给朋友|发送给朋友|"
    r"关闭窗口|打印本页|打印本文|发表评论|我要评论)[】\]]?\s*[|｜]?\s*){1,}$|"
    r"^(?:责任编辑|编辑|责编|来源|(?:发布|发表|更新)?(?:时间|日期)|点击数|浏览次数)\s*[:：]|^分享到|^上一篇|^下一篇|"
    r"^(?:share|advert|advertisement|advertisment)$|"
    r"^(?:you (?:may|might) also like|recommended(?: videos| for you)?|"
    r"related (?:articles|stories))\W*$|"
    # A timestamp line on its own (`2024-05-01 | 12:42`, `Updated May 1, 6:55 AM`).
    r"^\d{4}-\d{1,2}-\d{1,2}[\s|,]*(?:\d{1,2}:\d{2})?$|^(?:updated|posted)\b.{0,30}\d:\d\d", re.I)


def drop_boilerplate(paragraphs: list[str], title: str) -> list[str]:
    key = SPACE.sub("", title)
    kept = []
    for i, text in enumerate(paragraphs):
        if utf8_size(text) < 120 and _BOILERPLATE.search(text):
            continue
        if i < 3 and ((key and SPACE.sub("", text) == key) or _is_byline(text)):
            continue  # the headline or byline repeated over the body
        kept.append(text)
    return kept


def _is_byline(text: str) -> bool:
    """A short line with a date and who wrote it ("Published 2025-11-16 · By A. Writer")."""
    return utf8_size(text) < 160 and bool(_BYLINE.search(text)) and bool(_DATED.search(text))


def masthead(nodes: list[HtmlElement], title: str) -> list[HtmlElement]:
    """The headline and byline heading the chosen body: the reader shows both above it."""
    key = SPACE.sub("", title)
    heads = [el for node in nodes for el in node.iter("h1", "h2", "h3", "p")][:3]
    return [el for el in heads
            if (key and SPACE.sub("", el.text_content()) == key)
            or _is_byline(SPACE.sub(" ", el.text_content()).strip())]
