"""The status bar: update progress with a cancel button, an offline indicator, short messages."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from reader.types import Progress
from reader.ui import icons, plain

MESSAGE_MS = 8000


class StatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setAccessibleName(self.tr("Status"))
        self.current = plain.label(QLabel(self))
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Update progress"))
        self.cancel = QToolButton(self)
        self.cancel.setText(self.tr("Stop"))
        self.cancel.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel.setToolTip(self.tr("Stop the update"))
        self.cancel.setAccessibleName(self.tr("Stop the update"))
        self.cancel.setAutoRaise(True)
        self.cancel.setIconSize(QSize(14, 14))
        self.cancel.clicked.connect(self.cancel_requested)
        self.offline = QLabel(self.tr("Offline"), self)
        self.offline.setToolTip(self.tr("The last attempt to reach the network failed; "
                                        "cached articles still open."))
        self.offline.setAccessibleName(self.tr("Offline"))
        for widget in (self.current, self.progress, self.cancel):
            self.addPermanentWidget(widget)
            widget.hide()
        self.addPermanentWidget(self.offline)
        self.offline.hide()
        self.refresh_icons()

    def refresh_icons(self) -> None:
        self.cancel.setIcon(icons.icon("stop"))

    def start_update(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first report says how many sources
        self.current.setText(self.tr("Updating…"))
        for widget in (self.current, self.progress, self.cancel):
            widget.show()

    def report(self, progress: Progress) -> None:
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.current.setText(self.tr("Updating {0}  {1}/{2}").format(
            progress.source, progress.done, progress.total))

    def end_update(self, message: str) -> None:
        for widget in (self.current, self.progress, self.cancel):
            widget.hide()
        self.showMessage(message, MESSAGE_MS)

    def set_offline(self, offline: bool) -> None:
        self.offline.setVisible(offline)
