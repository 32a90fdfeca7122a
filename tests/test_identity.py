"""One article is one article wherever it is listed: the same site added twice, a feed added
after its section pages, addresses with tracking parameters or a canonical elsewhere."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLE_SITE, Cli, SiteServer, serve_directory


def _rows(cli: Cli, *args: str) -> list[dict[str, Any]]:
    rows = cli.json("list", "--limit", "500", *args)
    assert isinstance(rows, list)
    return rows


def _source_ids(cli: Cli) -> dict[str, int]:
    sources = cli.json("sources")
    assert isinstance(sources, list)
    return {s["title"]: s["id"] for s in sources}


def test_the_sample_site_from_file_and_over_http_lists_each_article_once(
        cli: Cli, sample_site: SiteServer) -> None:
    cli("add", (SAMPLE_SITE / "news" / "index.html").as_uri(), "--title", "本地")
    cli("update")
    local = _rows(cli)
    assert len(local) >= 10 and all(r["also"] == [] for r in local)

    cli("add", sample_site.url + "news/index.html", "--title", "网上")
    out = cli("update")
    rows = _rows(cli)
    assert [r["id"] for r in rows] == [r["id"] for r in local]  # no second copy
    assert all((r["source"], r["also"]) == ("本地", ["网上"]) for r in rows)
    assert f"2 实时讯息: 0 new, 0 updated, {len(local)} unchanged, 0 failed" in out
    ids = _source_ids(cli)
    listed = {title: [r["id"] for r in _rows(cli, "--source", str(i))]
              for title, i in ids.items()}
    assert listed["网上"] == listed["本地"] == [r["id"] for r in local]
    assert "本地, 网上" in cli("list")  # the terminal names both

    # Read state is the article's, whichever source shows it.
    cli("read", str(rows[0]["id"]))
    for i in ids.values():
        assert _rows(cli, "--source", str(i))[0]["is_read"] is True
    sources = cli.json("sources")
    assert isinstance(sources, list)
    assert {s["unread"] for s in sources} == {len(rows) - 1}

    # Unsubscribing one keeps the articles the other lists.
    cli("remove", str(ids["本地"]))
    after = _rows(cli)
    assert [r["id"] for r in after] == [r["id"] for r in rows]
    assert all((r["source"], r["also"]) == ("网上", []) for r in after)


def test_a_source_added_after_another_of_the_same_site_shows_its_articles(
        cli: Cli, sample_site: SiteServer) -> None:
    cli("add", sample_site.url + "news/index.html", "--title", "实时讯息")
    cli("add", sample_site.url + "world/index.html", "--title", "World")
    cli("update")
    before = {r["id"] for r in _rows(cli)}
    cli("add", sample_site.url + "rss.xml", "--title", "订阅")
    cli("update")
    feed = _rows(cli, "--source", str(_source_ids(cli)["订阅"]))
    assert len(feed) == 10  # every item of the feed, though the sections stored them first
    assert {r["id"] for r in feed} <= before == {r["id"] for r in _rows(cli)}
    assert all("订阅" in r["also"] or r["source"] == "订阅" for r in feed)


PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>{head}</head><body><h1>{title}</h1>
<div class="content"><p>{text}</p><p>{text}</p></div></body></html>"""
TEXT = "本报讯 市里新建的长者食堂今天开门，附近的老人不用再为一日三餐发愁。" * 6


def _feed(root: Path, name: str, base: str, links: list[str]) -> None:
    items = "".join(f"<item><title>t{n}</title><link>{base}{link}</link></item>"
                    for n, link in enumerate(links))
    (root / name).write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>站</title>'
        f"<link>{base}</link>{items}</channel></rss>", encoding="utf-8")


def test_tracking_parameters_fragments_and_canonicals_name_one_article(
        cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "m").mkdir(parents=True)
    pages = {
        # the mobile page names the desktop one as its canonical: one article
        "m/a.html": ('<link rel="canonical" href="/a.html">', "长者食堂开到家门口"),
        "a.html": ("", "长者食堂开到家门口"),
        # a canonical on another site is not believed
        "b.html": ('<meta property="og:url" content="https://elsewhere.example/b.html">',
                   "供暖季开启"),
    }
    for name, (head, title) in pages.items():
        (root / name).write_text(PAGE.format(title=title, head=head, text=TEXT + name),
                                 encoding="utf-8")
    server = serve_directory(root)
    try:
        _feed(root, "rss.xml", server.url,
              ["a.html?utm_source=feed&spm=1.2", "a.html#comments", "b.html"])
        _feed(root, "m.xml", server.url, ["m/a.html?from=timeline"])
        cli("add", server.url + "rss.xml", "--title", "桌面")
        cli("add", server.url + "m.xml", "--title", "手机")
        cli("update")
        rows = _rows(cli)
        assert sorted(r["url"] for r in rows) == [server.url + "a.html", server.url + "b.html"]
        # Both feeds named on the one row; which stored it first is the order the pages
        # arrived in (the sources update in parallel).
        assert [sorted([r["source"], *r["also"]]) for r in rows
                if r["url"].endswith("a.html")] == [sorted(["桌面", "手机"])]
        # The addresses the feeds link to are known now: nothing is fetched again.
        for feed in ("rss.xml", "m.xml"):
            os.utime(root / feed, (time.time() + 10, time.time() + 10))
        out = cli("update", "--all")
        assert "1 站: 0 new, 0 updated, 2 unchanged" in out  # a.html (twice), b.html
        assert "2 站: 0 new, 0 updated, 1 unchanged" in out
        assert len(_rows(cli)) == 2
    finally:
        server.stop()
