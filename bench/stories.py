"""Same story or not: pair precision and recall of story grouping on syndicated copies.

    .venv/bin/python bench/stories.py [--shared ../shared] [--seed 1] [--compare]

Real pages from shared/portal-corpus and shared/corpus are extracted with Reader's own
extractor; each gets syndicated copies made the way portals make them, as HTML pages of
another site that Reader extracts again:
- chrome: another site's header, navigation, sidebar of headlines and footer; a 原标题 line
  and a 责任编辑 line (English: "Originally published as", "Editor:"); the headline's
  punctuation changed; published up to 20 hours later;
- paragraph: the same, with one paragraph cut and a paragraph of another story added.
Hard negatives, each a different story:
- boilerplate: two short briefs of different stories under the same long boilerplate;
- template: weather reports and exchange announcements, one template with other numbers
  (same headline, a day apart);
- follow-up: a later story on the same event that repeats the first one's opening paragraph.
Everything is stored through Store.save_article in shuffled order (copies may come first), so
the figures are those of the real path: LSH candidates, then same_story. Pairs are scored:
precision over every pair put in one story, recall per kind of copy.

--compare also times the MinHash of both implementations (Reader's one-permutation MinHash on
numpy, datasketch's 30 permutations) on the same shingles and compares their Jaccard estimates
with the exact Jaccard over the labelled pairs.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reader.parse.article import extract
from reader.store import stories
from reader.store.storage import Store
from reader.text import HAN_RE
from reader.types import Article

ROOT = Path(__file__).resolve().parents[1]
BASE_DAY = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"]
SITES = [("新浪新闻", "news.sina.example"), ("网易新闻", "news.163.example"),
         ("腾讯网", "new.qq.example"), ("凤凰网", "news.ifeng.example"),
         ("澎湃新闻", "thepaper.example"), ("中华网", "news.china.example")]
PROMO = ["点击关注我们的公众号，第一时间获取更多新闻资讯，"
         "精彩内容不容错过，欢迎转发分享给身边的朋友。",
         "Sign up for our morning newsletter to get the day's most important stories delivered "
         "to your inbox, free of charge, every weekday."]
BOILERPLATE = ("免责声明：本文内容来源于网络，仅供参考，不构成任何投资建议。转载请注明出处，"
               "如有侵权请联系我们删除。本网站对文中陈述、观点判断保持中立，不对所包含内容的准确性、"
               "可靠性或完整性提供任何明示或暗示的保证。请读者仅作参考，并请自行承担全部责任。"
               "\n\n更多精彩资讯请关注本站微信公众号和官方微博，下载客户端阅读更多原创报道。"
               "本站所有文章、图片、音频、视频文件等资料的版权归版权所有人所有，本站采用的非本站"
               "原创文章及图片等内容无法一一联系确认版权者。如果本网所选内容的文章作者及编辑认为"
               "其作品不宜公开自由传播，或不应无偿使用，请及时通知本站。")
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "武汉", "成都", "重庆", "西安",
          "天津", "沈阳", "长沙", "郑州", "济南", "青岛", "厦门", "昆明"]
WEATHERS = ["晴", "多云", "阴", "小雨", "阵雨", "雷阵雨", "晴转多云", "多云转阴"]


@dataclass(frozen=True)
class Doc:
    label: int  # the story
    kind: str  # original, chrome, paragraph, boilerplate, template, follow-up
    article: Article


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def page(title: str, published: datetime, body: list[str], site: tuple[str, str],
         others: list[str], rnd: random.Random, lang: str = "zh") -> bytes:
    """A portal article page of `site`: its chrome around the story."""
    name, host = site
    nav = "".join(f'<li><a href="https://{host}/{c}/">{c}</a></li>'
                  for c in ("首页", "国内", "国际", "财经", "科技", "体育", "娱乐"))
    side = "".join(f'<li><a href="https://{host}/a/{rnd.randrange(10**6)}.html">{escape(t)}</a></li>'
                   for t in others)
    paras = "".join(f"<p>{escape(p)}</p>" for p in body)
    when = published.astimezone(timezone_cn).strftime("%Y-%m-%d %H:%M:%S")
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)}_{name}</title></head><body>
<div class="top-bar"><a href="https://{host}/">{name}</a> | 登录 | 注册 | 客户端下载</div>
<ul class="nav">{nav}</ul>
<div class="main"><div class="article">
<h1>{escape(title)}</h1>
<div class="info"><span>{when}</span> <span>来源：{name}</span></div>
<div class="article-content">{paras}</div>
<div class="share">分享到：微信 微博 QQ空间</div></div>
<div class="sidebar"><h3>热门推荐</h3><ul>{side}</ul></div></div>
<div class="footer"><p>关于我们 | 联系我们 | 广告服务 | 版权声明</p>
<p>Copyright © 2024 {name} All Rights Reserved 京ICP备00000000号</p></div>
</body></html>""".encode()


timezone_cn = __import__("datetime").timezone(timedelta(hours=8))


def reword(title: str, rnd: random.Random) -> str:
    """Headline punctuation as another desk writes it."""
    swaps = [("，", " "), ("：", ":"), ("“", "「"), ("”", "」"), (" ", "，"), ("!", "！"),
             (",", " ,"), (":", " -")]
    out = title
    for a, b in rnd.sample(swaps, 3):
        out = out.replace(a, b)
    return out + rnd.choice(["", "！", "（图）", " | 视频"])


def load(shared: Path) -> list[Article]:
    """Articles of the real pages, as Reader extracts them (texts of 300+ characters)."""
    found = []
    for folder in (shared / "portal-corpus", shared / "corpus"):
        truth = {}
        for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            truth[row["id"]] = row
        for path in sorted(folder.glob("*.html.gz")):
            row = truth.get(path.name.removesuffix(".html.gz"), {})
            if row.get("lang", "zh") not in ("zh", "en"):
                continue
            url = row.get("url") or f"https://example.org/{path.name}"
            try:
                article = extract(gzip.decompress(path.read_bytes()), url)
            except Exception:
                continue
            if len(article.text) >= 300 and article.title:
                found.append(article)
    return found


def make_docs(articles: list[Article], rnd: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    titles = [a.title for a in articles]
    label = itertools.count()

    def again(html: bytes, url: str) -> Article:
        return extract(html, url)

    for n, original in enumerate(articles):
        story = next(label)
        published = original.published or BASE_DAY + timedelta(hours=n)
        original = replace(original, published=published)
        docs.append(Doc(story, "original", original))
        body = paragraphs(original.text)
        zh = original.language == "zh" or bool(HAN_RE.search(original.title))
        for kind in ("chrome", "paragraph"):
            site = rnd.choice(SITES)
            lines = list(body)
            if kind == "paragraph" and len(lines) >= 3:
                lines.pop(rnd.randrange(1, len(lines)))
                donor = paragraphs(rnd.choice(articles).text)
                lines.insert(rnd.randrange(1, len(lines) + 1), rnd.choice(donor))
            elif kind == "paragraph":
                lines.append(PROMO[0 if zh else 1])
            head = f"原标题：{original.title}" if zh \
                else f"Originally published as: {original.title}"
            tail = f"责任编辑：{rnd.choice(NAMES)}" if zh else f"Editor: {rnd.choice(NAMES)}"
            when = published + timedelta(minutes=rnd.randrange(5, 20 * 60))
            html = page(reword(original.title, rnd), when, [head, *lines, tail], site,
                        rnd.sample(titles, 8), rnd, "zh" if zh else "en")
            url = f"https://{site[1]}/{kind}/{n}.html"
            copy = again(html, url)
            docs.append(Doc(story, kind, replace(copy, published=copy.published or when)))
    # boilerplate: short briefs of different stories under one long boilerplate
    zh_articles = [a for a in articles if HAN_RE.search(a.title)]
    for n, a in enumerate(rnd.sample(zh_articles, 40)):
        brief = "".join(paragraphs(a.text))[:200]
        html = page(a.title, BASE_DAY + timedelta(hours=n), [brief, *BOILERPLATE.split("\n\n")],
                    SITES[0], rnd.sample(titles, 8), rnd)
        docs.append(Doc(next(label), "boilerplate",
                        extract(html, f"https://{SITES[0][1]}/brief/{n}.html")))
    # template: the same report with other numbers, a day apart
    for day in range(12):
        for city in CITIES[:3]:
            lines = [f"中央气象台{6 + day}日6时发布{city}天气预报。"] + [
                f"{c}：{rnd.choice(WEATHERS)}，最高气温{rnd.randrange(18, 36)}℃，最低气温"
                f"{rnd.randrange(5, 18)}℃，{rnd.choice('东南西北')}风{rnd.randrange(1, 5)}级，"
                f"相对湿度{rnd.randrange(30, 95)}%。" for c in rnd.sample(CITIES, 8)] + [
                "气象台提醒：早晚温差较大，请注意适时增减衣物，出行注意交通安全。"]
            when = BASE_DAY + timedelta(days=day)
            html = page(f"{city}天气预报", when, lines, SITES[1], rnd.sample(titles, 8), rnd)
            docs.append(Doc(next(label), "template",
                            extract(html, f"https://{SITES[1][1]}/weather/{day}-{city}.html")))
    for k in range(24):
        code = f"{rnd.randrange(600000, 604000)}"
        lines = [f"证券代码：{code} 证券简称：某某股份 公告编号：2024-{rnd.randrange(10, 99):03d}",
                 "本公司董事会及全体董事保证本公告内容不存在任何虚假记载、误导性陈述或者重大遗漏，"
                 "并对其内容的真实性、准确性和完整性承担法律责任。",
                 f"一、召开会议的基本情况：股东大会召开日期为2024年{rnd.randrange(1, 13)}月"
                 f"{rnd.randrange(1, 29)}日，会议地点为公司{rnd.randrange(1, 30)}楼会议室。",
                 f"二、审议事项：关于公司{rnd.randrange(2023, 2025)}年度利润分配方案的议案，"
                 f"拟每10股派发现金红利{rnd.randrange(1, 9)}.{rnd.randrange(0, 9)}元（含税）。",
                 f"三、股权登记日为2024年{rnd.randrange(1, 13)}月{rnd.randrange(1, 29)}日，"
                 f"登记时间为上午{rnd.randrange(8, 11)}:30至下午{rnd.randrange(14, 17)}:00。",
                 "特此公告。"]
        html = page("关于召开2024年第一次临时股东大会的通知", BASE_DAY + timedelta(hours=6 * k),
                    lines, SITES[2], rnd.sample(titles, 8), rnd)
        docs.append(Doc(next(label), "template",
                        extract(html, f"https://{SITES[2][1]}/notice/{k}.html")))
    # follow-up: a later story on the same event, opening with the first one's paragraph
    for n in range(30):
        first = articles[n % len(articles)]
        other = rnd.choice(articles)
        lines = paragraphs(first.text)[:1] + paragraphs(other.text)[:4]
        zh = bool(HAN_RE.search(first.title))
        title = ("最新进展：" if zh else "Update: ") + first.title
        when = (first.published or BASE_DAY) + timedelta(hours=rnd.randrange(6, 30))
        html = page(title, when, lines, rnd.choice(SITES), rnd.sample(titles, 8), rnd)
        docs.append(Doc(next(label), "follow-up",
                        extract(html, f"https://{SITES[3][1]}/follow/{n}.html")))
    return docs


def pairs_of(groups: dict[int, int], docs: list[Doc]) -> tuple[Counter[str], Counter[str],
                                                                 int, int, list[str]]:
    """(true pairs found by kind, true pairs by kind, predicted pairs, wrong ones, examples)."""
    found, total = Counter[str](), Counter[str]()
    predicted = wrong = 0
    examples = []
    for i, j in itertools.combinations(range(len(docs)), 2):
        same = docs[i].label == docs[j].label
        grouped = groups[i] == groups[j]
        if same:
            kind = docs[j].kind if docs[i].kind == "original" else docs[i].kind
            if {docs[i].kind, docs[j].kind} == {"chrome", "paragraph"}:
                kind = "paragraph"  # two copies: the harder of the two
            total[kind] += 1
            found[kind] += grouped
        if grouped:
            predicted += 1
            if not same:
                wrong += 1
                if len(examples) < 5:
                    examples.append(f"{docs[i].kind}: {docs[i].article.title[:30]} | "
                                    f"{docs[j].kind}: {docs[j].article.title[:30]}")
    return found, total, predicted, wrong, examples


def run_store(docs: list[Doc], rnd: random.Random) -> tuple[dict[int, int], list[float]]:
    """Store every doc in shuffled order; returns doc index -> story root, and ms per save."""
    order = list(range(len(docs)))
    rnd.shuffle(order)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        source = store.add_source("https://example.org/", "https://example.org/", "feed", "S")
        ids: dict[int, int] = {}
        times = []
        for i in order:
            start = time.perf_counter()
            ids[i], _ = store.save_article(source, docs[i].article, [])
            times.append((time.perf_counter() - start) * 1000)
        roots = {r[0]: r[1] or r[0] for r in store.db.execute(
            "SELECT id, story_id FROM articles")}
        store.close()
    return {i: roots[ids[i]] for i in ids}, times


def compare(docs: list[Doc]) -> None:
    """MinHash by reader.store.stories and by datasketch on the same shingles: time and
    estimates."""
    try:
        from datasketch import MinHash
    except ImportError:
        print("datasketch is not installed (pip install datasketch): no comparison")
        return
    import numpy as np

    texts = [d.article.text for d in docs]
    shingled = [stories.shingles(t) for t in texts]
    perms = stories.BANDS * stories.ROWS

    def ours(t: str) -> np.ndarray:
        return stories.signature(stories.shingles(t))

    def theirs(t: str) -> MinHash:
        m = MinHash(num_perm=perms, seed=1)
        m.update_batch([h.tobytes() for h in stories.shingles(t)])
        return m

    for name, make in (("numpy, one permutation", ours), ("datasketch 2.0", theirs)):
        start = time.perf_counter()
        for t in texts:
            make(t)
        per = (time.perf_counter() - start) * 1000 / len(texts)
        print(f"  {name:30} {per:.2f} ms per article (shingling included)")
    by_label: dict[int, list[int]] = {}
    for i, d in enumerate(docs):
        by_label.setdefault(d.label, []).append(i)
    errors: dict[str, list[float]] = {"numpy": [], "datasketch": []}
    for members in by_label.values():
        for i, j in itertools.combinations(members, 2):
            x, y = shingled[i], shingled[j]
            if not len(x) or not len(y):
                continue
            exact = len(np.intersect1d(x, y)) / len(np.union1d(x, y))
            a, b = ours(texts[i]), ours(texts[j])
            errors["numpy"].append(abs(float(np.mean(a == b)) - exact))
            errors["datasketch"].append(abs(theirs(texts[i]).jaccard(theirs(texts[j])) - exact))
    for name, errs in errors.items():
        print(f"  {name:30} Jaccard estimate error on same-story pairs: mean "
              f"{statistics.mean(errs):.3f}, p95 {sorted(errs)[int(len(errs) * .95)]:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent.parent / "shared")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    articles = load(args.shared)
    docs = make_docs(articles, rnd)
    kinds = Counter(d.kind for d in docs)
    print(f"{len(articles)} real articles; {len(docs)} documents: "
          + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    groups, times = run_store(docs, rnd)
    found, total, predicted, wrong, examples = pairs_of(groups, docs)
    right = predicted - wrong
    print(f"\npairs put in one story: {predicted}, wrong: {wrong}; "
          f"precision {right / predicted if predicted else 1:.3f}")
    for kind in ("chrome", "paragraph"):
        print(f"recall, {kind:10} copies: {found[kind]}/{total[kind]} = "
              f"{found[kind] / total[kind]:.3f}")
    print(f"recall, all pairs: {sum(found.values()) / sum(total.values()):.3f}")
    for example in examples:
        print("  wrong:", example)
    ms = sorted(times)
    print(f"\nsave_article (keys, candidates, checks, and all the rest): median "
          f"{statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * .95)]:.2f} ms")
    keyed = []
    for d in docs:  # CPU time: on a shared machine wall time mostly measures the others
        start = time.process_time()
        stories.keys(d.article.title, d.article.text)
        keyed.append((time.process_time() - start) * 1000)
    keyed.sort()
    print(f"of which the story keys (shingles, MinHash, bands), CPU: median "
          f"{statistics.median(keyed):.2f} ms, p95 {keyed[int(len(keyed) * .95)]:.2f} ms "
          f"(texts of {statistics.median(len(d.article.text) for d in docs):.0f} characters "
          "median)")
    if args.compare:
        print("\nMinHash implementations:")
        compare(docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
