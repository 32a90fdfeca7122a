"""The 来源 of a portal article: the outlet its text comes from.

Labelled (`来源：新京报`, `本文来源：`, `信息来源：`, `來源：`, `出处`, `稿源`) in the info line
under the headline or in a credit line of its own just under the body; else the info line's
outlet slot: an element whose class says source, an agency dateline opening the story
(`（法新社羅馬19日電）`), the outlet before a reporter's byline (`聯合報／記者…`), or a short
Chinese link or span right after the time. The label is never part of the value, a `(杭州)`
city tag goes, photo credits (`图片来源`) and placeholders (`网络`, `综合`) are no outlet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from reader.parse.portal import Line
from reader.text import HAN, HAN_RE

LABEL = re.compile(
    r"(?<![图圖片照视視频頻像题題])(?:本文|文章|信息|新闻|新聞|稿件|内容|內容|消息)?"
    r"(?:来源于|來源於|来源|來源|出处|出處|稿源)(?:\s*[:：|丨｜]\s*|\s+)")
# Where the outlet's name ends: a space, the next label, a date glued to it.
_VALUE_END = re.compile(r"\s|作者|记者|記者|编辑|編輯|责任编辑|时间|時間|发布|發布|日期|浏览|"
                         r"瀏覽|阅读|閱讀|点击|點擊|\d{4}\s*[-/.年]\s*\d|$")
_PLACE_TAIL = re.compile(r"\s*[（(][^（()）]{1,6}[）)]$")  # `钱江晚报(杭州)`: a city
_PAIRS = {"【": "】", "[": "]", "〔": "〕", "「": "」", "『": "』", "《": "》", "（": "）",
          "(": ")"}
_PLAIN_ENDS = ":：|｜丨·•-— <>"
_NOT_OUTLET = re.compile(r"^(?:网络|網絡|网路|網路|互联网|互聯網|网友|網友|未知|不详|不詳|本站|"
                         r"本网|本網|综合|綜合|原创|原創|转载|轉載|暂无|暫無|佚名|转载文章|"
                         r"轉載文章|网络转载|網絡轉載|网络整理|網絡整理)$")
_OUTLET_CLASS = re.compile(r"source|provider|origin", re.I)
# `中央社 澎湖縣28日電`, `（法新社羅馬19日電）`: an agency's dateline opening the story.
_AGENCY_DATELINE = re.compile(
    rf"^[（(]?\s*(?:据|據)?([{HAN}]{{1,6}}(?:社|网|網))\s*(?:(?:记者|記者)[^\d（()）]{{0,12}}?)?"
    rf"[{HAN}]{{0,6}}?(?:\d{{1,2}}月)?\d{{1,2}}日[电電]")
# `聯合報／記者王小明／台北報導`: the outlet before the reporter's byline.
_OUTLET_BYLINE = re.compile(
    rf"^[（(〔【]?\s*([{HAN}]{{1,8}}(?:报|報|社|网|網|台|新闻|新聞))\s*[／/]\s*(?:记者|記者)")
# Words in an info line that are buttons, not an outlet.
_UI_WORD = re.compile(r"举报|舉報|分享|收藏|评论|評論|打印|列印|关注|關注|订阅|訂閱|字号|字號|"
                      r"返回|首页|首頁|登录|登錄|纠错|糾錯|跟贴|跟帖|手机|手機|微信|微博|朗读|"
                      r"朗讀|来自|來自|发布于|發布於|浏览|瀏覽|阅读|閱讀|点击|點擊|字体|字體|"
                      r"星期|礼拜|禮拜|周[一二三四五六日天]|週[一二三四五六日天]|上午|下午|"
                      r"来源|來源|作者|编辑|編輯|记者|記者|扫码|掃碼|二维码|二維碼")
# An info line's IP location (`北京`) sits in an element that says so.
_PLACE_CLASS = re.compile(r"\bip|location|loc\b|area|city|region|address", re.I)

_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}.*\d{1,2}:\d{2}")
_SLOT_TAGS = frozenset({"a", "span", "em", "i", "b", "strong", "cite"})
_AUTHOR_CLASS = re.compile(r"author|byline|writer|reporter", re.I)


def find(region: Sequence[Line], info: int, short: int) -> str:
    """The 来源 of ``region`` (the runs from the headline to just under the body; the first
    ``info`` are its info line): labelled in the info line, else the last labelled credit line
    after it (lines up to ``short`` characters), else the info line's outlet slot."""
    values = [_labelled(region, i, info, short) for i in range(len(region))]
    labelled = (next((v for v in values[:info] if v), "")
                or next((v for v in reversed(values[info:]) if v), ""))
    head = region[:info]
    return labelled or _classed_slot(head) or _opening_credit(head) or _after_date(head)


def _labelled(region: Sequence[Line], i: int, info: int, short: int) -> str:
    """The outlet a label on ``region[i]`` names; a label that ends its line names the next
    line. After the info line, only a credit line or a bracketed credit counts."""
    text = region[i].text
    m = LABEL.search(text) if len(text) <= short else None
    if not m or (i >= info and m.start() > 1 and text[m.start() - 1] not in "（(【["):
        return ""
    value = text[m.end():]
    if not _trim(value) and i + 1 < len(region):
        value = region[i + 1].text
    return _outlet(value)


def _classed_slot(head: Sequence[Line]) -> str:
    """A short element of the info line whose class or id says source."""
    for run in head:
        if len(run.text) <= 30 and _OUTLET_CLASS.search(_class_and_id(run.element)):
            value = _slot_outlet(run.text)
            if value:
                return value
    return ""


def _opening_credit(head: Sequence[Line]) -> str:
    """An agency's dateline, or the outlet before a reporter's byline."""
    for run in head:
        m = _AGENCY_DATELINE.match(run.text) or _OUTLET_BYLINE.match(run.text)
        if m:
            return m.group(1)
    return ""


def _class_and_id(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _after_date(head: Sequence[Line]) -> str:
    """The outlet slot of an info line: a short link or span right after the time."""
    for before, run in itertools.pairwise(head):
        if len(before.text) > 30 or not _DATE.search(before.text):
            continue
        if (run.element.tag in _SLOT_TAGS and len(run.text) <= 20
                and not _UI_WORD.search(run.text) and not marked_author(run.element, own=True)
                and not _PLACE_CLASS.search(_class_and_id(run.element))
                and _same_line(before.element, run.element)):
            return _slot_outlet(run.text)
        return ""
    return ""


def _same_line(a: HtmlElement, b: HtmlElement) -> bool:
    """Two elements of one short info line: a common ancestor two levels up at most."""
    near = [a, *itertools.islice(a.iterancestors(), 2)]
    for node in [b, *itertools.islice(b.iterancestors(), 2)]:
        if any(node is n for n in near):
            return len(node.text_content()) <= 200
    return False


def _slot_outlet(value: str) -> str:
    """An unlabelled outlet slot is a portal's: it names the outlet in Chinese."""
    value = _outlet(value)
    return value if HAN_RE.search(value) else ""


def _outlet(value: str) -> str:
    value = _trim(value)
    value = value[:_VALUE_END.search(value).start()]  # type: ignore[union-attr]
    value = _trim(_PLACE_TAIL.sub("", value))
    if not 2 <= len(value) <= 40 or _NOT_OUTLET.match(value) or not re.search(r"[^\d\W]", value):
        return ""
    return value


def _trim(value: str) -> str:
    """Separators off both ends, and brackets that lost their partner (`新华网】`); a title's
    brackets inside the name stay (`光明网-《光明日报》`)."""
    while True:
        value = value.strip(_PLAIN_ENDS)
        if value[:1] in _PAIRS and _PAIRS[value[0]] not in value:
            value = value[1:]
        elif value[-1:] in _PAIRS.values() and not any(
                o in value for o, c in _PAIRS.items() if c == value[-1]):
            value = value[:-1]
        elif (value[:1] in _PAIRS and value.endswith(_PAIRS[value[0]])
              and value.count(value[0]) == 1):
            value = value[1:-1]
        else:
            return value


def marked_author(el: HtmlElement, *, own: bool = False) -> bool:
    """The element (or, unless ``own``, its parent) says author: by class or id, rel=author,
    itemprop=author."""
    owners = [o for o in (el, None if own else el.getparent()) if o is not None]
    return any(_AUTHOR_CLASS.search(_class_and_id(o))
               or "author" in (o.get("rel", ""), o.get("itemprop", "")) for o in owners)
