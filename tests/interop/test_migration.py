"""A library written before folders existed opens, keeps its data and gains the column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.library import Library
from reader.store import schema
from reader.store.storage import DB_NAME

V1 = Path(__file__).resolve().parent.parent / "data" / "library-v1.sql"


def test_a_version_1_library_migrates(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(V1.read_text(encoding="utf-8"))
    db.close()

    with Library(tmp_path) as library:
        [source] = library.sources()
        assert (source.title, source.folder) == ("Example", "")
        assert library.article(1).article.title == "Kept across the migration"
        library.set_folder(source.id, " News / Tech ")
        assert library.source(source.id).folder == "News/Tech"

    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert (tmp_path / f"{DB_NAME}.before-v{schema.VERSION}").exists()  # the copy made first


def test_articles_of_an_old_library_are_the_feed_items_they_were(tmp_path: Path) -> None:
    """After v9, a feed item is known by its id; an article stored before, by its URL."""
    from reader.types import Article, Enclosure

    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(V1.read_text(encoding="utf-8"))
    db.close()
    with Library(tmp_path) as library:
        store = library.store
        old = ("guid-a", "https://example.org/a.html")
        assert store.known_items(1, [old, ("guid-b", "https://example.org/b.html")]) == {
            "guid-a": (1700000000, False)}
        article = Article(url=old[1], title="Kept, now with its id", text="body", html="<p>b</p>")
        assert store.save_article(1, article, [], item_key="guid-a") == (1, "updated")
        # another item of the source with the same link is an article of its own
        sharing, outcome = store.save_article(1, Article(
            url=old[1], title="Same link, other item", text="t", html="<p>t</p>"), [],
            item_key="guid-c")
        assert outcome == "new" and sharing != 1
        assert store.article(sharing).article.url.startswith(old[1] + "#item-")
        linkless, _ = store.save_article(1, Article(
            url="", title="Episode", enclosures=(Enclosure("https://example.org/e.mp3",
                                                           "audio/mpeg", 99),)), [],
            item_key="ep-1")
        stored = store.article(linkless).article
        assert stored.url.startswith("https://example.org/feed.xml#item-")
        assert stored.enclosures == (Enclosure("https://example.org/e.mp3", "audio/mpeg", 99),)
        assert store.known_items(1, [old, ("guid-c", old[1]), ("ep-1", "")]).keys() == {
            "guid-a", "guid-c", "ep-1"}
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
