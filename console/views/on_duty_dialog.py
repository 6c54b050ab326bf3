"""Who is on duty at this console, asked at start (before any login, offline too) and on
"Ganti petugas bertugas" (Ctrl+Shift+O).

The choice is one of the accounts this data folder has seen log in (cached with role and
regions, console/operations/accounts.py), and the officer proves it with their password,
checked against the verifier cached at their last login: picking a name is not enough.
Never the OS user. With no cached account the dialog says so and offers the login
(Ctrl+L); "Nanti" leaves the console read-only.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.operations import accounts
from console.views import messages

__all__ = ["OnDutyDialog", "choose_on_duty", "log_out"]


def choose_on_duty(window) -> None:  # noqa: ANN001 - MainWindow
    """Who is on duty at ``window``: a cached account of this data folder, proven by its
    password (offline too), or a login to the server (Ctrl+L)."""
    from console.views.operator import OperatorContext

    dialog = OnDutyDialog(window.bridge, window, can_login=window.sync is not None)
    if dialog.exec() and dialog.account is not None:
        window.set_operator(OperatorContext.from_account(dialog.account, window.operator.agency))
    elif dialog.wants_login and window.sync is not None:
        window.show_login()


def log_out(window) -> None:  # noqa: ANN001 - MainWindow
    """Log the account out of the server; the console is read-only until someone is on
    duty again."""
    from console.views.operator import OperatorContext

    if window.sync is not None:
        window.sync.logout()
    window.bridge.submit(accounts.leave_duty)
    window.set_operator(OperatorContext.nobody(window.operator.agency))


class OnDutyDialog(QDialog):
    """``exec()`` is Accepted once a cached account proved itself; then ``account`` is
    that account (already recorded as on duty). ``wants_login`` when the operator asked
    for the server login instead."""

    def __init__(self, bridge, parent: QWidget | None = None, *, can_login: bool = True,  # noqa: ANN001
                 tz: str = "Asia/Jakarta") -> None:
        super().__init__(parent)
        self.setObjectName("on_duty_dialog")
        self.setWindowTitle(self.tr("Siapa yang bertugas?"))
        self.bridge = bridge
        self.account: accounts.KnownAccount | None = None
        self.wants_login = False
        self._tz = ZoneInfo(tz)
        # A small read before the dialog shows (the accounts of this data folder).
        known = bridge.executor.call(accounts.known_accounts)
        last = bridge.executor.call(accounts.on_duty)
        self.known = known

        self.intro = QLabel(self)
        self.intro.setObjectName("on_duty_intro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget(self)
        self.list.setObjectName("on_duty_accounts")
        for acc in known:
            item = QListWidgetItem(self._describe(acc))
            item.setData(Qt.ItemDataRole.UserRole, acc.username)
            self.list.addItem(item)
            if last is not None and acc.username == last.username:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.password = QLineEdit(self)
        self.password.setObjectName("on_duty_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Kata sandi akun terpilih"))
        self.message = QLabel(self)
        self.message.setObjectName("on_duty_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")

        self.buttons = QDialogButtonBox(self)
        self.take_button = self.buttons.addButton(self.tr("&Bertugas"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_button.setObjectName("on_duty_take")
        self.login_button = QPushButton(self.tr("&Masuk ke server… (Ctrl+L)"), self)
        self.login_button.setObjectName("on_duty_login")
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.later_button = self.buttons.addButton(self.tr("&Nanti (hanya baca)"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.later_button.setObjectName("on_duty_later")
        self.login_button.setVisible(can_login)
        self.take_button.clicked.connect(self.submit)
        self.login_button.clicked.connect(self._login)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if known:
            self.intro.setText(self.tr(
                "Pilih akun yang bertugas di konsol ini dan ketik kata sandinya. Daftar ini "
                "berisi akun yang pernah masuk di folder data ini; sampai ada yang bertugas, "
                "konsol hanya dapat dibaca."))
            self.take_button.setDefault(True)
            self.password.setFocus()
        else:
            self.intro.setText(self.tr(
                "Belum ada akun yang pernah masuk di folder data ini. Masuk ke server pusat "
                "dulu (Ctrl+L); sampai itu konsol hanya dapat dibaca."))
            for w in (self.list, self.password, self.take_button):
                w.hide()
            self.login_button.setDefault(True)
            self.login_button.setFocus()
        width, height = (780, 420) if known else (560, 150)
        self.resize(width, height)

    def _describe(self, acc: accounts.KnownAccount) -> str:
        regions = ", ".join(acc.region_names or acc.regions) if acc.regions else \
            self.tr("seluruh kota")
        when = (acc.last_login_at.astimezone(self._tz).strftime("%d-%m-%Y %H:%M")
                if acc.last_login_at else "–")
        name = acc.username if acc.display_name == acc.username else \
            f"{acc.display_name} · {acc.username}"
        return self.tr("{name} ({role}) — wilayah: {regions} — terakhir masuk {when} WIB").format(
            name=name, role=acc.role, regions=regions, when=when)

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def submit(self) -> None:
        username, password = self.selected(), self.password.text()
        if not username:
            self.message.setText(self.tr("Pilih akun yang bertugas"))
            return
        if not password:
            self.message.setText(self.tr("Ketik kata sandi akun {user}").format(user=username))
            self.password.setFocus()
            return
        self.message.setText(self.tr("Memeriksa kata sandi…"))
        self.buttons.setEnabled(False)
        # The check is slow on purpose (scrypt): on the database worker, not here.
        self.bridge.submit(accounts.take_duty, username, password,
                           on_result=self._taken, on_error=self._refused)

    def _taken(self, account: accounts.KnownAccount) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.account = account
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, accounts.WrongPassword):
            self.message.setText(self.tr(
                "Kata sandi salah untuk {user}. Kata sandi yang berlaku adalah yang dipakai "
                "saat terakhir masuk ke server di konsol ini.").format(user=exc.username))
        else:
            self.message.setText(messages.error_text(exc))

    def _login(self) -> None:
        self.wants_login = True
        self.reject()
