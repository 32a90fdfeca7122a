"""The library chores behind the File and Article menus: OPML, export, backup and restore, tags,
sync and removing a source.

The main window keeps layout and wiring; these commands only need its panes, so they live here
(the way qutebrowser keeps its commands out of its main window). Each runs its work off the GUI
thread and reports the outcome in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Dialog classes are looked up when used: touching one at import builds its Python enums
# (start-up cost for a window that may never open them).
from PySide6 import QtWidgets
from PySide6.QtCore import QObject

from reader.ui import plain
from reader.ui.errors import describe_error

if TYPE_CHECKING:
    from reader.sync import SyncResult
    from reader.ui.main_window import MainWindow

# File dialog filters -> export formats (reader.interop.export.FORMATS).
EXPORT_FILTERS = {"EPUB (*.epub)": "epub", "HTML (*.html)": "html", "JSON (*.json)": "json",
                  "Markdown folder (*)": "md"}


class LibraryActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.runner = window.runner
        self.status = window.status

    # --- sources --------------------------------------------------------------------------

    def remove_source(self) -> None:
        source_id = self.window.sources.chosen.source_id
        if source_id is None:
            self.status.showMessage(self.tr("Choose a source in the list on the left first."))
            return
        title = next((s.title for s in self.library.sources() if s.id == source_id), "")
        if plain.ask(self.window, self.tr("Remove source"),
                     self.tr("Unsubscribe from {}? Its articles go too; favourites stay.")
                     .format(title)):
            self._in_background(
                lambda: self.library.remove_source(source_id),
                lambda n: self.tr("Removed {} and {} articles; favourites kept").format(title, n))

    # --- OPML, export, backup -------------------------------------------------------------

    def ask_import_opml(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, self.tr("Import OPML"), "", self.tr("OPML files (*.opml *.xml)"))
        if path:
            self.import_opml(Path(path))

    def import_opml(self, path: Path) -> None:
        self._in_background(lambda: len(self.library.import_opml(path).added),
                            lambda n: self.tr("Imported {} sources from {}").format(n, path.name))

    def ask_export_opml(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, self.tr("Export OPML"), "reader.opml", self.tr("OPML files (*.opml)"))
        if path:
            out = Path(path)
            self._in_background(lambda: self.library.export_opml(out),
                                lambda n: self.tr("Exported {} sources to {}").format(n, out.name))

    def ask_export(self) -> None:
        query = self.window.model.search_query
        title = (self.tr("Export the search results") if query
                 else self.tr("Export favourites"))
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self.window, title, "articles.epub", ";;".join(EXPORT_FILTERS))
        if path:
            self.export_shown(Path(path), EXPORT_FILTERS.get(chosen, "epub"))

    def export_shown(self, out: Path, fmt: str) -> None:
        """Export what the list shows when it holds search hits, else the favourites."""
        query = self.window.model.search_query
        self._in_background(
            lambda: self.library.export(out, fmt, query=query, favourites=query is None),
            lambda n: self.tr("Exported {} articles to {}").format(n, out.name))

    def ask_backup(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, self.tr("Back up library"), "reader-backup.sqlite",
            self.tr("SQLite files (*.sqlite)"))
        if path:
            out = Path(path)
            self._in_background(lambda: self.library.backup(out),
                                lambda _: self.tr("Library backed up to {}").format(out.name))

    def ask_restore(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, self.tr("Restore library"), "", self.tr("SQLite files (*.sqlite)"))
        if path and plain.ask(
                self.window, self.tr("Restore library"),
                self.tr("Replace the library with this backup? The current one is kept as "
                        "library.sqlite.before-restore.")):
            self.restore(Path(path))

    def restore(self, backup: Path) -> None:
        self.runner.wait()  # nothing may read the library while its file is swapped
        self._in_background(lambda: self.library.restore(backup),
                            lambda _: self.tr("Restored the library from {}").format(backup.name))

    # --- tags -----------------------------------------------------------------------------

    def ask_tags(self) -> None:
        article_id = self.window.view.article_id
        if article_id is None:
            return
        current = ", ".join(self.library.article(article_id).tags)
        text, ok = QtWidgets.QInputDialog.getText(
            self.window, self.tr("Tags"), self.tr("Tags, separated by commas (tagging saves the "
                                                  "article as a favourite):"), text=current)
        if ok:
            self.set_tags(article_id, text)

    def set_tags(self, article_id: int, text: str) -> None:
        def save() -> tuple[tuple[str, ...], bool]:
            tags = self.library.set_tags(article_id, [text])
            return tags, self.library.article(article_id).is_favourite

        self.runner.run(save, lambda result: self._tagged(article_id, *result),
                        lambda error: self.status.showMessage(
                            self.tr("Could not save: {}").format(describe_error(error))))

    def _tagged(self, article_id: int, tags: tuple[str, ...], favourite: bool) -> None:
        self.window.model.patch(article_id, is_favourite=favourite)
        if self.window.view.article_id == article_id:
            self.window.view.patch(is_favourite=favourite)
        if tags:
            self.status.showMessage(self.tr("Tags: {}").format(", ".join(tags)))
        else:
            self.status.clearMessage()
        self.window.sources.reload()

    # --- sync -----------------------------------------------------------------------------

    def edit_sync_account(self) -> None:
        from reader.ui.sync_dialog import SyncAccountDialog

        dialog = SyncAccountDialog(self.library, self.runner, self.window)
        dialog.signed_in.connect(self.status.showMessage)
        dialog.signed_in.connect(lambda _message: self.sync_now())
        dialog.open()

    def sync_now(self) -> None:
        if not self.library.setting("sync_endpoint"):
            self.edit_sync_account()
            return
        self.status.showMessage(self.tr("Syncing…"))
        self._in_background(self.library.sync, self._sync_summary)

    def _sync_summary(self, result: SyncResult) -> str:
        if result.error:
            return self.tr("Sync failed: {} ({} changes wait for the next sync)").format(
                result.error, result.pending)
        text = self.tr("Synced: {} new articles, {} changes sent").format(result.items,
                                                                         result.pushed)
        if result.conflicts:
            text += self.tr("; {} conflicts, kept yours: {}").format(
                len(result.conflicts), ", ".join(result.conflicts[:3]))
        return text

    def _in_background(self, work: Callable[[], Any], describe: Callable[[Any], str]) -> None:
        """File and library chores off the GUI thread; the outcome goes to the status bar."""
        def finished(result: Any) -> None:
            self.status.showMessage(describe(result))
            self.window.sources.reload()
            self.window.model.reload()

        def failed(error: Exception) -> None:
            self.status.showMessage(self.tr("Failed: {}").format(describe_error(error)))

        self.runner.run(work, finished, failed)
