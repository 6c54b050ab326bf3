"""The shift panel: who is on shift, signing in and out, the handover note, and the
handover packs waiting for the outgoing and the incoming supervisor's signature.

Every read and write goes through the bridge to the database worker as an operation of
``console.operations.shifts``; the panel only renders. Names, notes and report titles are
shown as plain text, never as rich text.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.operations import shifts
from console.views import messages

SUPERVISOR_ROLES = ("supervisor", "admin")


class ShiftPanel(QWidget):
    """``ShiftPanel(bridge, username, region=None)``; ``username`` is the signed-in staff
    member (None: read-only). Emits ``changed(OpChanges)`` after each shift operation."""

    changed = Signal(object)

    def __init__(self, bridge, username: str | None, *, region: str | None = None,
                 tz: str = "Asia/Jakarta", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shift_panel")
        self._bridge = bridge
        self._username = username
        self._region = region
        self._tz = ZoneInfo(tz)
        self.overview: shifts.ShiftOverview | None = None

        self.staff = QTableWidget(0, 3, self)
        self.staff.setObjectName("on_shift")
        self.staff.setHorizontalHeaderLabels([self.tr("Nama"), self.tr("Peran"),
                                              self.tr("Sejak (WIB)")])
        self.staff.verticalHeader().hide()
        self.staff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.staff.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.sign_in_button = QPushButton(self.tr("&Masuk shift"), self)
        self.sign_in_button.setObjectName("sign_in")
        self.sign_out_button = QPushButton(self.tr("&Keluar shift"), self)
        self.sign_out_button.setObjectName("sign_out")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button.clicked.connect(self.sign_out)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.sign_out_button)
        staff_box = QGroupBox(self.tr("Sedang bertugas"), self)
        staff_layout = QVBoxLayout(staff_box)
        staff_layout.addWidget(self.staff)
        staff_layout.addLayout(buttons)

        self.note = QPlainTextEdit(self)
        self.note.setObjectName("handover_note")
        self.note.setPlaceholderText(self.tr("Hal yang perlu diketahui shift berikutnya…"))
        self.save_note_button = QPushButton(self.tr("&Simpan catatan"), self)
        self.save_note_button.setObjectName("save_note")
        self.save_note_button.clicked.connect(self.save_note)
        note_box = QGroupBox(self.tr("Catatan serah terima"), self)
        note_layout = QVBoxLayout(note_box)
        note_layout.addWidget(self.note)
        note_layout.addWidget(self.save_note_button)

        self.handovers = QListWidget(self)
        self.handovers.setObjectName("pending_handovers")
        self.handovers.currentRowChanged.connect(self._show_pack)
        self.pack = QPlainTextEdit(self)
        self.pack.setObjectName("pack")
        self.pack.setReadOnly(True)
        self.sign_outgoing_button = QPushButton(self.tr("Sahkan sebagai supervisor &keluar"), self)
        self.sign_outgoing_button.setObjectName("sign_outgoing")
        self.sign_incoming_button = QPushButton(self.tr("Sahkan sebagai supervisor &masuk"), self)
        self.sign_incoming_button.setObjectName("sign_incoming")
        self.sign_outgoing_button.clicked.connect(lambda: self.sign_handover("outgoing"))
        self.sign_incoming_button.clicked.connect(lambda: self.sign_handover("incoming"))
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.sign_outgoing_button)
        sign_row.addWidget(self.sign_incoming_button)
        pack_box = QGroupBox(self.tr("Serah terima menunggu pengesahan"), self)
        pack_layout = QVBoxLayout(pack_box)
        pack_layout.addWidget(self.handovers)
        pack_layout.addWidget(self.pack, 1)
        pack_layout.addLayout(sign_row)

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(staff_box, 2)
        layout.addWidget(note_box, 1)
        layout.addWidget(pack_box, 3)
        layout.addWidget(self.status)
        self._update_buttons()

    # ---------------------------------------------------------------------------- reading

    def refresh(self) -> None:
        self._bridge.submit(shifts.shift_overview, self._username, region=self._region,
                            channel="shift-overview", on_result=self._show,
                            on_error=self._show_error)

    def _local(self, dt: datetime | None) -> str:
        return "–" if dt is None else dt.astimezone(self._tz).strftime("%d-%m-%Y %H:%M")

    def _show(self, overview: shifts.ShiftOverview) -> None:
        self.overview = overview
        self.staff.setRowCount(len(overview.on_shift))
        for row, s in enumerate(overview.on_shift):
            for col, text in enumerate((f"{s.display_name} ({s.username})", s.role,
                                        self._local(s.started_at))):
                self.staff.setItem(row, col, QTableWidgetItem(text))
        if not self.note.hasFocus():
            self.note.setPlainText(overview.my_note or "")
        selected = self._selected_id()
        self.handovers.clear()
        for h in overview.pending:
            state = (self.tr("menunggu supervisor masuk") if h.outgoing_signed_at
                     else self.tr("menunggu supervisor keluar"))
            item = QListWidgetItem(f"{self._local(h.created_at)} · {h.outgoing_name} · {state}")
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.handovers.addItem(item)
            if h.id == selected:
                self.handovers.setCurrentItem(item)
        if self.handovers.currentRow() < 0 and self.handovers.count():
            self.handovers.setCurrentRow(0)
        self._show_pack()
        self._update_buttons()

    def _selected_id(self) -> str | None:
        item = self.handovers.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _selected(self) -> shifts.HandoverInfo | None:
        hid = self._selected_id()
        if self.overview is None or hid is None:
            return None
        return next((h for h in self.overview.pending if h.id == hid), None)

    @Slot()
    def _show_pack(self) -> None:
        h = self._selected()
        self.pack.setPlainText("" if h is None else self.pack_text(h))
        self._update_buttons()

    def pack_text(self, h: shifts.HandoverInfo) -> str:
        """The pack as plain text (user text stays text)."""
        c = h.pack.counts
        conflicts = str(c.get("conflicts", 0))
        lines = [
            self.tr("Dibuat {at} oleh {name}").format(at=self._local(h.created_at), name=h.outgoing_name),
            self.tr("P1/P2 terbuka: {n}").format(n=c.get("open_p12", 0)),
            self.tr("SLA berisiko: {n} · lewat SLA: {m}").format(n=c.get("sla_at_risk", 0),
                                                              m=c.get("sla_breached", 0)),
            self.tr("Disposisi belum diterima instansi: {n}").format(
                n=c.get("dispatches_unacknowledged", 0)),
            self.tr("Perubahan lokal belum terkirim: {n} (+{q} dikarantina)").format(
                n=c.get("outbox_pending", 0), q=c.get("outbox_quarantined", 0)),
            self.tr("Konflik sinkronisasi terbuka: {n}").format(n=conflicts),
        ]
        if h.note:
            lines += ["", self.tr("Catatan:"), h.note]
        for title, items in ((self.tr("P1/P2 terbuka"), h.pack.open_p12),
                             (self.tr("Lewat SLA"), h.pack.sla_breached),
                             (self.tr("SLA berisiko"), h.pack.sla_at_risk)):
            if items:
                lines += ["", f"{title}:"]
                lines += [f"  {i['ticket']}  P{i['priority']}  {i['status']}  {i.get('title') or ''}"
                          for i in items[:50]]
        return "\n".join(lines)

    def _update_buttons(self) -> None:
        o = self.overview
        signed_in = o is not None and o.my_shift_id is not None
        can_act = self._username is not None and o is not None
        self.sign_in_button.setEnabled(can_act and not signed_in)
        self.sign_out_button.setEnabled(can_act and signed_in)
        self.save_note_button.setEnabled(can_act and signed_in)
        self.note.setReadOnly(not (can_act and signed_in))
        h = self._selected()
        supervisor = o is not None and o.my_role in SUPERVISOR_ROLES
        self.sign_outgoing_button.setEnabled(
            bool(supervisor and h and h.outgoing == self._username and h.outgoing_signed_at is None))
        self.sign_incoming_button.setEnabled(
            bool(supervisor and signed_in and h and h.outgoing_signed_at is not None
                 and h.outgoing != self._username))

    # ---------------------------------------------------------------------------- writing

    def _run(self, fn, *args, done: str, **kwargs) -> None:
        def ok(changes) -> None:
            self.status.setText(done)
            self.changed.emit(changes)
            self.refresh()

        self._bridge.submit(fn, *args, on_result=ok, on_error=self._show_error, **kwargs)

    @Slot()
    def sign_in(self) -> None:
        if self._username:
            self._run(shifts.sign_in, self._username, done=self.tr("Anda masuk shift."))

    @Slot()
    def sign_out(self) -> None:
        if self._username:
            self._run(shifts.sign_out, self._username, handover_note=self.note.toPlainText(),
                      region=self._region, done=self.tr("Anda keluar shift."))

    @Slot()
    def save_note(self) -> None:
        if self._username:
            self._run(shifts.write_handover_note, self._username, self.note.toPlainText(),
                      done=self.tr("Catatan serah terima disimpan."))

    def sign_handover(self, as_: str) -> None:
        """Sign with one's password (see shifts.sign_handover_with_password)."""
        h = self._selected()
        if not self._username or h is None:
            return
        password = self._ask_password(as_)
        if password:
            self._run(shifts.sign_handover_with_password, self._username, password, h.id,
                      as_=as_, done=self.tr("Serah terima disahkan."))

    def _ask_password(self, as_: str) -> str | None:
        dialog = QInputDialog(self)
        dialog.setObjectName("sign_password_dialog")
        dialog.setWindowTitle(self.tr("Sahkan serah terima"))
        role = self.tr("supervisor keluar") if as_ == "outgoing" else self.tr("supervisor masuk")
        dialog.setLabelText(self.tr("Kata sandi {user} untuk mengesahkan sebagai {role}:").format(
            user=self._username, role=role))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue() or None

    def _show_error(self, exc: BaseException) -> None:
        self.status.setText(messages.error_text(exc))
