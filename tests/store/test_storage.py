"""The store on a real SQLite file: favourites are frozen, writes are whole, schemas are checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.errors import StorageError
from reader.library import Library, restore
from reader.store._storage.article_reads import where_clauses
from reader.store.storage import DB_NAME, ImageData, Store, StoredImage
from reader.types import Article, ArticleFilter, Image, RelatedLink


def _article(n: int, text: str = "body") -> Article:
    return Article(url=f"http://site/{n}.html", title=f"标题 {n}", text=text, html=f"<p>{text}</p>",
                   images=(Image(f"http://site/{n}.png", "caption"),),
                   related=(RelatedLink("http://site/99.html", "linked"),))


def _png(tag: bytes) -> ImageData:
    return ImageData("hash-" + tag.decode(), "image/png", 2, 2, b"\x89PNG" + tag)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)


def test_save_and_read_back(store: Store) -> None:
    blob = _png(b"a")
    article_id, outcome = store.save_article(None, _article(1), [
        StoredImage(Image("http://site/1.png", "caption"), blob.hash)], [blob])
    assert outcome == "new"
    stored = store.article(article_id)
    assert stored.article.title == "标题 1"
    assert stored.article.images == (Image("http://site/1.png", "caption"),)
    assert stored.related[0].url == "http://site/99.html" and stored.related[0].article_id is None
    assert store.image("http://site/1.png") == blob.data
    assert store.save_article(None, _article(1), [], [])[1] == "unchanged"
    assert store.save_article(None, _article(1, "changed"), [], [])[1] == "updated"
    assert store.image("http://site/1.png") is None  # the orphaned image went with the update


def test_a_favourite_is_frozen_and_survives_its_source(store: Store) -> None:
    source = store.add_source("http://site/", "http://site/", "listing", "Site")
    kept, _ = store.save_article(source, _article(1, "as saved"), [], [])
    linked, _ = store.save_article(source, Article(url="http://site/99.html", title="linked",
                                                   text="t", html="<p>t</p>"), [], [])
    store.save_article(source, _article(2), [], [])
    store.set_favourite(kept, True)

    assert store.save_article(source, _article(1, "rewritten"), [], [])[1] == "frozen"
    assert store.remove_source(source) == 1  # article 2 goes; the favourite and its link stay
    assert store.article(kept).article.text == "as saved"
    assert store.article(kept).is_favourite
    assert store.article(linked).source_id is None
    assert store.count(ArticleFilter(favourites=True)) == 1
    assert store.count(ArticleFilter()) == 2


def test_images_are_stored_once_per_content(store: Store) -> None:
    blob = _png(b"same")
    for n in (1, 2):
        store.save_article(None, _article(n), [
            StoredImage(Image(f"http://site/{n}.png"), blob.hash)], [blob])
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM images").fetchone()[0] == 1


def test_a_failed_write_leaves_no_half_article(store: Store) -> None:
    # An image row pointing at a blob that was never stored violates a foreign key mid-write.
    with pytest.raises(StorageError):
        store.save_article(None, _article(1), [StoredImage(Image("http://site/1.png"), "nohash")])
    assert store.article_id("http://site/1.html") is None
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM related_links").fetchone()[0] == 0


def test_keyset_pages_cover_everything_once(store: Store) -> None:
    for n in range(25):
        store.save_article(None, _article(n), [], [])
    seen, after = [], None
    while page := store.articles(ArticleFilter(), limit=10, after=after):
        seen += [r.id for r in page]
        after = (page[-1].sort_key, page[-1].id)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 25
    oldest, after = [], None
    while page := store.articles(ArticleFilter(), limit=7, after=after, oldest_first=True):
        oldest += [r.id for r in page]
        after = (page[-1].sort_key, page[-1].id)
    assert oldest == seen[::-1]


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    Store(tmp_path).close()
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = (tmp_path / DB_NAME).read_bytes()
    with pytest.raises(StorageError, match="newer Reader"):
        Store(tmp_path)
    assert (tmp_path / DB_NAME).read_bytes() == before


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="not a Reader library"):
        Store(tmp_path)


def test_backup_and_restore(store: Store, tmp_path: Path) -> None:
    article_id, _ = store.save_article(None, _article(1), [], [])
    store.set_favourite(article_id, True)
    store.backup(tmp_path / "copy.sqlite")
    store.set_favourite(article_id, False)
    with pytest.raises(StorageError, match="close it"):
        restore(tmp_path, tmp_path / "copy.sqlite")  # the library is still open
    store.close()
    restore(tmp_path, tmp_path / "copy.sqlite")
    assert Store(tmp_path).article(article_id).is_favourite
    # The library that the restore replaced is kept, whole (there the favourite was undone).
    kept = sqlite3.connect(tmp_path / f"{DB_NAME}.before-restore")
    assert kept.execute("SELECT count(*) FROM favourites").fetchone()[0] == 0


def test_save_articles_is_one_transaction_with_the_same_outcomes(store: Store) -> None:
    store.save_article(None, _article(1), [], [])
    outcomes = store.save_articles([(None, _article(1), [], []), (None, _article(2), [], []),
                                    (None, _article(1, "changed"), [], [])])
    assert [o for _, o in outcomes] == ["unchanged", "new", "updated"]
    with pytest.raises(StorageError):  # one bad article rolls the whole batch back
        store.save_articles([(None, _article(3), [], []),
                             (None, _article(4), [StoredImage(Image("x"), "no-such-blob")], [])])
    assert store.article_id("http://site/3.html") is None


def test_source_counts_follow_every_write(store: Store) -> None:
    def brute() -> dict[int, tuple[int, int]]:
        return {r[0]: (r[1], r[2]) for r in store.db.execute(
            "SELECT l.source_id, count(*), sum(a.is_read = 0) FROM listings l "
            "JOIN articles a ON a.id = l.article_id GROUP BY l.source_id")}

    def counted() -> dict[int, tuple[int, int]]:
        return {s.id: (s.total, s.unread) for s in store.sources() if s.total}

    a = store.add_source("http://a/", "http://a/", "feed", "A")
    b = store.add_source("http://b/", "http://b/", "feed", "B")
    ids = [store.save_article(a if n % 3 else b, _article(n), [], [])[0] for n in range(9)]
    store.save_article(b, _article(1, "listed by b too, and changed"), [], [])
    store.set_read(ids[2], True)
    store.mark_all_read(b)
    store.set_read(ids[0], False)
    store.set_favourite(ids[4], True)
    assert counted() == brute() and counted()[a][0] == 6
    store.remove_source(a)  # the favourite stays, without a source; b keeps article 1
    assert counted() == brute() == {b: (4, 1)}
    assert store.article_total() == store.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    store.set_read(ids[4], False)
    for f in (ArticleFilter(), ArticleFilter(unread=True), ArticleFilter(source_id=a),
              ArticleFilter(source_id=b, unread=True), ArticleFilter(favourites=True)):
        where, params = where_clauses(f)
        sql = f"SELECT count(*) FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''}"
        assert store.count(f) == store.db.execute(sql, params).fetchone()[0], f


def test_term_documents_are_cached_until_the_library_grows(store: Store) -> None:
    for n in range(20):
        store.save_article(None, _article(n, "river tea"), [], [])
    assert store.term_documents(["river", "tea", "nothing"], cap=99) == {"river": 20, "tea": 20}
    assert store.term_documents(["river"], cap=5) == {"river": 5}  # counting stops at the cap
    store.save_article(None, _article(20, "river"), [], [])  # 1 in 21: within the twentieth
    assert store.term_documents(["river"], cap=99) == {"river": 20}
    store.save_article(None, _article(21, "river"), [], [])
    assert store.term_documents(["river", "tea"], cap=99) == {"river": 22, "tea": 20}


def test_the_library_restores_a_backup_in_place(tmp_path: Path) -> None:
    with Library(tmp_path / "lib") as library:
        article_id, _ = library.store.save_article(None, _article(1), [], [])
        library.set_favourite(article_id)
        library.backup(tmp_path / "copy.sqlite")
        library.set_favourite(article_id, False)
        library.restore(tmp_path / "copy.sqlite")
        assert library.article(article_id).is_favourite  # the same object reads the backup
        with pytest.raises(StorageError, match=r"^no such file: .*missing\.sqlite$"):
            library.restore(tmp_path / "missing.sqlite")
        assert library.article(article_id).is_favourite  # a refused restore changes nothing
