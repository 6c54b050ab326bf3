"""Small dialogs behind actions: a reason (reject, not our authority, reopen, note) that
doubles as the confirmation of an irreversible action, a plain confirmation (close), and
the merge confirmation. Report text is shown as plain text; every title names the
ticket(s) the action is about (:func:`titled`).

Keyboard (the same in every action dialog, and what Help → Keyboard shortcuts lists as
"Konfirmasi dialog: Ctrl+Enter"): Ctrl+Enter, the button's Alt+letter or a click
confirms; Esc cancels. Plain Enter never confirms: Batal is the default button, and the
action button takes no Enter even when it has the focus, because an operator who hits
Enter out of habit must not close or reject a report for good (a typed reason is kept
then, and the dialog says how to confirm)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QKeyCombination, Qt
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

from console.domain.limits import MAX_CHARS
from console.views.labels import format_local, status_label
from console.views.plurals import action_dialogs_plurals

__all__ = ["ConfirmDialog", "MergeDialog", "ReasonDialog", "ctrl_enter", "titled"]

# How many tickets a dialog title names before it says "+n".
TITLE_TICKETS = 3


def titled(title: str, tickets) -> str:
    """``Tutup laporan BDG-…`` — a dialog title naming the report(s) it acts on."""
    tickets = [t for t in tickets if t]
    if not tickets:
        return title
    shown = ", ".join(tickets[:TITLE_TICKETS])
    if len(tickets) > TITLE_TICKETS:
        shown += " " + action_dialogs_plurals().more(len(tickets) - TITLE_TICKETS)
    return f"{title} {shown}"


def _plain(text: str, parent) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def ctrl_enter(dialog: QDialog, slot) -> None:
    """Ctrl+Enter (either Enter key) runs ``slot``: how every dialog confirms. Built from
    key codes, not text: QKeySequence("Ctrl+Enter") is parsed with the installed Qt
    translation, and with Indonesian's (Return → "Enter") both texts become Ctrl+Return,
    two equal shortcuts that Qt then treats as ambiguous and never fires."""
    ctrl = Qt.KeyboardModifier.ControlModifier
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        QShortcut(QKeySequence(QKeyCombination(ctrl, key)), dialog, activated=slot)


class _SafeConfirm(QDialog):
    """The keyboard rule of every action dialog (module docstring): Batal is the default
    button, the action button takes no plain Enter, Ctrl+Enter confirms, and a hint
    under the buttons says so (it turns red when Enter was pressed on the action
    button, which did nothing)."""

    def _buttons(self, ok_text: str, ok_name: str, on_confirm) -> QDialogButtonBox:
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName(ok_name)
        self.ok.setToolTip("Ctrl+Enter")
        self.ok.setAutoDefault(False)
        self.ok.installEventFilter(self)
        # translate() with this module's context: self.tr() here would look the text up
        # under the subclass's name, which lupdate does not know.
        self.cancel = buttons.addButton(QCoreApplication.translate("action_dialogs", "&Batal"),
                                        QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("dialog_cancel")
        self.cancel.setAutoDefault(True)
        self.cancel.setDefault(True)
        buttons.accepted.connect(on_confirm)
        buttons.rejected.connect(self.reject)
        self.hint = _plain(QCoreApplication.translate(
            "action_dialogs", "Ctrl+Enter: {action} · Esc: Batal").format(
            action=ok_text.replace("&", "")), self)
        self.hint.setObjectName("dialog_hint")
        self.hint.setStyleSheet("color:#555;")
        ctrl_enter(self, on_confirm)
        return buttons

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if (obj is getattr(self, "ok", None) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.hint.setStyleSheet("color:#b71c1c; font-weight:bold;")
            return True
        return super().eventFilter(obj, event)


class ReasonDialog(_SafeConfirm):
    """Asks for a text (reason or note). ``required``: the OK button waits for text."""

    def __init__(self, title: str, question: str, ok_text: str, *, required: bool = True,
                 placeholder: str = "", irreversible: bool = False, parent=None,
                 max_chars: int = MAX_CHARS["note"]) -> None:
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
        buttons = self._buttons(ok_text, "reason_ok", self._accept)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.resize(440, 280)
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


class ConfirmDialog(_SafeConfirm):
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
        buttons = self._buttons(ok_text, "confirm_ok", self.accept)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)  # the question and the key hint each on a line or two
        self.cancel.setFocus()


class MergeDialog(_SafeConfirm):
    """Confirms a merge; shows which report stays and which becomes the duplicate, with
    a swap. ``a`` and ``b`` are dicts with id, ticket, title, status, created_at."""

    def __init__(self, original: dict, duplicate: dict, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
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
        buttons = self._buttons(self.tr("&Gabungkan"), "merge_ok", self.accept)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self._fill()
        self.resize(480, 400)
        self.cancel.setFocus()


    @staticmethod
    def _describe(r: dict) -> str:
        when = format_local(r.get("created_at")) if r.get("created_at") else ""
        return f"{r['ticket']} · {status_label(r['status'])} · {when}\n{r.get('title') or ''}"

    def _fill(self) -> None:
        self.lbl_original.setText(self._describe(self.original))
        self.lbl_duplicate.setText(self._describe(self.duplicate))
        # The title names both tickets, in the direction the merge will go.
        self.setWindowTitle(self.tr("Gabungkan {duplicate} ke {original}").format(
            duplicate=self.duplicate["ticket"], original=self.original["ticket"]))

    def _swap(self) -> None:
        self.original, self.duplicate = self.duplicate, self.original
        self._fill()

    def note_text(self) -> str | None:
        return self.note.toPlainText().strip() or None
