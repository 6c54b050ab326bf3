"""Disposisi: choose one or more agencies, a note and an expected time; all by keyboard.

Type to filter the agency list, ↓ to enter it, Space to tick, Ctrl+Enter to dispatch.
The category's default agency is ticked already. The dialog only collects the choice;
the action controller runs the operation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QEvent, Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
)

from console.views.action_dialogs import ctrl_enter, titled

__all__ = ["DispatchDialog"]


class DispatchDialog(QDialog):
    def __init__(self, agencies: list[tuple[str, str]], *, tickets: list[str],
                 preselect: set[str] | None = None, parent=None,
                 now: datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatch_dialog")
        self.setWindowTitle(titled(self.tr("Disposisi"), tickets))
        self._now = now or datetime.now(UTC)
        what = tickets[0] if len(tickets) == 1 else self.tr("%n laporan", "", len(tickets))
        intro = QLabel(self.tr("Disposisikan {what} ke instansi:").format(what=what), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("dispatch_filter")
        self.filter.setPlaceholderText(self.tr("Ketik untuk mencari instansi…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(self.tr("Cari instansi"))
        self.list = QListWidget(self)
        self.list.setObjectName("dispatch_agencies")
        self.list.setAccessibleName(self.tr("Instansi tujuan"))
        preselect = preselect or set()
        for code, name in agencies:
            item = QListWidgetItem(name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in preselect
                               else Qt.CheckState.Unchecked)
        self.list.setMinimumHeight(200)

        self.note = QPlainTextEdit(self)
        self.note.setObjectName("dispatch_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("Pesan untuk instansi (opsional)"))
        self.note.setFixedHeight(70)
        self.expected = QComboBox(self)
        self.expected.setObjectName("dispatch_expected")
        presets = [
            (None, self.tr("Tanpa target waktu")),
            (15, self.tr("15 menit")), (30, self.tr("30 menit")), (60, self.tr("1 jam")),
            (120, self.tr("2 jam")), (240, self.tr("4 jam")), (60 * 24, self.tr("1 hari")),
            (60 * 24 * 3, self.tr("3 hari")), ("custom", self.tr("Waktu tertentu…")),
        ]
        for minutes, label in presets:
            self.expected.addItem(label, minutes)
        self.custom = QDateTimeEdit(self)
        self.custom.setObjectName("dispatch_expected_at")
        self.custom.setTimeZone(QTimeZone(b"Asia/Jakarta"))
        self.custom.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.custom.setCalendarPopup(True)
        self.custom.setDateTime(QDateTime.fromSecsSinceEpoch(
            int((self._now + timedelta(hours=4)).timestamp()), QTimeZone(b"Asia/Jakarta")))
        self.custom.setEnabled(False)
        self.expected.currentIndexChanged.connect(
            lambda _i: self.custom.setEnabled(self.expected.currentData() == "custom"))

        form = QFormLayout()
        note_label = QLabel(self.tr("&Catatan"), self)
        note_label.setBuddy(self.note)
        exp_label = QLabel(self.tr("&Target selesai"), self)
        exp_label.setBuddy(self.expected)
        form.addRow(note_label, self.note)
        form.addRow(exp_label, self.expected)
        form.addRow("", self.custom)

        self.error = QLabel(self)
        self.error.setObjectName("dispatch_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color:#c62828;")
        self.error.hide()
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("&Disposisikan"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("dispatch_ok")
        buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok.setToolTip(self.tr("Ctrl+Enter"))
        ctrl_enter(self, self._accept)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 520)

        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(self._toggle)
        self.filter.setFocus()
        first = next((i for i in range(self.list.count())
                      if self.list.item(i).checkState() == Qt.CheckState.Checked), 0)
        self.list.setCurrentRow(first)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if obj is self.filter and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.list.setFocus()
                return False
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                item = self._first_visible()
                if item is not None:
                    self._toggle(item)
                    self.list.setCurrentItem(item)
                return True
        return super().eventFilter(obj, event)

    def _first_visible(self):
        current = self.list.currentItem()
        if current is not None and not current.isHidden():
            return current
        for i in range(self.list.count()):
            if not self.list.item(i).isHidden():
                return self.list.item(i)
        return None

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            code = str(item.data(Qt.ItemDataRole.UserRole))
            item.setHidden(bool(needle) and needle not in item.text().casefold()
                           and needle not in code)
        first = self._first_visible()
        if first is not None:
            self.list.setCurrentItem(first)

    def _toggle(self, item: QListWidgetItem) -> None:
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    def agencies(self) -> list[str]:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def note_text(self) -> str | None:
        return self.note.toPlainText().strip() or None

    def expected_at(self) -> datetime | None:
        data = self.expected.currentData()
        if data is None:
            return None
        if data == "custom":
            return datetime.fromtimestamp(self.custom.dateTime().toSecsSinceEpoch(), UTC)
        return datetime.now(UTC) + timedelta(minutes=int(data))

    def _accept(self) -> None:
        if not self.agencies():
            self.error.setText(self.tr("Pilih minimal satu instansi (Spasi untuk mencentang)."))
            self.error.show()
            self.list.setFocus()
            return
        exp = self.expected_at()
        if exp is not None and exp <= datetime.now(UTC):
            self.error.setText(self.tr("Target waktu harus di masa depan."))
            self.error.show()
            self.custom.setFocus()
            return
        self.accept()
