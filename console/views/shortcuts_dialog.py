"""Help → Keyboard shortcuts: every shortcut of the action registry
(``console.views.action_registry``) whose action this window has, menu by menu, plus the
fixed keys of the table and dialogs, so the list cannot drift from what the keys do. Read
each time the dialog opens (the Sinkronisasi menu comes with the sync engine). Type to
filter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from console.views.action_registry import CONTEXT, MENUS, REGISTRY, TABLE_KEYS, WINDOW
from console.views.labels import lookup

__all__ = ["ShortcutsDialog", "shortcut_rows"]


def _key(action: QAction) -> str:
    """Every key of the action (an action may have alternates), as the menu shows them."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                     for k in action.shortcuts() if not k.isEmpty())


def shortcut_rows(window) -> list[tuple[str, str, str, str]]:
    """(menu, command, key, where) for every registry action with a shortcut that
    ``window`` has made, in menu bar order, then the fixed keys of the table and dialogs.
    Command and key are read from the action itself (as the menu shows them)."""
    from PySide6.QtCore import QCoreApplication

    anywhere = QCoreApplication.translate("ShortcutsDialog", "di mana saja")
    in_queue = QCoreApplication.translate("ShortcutsDialog", "antrean / detail")
    made = {a.objectName(): a for a in window.findChildren(QAction) if a.objectName()}
    rows = []
    for menu, title in MENUS:
        title = lookup(WINDOW, title).replace("&", "")
        for spec in REGISTRY:
            action = made.get(spec.name)
            if spec.menu != menu or action is None or not _key(action):
                continue
            where = in_queue if spec.scope == "queue" else anywhere
            rows.append((title, action.text().replace("&", ""), _key(action), where))
    table = QCoreApplication.translate("ShortcutsDialog", "Antrean dan dialog")
    for text, key in TABLE_KEYS:
        rows.append((table, lookup(CONTEXT, text), lookup(CONTEXT, key), in_queue))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(self.tr("Pintasan keyboard"))
        self.rows = shortcut_rows(window)
        intro = QLabel(self.tr(
            "Tombol satu huruf dan angka bekerja saat antrean atau panel detail aktif, tidak "
            "saat mengetik. Ketik di bawah untuk mencari."), self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcuts_filter")
        self.filter.setPlaceholderText(self.tr("Cari perintah atau tombol…"))
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(self.rows), 4, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Menu"), self.tr("Perintah"), self.tr("Tombol"), self.tr("Berlaku di")])
        for i, row in enumerate(self.rows):
            for j, text in enumerate(row):
                item = QTableWidgetItem(text)
                if j == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 600)
        self.filter.textChanged.connect(self._filter)
        self.filter.setFocus()

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i, row in enumerate(self.rows):
            self.table.setRowHidden(i, bool(needle) and not any(needle in c.casefold()
                                                                 for c in row))

    def keys(self) -> set[str]:
        return {row[2] for row in self.rows}
