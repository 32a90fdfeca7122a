"""'Similar in your library' over a real store: distinctive terms, not common ones, decide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.services.related import distinctive_terms, similar
from reader.store.storage import Store
from reader.types import Article

COMMON = "今天上午，记者从有关部门获悉，"


def article(n: int, title: str, text: str) -> Article:
    return Article(url=f"http://news.example/{n}.html", title=title, text=text,
                   html=f"<p>{text}</p>")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path)
    store.save_articles([(None, article(n, title, COMMON + text), [], []) for n, (title, text)
                         in enumerate([
        ("长者食堂开到家门口", "社区长者食堂为老人提供午餐，长者食堂菜品每周更新。"),
        ("又一批长者食堂开张", "新开的长者食堂覆盖三个街道，老人用餐可享补贴。"),
        ("地铁新线年底通车", "地铁新线全长三十公里，设站二十座。"),
        ("秋季运动会开幕", "运动会设田径、游泳等项目，近千名学生参加。"),
        ("图书馆延长开放时间", "市图书馆周末开放至晚上九点。"),
    ])])
    yield store
    store.close()


def test_similar_finds_the_article_on_the_same_subject(store: Store) -> None:
    first = store.article_id("http://news.example/0.html")
    assert first is not None
    found = [row.title for row in similar(store, first, limit=3)]
    assert found[0] == "又一批长者食堂开张"
    assert "长者食堂开到家门口" not in found  # never itself


def test_words_every_article_shares_weigh_least(store: Store) -> None:
    terms = distinctive_terms(store, "长者食堂开到家门口", COMMON + "长者食堂为老人提供午餐")
    shared = [terms.index(t) for t in ("记者", "部门", "今天") if t in terms]
    assert terms.index("食堂") < min(shared, default=len(terms))  # idf: log(5 / 5) = 0
