"""Articles: reading them in keyset pages (all, a source's, unread, favourites, stories),
counting them, and reading one whole with its images, enclosures, related links and copies."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from reader.errors import NotFound
from reader.store._storage.base import StoreBase, chunks
from reader.store._storage.records import from_ts, split_tags, to_datetime
from reader.store.packing import unpack
from reader.types import (
    Article,
    ArticleFilter,
    ArticleRow,
    Enclosure,
    Image,
    RelatedLink,
    StoredArticle,
    StoredRelated,
)


class ArticleReadsMixin(StoreBase):
    def articles(self, filter: ArticleFilter, *, limit: int,
                 after: tuple[int, int] | None = None,
                 oldest_first: bool = False) -> list[ArticleRow]:
        """Newest (or oldest) first, in keyset pages: `after` is (sort_key, id) of the last
        row seen. Both orders walk the same index, so no order ever loads all rows."""
        where, params = where_clauses(filter._replace(source_id=None))
        # A source's list walks its listings; the others walk the articles by time.
        walk, key = "articles a", "a.sort_key, a.id"
        if filter.source_id is not None:
            walk = "listings l JOIN articles a ON a.id = l.article_id"
            key = "l.sort_key, l.article_id"
            where.insert(0, "l.source_id = ?")
            params.insert(0, filter.source_id)
        if after:
            where.append(f"({key}) {'>' if oldest_first else '<'} (?, ?)")
            params.extend(after)
        order = "ASC" if oldest_first else "DESC"
        sql = (f"SELECT {row_columns(filter.stories)} FROM {walk} {ROW_JOINS} "
               f"{'WHERE ' + ' AND '.join(where) if where else ''} "
               f"ORDER BY {key.replace(',', f' {order},')} {order} LIMIT ?")
        return [article_row(r) for r in self._read(sql, (*params, limit))]

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """Article rows for these ids, in the given order (for search and similarity)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r["id"]: article_row(r) for r in self._read(
            f"SELECT {row_columns(False)} FROM articles a {ROW_JOINS} "
            f"WHERE a.id IN ({marks})", ids)}
        return [found[i] for i in ids if i in found]

    def stories_of(self, ids: Sequence[int]) -> dict[int, int]:
        """The story of each article: the id of its first article (its own when it leads)."""
        found: dict[int, int] = {}
        for chunk, marks in chunks(ids):
            for r in self._read(f"SELECT id, coalesce(story_id, id) FROM articles "
                                f"WHERE id IN ({marks})", chunk):
                found[r[0]] = r[1]
        return found

    def story(self, article_id: int) -> list[int]:
        """Every article of an article's story, itself included, first stored first."""
        return [r[0] for r in self._read(
            "SELECT id FROM articles WHERE id = (SELECT coalesce(story_id, id) FROM articles "
            "WHERE id = ?1) UNION SELECT id FROM articles WHERE story_id = (SELECT "
            "coalesce(story_id, id) FROM articles WHERE id = ?1) ORDER BY id", (article_id,))]

    def count(self, filter: ArticleFilter) -> int:
        if not (filter.favourites or filter.tag or filter.mute):
            # The counters answer without reading 200k index entries; articles whose source
            # went (kept favourites) are not in them.
            column = "unread" if filter.unread else "total"
            if filter.source_id is not None:
                return int(self._read(f"SELECT coalesce(sum({column}), 0) FROM source_counts "
                                      "WHERE source_id = ?", (filter.source_id,))[0][0])
            if filter.stories:
                column = "unread_stories" if filter.unread else "stories"
            return int(self._read(f"SELECT {column} FROM totals")[0][0])
        where, params = where_clauses(filter)
        sql = f"SELECT count(*) FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''}"
        return int(self._read(sql, params)[0][0])

    def article(self, article_id: int) -> StoredArticle:
        rows = self._read(
            "SELECT a.*, s.title AS source_title, f.article_id IS NOT NULL AS fav, f.tags "
            "FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id "
            "LEFT JOIN favourites f ON f.article_id = a.id WHERE a.id = ?", (article_id,))
        if not rows:
            raise NotFound(f"no article with id {article_id}")
        r = rows[0]
        text, html = unpack(r["body"])
        images = tuple(Image(i["url"], i["caption"]) for i in self._read(
            "SELECT url, caption FROM article_images WHERE article_id = ? ORDER BY position",
            (article_id,)))
        enclosures = tuple(Enclosure(e["url"], e["type"], e["length"]) for e in self._read(
            "SELECT url, type, length FROM enclosures WHERE article_id = ? ORDER BY position",
            (article_id,)))
        related = tuple(StoredRelated(
            url=x["url"], title=x["title"], snippet=x["snippet"],
            published=to_datetime(x["published"]), article_id=x["target"]) for x in self._read(
            "SELECT r.*, t.id AS target FROM related_links r LEFT JOIN articles t "
            "ON t.url = r.url WHERE r.article_id = ? ORDER BY r.position", (article_id,)))
        article = Article(
            url=r["url"], title=r["title"], published=to_datetime(r["published"]),
            source=r["publisher"], author=r["author"], views=r["views"],
            breadcrumb=tuple(json.loads(r["breadcrumb"])), text=text, html=html,
            images=images,
            related=tuple(RelatedLink(x.url, x.title, x.snippet, x.published) for x in related),
            language=r["language"], encoding=r["encoding"], enclosures=enclosures,
            page_error=r["page_error"])
        return StoredArticle(
            id=r["id"], source_id=r["source_id"], source_title=r["source_title"] or r["publisher"],
            article=article, related=related, is_read=bool(r["is_read"]),
            is_favourite=bool(r["fav"]), fetched_at=from_ts(r["fetched_at"]),
            tags=split_tags(r["tags"]),
            copies=tuple(self.rows([i for i in self.story(article_id) if i != article_id])))

    def article_id(self, url: str) -> int | None:
        rows = self._read("SELECT id FROM articles WHERE url = ?", (url,))
        return rows[0][0] if rows else None

    def referrer_source(self, url: str) -> int | None:
        """The source of an article whose related block links to url."""
        rows = self._read("SELECT a.source_id FROM related_links r JOIN articles a "
                          "ON a.id = r.article_id WHERE r.url = ? AND a.source_id IS NOT NULL "
                          "LIMIT 1", (url,))
        return rows[0][0] if rows else None

    def image(self, url: str) -> bytes | None:
        rows = self._read("SELECT i.data FROM article_images ai JOIN images i ON i.hash = ai.hash "
                          "WHERE ai.url = ? LIMIT 1", (url,))
        return bytes(rows[0][0]) if rows else None



ROW_COLUMNS = (
    "a.id, a.url, a.title, a.published, a.views, a.is_read, a.source_id, "
    "a.sort_key, coalesce(s.title, a.publisher) AS source, "
    "f.article_id IS NOT NULL AS fav")
# `also`: the other sources listing the article, joined by US (no title holds a control) ...
_ALSO = ("(SELECT group_concat(o.title, char(31)) FROM listings ol JOIN sources o "
         "ON o.id = ol.source_id WHERE ol.article_id = a.id AND ol.source_id IS NOT a.source_id)")
# ... and the sources of its story's copies (the page's 来源 when their source went).
_COPIES = ("(SELECT group_concat(coalesce(cs.title, c.publisher), char(31)) FROM articles c "
           "LEFT JOIN sources cs ON cs.id = c.source_id WHERE c.story_id = a.id)")


def row_columns(stories: bool) -> str:
    """The list row's columns; only a shared article has `also` (and, one row per story, its
    number of copies) looked up: most have none, and lookups for every row would double the
    cost of a page."""
    if not stories:
        return f"{ROW_COLUMNS}, CASE WHEN a.shared THEN {_ALSO} END AS also, 0 AS copies"
    also = f"coalesce({_ALSO}, '') || char(31) || coalesce({_COPIES}, '')"
    return (f"{ROW_COLUMNS}, CASE WHEN a.shared THEN {also} END AS also, CASE WHEN a.shared "
            "THEN (SELECT count(*) FROM articles c WHERE c.story_id = a.id) ELSE 0 END "
            "AS copies")


ROW_JOINS = (
    "LEFT JOIN sources s ON s.id = a.source_id "
    "LEFT JOIN favourites f ON f.article_id = a.id")


def where_clauses(filter: ArticleFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filter.source_id is not None:
        where.append("a.id IN (SELECT article_id FROM listings WHERE source_id = ?)")
        params.append(filter.source_id)
    if filter.unread:
        where.append("a.is_read = 0")
    if filter.stories:
        where.append("a.story_id IS NULL")
    if filter.favourites:
        where.append("a.id IN (SELECT article_id FROM favourites)")
    if filter.tag:
        # Tags are stored comma-joined; the fences make "tea" miss "green tea,teapot".
        where.append("a.id IN (SELECT article_id FROM favourites "
                     "WHERE instr(',' || tags || ',', ?) > 0)")
        params.append(f",{filter.tag},")
    if filter.mute:
        muted = " AND ".join("instr(lower(a.title), lower(?)) = 0" for _ in filter.mute)
        where.append(f"(a.id IN (SELECT article_id FROM favourites) OR ({muted}))")
        params.extend(filter.mute)
    return where, params


def article_row(r: sqlite3.Row) -> ArticleRow:
    return ArticleRow(id=r["id"], url=r["url"], title=r["title"], source=r["source"] or "",
                      source_id=r["source_id"], published=to_datetime(r["published"]),
                      views=r["views"], is_read=bool(r["is_read"]), is_favourite=bool(r["fav"]),
                      sort_key=r["sort_key"],
                      also=_names(r["also"], r["source"] or "") if r["also"] else (),
                      copies=r["copies"])


def _names(joined: str | None, own: str) -> tuple[str, ...]:
    """Names joined by US, each once, without empty ones and the row's own source."""
    return tuple(n for n in dict.fromkeys((joined or "").split("\x1f")) if n and n != own)
