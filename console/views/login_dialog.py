"""Login to the central server. The dialog only collects what the operator types; the
SyncController logs in on its worker thread (no HTTP here), keeps the token in the OS
keyring and never stores the password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.views.sync_status import SyncController

__all__ = ["LoginDialog"]


class LoginDialog(QDialog):
    """``LoginDialog(controller, parent=None)``; ``exec()`` returns Accepted once the
    server accepted the login. Server and user name are prefilled from the last login."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(self.tr("Masuk ke server pusat"))
        self.controller = controller
        self.server = QLineEdit(controller.server_url or "https://", self)
        self.server.setObjectName("login_server")
        self.username = QLineEdit(controller.username, self)
        self.username.setObjectName("login_username")
        self.password = QLineEdit(self)
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("login_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow(self.tr("&Server"), self.server)
        form.addRow(self.tr("&Nama pengguna"), self.username)
        form.addRow(self.tr("&Kata sandi"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Masuk"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr(
            "Token login disimpan di brankas kata sandi sistem operasi; kata sandi tidak "
            "pernah disimpan."), self))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        controller.loginFinished.connect(self._finished)
        (self.password if controller.username else self.username).setFocus()

    def submit(self) -> None:
        server, user, password = self.server.text().strip(), self.username.text().strip(), \
            self.password.text()
        if not server.startswith(("https://", "http://")) or len(server) < 10:
            self.message.setText(self.tr("Alamat server harus diawali https://"))
            return
        if not user or not password:
            self.message.setText(self.tr("Isi nama pengguna dan kata sandi"))
            return
        self.message.setText(self.tr("Menghubungi server…"))
        self.buttons.setEnabled(False)
        self.controller.login(server, user, password)

    def _finished(self, ok: bool, message: str) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        if ok:
            self.message.clear()
            self.accept()
        else:
            self.message.setText(message)
            self.password.setFocus()
