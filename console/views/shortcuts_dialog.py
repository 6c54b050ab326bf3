"""Help → Keyboard shortcuts: every shortcut, read from the window's actions each time
the dialog opens (its menus, built from the action registry in ``console.views.actions``
and by whoever adds a menu later, and any other action with a key) plus the fixed keys
of the table and dialogs, so the list cannot drift from what the keys do. Type to
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

from console.views.action_registry import ACTIONS, TABLE_KEYS
from console.views.labels import lookup

__all__ = ["ShortcutsDialog", "shortcut_rows"]

_QUEUE_SCOPED = {spec.name for spec in ACTIONS if spec.scope == "queue"}


def _key(action: QAction) -> str:
    """Every key of the action (an action may have alternates), as the menu shows them."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                     for k in action.shortcuts() if not k.isEmpty())


def shortcut_rows(window) -> list[tuple[str, str, str, str]]:
    """(menu, command, key, where) for every action of the window that has a shortcut,
    read when asked: first those of the menu bar, menu by menu as it stands now (so a
    menu added later, like Sinkronisasi, is in), then any other action with a key
    (not in a menu), then the fixed keys of the table and dialogs."""
    from PySide6.QtCore import QCoreApplication

    anywhere = QCoreApplication.translate("ShortcutsDialog", "di mana saja")
    in_queue = QCoreApplication.translate("ShortcutsDialog", "antrean / detail")
    rows = []
    seen: set[int] = set()

    def add(menu_title: str, action: QAction) -> None:
        if id(action) in seen or not _key(action):
            return
        seen.add(id(action))
        where = in_queue if action.objectName() in _QUEUE_SCOPED else anywhere
        rows.append((menu_title, action.text().replace("&", ""), _key(action), where))

    for bar_action in window.menuBar().actions():
        menu = bar_action.menu()
        if menu is None:
            add("", bar_action)
            continue
        title = menu.title().replace("&", "")
        for action in _menu_actions(menu):
            add(title, action)
    other = QCoreApplication.translate("ShortcutsDialog", "Lainnya")
    for action in window.findChildren(QAction):
        if not action.isSeparator() and action.menu() is None:
            add(other, action)
    table = QCoreApplication.translate("ShortcutsDialog", "Antrean dan dialog")
    for text, key in TABLE_KEYS:
        rows.append((table, lookup("actions", text), lookup("actions", key), in_queue))
    return rows


def _menu_actions(menu):
    for action in menu.actions():
        if action.isSeparator():
            continue
        if action.menu() is not None:
            yield from _menu_actions(action.menu())
        else:
            yield action


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
