"""same_story on the cases it is there for: portal chrome and an edited paragraph are the same
story; shared boilerplate, a template with other figures and a late repeat are not."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from reader.store import stories
from reader.store.storage import Store
from reader.store.stories import Story, keys, same_story, story_keys
from reader.types import Article

WHEN = datetime(2025, 11, 20, 8, 30, tzinfo=UTC)
BODY = [
    "记者从云溪职业技术学院获悉，截至今年10月，学院已在老挝、柬埔寨和马来西亚建成三所海外培训中心，"
    "三年来累计为当地企业培训机电维修、汽车检测和电子商务等方向的技术人员两千余人次。",
    "“过去是企业走到哪里，我们的毕业生跟到哪里；现在是我们把课堂直接搬到企业门口。”学院院长介绍，"
    "培训中心由学院与当地中资企业共建，课程按企业岗位需要定制。",
    "据了解，学院还将与东盟国家的三所职业院校互派教师，明年起联合开设两个双语专业，首批招生一百二十人。",
]
TITLE = "职教出海新路径：云溪职业技术学院在东南亚建起三所海外培训中心"


def story(title: str, paragraphs: list[str], hours: float = 0) -> Story:
    return Story(title, "\n\n".join(paragraphs), WHEN + timedelta(hours=hours))


def test_a_copy_with_portal_chrome_or_an_edited_paragraph_is_the_same_story() -> None:
    original = story(TITLE, BODY)
    chrome = story(TITLE.replace("：", " ") + "（图）",
                   [f"原标题：{TITLE}", *BODY, "责任编辑：王芳"], hours=5)
    assert same_story(original, chrome) and same_story(chrome, original)
    promotion = "点击关注东方资讯公众号，第一时间获取更多新闻资讯，精彩内容不容错过。"
    edited = story(TITLE, [*BODY[:2], promotion], hours=20)
    assert same_story(original, edited)
    assert set(story_keys(TITLE, original.text)) & set(story_keys(chrome.title, chrome.text))


def test_boilerplate_templates_and_late_repeats_are_other_stories() -> None:
    boilerplate = ["免责声明：本文内容来源于网络，仅供参考，不构成任何投资建议。转载请注明出处，"
                   "如有侵权请联系我们删除。本网站对文中陈述、观点判断保持中立，"
                   "不对所包含内容的准确性提供任何保证。"] * 2
    assert not same_story(story("长者食堂开到家门口", ["社区长者食堂今天开业，老人吃饭不再犯愁。",
                                                   *boilerplate]),
                          story("供暖季开启热线畅通", ["今年供暖季今天开启，供暖热线全天畅通。",
                                                  *boilerplate]))
    line = "{city}：晴，最高气温{high}℃，最低气温{low}℃，北风{wind}级，相对湿度{damp}%。"
    cities = ["北京", "上海", "广州", "深圳", "杭州", "南京"]

    def weather(day: int, shift: int) -> Story:
        return story("全国天气预报", [f"中央气象台{day}日6时发布天气预报。"] + [
            line.format(city=c, high=20 + n + shift, low=5 + n - shift, wind=2 + shift,
                        damp=40 + n * 5 + shift) for n, c in enumerate(cities)], hours=24 * shift)

    assert not same_story(weather(20, 0), weather(21, 1))
    assert not same_story(story(TITLE, BODY), story(TITLE, BODY, hours=72))  # a repeat, later
    brief = ["学院在东南亚建起三所海外培训中心。"]
    assert not same_story(story(TITLE, brief), story(TITLE, brief))  # too little to tell
    assert keys(TITLE, "太短") == story_keys(TITLE, "太短")  # no text key, no bands: the title's


def test_keys_computed_outside_the_write_find_the_copy_and_a_brief_is_not_looked_up(
        tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        original = Article(url="https://news.example/a/1.html", title=TITLE,
                           text="\n\n".join(BODY), published=WHEN)
        chrome = Article(url="https://portal.example/b/2.html", title=TITLE + "（图）",
                         text="\n\n".join([f"原标题：{TITLE}", *BODY, "责任编辑：王芳"]),
                         published=WHEN + timedelta(hours=5))
        # As the update's page workers do: the keys computed on another thread.
        with ThreadPoolExecutor(1) as worker:
            prepared = list(worker.map(store.prepare_keys, (original, chrome)))
        assert all(k.groups and k.text is not None for k in prepared)
        lead, _ = store.save_article(None, original, [], keys=prepared[0])
        copy, _ = store.save_article(None, chrome, [], keys=prepared[1])
        assert store.story(copy) == [lead, copy]
        late = replace(chrome, url="https://other.example/c/3.html", title=TITLE + "（组图）")
        third, _ = store.save_article(None, late, [])  # keys computed by the store itself
        assert store.story(lead) == [lead, copy, third]

        # Too short to tell stories apart: no band keys, so no candidate lookup, and it stays
        # a story of its own even under the same headline.
        brief = Article(url="https://portal.example/b/4.html", title=TITLE,
                        text="学院在东南亚建起三所海外培训中心。", published=WHEN)
        keys_ = store.prepare_keys(brief)
        assert not keys_.groups and keys_.text is None and len(keys_.story) == 1
        alone, _ = store.save_article(None, brief, [], keys=keys_)
        assert store.story(alone) == [alone]
    finally:
        store.close()


EN = ("The city council voted on Tuesday to extend the night bus service to the northern "
      "districts, after a year of complaints from shift workers who could not get home after "
      "midnight. The new routes start in March and will run every twenty minutes until four in "
      "the morning, the council said.")
# Full-width letters and digits, an emoji and a character beyond the Basic Multilingual Plane.
WIDE = "ＡＩ芯片出口管制升级🚀：" + BODY[0] + "ｎｖｉｄｉａ Ｈ２０ 𠀀"


def test_keys_keep_their_values() -> None:
    """Stored libraries hold these keys: computing them otherwise must give the same values
    (or a migration must recompute every article's)."""
    assert keys(TITLE, "\n\n".join(BODY)) == [
        8529475256634232210, 5447183531656024837, -5399562074388641195, -6122115248235195889,
        2026541453632752878, 7193584375535135897, -1563052153864089693, 2669288319789325850,
        -4346544725988829943, 3874698127466557546, 6851338594076720508]
    assert keys("Council extends night buses to the north", EN) == [
        -3936585490962429405, -1353221208604631956, 3027048401177976281, 4738768959417871692,
        -3522064477060937578, -9078197898494198320, -2771760557509841687, 6358560113337762415,
        609516836861308939, 3999899040789595080, -2799314041570968249]
    assert keys("芯片出口管制", WIDE) == [
        -7677408956118735145, -3257072341203851472, 2752259892079636463, -2267946359074916533,
        4473899120568803333, 2521561250153123681, 4748689129586416317, 2902635815555096300,
        -2970349678651568872, 2904073783479624534, 6851338594076720508]
    # Too short a text for a text key or bands: the headline's key alone.
    assert keys("今日快讯：本市明天起调整公交线路", "一句话新闻。") == [1699407035353474563]
    # Long enough to identify an article, too few shingles for bands: the whole text's key.
    assert keys("今日快讯：本市明天起调整公交线路", "一句话新闻。" * 30) == [
        -3150854341298145502, 1699407035353474563]


def test_a_short_text_gets_every_band_from_the_bins_it_fills() -> None:
    """40-odd shingles leave some of the MinHash's bins empty: each takes a value of the
    text's own from another bin (densification), so every band has a key."""
    short = BODY[2][:49]  # 41 shingles of 5 characters
    hashes = stories._hashes(short)
    assert len(np.unique(hashes)) == 41
    bins = {(int(h) >> 32) * stories.BINS >> 32 for h in hashes}  # as signature() bins them
    assert len(bins) < stories.BINS  # bins left empty
    least = stories.signature(hashes)
    assert set(least.tolist()) <= set(hashes.tolist())  # every value one of the text's own
    assert len(set(least.tolist())) == len(bins)  # the empty bins took a filled bin's value
    found = story_keys(TITLE, short)
    assert len(found) == 1 + stories.BANDS and len(set(found)) == 1 + stories.BANDS


def test_the_same_text_is_the_same_article_only_under_the_same_title_and_time(
        tmp_path: Path) -> None:
    """The text key of a text with bands is its first band's: what it finds is compared whole,
    with the title and the publish time (pages of one template share a body)."""
    store = Store(tmp_path)
    try:
        article = Article(url="https://news.example/a/1.html", title=TITLE,
                          text="\n\n".join(BODY), published=WHEN)
        lead, _ = store.save_article(None, article, [])
        mirror = replace(article, url="http://mirror.example/a/1.html",
                         text="\n".join(BODY))  # other whitespace: the same text
        assert store.save_article(None, mirror, []) == (lead, "unchanged")
        retitled, outcome = store.save_article(None, replace(
            article, url="https://portal.example/b/2.html", title=TITLE + "（图）"), [])
        assert outcome == "new" and store.story(retitled) == [lead, retitled]
        later, outcome = store.save_article(None, replace(
            article, url="https://news.example/a/3.html", published=WHEN + timedelta(days=3)), [])
        assert outcome == "new" and store.story(later) == [later]  # 72 hours: another story
    finally:
        store.close()
