"""The operator console's main window: three docks (queue, map, detail), menus with a
shortcut for everything, and a status bar with the sync state and the data file."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.detail_panel import DetailPanel
from console.views.map_panel import MapPanel
from console.views.queue_panel import QueuePanel

__all__ = ["MainWindow", "SyncStateWidget", "settings_store"]

STATE_VERSION = 1
SYNC_POLL_MS = 15_000


def settings_store() -> QSettings:
    """Where the console keeps its UI settings (per user)."""
    return QSettings("Posko", "Posko")


class SyncStateWidget(QWidget):
    """Status-bar badge: connection state and how many local changes wait for the server.

    The sync engine is not wired in yet, so the state is always "offline"; the pending
    count is read from the outbox through the bridge."""

    def __init__(self, bridge: DbBridge, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_state")
        self._bridge = bridge
        self._channel = f"outbox-count-{id(self)}"
        self.pending: int | None = None
        self.dot = QLabel("●", self)
        self.dot.setStyleSheet("color: #9e9e9e;")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.setToolTip(
            self.tr(
                "Belum tersambung ke server pusat. Semua perubahan disimpan di komputer ini "
                "dan dikirim saat sinkronisasi aktif."
            )
        )
        self._show()
        self._timer = QTimer(self)
        self._timer.setInterval(SYNC_POLL_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def refresh(self) -> None:
        self._bridge.submit(
            store.pending_outbox_count, channel=self._channel, on_result=self._on_count
        )

    def _on_count(self, n: int) -> None:
        self.pending = n
        self._show()

    def _show(self) -> None:
        state = self.tr("Luring")
        if self.pending is None:
            self.label.setText(state)
        else:
            self.label.setText(
                self.tr("{state} · %n perubahan tertunda", "", self.pending).format(state=state)
            )


class _FirstPaintWatcher(QObject):
    """Tells when the queue's table is painted with its first page on screen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if (
            not self._done
            and event.type() == QEvent.Type.Paint
            and self._window.queue.model.first_page_loaded
        ):
            self._done = True
            stamp = time.time()
            # Report after this paint has finished and reached the backing store.
            QTimer.singleShot(0, lambda: self._window.firstPagePainted.emit(stamp))
        return False


class MainWindow(QMainWindow):
    """Posko's main window. ``settings`` defaults to the per-user QSettings."""

    # time.time() of the first paint that showed the first queue page.
    firstPagePainted = Signal(float)

    def __init__(
        self,
        bridge: DbBridge,
        db_path: Path | str,
        *,
        settings: QSettings | None = None,
        lang: str = "id",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("posko_main_window")
        self._bridge = bridge
        self._settings = settings if settings is not None else settings_store()
        self.db_path = Path(db_path)
        self.setWindowTitle(self.tr("Posko — {file}").format(file=self.db_path.name))
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.queue = QueuePanel(bridge, self, lang=lang)
        self.detail = DetailPanel(bridge, self, lang=lang)
        self.map = MapPanel(self)
        self.dock_queue = self._dock("dock_queue", self.tr("Antrean"), self.queue)
        self.dock_map = self._dock("dock_map", self.tr("Peta"), self.map)
        self.dock_detail = self._dock("dock_detail", self.tr("Detail"), self.detail)
        self.docks = (self.dock_queue, self.dock_map, self.dock_detail)
        self.queue.currentReportChanged.connect(self.detail.show_report)
        self.queue.currentReportChanged.connect(self.map.show_report)

        self.sync_state = SyncStateWidget(bridge, self)
        self.path_label = QLabel(str(self.db_path), self)
        self.path_label.setObjectName("data_path")
        self.path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label.setToolTip(self.tr("Berkas data"))
        self.statusBar().addPermanentWidget(self.path_label)
        self.statusBar().addPermanentWidget(self.sync_state)

        self._build_menus()
        self.resize(1366, 768)
        self._default_layout()
        self._default_state = self.saveState(STATE_VERSION)
        self.restore_layout()

        self._paint_watcher = _FirstPaintWatcher(self)
        self.queue.table.viewport().installEventFilter(self._paint_watcher)

    # --------------------------------------------------------------------------- layout

    def _dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        return dock

    def _default_layout(self) -> None:
        for dock in self.docks:
            dock.setFloating(False)
            dock.show()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock_queue)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock_detail)
        self.splitDockWidget(self.dock_detail, self.dock_map, Qt.Orientation.Vertical)
        width = max(self.width(), 800)
        self.resizeDocks(
            [self.dock_queue, self.dock_detail],
            [int(width * 0.72), int(width * 0.28)],
            Qt.Orientation.Horizontal,
        )
        height = max(self.height(), 600)
        self.resizeDocks(
            [self.dock_detail, self.dock_map],
            [int(height * 0.62), int(height * 0.38)],
            Qt.Orientation.Vertical,
        )

    def restore_layout(self) -> bool:
        """Bring back the saved window geometry and dock layout, if any."""
        geometry = self._settings.value("ui/geometry")
        state = self._settings.value("ui/windowState")
        restored = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            restored = self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes) and state:
            restored = self.restoreState(QByteArray(state), STATE_VERSION) and restored
        return restored

    def save_layout(self) -> None:
        self._settings.setValue("ui/geometry", self.saveGeometry())
        self._settings.setValue("ui/windowState", self.saveState(STATE_VERSION))
        self._settings.sync()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, STATE_VERSION)
        self._default_layout()

    # ---------------------------------------------------------------------------- menus

    def _action(self, text: str, shortcut: str | None, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu(self.tr("&Berkas"))
        self.menu_file.setObjectName("menu_file")
        self.act_quit = self._action(self.tr("&Keluar"), "Ctrl+Q", self.close, "act_quit")
        self.menu_file.addAction(self.act_quit)

        self.menu_view = bar.addMenu(self.tr("&Tampilan"))
        self.menu_view.setObjectName("menu_view")
        for dock, key in zip(self.docks, ("Ctrl+1", "Ctrl+2", "Ctrl+3"), strict=True):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            toggle.setObjectName(f"act_toggle_{dock.objectName()}")
            self.menu_view.addAction(toggle)
        self.menu_view.addSeparator()
        self.act_reset_layout = self._action(
            self.tr("Atur &ulang tata letak"), None, self.reset_layout, "act_reset_layout"
        )
        self.menu_view.addAction(self.act_reset_layout)

        self.menu_reports = bar.addMenu(self.tr("&Laporan"))
        self.menu_reports.setObjectName("menu_reports")
        self.act_search = self._action(self.tr("&Cari"), "Ctrl+F", self.focus_search, "act_search")
        self.act_reload = self._action(self.tr("&Muat ulang"), "F5", self.reload, "act_reload")
        self.menu_reports.addAction(self.act_search)
        self.menu_reports.addAction(self.act_reload)

        self.menu_help = bar.addMenu(self.tr("&Bantuan"))
        self.menu_help.setObjectName("menu_help")
        self.act_shortcuts = self._action(
            self.tr("&Pintasan keyboard"), "F1", self.show_shortcuts, "act_shortcuts"
        )
        self.act_about = self._action(self.tr("&Tentang Posko"), None, self.show_about, "act_about")
        self.menu_help.addAction(self.act_shortcuts)
        self.menu_help.addAction(self.act_about)

    # -------------------------------------------------------------------------- actions

    def start(self) -> None:
        """Start loading data (after the window is constructed)."""
        self.queue.start()
        self.sync_state.start()

    def focus_search(self) -> None:
        if not self.dock_queue.isVisible():
            self.dock_queue.show()
        self.dock_queue.raise_()
        self.queue.focus_search()

    def reload(self) -> None:
        self.queue.reload()
        self.detail.refresh()
        self.sync_state.refresh()

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(action, key) for every menu action with a shortcut, plus table keys."""
        rows: list[tuple[str, str]] = []
        for menu in (self.menu_file, self.menu_view, self.menu_reports, self.menu_help):
            for action in menu.actions():
                if action.isSeparator() or action.shortcut().isEmpty():
                    continue
                text = action.text().replace("&", "")
                rows.append(
                    (text, action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
                )
        rows += [
            (self.tr("Pindah baris di antrean"), self.tr("↑ / ↓, PgUp / PgDn, Home / End")),
            (self.tr("Pilih beberapa laporan"), self.tr("Shift+↑/↓, Ctrl+klik")),
            (self.tr("Cari langsung (tanpa menunggu)"), self.tr("Enter di kotak cari")),
            (self.tr("Pindah antarbagian"), self.tr("Tab / Shift+Tab")),
        ]
        return rows

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setObjectName("shortcuts_dialog")
        dialog.setWindowTitle(self.tr("Pintasan keyboard"))
        rows = self.shortcut_list()
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels([self.tr("Perintah"), self.tr("Tombol")])
        for i, (text, key) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(text))
            table.setItem(i, 1, QTableWidgetItem(key))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(520, 380)
        dialog.open()
        self._shortcuts_dialog = dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Tentang Posko"),
            self.tr(
                "Posko — konsol operator pos komando untuk command center kota dan "
                "kantor kelurahan.\nBekerja penuh secara luring dan menyinkronkan data "
                "dengan server pusat saat jaringan tersedia."
            ),
        )

    # ---------------------------------------------------------------------------- close

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        self.save_layout()
        super().closeEvent(event)
