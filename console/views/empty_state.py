"""What a console on an empty database says: where reports come from.

A first start (plain ``posko`` on a new data folder) used to show an empty queue and
nothing else. This panel lies over the queue while the database holds no report at all
(not merely none matching the filter) and says the two ways in: log in to the central
server (Ctrl+L) to pull the region's reports, or try the console on demo data with
``posko demo``. It hides itself as soon as a report exists, whether typed in, pulled by
sync or seeded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout

from console.store import queue as queue_store

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

_MARGIN = 24


class EmptyState(QFrame):
    """Guidance over the queue of a database without reports."""

    # After each answer from the database: True when the guidance is shown.
    checked = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        viewport = window.queue.table.viewport()
        super().__init__(viewport)
        self.setObjectName("empty_state")
        # Transparent: the (empty) table still paints under it, so the queue's first-paint
        # signal (start-up benchmark, screenshots) fires on an empty database too.
        self.setAutoFillBackground(False)
        self._window = window
        self._viewport = viewport
        self.title = QLabel(self.tr("Belum ada laporan di basis data ini"), self)
        self.title.setObjectName("empty_state_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel(self.tr(
            "Masuk ke server pusat (Ctrl+L) untuk mengambil laporan wilayah Anda; setelah "
            "itu konsol tetap bekerja tanpa jaringan.\n\n"
            "Ingin mencoba dulu? Jalankan “posko demo” di terminal: konsol terbuka pada "
            "folder data contoh tersendiri dengan ribuan laporan realistis, termasuk "
            "panggilan 112 yang menunggu triase (tombol 1–4)."), self)
        self.body.setObjectName("empty_state_body")
        self.login = QPushButton(self.tr("Masuk ke server pusat… (Ctrl+L)"), self)
        self.login.setObjectName("empty_state_login")
        for label in (self.title, self.body):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.login, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.hide()

        self.login.clicked.connect(self._login)
        model = window.queue.model
        model.firstPageLoaded.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        model.rowsInserted.connect(self.refresh)
        model.rowsRemoved.connect(self.refresh)
        window.bus.changed.connect(lambda _changes: self.refresh())
        viewport.installEventFilter(self)

    def refresh(self, *_args) -> None:
        """Hide when the queue shows rows; otherwise ask the database whether it holds any
        report at all (an empty filter result is not an empty database)."""
        if self._window.queue.model.rowCount() > 0:
            self.hide()
            return
        try:
            self._window.read_bridge.submit(queue_store.count, queue_store.QueueFilter(),
                                            channel="empty-state", on_result=self._answer)
        except RuntimeError:  # the window is closing and its worker already stopped
            pass

    def _answer(self, total: int) -> None:
        empty = total == 0 and self._window.queue.model.rowCount() == 0
        if empty:
            # The login action exists once the sync engine is attached (run_console).
            self.login.setVisible(self._login_action() is not None)
            self.setGeometry(self._viewport.rect())
            self.show()
            self.raise_()
        else:
            self.hide()
        self.checked.emit(empty)

    def _login_action(self):  # noqa: ANN202 - QAction | None
        return getattr(self._window, "act_login", None)

    def _login(self) -> None:
        action = self._login_action()
        if action is not None:
            action.trigger()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._viewport.rect())
        return False
