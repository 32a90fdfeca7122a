"""Reading the library: article lists (mute words, one row per story), articles, cached images,
related and similar articles, search."""

from __future__ import annotations

import threading
from typing import NamedTuple

from reader._library.base import LibraryBase
from reader.services import related as similarity
from reader.store import tokens
from reader.types import ArticleFilter, ArticleRow, SearchHit, StoredArticle, StoredRelated


class Related(NamedTuple):
    own: tuple[StoredRelated, ...]  # the page's own 相关文章 block
    similar: tuple[ArticleRow, ...]  # similar articles already in the library


class ReadingMixin(LibraryBase):
    def articles(self, filter: ArticleFilter | None = None, *, limit: int = 200,
                 after: ArticleRow | None = None,
                 oldest_first: bool = False) -> list[ArticleRow]:
        """Newest first (or oldest); pass the last row of a page as `after` for the next page.

        Titles holding a mute word (setting `mute_words`) are left out, favourites never."""
        key = (after.sort_key, after.id) if after else None
        return self.store.articles(self._muted(filter), limit=limit, after=key,
                                   oldest_first=oldest_first)

    def rows(self, ids: list[int]) -> list[ArticleRow]:
        """List rows for these article ids, in that order (search hits, similar articles)."""
        return self.store.rows(ids)

    def copies(self, article_id: int) -> list[ArticleRow]:
        """List rows for the other articles of an article's story, first stored first."""
        return self.store.rows([i for i in self.store.story(article_id) if i != article_id])

    def count(self, filter: ArticleFilter | None = None) -> int:
        return self.store.count(self._muted(filter))

    def _muted(self, filter: ArticleFilter | None) -> ArticleFilter:
        """The filter with the settings' mute words, and one row per story (group_copies)
        except in a source's own list, which shows every article the source lists."""
        filter = filter or ArticleFilter()
        if not filter.mute:
            filter = filter._replace(mute=tuple(self.setting("mute_words")))
        return filter._replace(stories=filter.source_id is None
                               and bool(self.setting("group_copies")))

    def article(self, article_id: int) -> StoredArticle:
        return self.store.article(article_id)

    def article_id(self, url: str) -> int | None:
        return self.store.article_id(url)

    def image(self, url: str) -> bytes | None:
        """Cached image bytes for an image URL of a stored article, or None."""
        return self.store.image(url)

    def related(self, article_id: int, *, limit: int = 10,
                cancel: threading.Event | None = None) -> Related:
        """The page's own related links and similar articles; once `cancel` is set, the reads
        stop with Cancelled."""
        with self.store.stopped_by(cancel):
            own = self.store.article(article_id).related
            return Related(own, tuple(similarity.similar(self.store, article_id, limit=limit)))

    def search(self, query: str, *, limit: int = 50,
               cancel: threading.Event | None = None) -> list[SearchHit]:
        """Ranked hits; raises SearchError for a malformed query, Cancelled once `cancel` is
        set while the ranking runs."""
        parsed = tokens.parse_query(query)
        with self.store.stopped_by(cancel):
            found = self.store.search(parsed, limit=limit)
        if self.setting("group_copies"):  # one hit per story: its best-ranked article
            story = self.store.stories_of([f[0] for f in found])
            first: dict[int, tuple[int, float, str, str]] = {}
            for hit in found:
                first.setdefault(story.get(hit[0], hit[0]), hit)
            found = list(first.values())
        rows = {r.id: r for r in self.store.rows([f[0] for f in found])}
        return [SearchHit(id=i, url=rows[i].url, title=title,
                          snippet=tokens.snippet(text or title,
                                                 parsed.positive),
                          score=round(score, 4), source=rows[i].source,
                          published=rows[i].published)
                for i, score, title, text in found if i in rows]

    def search_patterns(self, query: str) -> list[str]:
        """Regular expressions (case-insensitive) for what the query's words match in a text,
        to highlight them; raises SearchError for a malformed query."""
        return tokens.patterns(tokens.parse_query(query))
