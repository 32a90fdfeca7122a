"""What the reader marks: read and unread (a story's copies together), favourites, tags."""

from __future__ import annotations

from collections.abc import Sequence

from reader._library.base import LibraryBase


class StateMixin(LibraryBase):
    def set_read(self, article_id: int, read: bool = True) -> None:
        """Mark an article read or unread; with group_copies, its story's copies too (read
        on one site, a story is read on all)."""
        self.store.set_read(article_id, read)
        if self.setting("group_copies"):
            for other in self.store.story(article_id):
                if other != article_id:
                    self.store.set_read(other, read)

    def mark_all_read(self, source_id: int | None = None) -> int:
        return self.store.mark_all_read(source_id)

    def set_favourite(self, article_id: int, favourite: bool = True) -> None:
        self.store.set_favourite(article_id, favourite)

    def set_tags(self, article_id: int, tags: Sequence[str]) -> tuple[str, ...]:
        """Replace a favourite's tags (tagging saves the article as a favourite, no tags
        leave an article that is not one alone); a tag holding commas counts as several.
        Returns the tags as stored."""
        clean = dict.fromkeys(t.strip() for tag in tags for t in tag.split(",") if t.strip())
        if not clean and not self.store.article(article_id).is_favourite:
            return ()  # no tags for an article not saved: there is nothing to save
        self.store.set_tags(article_id, list(clean))
        return tuple(clean)

    def tags(self) -> dict[str, int]:
        """Every tag in use -> how many favourites carry it (for a tag list in the GUI)."""
        return self.store.tags()
