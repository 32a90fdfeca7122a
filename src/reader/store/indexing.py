"""An article's rows in the two search indexes (reader.store.schema's SEARCH): added when it is
stored, taken out, with the same tokens, when it changes or goes."""

from __future__ import annotations

import sqlite3

from reader.store import tokens

_INDEX = ("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
          "INSERT INTO search_titles (rowid, title) VALUES (?, ?)")
# A contentless FTS5 table forgets a row only when given the same tokens again.
_UNINDEX = ("INSERT INTO search (search, rowid, title, body) VALUES ('delete', ?, ?, ?)",
            "INSERT INTO search_titles (search_titles, rowid, title) VALUES ('delete', ?, ?)")


def index(db: sqlite3.Connection, article_id: int, title: str, text: str, *,
          delete: bool = False) -> None:
    """Add an article to the search indexes, or take it out of them (`delete`)."""
    both, titles = _UNINDEX if delete else _INDEX
    title_tokens = tokens.index_text(title)
    db.execute(both, (article_id, title_tokens, tokens.index_text(text)))
    db.execute(titles, (article_id, title_tokens))
