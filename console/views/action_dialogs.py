"""Small dialogs behind actions: a reason (reject, not our authority, reopen, note) that
doubles as the confirmation of an irreversible action, a plain confirmation (close), and
the merge confirmation. Keyboard: Ctrl+Enter confirms, Esc cancels. Report text is shown
as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from console.views.labels import format_local, status_label

__all__ = ["ConfirmDialog", "MergeDialog", "ReasonDialog"]


def _plain(text: str, parent) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _ctrl_enter(dialog: QDialog, slot) -> None:
    for key in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(key), dialog, activated=slot)


class ReasonDialog(QDialog):
    """Asks for a text (reason or note). ``required``: the OK button waits for text."""

    def __init__(self, title: str, question: str, ok_text: str, *, required: bool = True,
                 placeholder: str = "", irreversible: bool = False, parent=None,
                 max_chars: int = 10_000) -> None:
        super().__init__(parent)
        self.setObjectName("reason_dialog")
        self.setWindowTitle(title)
        self._required = required
        self._max = max_chars
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(question, self))
        if irreversible:
            warn = _plain(self.tr("Tindakan ini tidak dapat dibatalkan."), self)
            warn.setStyleSheet("color:#b71c1c; font-weight:bold;")
            warn.setObjectName("reason_warning")
            layout.addWidget(warn)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("reason_text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(placeholder)
        self.text.setAccessibleName(title)
        layout.addWidget(self.text, 1)
        self.error = _plain("", self)
        self.error.setStyleSheet("color:#c62828;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("reason_ok")
        self.ok.setToolTip(self.tr("Ctrl+Enter"))
        buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _ctrl_enter(self, self._accept)
        self.resize(440, 260)
        self.text.setFocus()

    def value(self) -> str:
        return self.text.toPlainText().strip()

    def _accept(self) -> None:
        if self._required and not self.value():
            self.error.setText(self.tr("Isi alasannya dulu."))
            self.error.show()
            self.text.setFocus()
            return
        if len(self.value()) > self._max:
            self.error.setText(self.tr("Terlalu panjang (paling banyak {n} karakter).")
                               .format(n=self._max))
            self.error.show()
            return
        self.accept()


class ConfirmDialog(QDialog):
    """Yes/no for an irreversible action; the confirm button names the action."""

    def __init__(self, title: str, question: str, ok_text: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm_dialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(question, self))
        warn = _plain(self.tr("Tindakan ini tidak dapat dibatalkan."), self)
        warn.setStyleSheet("color:#b71c1c; font-weight:bold;")
        layout.addWidget(warn)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("confirm_ok")
        cancel = buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok.setDefault(True)
        cancel.setAutoDefault(False)
        self.ok.setFocus()


class MergeDialog(QDialog):
    """Confirms a merge; shows which report stays and which becomes the duplicate, with
    a swap. ``a`` and ``b`` are dicts with id, ticket, title, status, created_at."""

    def __init__(self, original: dict, duplicate: dict, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(self.tr("Gabungkan laporan duplikat"))
        self.original, self.duplicate = original, duplicate
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(self.tr(
            "Laporan duplikat ditutup dengan status \u201cDuplikat\u201d dan linimasanya "
            "digabung ke laporan asli. Keduanya tetap bisa dibuka."), self))
        self.box_original = QGroupBox(self.tr("Laporan asli (tetap berjalan)"), self)
        self.box_duplicate = QGroupBox(self.tr("Duplikat (ditutup)"), self)
        self.lbl_original = _plain("", self.box_original)
        self.lbl_original.setObjectName("merge_original")
        self.lbl_duplicate = _plain("", self.box_duplicate)
        self.lbl_duplicate.setObjectName("merge_duplicate")
        for box, label in ((self.box_original, self.lbl_original),
                           (self.box_duplicate, self.lbl_duplicate)):
            grid = QGridLayout(box)
            grid.addWidget(label, 0, 0)
            layout.addWidget(box)
        self.swap = QPushButton(self.tr("&Tukar"), self)
        self.swap.setObjectName("merge_swap")
        self.swap.clicked.connect(self._swap)
        layout.addWidget(self.swap, 0, Qt.AlignmentFlag.AlignLeft)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("merge_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("Catatan (opsional)"))
        self.note.setFixedHeight(60)
        layout.addWidget(self.note)
        warn = _plain(self.tr("Penggabungan tidak dapat dibatalkan."), self)
        warn.setStyleSheet("color:#b71c1c; font-weight:bold;")
        layout.addWidget(warn)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("&Gabungkan"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("merge_ok")
        buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _ctrl_enter(self, self.accept)
        self._fill()
        self.resize(480, 380)
        self.ok.setFocus()

    @staticmethod
    def _describe(r: dict) -> str:
        when = format_local(r.get("created_at")) if r.get("created_at") else ""
        return f"{r['ticket']} · {status_label(r['status'])} · {when}\n{r.get('title') or ''}"

    def _fill(self) -> None:
        self.lbl_original.setText(self._describe(self.original))
        self.lbl_duplicate.setText(self._describe(self.duplicate))

    def _swap(self) -> None:
        self.original, self.duplicate = self.duplicate, self.original
        self._fill()

    def note_text(self) -> str | None:
        return self.note.toPlainText().strip() or None
