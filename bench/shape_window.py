"""A window of Reader's shape in plain PySide6, without Reader: what start-up would cost if all
of Reader's own code (its imports, models, delegates, style, icons, the article's pipeline)
cost nothing. A toolbar, the sources in a list, the newest 50 articles in a table, the newest
article (headline and body, its cached pictures decoded) in a QTextBrowser and an empty pane
beside it, read straight from a library with sqlite3, read-only; painted as start_window.py
paints. Prints its CPU time at that point (gui.py --shape runs it beside Reader's window).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/shape_window.py DATA_DIR
"""

from __future__ import annotations

import html
import resource
import sqlite3
import sys
import zlib

from PySide6.QtCore import QStringListModel, Qt, QUrl
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolBar,
)

ROWS = "SELECT a.id, a.title, s.title, a.published, a.views FROM articles a JOIN sources s " \
    "ON s.id = a.source_id ORDER BY a.sort_key DESC, a.id DESC LIMIT 50"
PICTURES = "SELECT i.url, m.data FROM article_images i JOIN images m ON m.hash = i.hash " \
    "WHERE i.article_id = ?"

db = sqlite3.connect(f"file:{sys.argv[1]}/library.sqlite?mode=ro", uri=True)
app = QApplication(sys.argv[:1])
window = QMainWindow()
bar = QToolBar()
for name in ("Update all", "Add source", "Favourite", "Mark read", "Open in browser", "Settings"):
    bar.addAction(name)
window.addToolBar(bar)
sources = QListView()
sources.setModel(QStringListModel([r[0] for r in db.execute("SELECT title FROM sources")]))
rows = db.execute(ROWS).fetchall()
model = QStandardItemModel(0, 5)
for _, title, source, published, views in rows:
    model.appendRow([QStandardItem(str(v)) for v in (title, source, (published or "")[:10],
                                                      f"{views or 0:,}", "")])
table = QTableView()
table.setModel(model)
# Any real window uses Qt's enums (PySide builds the Qt namespace's on first use).
table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
browser = QTextBrowser()
inner = QSplitter(Qt.Orientation.Vertical)
inner.addWidget(table)
inner.addWidget(browser)
outer = QSplitter()
for pane in (sources, inner, QListView()):
    outer.addWidget(pane)
window.setCentralWidget(outer)
window.resize(1280, 800)
window.show()
if rows:
    article_id, title = rows[0][:2]
    body = db.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    body_html = zlib.decompress(body).decode().partition("\0")[2]
    for url, data in db.execute(PICTURES, (article_id,)):
        browser.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(url),
                                       QImage.fromData(data))
    browser.setHtml(f"<h1>{html.escape(title)}</h1>{body_html}")
app.processEvents()
window.grab()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"ready rows={len(rows)} cpu={usage.ru_utime + usage.ru_stime:.3f}", flush=True)
