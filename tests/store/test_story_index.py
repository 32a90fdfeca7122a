"""The story keys a store holds in memory (copies.StoryIndex) stay true to the library: rows
another store writes, a rolled-back write, deleted and rewritten articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from reader.errors import StorageError
from reader.store._storage import copies
from reader.store.storage import Store
from reader.types import Article
from tests.store.test_stories import BODY, TITLE, WHEN

ORIGINAL = Article(url="https://news.example/a/1.html", title=TITLE, text="\n\n".join(BODY),
                   published=WHEN)
OTHER = Article(
    url="https://news.example/a/2.html", title="城东新区地铁站点周边将新建三处公共停车场",
    text="\n\n".join([
        "记者昨日从市交通运输局获悉，城东新区地铁六号线沿线的三个站点周边将新建公共停车场，"
        "共提供停车泊位一千二百余个，预计明年六月底前全部建成投用。",
        "据介绍，新建停车场将采用立体停车设施，并配建新能源汽车充电桩和非机动车停放区，"
        "市民可通过手机应用程序预约车位、无感支付停车费用。",
        "市交通运输局相关负责人表示，停车场建成后将实行“停车加换乘”优惠，"
        "当日乘坐地铁的车主可享受半价停车，以引导市民绿色出行、缓解中心城区交通压力。",
    ]), published=WHEN + timedelta(days=3))


def syndicated(article: Article, site: str) -> Article:
    """A copy as another portal publishes it: its own address, chrome lines, hours later."""
    paragraphs = article.text.split("\n\n")
    return replace(article, url=f"https://{site}/news/{abs(hash(article.url))}.html",
                   title=article.title + "（图）",
                   text="\n\n".join([f"原标题：{article.title}", *paragraphs, f"责任编辑：{site}"]),
                   published=(article.published or WHEN) + timedelta(hours=5))


@pytest.fixture
def stores(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two stores on one library, as the window and `reader update` in another process."""
    first, second = Store(tmp_path), Store(tmp_path)
    yield first, second
    first.close()
    second.close()


def test_a_story_another_store_wrote_after_the_keys_were_loaded_is_found(
        stores: tuple[Store, Store]) -> None:
    window, update = stores
    window.save_article(None, OTHER, [])  # the window's keys are loaded now
    lead, _ = update.save_article(None, ORIGINAL, [])
    copy, outcome = window.save_article(None, syndicated(ORIGINAL, "portal.example"), [])
    assert outcome == "new" and window.story(copy) == [lead, copy]


def test_a_rolled_back_write_leaves_no_key_behind_and_hides_none(
        stores: tuple[Store, Store]) -> None:
    window, update = stores
    window.save_article(None, replace(OTHER, url="https://news.example/a/0.html",
                                      published=WHEN - timedelta(days=9)), [])
    # A batch whose second article fails after the first was written and its keys read on:
    # the whole batch is rolled back, and the next row story_keys numbers is the first's.
    failing = replace(ORIGINAL, url="")  # no address and no feed item id: refused
    with pytest.raises(StorageError):
        window.save_articles([(None, OTHER, [], []), (None, failing, [], [])])
    assert window.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    lead, _ = update.save_article(None, ORIGINAL, [])  # takes that row's number
    copy, _ = window.save_article(None, syndicated(ORIGINAL, "portal.example"), [])
    assert window.story(copy) == [lead, copy]
    # The rolled-back article's keys name nothing: its own copy is a story of its own.
    alone, _ = window.save_article(None, syndicated(OTHER, "portal.example"), [])
    assert window.story(alone) == [alone]


def test_a_rewritten_article_is_found_by_its_new_text_and_a_deleted_one_is_no_story(
        tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        # The article at 2.html changes into another story, after the store had read its keys
        # (storing a brief looked them up): its copies are found by it.
        article, _ = store.save_article(None, replace(ORIGINAL, url=OTHER.url), [])
        brief = Article(url="https://news.example/a/3.html", title="本市今日发布寒潮蓝色预警信号",
                        text="寒潮来袭。")
        store.save_article(None, brief, [])
        rewritten, outcome = store.save_article(None, OTHER, [])
        assert (rewritten, outcome) == (article, "updated")
        other_copy, _ = store.save_article(None, syndicated(OTHER, "mirror.example"), [])
        assert store.story(other_copy) == [article, other_copy]
        # The original story, stored and deleted: neither it nor the text 2.html had is a
        # story a copy joins.
        source = store.add_source("https://news.example/", "https://news.example/feed", "feed",
                                  "News")
        store.save_article(source, ORIGINAL, [])
        store.remove_source(source)
        copy, _ = store.save_article(None, syndicated(ORIGINAL, "portal.example"), [])
        assert store.story(copy) == [copy]
    finally:
        store.close()


def test_keys_read_on_join_the_sorted_ones_without_losing_any(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(copies, "MERGE_AT", 3)  # merged at nearly every lookup
    store = Store(tmp_path)
    try:
        leads = [store.save_article(None, a, [])[0] for a in (ORIGINAL, OTHER)]
        for site in ("a.example", "b.example", "c.example"):
            for lead, article in zip(leads, (ORIGINAL, OTHER), strict=True):
                copy, _ = store.save_article(None, syndicated(article, site), [])
                assert store.story(copy)[0] == lead
        assert [len(store.story(lead)) for lead in leads] == [4, 4]
    finally:
        store.close()
