"""Who wrote a portal article and where it came from: the 作者/记者/编辑 credits, and the 来源
found by outlet.py.

Portals print these in an info line under the headline (`2019-09-07 09:59 来源: 新京报`), in a
byline (`记者林悅／南市報導`, `（记者唐霁）`, `【文/专栏作者 王文】`) and in the credits after
the body (`本文来源：… 作者：…`, `责任编辑：杜硕_NB12556`). The author is the strongest credit
found: 作者 first, then 记者, then an author slot, the page's structured author, then 编辑
and 责任编辑. A wrong author is worse than none, so every candidate must look like a person's
name and must not be the site, the 来源, a photographer or a placeholder.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.parse import outlet
from reader.parse.portal import Line
from reader.text import HAN, HAN_RE

# Ranks: the lower, the stronger the claim to be the author.
_WRITER, _REPORTER, _SLOT, _STRUCTURED, _EDITOR, _CHIEF_EDITOR, _META = range(7)
_ROLES = {"作者": _WRITER, "作 者": _WRITER, "撰文": _WRITER, "撰稿": _WRITER, "文": _WRITER,
          "记者": _REPORTER, "記者": _REPORTER, "编辑": _EDITOR, "編輯": _EDITOR,
          "责任编辑": _CHIEF_EDITOR, "責任編輯": _CHIEF_EDITOR, "责编": _CHIEF_EDITOR,
          "責編": _CHIEF_EDITOR}
_SEP = r"[:：/／丨|｜︱]"
# Any credit at all: a label, or the 报道 of a sign-off.
_CREDIT_WORD = re.compile(r"作|撰|记者|記者|编|編|责|責|文|報導|报道|报导")
# `文` is a label only with a separator after it (`文/`, `文丨`): alone it is just a word.
_CREDIT = re.compile(
    r"(责任编辑|責任編輯|责编|責編|(?<![总總主副班])(?:编辑|編輯)(?!部)|作\s?者|撰文|撰稿|"
    r"(?<!小)(?:记者|記者)|"
    rf"(?<![{HAN}])文(?=\s*{_SEP}))\s*({_SEP})?\s*")
# `（王煌忠／台中報導）`: a reporter's sign-off without a label.
_SIGN_OFF = re.compile(
    rf"^[（(]\s*([{HAN}]{{2,4}})\s*[／/]\s*[{HAN}]{{1,8}}(?:報導|报道|报导)\s*[）)]$")
# `邱俊欽桃園19日電`: a dateline glued to the name (`记者` + name + place + day + 电).
_DATELINE = re.compile(rf"^([{HAN}]{{4,8}}?)\d{{1,2}}日[电電]")
_BRACKETED = re.compile(r"[（(【\[〔]([^（()）【】\[\]〔〕]{2,40})[）)】\]〕]")
_BRACKETED_END = re.compile(r"[（(【\[〔]([^（()）【】\[\]〔〕]{2,40})[）)】\]〕]$")
_CLOSERS = "）)】]〕"
_DATELINE_SPAN = 40  # characters of a paragraph's opening where a dateline credit sits
_NAME_SPLIT = re.compile(r"[\s、，,;；/／|｜丨]+")
_HAN_NAME = re.compile(rf"^[{HAN}]{{2,4}}$|^[{HAN}]{{1,6}}[·・•‧][{HAN}]{{1,8}}$")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z.'’-]*$")
# `CSDN.NET`, `CNN`, `ifeng.com`: an acronym or a domain is a site, not a person (`J.K.` is).
_SITE_WORD = re.compile(r"^(?=.*[A-Z]{2})[A-Z.&]+$|\.(?i:com|net|org|cn|io)$")
_STRIP = "【】[]〔〕「」『』《》（）()<>:：|｜丨·•-— "
_CODE = re.compile(r"[_\-]?[A-Za-z]{1,5}\d{2,}$")  # editor IDs: 杜硕_NB12556, PK155
# Words after a list of names that end it, and words that are never names.
_NOT_NAME = re.compile(
    r"报道|報導|报导|通讯员|通訊員|实习生|實習生|摄影|攝影|发自|發自|综合|綜合|整理|编译|編譯|"
    r"翻译|翻譯|简介|簡介|介绍|文章|观点|觀點|立场|立場|专栏|專欄|主页|更多|最新|相关|相關|"
    r"未知|佚名|匿名|不详|暂无|小编|网友|網友|原创|原創|转载|轉載|投稿|管理员|本站|本网|本報|本报|"
    r"来源|來源|获悉|獲悉|注意到|了解到|表示|采访|採訪|关注|關注|订阅|訂閱|博客|联系|聯繫|"
    r"作者|记者|記者|编辑|編輯|评论|評論")
_SHOT = re.compile(r"摄影|攝影|摄|攝|供图|供圖")
_PHOTO = re.compile(r"摄|攝|供图|供圖|图片|圖片|图/|图／|圖/|圖／|题图|題圖|配图|配圖")
# Organisations: a name that ends like an outlet or an institution is not a person.
_ORG_END = re.compile(
    r"(?:网|網|报|報|社|台|站|部|中心|集团|集團|公司|频道|頻道|新闻|新聞|财经|財經|科技|杂志|"
    r"雜誌|周刊|週刊|日报|日報|电视|電視|研究院|研究所|委员会|委員會|局|厅|廳|院|办|辦|室|"
    r"组|組|团|團|队|隊|号|號|所|会|會|处|處|署|司|省|市|县|縣|区|區|营|營|网络|網絡|传媒|傳媒|"
    r"媒体|媒體|工作室)$")
_LATIN_ORG = re.compile(r"\b(?:press|publish\w*|news|media|agency|group|inc|ltd|network|times|"
                        r"post|daily|journal|staff|editors?|admin|team|online|reuters|"
                        r"bloomberg|xinhua|organi[sz]ation|foundation|institute|university|"
                        r"association|society|works)\b", re.I)
# Words of a byline that are not a name: `By`, `Posted by`, `Image`, `Updated`.
_NOT_LATIN_NAME = re.compile(r"^(?:by|posted|written|and|the|image|photo|photos|credit|source|"
                             r"updated|published|share|follow|more|about|author|authors|"
                             r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|"
                             r"july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|"
                             r"dec(?:ember)?)$", re.I)
_BY = re.compile(r"^\s*(?:(?:posted|written|reported)\s+)?by\b[:\s]*", re.I)
# After a label without a separator, names end the line or come before a `／`, a `报道`, a
# dateline: `记者 张三 李四`, `記者林悅／南市報導`, `中央社記者邱俊欽桃園19日電`.
_BYLINE_NAMES = re.compile(
    rf"^[{HAN}]{{2,4}}?(?:\s+[{HAN}]{{2,4}}?)*\s*(?:$|[／/、]|报道|報導|报导|通讯员|通訊員|实习生|"
    rf"實習生)|^[{HAN}]{{4,8}}?\d{{1,2}}日[电電]")
# English bylines: "By Priya Raman", capitalised words after "By".
_NAME_WORD = r"[A-Z][\w.'’-]+"
_BYLINE = re.compile(rf"(?:^|[·|•,]\s*)[Bb]y\s+({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|van|von))"
                     r"{0,3})")

_SHORT = 60  # a credit line is short; longer runs are prose, credited only in brackets
_INFO_SPAN = 20  # runs after the headline that make up its info line
# Credits after the body: `本文来源` right under it, names a little further (after share bars);
# beyond that the page lists other articles, with their own sources.
_SOURCE_AFTER = 10
_AUTHOR_AFTER = 40


@dataclass
class Credits:
    author: str = ""
    source: str = ""


@dataclass
class _Candidate:
    rank: int
    order: int
    name: str


def read(runs: Sequence[Line], start: int, body_end: int, *, structured: Iterable[str] = (),
         declared: Iterable[str] = (), not_names: Iterable[str] = ()) -> Credits:
    """The 来源 and the author credited from the headline (``start``) to just after the body
    (``body_end``, its last run).

    ``structured`` are JSON-LD authors, ``declared`` <meta name=author> values, ``not_names``
    the names the site goes by (og:site_name, the parts of <title> after the headline, the host).
    """
    first = max(0, start - 3)
    region = list(runs[first:body_end + _AUTHOR_AFTER])
    # The info line ends at the first paragraph of prose (which may open with a dateline).
    prose = next((i for i in range(start + 1, min(len(runs), start + _INFO_SPAN))
                  if len(runs[i].text) > _SHORT), start + _INFO_SPAN)
    info = len(runs[first:prose + 1])
    source = outlet.find(region[:max(info, body_end + _SOURCE_AFTER - first)], info, _SHORT)
    rejected = {_key(n) for n in not_names if _key(n)} | ({_key(source)} if source else set())
    candidates = list(_labelled(region))
    candidates += _slots(region[:info])
    candidates += [_Candidate(_STRUCTURED, i, n) for i, n in enumerate(structured)]
    # A Chinese portal's <meta name=author> is a template field, often the site's short name
    # (网易): a Chinese name there counts only when the page also prints it by the article.
    declared = list(declared)
    if any(HAN_RE.search(n) for n in declared):
        printed = _key(" ".join(r.text for r in region if len(r.text) <= _SHORT))
        declared = [n for n in declared if not HAN_RE.search(n) or _key(n) in printed]
    candidates += [_Candidate(_META, i, n) for i, n in enumerate(declared) if _key(n)]
    best = None
    for c in sorted(candidates, key=lambda c: (c.rank, c.order)):
        name = _names(c.name, rejected)
        if name:
            best = name
            break
    return Credits(author=best or "", source=source)


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _labelled(region: Sequence[Line]) -> Iterable[_Candidate]:
    for i, run in enumerate(region):
        byline = _english_byline(run.text)
        if byline:
            yield _Candidate(_WRITER, i, byline)
        for piece in _credit_pieces(run.text):
            sign_off = _SIGN_OFF.match(piece)
            if sign_off:
                yield _Candidate(_REPORTER, i, sign_off.group(1))
            for label in _CREDIT.finditer(piece):
                value = _credited(label, piece, region, i)
                if value is not None:
                    role = _ROLES[re.sub(r"\s", " ", label.group(1))]
                    yield _Candidate(role, i, _undateline(value))


def _english_byline(text: str) -> str:
    byline = _BYLINE.search(text) if len(text) <= 200 and "y" in text else None
    return byline.group(1) if byline else ""


def _credit_pieces(text: str) -> list[str]:
    """Where a run may credit someone: a short line, whole and each of its brackets; prose only
    in a bracket of its dateline (`1月5日电（记者张三）`) or one that ends it."""
    if len(text) > _SHORT:
        ends = (_BRACKETED.search(text, 0, _DATELINE_SPAN),
                _BRACKETED_END.search(text) if text[-1] in _CLOSERS else None)
        return [m.group(0) for m in ends if m]
    if not _CREDIT_WORD.search(text):
        return []  # cheap test first: menus and buttons name no one
    return [text, *(m.group(0) for m in _BRACKETED.finditer(text))]


def _credited(label: re.Match[str], piece: str, region: Sequence[Line], i: int) -> str | None:
    """The names a label in ``piece`` (``region[i]``) credits with the story, or None when it
    credits a photo or is a word of a sentence. A label that ends its line names the next one."""
    if _PHOTO.search(piece[:label.start()]):
        return None  # `（图/记者 张蕊 摄）`: a photo credit names the photographer
    value = piece[label.end():]
    if not value.strip(" )）】]〕") and i + 1 < len(region):
        value = region[i + 1].text if len(region[i + 1].text) <= _SHORT else ""
    value, shot = _before_photo(_before_label(value))
    if shot:
        return None  # `记者 张蕊 摄`: the reporter took the picture, not the story
    if not label.group(2) and not _delimited(value, piece, label.start()):
        return None  # `记者注意到`, `作者简介`: the word, not a label
    return value


def _before_photo(value: str) -> tuple[str, bool]:
    """The names before a photo credit, and whether they are the photographer's: `张蕊 摄` is,
    `王小明 攝影 李大華` names a reporter and then the photographer."""
    m = _SHOT.search(value)
    if not m:
        return value, False
    return value[:m.start()].strip(), not m.group(0).endswith("影")


def _before_label(value: str) -> str:
    """The text after one label up to the next label, brackets trimmed."""
    nxt = _CREDIT.search(value)
    src = outlet.LABEL.search(value)
    cut = min(m.start() for m in (nxt, src, None) if m) if nxt or src else len(value)
    value = value[:cut]
    for closer in "）)】]〕":
        value = value.split(closer)[0]
    return value.strip()


def _delimited(value: str, piece: str, at: int) -> bool:
    """A label without a separator (`记者 张三`, `（记者唐霁）`, `記者林悅／南市報導`) counts in a
    bracket or near the start of a short line (a byline of its own) when names follow it, not
    inside a sentence (`经记者查实，…`, `记者注意到`)."""
    return (at <= 12 or piece[:1] in "（(【[〔") and bool(_BYLINE_NAMES.match(value))


def _undateline(value: str) -> str:
    """`邱俊欽桃園19日電` -> `邱俊欽`: the place before the day is two characters or more;
    `林悅／南市報導` -> `林悅` (a place follows the slash); `张三报道` -> `张三`."""
    value = re.split(r"[／/]", value, maxsplit=1)[0]
    value = re.sub(r"(?:报道|報導|报导)$", "", value)
    m = _DATELINE.match(value)
    if not m:
        return value
    glued = m.group(1)
    return glued[:3] if len(glued) >= 5 else glued[:2]


def _names(value: str, rejected: set[str]) -> str:
    """The person names at the start of ``value`` (space-joined), or "" when there are none.

    Leading words that are not names (an outlet, a title: `观察者网专栏作者 王文`) are skipped;
    after the first name, the first word that is not one ends the list.
    """
    value = _BY.sub("", unicodedata.normalize("NFKC", value))
    if "@" in value or "http" in value.lower() or _PHOTO.search(value):
        return ""
    words = [w for raw in _NAME_SPLIT.split(value.strip(_STRIP))
             if (w := _CODE.sub("", raw.strip(_STRIP)))]
    first = _first_name(words, rejected)
    if first is None:
        return ""
    if _LATIN_WORD.match(words[first]):
        return _latin_name(words[first:], rejected)
    return _han_names(words[first:], rejected)


def _first_name(words: list[str], rejected: set[str]) -> int | None:
    """Where the names start: after at most two words that are not names (`By`, `Updated` and
    their kin do not count), none of them with a digit."""
    skipped = 0
    for i, word in enumerate(words):
        if _NOT_LATIN_NAME.match(word):
            continue
        if _LATIN_WORD.match(word) or _is_name(word, rejected):
            return i
        if skipped >= 2 or re.search(r"\d", word):
            return None
        skipped += 1
    return None


def _latin_name(words: list[str], rejected: set[str]) -> str:
    """One name of up to four Latin words (`Priya Raman`, `J.K. Rowling`): more is a phrase,
    and an acronym, a domain or an organisation's word makes it a site."""
    latin = list(itertools.takewhile(
        lambda w: _LATIN_WORD.match(w) and not _NOT_LATIN_NAME.match(w), words))
    name = " ".join(latin)
    if len(latin) > 4 or any(_SITE_WORD.search(w) for w in latin) or _LATIN_ORG.search(name):
        return ""
    return "" if _key(name) in rejected or _any_in(name, rejected) else name


def _han_names(words: list[str], rejected: set[str]) -> str:
    """Up to four names, from the first to the first word that is not one (`and` and the
    like are passed over)."""
    words = [w for w in words if not _NOT_LATIN_NAME.match(w)]
    return " ".join(list(itertools.takewhile(lambda w: _is_name(w, rejected), words))[:4])


def _is_name(token: str, rejected: set[str]) -> bool:
    key = _key(token)
    return bool(_HAN_NAME.match(token)) and not _NOT_NAME.search(token) and not _ORG_END.search(
        token) and key not in rejected and not _any_in(token, rejected)


def _any_in(name: str, rejected: set[str]) -> bool:
    """The name is part of a site's name (`网易` in `网易新闻`) or holds one."""
    key = _key(name)
    return any(len(r) >= 2 and (key in r or r in key) for r in rejected)


def _slots(info: Sequence[Line]) -> Iterable[_Candidate]:
    """An unlabelled author slot by the headline: an element whose class says author/byline."""
    for i, run in enumerate(info):
        if len(run.text) > 30:
            continue
        if outlet.marked_author(run.element):
            yield _Candidate(_SLOT, i, run.text)


