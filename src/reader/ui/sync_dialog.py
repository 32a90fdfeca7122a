"""Sign in to a feed server (Fever or Google Reader API): the login is checked in a worker
before it is kept, and the dialog says which protocol the server speaks."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.library import Library
from reader.ui import plain
from reader.ui.errors import describe_error
from reader.ui.tasks import TaskRunner


class SyncAccountDialog(QDialog):
    signed_in = Signal(str)  # "signed in to ENDPOINT (PROTOCOL)"

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sync account"))
        self.setMinimumWidth(480)
        self._library = library
        self._runner = runner
        self.endpoint = QLineEdit(library.setting("sync_endpoint"), self)
        self.endpoint.setPlaceholderText("https://rss.example.com/api/greader.php")
        self.email = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        for label, widget in ((self.tr("Server address"), self.endpoint),
                              (self.tr("Email or user name"), self.email),
                              (self.tr("Password"), self.password)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        self.message = plain.label(QLabel(self.tr(
            "The server's Fever or Google Reader API address. The password is checked with the "
            "server and not kept."), self))
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button = self.buttons.addButton(self.tr("Sign in"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def sign_in(self) -> None:
        endpoint, email = self.endpoint.text().strip(), self.email.text().strip()
        password = self.password.text()
        if not (endpoint and email and password):
            self.message.setText(self.tr("Fill in the address, the user and the password."))
            return
        self.sign_in_button.setEnabled(False)
        self.message.setText(self.tr("Checking the login…"))
        self._runner.run(lambda: self._library.set_sync_account(endpoint, email, password),
                         self._done, self._failed, key="sync-login")

    def _done(self, protocol: str) -> None:
        api = self.tr("Google Reader API") if protocol == "greader" else self.tr("Fever API")
        self.signed_in.emit(self.tr("Signed in to {} ({})").format(
            self._library.setting("sync_endpoint"), api))
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.sign_in_button.setEnabled(True)
        self.message.setText(self.tr("Could not sign in: {}").format(describe_error(error)))
