"""The floor for start-up: a bare PySide6 window with a QTextBrowser, painted (see gui.py)."""

from __future__ import annotations

import resource
import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

app = QApplication(sys.argv[:1])
window = QMainWindow()
browser = QTextBrowser()
browser.setHtml("<h1>标题 Title</h1>" + "<p>正文 body text.</p>" * 50)
window.setCentralWidget(browser)
window.resize(1280, 800)
window.show()
app.processEvents()
window.grab()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"ready cpu={usage.ru_utime + usage.ru_stime:.3f}", flush=True)
