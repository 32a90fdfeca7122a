"""How the CLI prints what no end-to-end test reaches: a sync with skipped items and conflicts,
a rule that reads an undated article, an empty listing."""

from __future__ import annotations

from reader.sync import SyncResult
from reader.terminal import rule_result_text, sync_summary
from reader.types import Article, ParsedSource


def test_a_sync_summary_names_skipped_items_and_each_conflict() -> None:
    result = SyncResult(feeds=1, items=2, pushed=1, pending=3, skipped=1,
                        conflicts=("台风过境: read", "Budget: favourite"))
    assert sync_summary(result) == (
        "1 subscription and 2 articles pulled, 1 change sent, 3 waiting\n"
        "1 server item without a web link not stored\n"
        "2 conflicts (the change made here was kept):\n"
        "  台风过境: read\n"
        "  Budget: favourite")
    assert sync_summary(SyncResult()) == (
        "0 subscriptions and 0 articles pulled, 0 changes sent, 0 waiting")


def test_a_rule_result_without_a_date_or_entries_says_so() -> None:
    article = Article(url="https://example.org/a", title="标题", text="正文" * 300)
    assert rule_result_text(article, article.url) == "标题\n(no date)\n" + "正文" * 250
    empty = ParsedSource(kind="listing", title="", entries=())
    assert rule_result_text(empty, "https://example.org/list") == (
        "0 entries on https://example.org/list")
