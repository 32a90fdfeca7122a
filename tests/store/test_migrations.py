"""Old libraries migrate to this version (a copy kept first), a failed migration changes
nothing, and a library from a newer Reader is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from reader import config
from reader.errors import StorageError
from reader.library import Library
from reader.store import migrations, schema, stories
from reader.store.packing import unpack, unpack_keys
from reader.store.storage import DB_NAME
from reader.types import Article, ArticleFilter
from tests.conftest import make_v1_library
from tests.store.test_stories import BODY, TITLE, WHEN

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
            "guid-a": (1700000000, False, 1)}
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


def current_library(tmp_path: Path) -> Path:
    """A library at this version: a v1 library with ten articles, migrated."""
    data_dir = tmp_path / "library"
    make_v1_library(data_dir, 10)
    Library(data_dir).close()
    for copy in data_dir.glob(f"{DB_NAME}.before-*"):  # the copy that migration kept
        copy.unlink()
    return data_dir


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


def rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Each article's id, title, text, html, read state, images and related links. A v1
    library keeps text and html in columns of their own, v5 deflates them into `body`."""
    columns = {c[1] for c in db.execute("PRAGMA table_info(articles)")}
    content = "a.body" if "body" in columns else "a.text, a.html"
    found = db.execute(f"SELECT a.id, a.title, {content}, a.is_read, i.url, i.hash, r.url "
                       "FROM articles a LEFT JOIN article_images i ON i.article_id = a.id "
                       "LEFT JOIN related_links r ON r.article_id = a.id ORDER BY a.id")
    if "body" not in columns:
        return [tuple(row) for row in found]
    return [(*row[:2], *unpack(row[2]), *row[3:]) for row in found]


def test_a_version_1_library_migrates_after_a_copy(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    make_v1_library(data_dir, 50)
    before = rows(sqlite3.connect(data_dir / DB_NAME))
    with Library(data_dir) as library:
        assert library.count() == 51
        [source] = library.sources()
        assert (source.total, source.unread) == (51, 26)  # v3 counters filled from v1 rows
        assert library.article(2).is_favourite
        assert {h.id for h in library.search("长者食堂", limit=100)} == set(range(2, 52))
        assert library.image("https://example.org/7.png") == bytes([7])
    db = sqlite3.connect(data_dir / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    assert rows(db) == before
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = sqlite3.connect(data_dir / f"{DB_NAME}.before-v{schema.VERSION}")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert rows(copy) == before


def test_a_failing_migration_leaves_the_library_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = current_library(tmp_path)
    before = rows(sqlite3.connect(data_dir / DB_NAME))
    current = schema.VERSION

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE articles ADD COLUMN summary TEXT NOT NULL DEFAULT ''")
        db.execute("UPDATE articles SET title = 'overwritten'")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(schema, "VERSION", current + 1)
    monkeypatch.setattr(migrations, "MIGRATIONS", {**migrations.MIGRATIONS, current: broken})
    with pytest.raises(StorageError):
        Library(data_dir)
    db = sqlite3.connect(data_dir / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == current
    columns = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    assert "summary" not in columns  # the ALTER went with the rolled-back transaction
    assert rows(db) == before  # titles as they were
    assert (data_dir / f"{DB_NAME}.before-v{current + 1}").exists()
    monkeypatch.undo()
    with Library(data_dir) as library:
        assert library.count() == 11


def test_a_newer_library_is_refused_untouched(tmp_path: Path) -> None:
    data_dir = current_library(tmp_path)
    db = sqlite3.connect(data_dir / DB_NAME)
    db.execute("PRAGMA journal_mode = DELETE")  # one file, so "untouched" is one digest
    db.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    db.close()
    before = digest(data_dir / DB_NAME)
    done = cli(data_dir, "list")
    assert done.returncode == 1
    assert "newer Reader" in done.stderr and "Traceback" not in done.stderr
    assert digest(data_dir / DB_NAME) == before
    assert not list(data_dir.glob(f"{DB_NAME}.before-*"))


def test_the_v6_migration_keeps_sources_with_default_settings(tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    with Library(data_dir) as library:
        library.store.add_source("https://example.org/", "https://example.org/feed", "feed",
                                 "Example")
    db = sqlite3.connect(data_dir / DB_NAME)  # take it back to a v5 library
    db.execute("ALTER TABLE articles DROP COLUMN shared")  # v11's
    for table in ("listings", "article_urls", "story_keys", "totals"):  # v10's
        db.execute(f"DROP TABLE {table}")
    for trigger in ("articles_counted", "articles_uncounted", "articles_recounted"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP INDEX articles_by_story")
    db.execute("ALTER TABLE articles DROP COLUMN story_id")
    db.execute("ALTER TABLE sources DROP COLUMN settings")
    db.execute("DROP TABLE search_titles")  # v7's
    db.execute("DROP TABLE remote_feeds")  # v8's
    db.execute("ALTER TABLE remote_items DROP COLUMN server_tags")
    db.execute("DROP INDEX articles_by_item")  # v9's
    db.execute("DROP TABLE enclosures")
    db.execute("ALTER TABLE articles DROP COLUMN item_key")
    db.execute("ALTER TABLE articles DROP COLUMN page_error")
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with Library(data_dir) as library:
        [source] = library.sources()
        assert source.title == "Example"
        assert library.source_settings(source.id) == {
            s.name: s.default for s in config.SOURCE_SETTINGS}
        library.set_source_setting(source.id, "update_interval_minutes", 15)
        assert library.source_settings(source.id)["update_interval_minutes"] == 15
    db = sqlite3.connect(data_dir / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION
    db.close()
    assert (data_dir / f"{DB_NAME}.before-v{schema.VERSION}").exists()


def test_a_migrated_library_lists_its_articles_by_source_and_finds_copies(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "lib"
    make_v1_library(data_dir, 30)
    with Library(data_dir) as library:
        [source] = library.sources()
        assert (source.total, source.unread) == (31, 16)  # v1's own article + 30, half read
        assert library.count() == 31 and library.count(ArticleFilter(unread=True)) == 16
        listed = library.articles(ArticleFilter(source_id=source.id), limit=100)
        assert [r.id for r in listed] == [r.id for r in library.articles(limit=100)]
        # A second source listing a migrated article: counted for both, deleted with neither.
        other = library.store.add_source("https://example.org/feed", "https://example.org/feed",
                                         "feed", "Feed")
        article = library.article(5).article
        assert library.store.save_article(other, article, [], [])[0] == 5
        assert {s.title: s.total for s in library.sources()} == {"Example": 31, "Feed": 1}
        # The same text under another address is the same article (story keys were made).
        moved = replace(article, url="https://mirror.example.org/5.html")
        assert library.store.save_article(other, moved, [], []) == (5, "unchanged")
        assert library.store.known([moved.url])[moved.url][2] == 5
        library.remove_source(source.id)
        # 5: listed elsewhere; 2: a favourite; 3: its related block links to it
        assert [r.id for r in library.articles(limit=100)] == [5, 3, 2]


# The keys a v11 library stored for tests/store/test_stories.py's article (its MinHash of 30
# permutations): its text key, its headline's, its ten bands'.
V11_KEYS = [
    -7318291467689741111, 8529475256634232210, -1709186381349573448, 7272787862627747117,
    1842243184100006888, 1922456627145365176, 9168098886252557526, 4731655339132181212,
    1339037877979613131, 4327263580414806515, 7918596560375205527, -6175610010722718109]


@pytest.mark.parametrize("version", [11, 12])
def test_a_migration_gives_stored_articles_their_story_keys(
        tmp_path: Path, version: int) -> None:
    """A v11 library's keys are computed again (v12's MinHash); a v12 library's, a row per
    key, are packed into a row per article (v13)."""
    data_dir = tmp_path / "lib"
    original = Article(url="https://news.example/a/1.html", title=TITLE,
                       text="\n\n".join(BODY), published=WHEN)
    with Library(data_dir) as library:
        source = library.store.add_source("https://news.example/", "https://news.example/feed",
                                          "feed", "News")
        lead, _ = library.store.save_article(source, original, [])
    new_keys = stories.keys(original.title, original.text)
    old_keys = V11_KEYS if version == 11 else new_keys
    # Back to the older library as it left it: its story keys a row per key.
    db = sqlite3.connect(data_dir / DB_NAME)
    db.execute("DROP TABLE story_keys")
    db.execute("CREATE TABLE story_keys (key INTEGER NOT NULL, article_id INTEGER NOT NULL, "
               "PRIMARY KEY (key, article_id)) WITHOUT ROWID")
    db.executemany("INSERT INTO story_keys VALUES (?, ?)", [(k, lead) for k in old_keys])
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    if version == 11:
        assert set(new_keys) & set(V11_KEYS) == {V11_KEYS[1]}  # the headline's key alone kept

    with Library(data_dir) as library:
        store = library.store
        [packed] = store.db.execute("SELECT keys FROM story_keys WHERE article_id = ?",
                                    (lead,)).fetchall()
        assert sorted(unpack_keys(packed[0])) == sorted(new_keys)
        # A syndicated copy stored after the migration joins the story stored before it.
        chrome = Article(url="https://portal.example/b/2.html", title=TITLE + "（图）",
                         text="\n\n".join([f"原标题：{TITLE}", *BODY, "责任编辑：王芳"]),
                         published=WHEN + timedelta(hours=5))
        copy, outcome = store.save_article(source, chrome, [])
        assert outcome == "new" and store.story(copy) == [lead, copy]
        # The same article under another address is that article.
        moved = replace(original, url="https://mirror.example/a/1.html")
        assert store.save_article(source, moved, []) == (lead, "unchanged")
    db = sqlite3.connect(data_dir / DB_NAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.VERSION == 13
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
