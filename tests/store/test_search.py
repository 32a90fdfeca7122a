"""Search finds what a brute-force scan finds, for Chinese of any length and English words."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.errors import Cancelled, SearchError
from reader.store import tokens
from reader.store._storage import search as store_search
from reader.store.storage import Store
from reader.types import Article
from tests.fakes import CancelAfter

HAN = "职教出海重工样本国际化联盟标准突破学校培养人才技术新能源汽车河流治理图书馆铁路货运茶叶机器人"
WORDS = ["river", "Library", "robot", "freight", "tea", "Energy", "school", "contest", "rail"]


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(5, 40)):
        if rng.random() < 0.05:
            parts.append(rng.choice(["职教出海", "机器人学校", "新能源汽车"]))
        elif rng.random() < 0.6:
            parts.append("".join(rng.choice(HAN) for _ in range(rng.randint(1, 8))))
        else:
            parts.append(rng.choice(WORDS))
        parts.append(rng.choice([" ", "，", "。", " ", ""]))
    return "".join(parts)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[int, str]]:
    store = Store(tmp_path_factory.mktemp("search"))
    rng = random.Random(7)
    texts = {}
    for n in range(300):
        title, text = _random_text(rng)[:30], _random_text(rng)
        article_id, _ = store.save_article(None, Article(url=f"http://x/{n}", title=title,
                                                         text=text, html=text), [])
        texts[article_id] = f"{title}\n{text}".lower()
    return store, texts


def _brute(texts: dict[int, str], query: str) -> set[int]:
    if re.fullmatch(r"[a-z]+", query.lower()):  # a Latin word: the words it begins
        word = re.compile(rf"(?<![a-z]){query.lower()}")
        return {i for i, t in texts.items() if word.search(t)}
    return {i for i, t in texts.items() if query in t}


@pytest.mark.parametrize("query", ["出", "海", "出海", "国际", "新能源", "职教出海", "机器人学校",
                                   "river", "LIBRARY", "Energy", "茶", "rob", "ri"])
def test_search_matches_brute_force(library: tuple[Store, dict[int, str]], query: str) -> None:
    store, texts = library
    expected = _brute(texts, query)
    found = {hit[0] for hit in store.search(tokens.parse_query(query), limit=10_000)}
    assert expected, f"the generated library should contain {query!r}"
    assert found == expected


def test_phrase_and_exclusion(library: tuple[Store, dict[int, str]]) -> None:
    store, texts = library
    found = {h[0] for h in store.search(tokens.parse_query('"robot contest" -茶'), limit=10_000)}
    expected = {i for i, t in texts.items()
                if re.search(r"(?<![a-z])robot\W*contest(?![a-z])", t) and "茶" not in t}
    assert found == expected


@pytest.mark.parametrize("query, message", [
    ('"unclosed', "unbalanced quote"), ("   ", "no words"), ("-river", "only excludes"),
    ("，。！", "no words"),
])
def test_bad_queries_get_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        tokens.parse_query(query)


def test_latin_words_match_as_prefixes_and_quotes_keep_whole_words(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = {}
    for text in ("A walk along the riverside at dusk", "Three thousand volunteers help out",
                 "The river rose overnight", "Rivers and lakes"):
        ids[text.split()[-1]], _ = store.save_article(
            None, Article(url=f"http://x/{len(ids)}", title=text, text=text, html=text), [])

    def found(query: str) -> set[int]:
        return {hit[0] for hit in store.search(tokens.parse_query(query), limit=100)}

    assert found("river") == {ids["dusk"], ids["overnight"], ids["lakes"]}
    assert found("river*") == found("river") == found("RIVER")
    assert found("volunteer") == {ids["out"]}
    assert found('"river"') == {ids["overnight"]}
    assert found("the riv") == {ids["dusk"], ids["overnight"]}  # two prefixes, both needed
    assert found('"the river"') == {ids["overnight"]}
    assert found("river -lake") == {ids["dusk"], ids["overnight"]}


def test_snippet_highlights_whole_words_a_prefix_begins() -> None:
    snippet = tokens.snippet("Volunteers walked along the Riverside.",
                             tokens.parse_query("volunteer river").positive)
    assert snippet == "«Volunteers» walked along the «Riverside»."


def test_snippet_highlights_the_match() -> None:
    text = "前面的一些文字。" * 10 + "学校推动职教出海，成效明显。" + "后面的文字。" * 10
    snippet = tokens.snippet(text, tokens.parse_query("出海").positive)
    assert "«出海»" in snippet
    assert snippet.startswith("…") and len(snippet) < 140


@pytest.mark.parametrize("query", ["职", "教", "river", "机器人", "新能源汽车"])
def test_a_common_query_ranks_the_newest_matches_as_the_full_ranking_would(
        library: tuple[Store, dict[int, str]], query: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store, texts = library
    monkeypatch.setattr(store_search, "RANK_CAP", 20)
    parsed = tokens.parse_query(query)
    low = store._search_window(parsed.fts)
    full = {r[0]: -r[1] for r in store.db.execute(  # the store's scoring, over everything
        "SELECT rowid, bm25(search) - ? * (rowid IN (SELECT rowid FROM search_titles "
        "WHERE search_titles MATCH ?)) FROM search WHERE search MATCH ?",
        (store_search.TITLE_BONUS, parsed.fts, parsed.fts))}
    window = [i for i in _brute(texts, query) if i > low]
    assert low > 0 and len(window) >= 20  # the window is in use and holds the cap
    got = store.search(parsed, limit=10)
    assert {i for i, *_ in got} <= set(window)
    assert [round(s, 9) for _, s, *_ in got] == sorted(
        (round(full[i], 9) for i in window), reverse=True)[:10]


def test_a_match_in_the_title_ranks_first(tmp_path: Path) -> None:
    store = Store(tmp_path)
    body_only, _ = store.save_article(None, Article(
        url="http://x/1", title="港口新闻", text="出海" * 30, html="<p>出海</p>"), [])
    in_title, _ = store.save_article(None, Article(
        url="http://x/2", title="职教出海", text="学校的一些新闻。" * 30, html="<p>x</p>"), [])
    found = [hit[0] for hit in store.search(tokens.parse_query("出海"), limit=10)]
    assert found == [in_title, body_only]


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Enough articles that ranking a common character is one long SQLite statement."""
    store = Store(tmp_path_factory.mktemp("search-big"))
    rng = random.Random(11)
    store.save_articles([(None, Article(url=f"http://x/{n}", title=_random_text(rng)[:30],
                                        text=(text := _random_text(rng)), html=text), [], [])
                         for n in range(1500)])
    yield store
    store.close()


def test_a_search_stops_inside_its_sqlite_statement_when_its_cancel_flag_is_set(
        big_store: Store) -> None:
    query = tokens.parse_query("出")
    whole = CancelAfter()  # never set: how often a whole search looks at its flag
    with big_store.stopped_by(whole):
        assert big_store.search(query, limit=50)
    assert whole.looks > 20

    cancel = CancelAfter(10)
    with pytest.raises(Cancelled) as stopped, big_store.stopped_by(cancel):
        big_store.search(query, limit=50)
    assert cancel.looks == 10  # nothing ran on once it was set
    cause = stopped.value.__cause__
    assert isinstance(cause, sqlite3.OperationalError)
    assert cause.sqlite_errorname == "SQLITE_INTERRUPT"  # stopped mid-statement, not between

    # The connection is left without the flag: the next search on this thread runs whole.
    assert len(big_store.search(query, limit=50)) == 50
    assert cancel.looks == 10


def test_a_flag_already_set_stops_a_search_before_its_first_statement(big_store: Store) -> None:
    cancel = CancelAfter(1)
    with pytest.raises(Cancelled) as stopped, big_store.stopped_by(cancel):
        big_store.search(tokens.parse_query("出"), limit=50)
    assert cancel.looks == 1 and stopped.value.__cause__ is None
