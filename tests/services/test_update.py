"""The update pipeline's decisions and its runs, over a FakeFetcher and a real SQLite store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.fetch.http import Response
from reader.parse.sites.rules import Rule
from reader.services.plan import Options, decide, due, source_options
from reader.services.update import Updater
from reader.store.storage import SourceState, Store
from reader.types import Entry
from tests.fakes import FakeClock, FakeFetcher, article_page


def rss(*links: tuple[str, str], summary: str = "") -> str:
    items = "".join(f"<item><title>{t}</title><link>{u}</link>"
                    f"<description><![CDATA[{summary}]]></description>"
                    f"<pubDate>Wed, 01 May 2024 09:30:00 +0800</pubDate></item>"
                    for u, t in links)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>新闻</title>'
            f"<link>http://news.example/</link><description>d</description>{items}"
            f"</channel></rss>")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path)
    yield store
    store.close()


def state(**settings: object) -> SourceState:
    return SourceState(1, "http://a.example/feed", "http://a.example/feed", "feed", "A", None,
                       None, None, settings=dict(settings))


# --- decide ---------------------------------------------------------------------------------

WHEN = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_decide_fetches_new_and_changed_entries_once() -> None:
    stored_at = int(WHEN.timestamp())
    entries = [Entry(url="http://a/new"), Entry(url="http://a/new"),
               Entry(url="http://a/same", updated=WHEN),
               Entry(url="http://a/edited", updated=WHEN + timedelta(hours=1)),
               Entry(url="http://a/undated")]
    known = {"http://a/same": (stored_at, False), "http://a/edited": (stored_at, False),
             "http://a/undated": (stored_at, False)}
    fetch, unchanged = decide(entries, known)
    assert [e.url for e in fetch] == ["http://a/new", "http://a/edited"]
    assert unchanged == 2


def test_decide_never_refetches_a_favourite() -> None:
    later = Entry(url="http://a/fav", updated=WHEN + timedelta(days=1))
    assert decide([later], {"http://a/fav": (int(WHEN.timestamp()), True)}) == ([], 1)


# --- due ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("interval", "last", "now", "expected"), [
    (0, 1000, 1001, True),  # no interval: every update
    (10, None, 1000, True),  # never updated
    (10, 1000, 1000 + 599, False),
    (10, 1000, 1000 + 600, True),
])
def test_due(interval: int, last: int | None, now: float, expected: bool) -> None:
    source = SourceState(1, "u", "u", "feed", "", None, None, None, last_updated=last,
                         settings={"update_interval_minutes": interval})
    assert due(source, now) is expected


# --- source_options -------------------------------------------------------------------------


def test_source_options_lay_a_sources_settings_over_the_global_ones() -> None:
    base = Options(download_images=True)
    assert source_options(base, {}) == base
    own = source_options(base, {"charset": "gbk", "user_agent": "Bot/1", "full_articles": False,
                                "download_images": "no", "rule": {"body": "//article"}})
    assert (own.charset, own.user_agent, own.full_articles, own.download_images) == (
        "gbk", "Bot/1", False, False)
    assert own.rule == Rule.from_json({"body": "//article"})
    assert source_options(Options(download_images=False),
                          {"download_images": "yes"}).download_images is True


# --- runs over a FakeFetcher ----------------------------------------------------------------


def updater_for(store: Store, web: FakeFetcher, **kwargs: object) -> Updater:
    return Updater(store, web, Options(prefetch_related=False), **kwargs)  # type: ignore[arg-type]


def test_an_update_stores_articles_stamped_by_the_injected_clock(store: Store) -> None:
    web = FakeFetcher()
    feed = web.serve("http://a.example/feed", rss(("http://a.example/1.html", "长者食堂")),
                     content_type="application/rss+xml")
    web.serve("http://a.example/1.html", article_page("长者食堂开到家门口"))
    source_id = store.add_source(feed, feed, "feed", "A", None, "", {"user_agent": "Bot/1"})
    clock = FakeClock()
    updater = updater_for(store, web, now=clock.utc)
    [result] = updater.update([source_id])
    assert (result.new, result.error) == (1, "")
    article_id = store.article_id("http://a.example/1.html")
    assert article_id is not None
    stored = store.article(article_id)
    assert stored.article.title == "长者食堂开到家门口"
    assert stored.fetched_at == clock.now
    # The source's own user agent went with every request made for it.
    assert [(r.url, r.user_agent) for r in web.requests] == [
        (feed, "Bot/1"), ("http://a.example/1.html", "Bot/1")]


def test_an_updater_without_a_clock_of_its_own_uses_the_stores(tmp_path: Path) -> None:
    clock = FakeClock()
    store = Store(tmp_path, now=clock.utc)
    web = FakeFetcher()
    feed = web.serve("http://a.example/feed", rss(("http://a.example/1.html", "长者食堂")),
                     content_type="application/rss+xml")
    web.serve("http://a.example/1.html", article_page("长者食堂开到家门口"))
    source_id = store.add_source(feed, feed, "feed", "A", None, "", {})
    clock.advance(3600)
    [result] = updater_for(store, web).update([source_id])
    assert (result.new, result.error) == (1, "")
    article_id = store.article_id("http://a.example/1.html")
    assert article_id is not None
    assert store.article(article_id).fetched_at == clock.now
    assert store.source_state(source_id).last_updated == int(clock.now.timestamp())
    store.close()


def test_a_failing_host_is_one_sources_error(store: Store) -> None:
    web = FakeFetcher()
    good = web.serve("http://a.example/feed", rss(("http://a.example/1.html", "一")),
                     content_type="application/rss+xml")
    web.serve("http://a.example/1.html", article_page("一篇文章"))
    bad = "http://down.example/feed"
    web.fail("down.example")
    ids = [store.add_source(url, url, "feed", url, None, "", {}) for url in (good, bad)]
    results = updater_for(store, web).update(ids)
    assert [(r.new, r.error) for r in results] == [(1, ""), (0, "connection refused")]
    assert store.source_state(ids[1]).last_updated is None  # a failure is not an update


def test_a_missing_article_page_falls_back_to_the_feeds_summary(store: Store) -> None:
    web = FakeFetcher()
    feed = web.serve("http://a.example/feed", rss(("http://a.example/gone.html", "一"),
                                                  summary="<p>摘要在此</p>"),
                     content_type="application/rss+xml")
    source_id = store.add_source(feed, feed, "feed", "A", None, "", {})
    [result] = updater_for(store, web).update([source_id])
    assert (result.new, result.failed) == (1, 0)
    article_id = store.article_id("http://a.example/gone.html")
    assert article_id is not None and "摘要在此" in store.article(article_id).article.text


def test_pages_of_a_host_that_hangs_do_not_hold_every_worker(store: Store) -> None:
    """Six pages on a hanging host, then two on a healthy one, three workers: the healthy
    host's pages are fetched while the hanging host's wait (without a share per host, all
    three workers would wait on the hanging host and the others behind them)."""
    healthy_done = threading.Event()
    saw_healthy: list[bool] = []

    class Web(FakeFetcher):
        def get(self, url: str, **kwargs: object) -> Response:  # type: ignore[override]
            response = super().get(url, **kwargs)  # type: ignore[arg-type]
            if "//slow.example/" in url:
                saw_healthy.append(healthy_done.wait(10))  # released at once when fair
            elif url.endswith("/b1.html"):
                healthy_done.set()
            return response

    web = Web()
    links = [(f"http://slow.example/{i}.html", f"慢{i}") for i in range(6)]
    links += [("http://fast.example/b0.html", "快0"), ("http://fast.example/b1.html", "快1")]
    for url, title in links:  # eight different articles
        web.serve(url, article_page(title).replace(
            "</article>", f"<p>这是第{title}篇文章自己的一段话，与其他文章不同。</p></article>"))
    feed = web.serve("http://a.example/feed", rss(*links), content_type="application/rss+xml")
    source_id = store.add_source(feed, feed, "feed", "A", None, "", {})
    updater = Updater(store, web, Options(prefetch_related=False, download_images=False,
                                          page_workers=3, jobs_per_host=2))
    [result] = updater.update([source_id])
    assert result.new == 8
    assert saw_healthy == [True] * 6
