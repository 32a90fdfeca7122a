"""The names of docs/json.md, held to the code that writes them."""

from __future__ import annotations

from datetime import UTC, datetime

from reader.types import Article, ArticleRow, SearchHit, StoredArticle, StoredRelated

EXTRACT = ["url", "title", "published", "source", "author", "views", "breadcrumb", "text",
           "html", "images", "related", "language", "encoding"]


def test_extract_list_search_and_show_shapes() -> None:
    when = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    article = Article(url="https://news.example/1.html", title="长者食堂", published=when)
    assert list(article.to_json()) == EXTRACT
    assert article.to_json()["published"] == "2024-05-01T09:30:00+00:00"
    row = ArticleRow(id=1, url=article.url, title=article.title, source="新闻", source_id=2,
                     published=when, views=None, is_read=False, is_favourite=True)
    assert list(row.to_json()) == ["id", "url", "title", "source", "source_id", "published",
                                   "views", "is_read", "is_favourite", "also", "copies"]
    hit = SearchHit(id=1, url=article.url, title=article.title, snippet="«长者»食堂", score=2.5)
    assert list(hit.to_json()) == ["id", "url", "title", "snippet", "score"]
    stored = StoredArticle(id=1, source_id=2, source_title="新闻", article=article,
                           related=(StoredRelated("https://news.example/2.html", "二"),),
                           is_read=False, is_favourite=False)
    shown = stored.to_json()
    assert list(shown)[:len(EXTRACT)] == EXTRACT
    assert set(shown) - set(EXTRACT) == {"id", "is_read", "is_favourite", "tags", "page_error",
                                         "enclosures", "copies"}
    assert shown["related"] == [{"url": "https://news.example/2.html", "title": "二",
                                 "snippet": "", "published": None, "article_id": None}]
