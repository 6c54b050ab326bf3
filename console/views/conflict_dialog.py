"""The conflict dialog: for each field two consoles edited at once, the server's value and
the edited value side by side; the operator keeps one per field (or all at once). The
decision is one operation on the database worker (console.sync.conflicts.resolve): a new
patch for edited values that win, and a timeline event per decision."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.sync import conflicts
from console.views import messages
from console.views.db_bridge import DbBridge

__all__ = ["ConflictDialog"]

COL_REPORT, COL_FIELD, COL_SERVER, COL_EDITED, COL_CHOICE = range(5)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """``ConflictDialog(bridge, actor, report_id=None, parent=None)``: the open conflicts of
    one report, or of all reports when ``report_id`` is None. ``resolved(OpChanges)`` after
    the decisions are recorded (refresh those reports; the outbox may have grown)."""

    resolved = Signal(object)

    def __init__(self, bridge: DbBridge, actor: str, report_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(self.tr("Konflik suntingan"))
        self.bridge = bridge
        self.actor = actor
        self.report_id = report_id
        self.items: list[conflicts.Conflict] = []
        self.groups: list[QButtonGroup] = []
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Laporan"), self.tr("Kolom"),
                                              self.tr("Nilai server"), self.tr("Nilai suntingan"),
                                              self.tr("Pilih")])
        self.table.horizontalHeader().setSectionResizeMode(COL_SERVER, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(COL_EDITED, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        if report_id is not None:
            self.table.hideColumn(COL_REPORT)
        self.all_server = QPushButton(self.tr("Semua nilai &server"), self)
        self.all_edited = QPushButton(self.tr("Semua nilai &suntingan"), self)
        self.all_server.clicked.connect(lambda: self.choose_all(conflicts.SERVER))
        self.all_edited.clicked.connect(lambda: self.choose_all(conflicts.CLIENT))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Simpan &keputusan"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.all_server)
        row.addWidget(self.all_edited)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Kolom ini diubah di dua tempat sekaligus. Tidak ada yang ditimpa: pilih nilai "
            "yang berlaku; keputusan dicatat di riwayat laporan."), self))
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(820, 380)
        self.reload()

    def reload(self) -> None:
        self.bridge.submit(conflicts.open_conflicts, self.report_id,
                           channel=f"conflicts-{id(self)}", on_result=self._fill)

    def _fill(self, items: list[conflicts.Conflict]) -> None:
        self.items = items
        self.groups = []
        self.table.setRowCount(len(items))
        for row, c in enumerate(items):
            edited = _show(c.client_value) + (f"  ({c.by})" if c.by else "")
            for col, text in ((COL_REPORT, c.ticket or c.report_id), (COL_FIELD, c.field),
                              (COL_SERVER, _show(c.server_value)), (COL_EDITED, edited)):
                self.table.setItem(row, col, QTableWidgetItem(text))  # plain text, never HTML
            cell = QWidget(self.table)
            box = QHBoxLayout(cell)
            box.setContentsMargins(2, 0, 2, 0)
            group = QButtonGroup(cell)
            for label, choice in ((self.tr("server"), conflicts.SERVER),
                                  (self.tr("suntingan"), conflicts.CLIENT)):
                radio = QRadioButton(label, cell)
                radio.setProperty("choice", choice)
                group.addButton(radio)
                box.addWidget(radio)
            group.buttons()[0].setChecked(True)  # keeping the server's value is the safe default
            self.groups.append(group)
            self.table.setCellWidget(row, COL_CHOICE, cell)
        self.message.setText("" if items else self.tr("Tidak ada konflik terbuka."))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(items))

    def choose_all(self, choice: str) -> None:
        for group in self.groups:
            for b in group.buttons():
                if b.property("choice") == choice:
                    b.setChecked(True)

    def decisions(self) -> dict[str, str]:
        out = {}
        for c, group in zip(self.items, self.groups, strict=True):
            checked = group.checkedButton()
            if checked is not None:
                out[c.id] = checked.property("choice")
        return out

    def save(self) -> None:
        decisions = self.decisions()
        if not decisions:
            return
        self.buttons.setEnabled(False)
        if self.report_id is not None:
            self.bridge.submit(conflicts.resolve, self.actor, self.report_id, decisions,
                               on_result=self._saved, on_error=self._failed)
        else:
            self.bridge.submit(conflicts.resolve_many, self.actor, decisions,
                               on_result=self._saved, on_error=self._failed)

    def _saved(self, changes) -> None:  # noqa: ANN001
        self.buttons.setEnabled(True)
        self.resolved.emit(changes)
        errors = changes.detail.get("errors") if changes.detail else None
        if errors:
            self.message.setText("\n".join(messages.error_text(e) for e in errors.values()))
            self.reload()
            return
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(messages.error_text(exc))
