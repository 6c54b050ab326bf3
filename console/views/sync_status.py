"""Qt side of the sync engine: the controller (signals around console.sync.service), the
status-bar indicator with its catch-up progress bar, per-report sync-state icons, and the
quarantine dialog.

No HTTP and no SQL here: the engine runs on its own worker thread of the qasync loop and
database reads go through the DbBridge. Wiring (see the report of issue 4):

    controller = SyncController(bridge, parent=window)
    window.statusBar().addPermanentWidget(SyncStatusWidget(controller, window))
    controller.changesApplied.connect(window.bus.broadcast)  # OpChanges, source "sync"
    controller.start()                                        # after the qasync loop runs

(``MainWindow.attach_sync`` does this.)
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.operations import accounts
from console.operations.base import OpChanges
from console.sync import pusher, state
from console.sync.engine import SyncConfig, SyncEngine, SyncStatus
from console.sync.service import SyncService
from console.views import messages
from console.views.db_bridge import DbBridge
from console.views.plain import plain_tip

log = logging.getLogger("posko.views.sync")

__all__ = ["SyncController", "SyncStatusWidget", "QuarantineDialog", "sync_state_icon",
           "SYNC_STATE_COLORS"]

STATE_COLORS = {"online": "#2e7d32", "degraded": "#f9a825", "offline": "#9e9e9e",
                "login": "#c62828"}
SYNC_STATE_COLORS = {state.SYNCED: "#2e7d32", state.PENDING: "#1565c0",
                     state.CONFLICT: "#ef6c00", state.QUARANTINED: "#c62828",
                     state.LOCAL_ONLY: "#9e9e9e"}
_ICONS: dict[str, QIcon] = {}


def sync_state_icon(sync_state: str, size: int = 12) -> QIcon:
    """A small coloured dot for a report's sync state (console.sync.state constants);
    the queue gets the states with ``bridge.submit(state.report_sync_states, ids)``."""
    key = f"{sync_state}:{size}"
    if key not in _ICONS:
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(SYNC_STATE_COLORS.get(sync_state, "#9e9e9e")))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(1, 1, size - 2, size - 2)
        p.end()
        _ICONS[key] = QIcon(pix)
    return _ICONS[key]


class SyncController(QObject):
    """Owns the engine and its scheduler for the window's lifetime.

    Signals: ``statusChanged(SyncStatus)``, ``changesApplied(OpChanges)`` (what a pull or
    push changed, source "sync": refresh only those reports), ``loginRequired(str)``,
    ``loginFinished(bool ok, str message)``, ``configuredChanged()``,
    ``accountLoggedIn(KnownAccount)`` (after a login, once the account is cached in the
    data folder: the window makes it the operator on duty).

    The server and the account it syncs as live in the data folder's database (``meta``
    sync.server_url / sync.username, written by a successful login), never in per-user
    settings: each data folder syncs with its own server (issue 10, finding 10), and
    ``posko sync --data-dir`` reads the same place."""

    statusChanged = Signal(object)
    changesApplied = Signal(object)
    loginRequired = Signal(str)
    loginFinished = Signal(bool, str)
    configuredChanged = Signal()
    accountLoggedIn = Signal(object)

    def __init__(self, bridge: DbBridge, parent: QObject | None = None, *,
                 idle_interval: float = 60.0, watch: bool = True) -> None:
        """``watch``: long-poll the server between cycles (console/sync/watch.py), so a
        report filed anywhere in scope shows here within a second."""
        super().__init__(parent)
        self.bridge = bridge
        self.idle_interval = idle_interval
        self.watch = watch
        self.service: SyncService | None = None
        self.status = SyncStatus(state="login", message=self.tr("Belum masuk ke server pusat"))
        self._tasks: set[asyncio.Task] = set()
        # A tiny read at start-up, before the window takes input.
        url, user = bridge.executor.call(_stored_login)
        self._url, self._user = url or "", user or ""
        if url and user:
            try:
                self._configure(url, user)
            except ValueError as exc:  # a damaged record: ask for a login instead
                log.warning("ignoring the stored sync server %r: %s", url, exc)

    @property
    def server_url(self) -> str:
        """The server of the last login on this data folder (or of the attempt under way)."""
        return self._url

    @property
    def username(self) -> str:
        return self._user

    def _configure(self, url: str, user: str) -> None:
        if self.service is not None:
            old = self.service
            self._spawn(old.stop())
        engine = SyncEngine(self.bridge.executor, SyncConfig(server_url=url, username=user))
        self.service = SyncService(engine, idle_interval=self.idle_interval, watch=self.watch)
        self.service.subscribe(on_status=self._on_status, on_changes=self.changesApplied.emit)
        self.configuredChanged.emit()

    def _spawn(self, coro) -> None:  # noqa: ANN001
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_status(self, status: SyncStatus) -> None:
        self.status = status
        self.statusChanged.emit(status)
        if status.state == "login":
            self.loginRequired.emit(messages.sync_status_text(status))

    def start(self) -> None:
        """Start syncing (needs the running qasync loop). Without a configured server or a
        stored token it just reports that a login is needed."""
        if self.service is None:
            self._on_status(self.status)
            return
        self.service.start()
        self._spawn(self._refresh())

    async def _refresh(self) -> None:
        if self.service is not None:
            with _suppress():
                self._on_status(await self.service.refresh())

    def sync_now(self) -> None:
        """The "Sinkronkan sekarang" (F5) action."""
        if self.service is None:
            self.loginRequired.emit(self.tr("Masuk ke server pusat dulu"))
            return
        self.service.start()
        self.service.sync_now()

    def on_local_change(self, changes: OpChanges) -> None:
        """Call after every operation: a change in the outbox is pushed soon."""
        if changes.outbox and self.service is not None:
            self.service.notify_local_change()

    def login(self, server_url: str, username: str, password: str) -> None:
        """Log in (asynchronously); ``loginFinished`` tells the outcome. The password is
        used once and never stored; the token goes to the OS keyring."""
        url, user = server_url.strip().rstrip("/"), username.strip()
        if url != self.server_url or user != self.username or self.service is None:
            try:
                self._configure(url, user)
            except ValueError as exc:
                self.loginFinished.emit(False, messages.error_text(exc))
                return
            self._url, self._user = url, user  # recorded in the database once accepted
        self._spawn(self._login(password))

    async def _login(self, password: str) -> None:
        assert self.service is not None
        loop = asyncio.get_event_loop()
        url = self._url
        try:
            account = await self.service.login(password)
            # The data folder caches the account with a verifier of the password, so the
            # officer can take over this console again offline (accounts.take_duty).
            verifier = await loop.run_in_executor(None, accounts.make_verifier, password)
            await loop.run_in_executor(None, self.bridge.executor.call,
                                       accounts.remember_login, account, url, verifier)
            known = await loop.run_in_executor(None, self.bridge.executor.call,
                                               accounts.account, str(account["username"]))
        except Exception as exc:  # noqa: BLE001 - shown to the operator
            self.loginFinished.emit(False, messages.error_text(exc))
            return
        self.service.start()
        self.accountLoggedIn.emit(known)
        self.loginFinished.emit(True, "")

    def follow_operator(self, username: str) -> None:
        """A cached account took over offline: sync as that account from now on (with its
        token of this data folder if the keyring still has one, else it must log in)."""
        if not username or username == self._user or not self._url:
            return
        try:
            self._configure(self._url, username)
        except ValueError as exc:
            log.warning("cannot sync as %s: %s", username, exc)
            return
        self._user = username
        self.start()

    def logout(self) -> None:
        if self.service is not None:
            self._spawn(self.service.logout())

    def halt(self) -> None:
        """After the event loop ended (quit): stop the service without the loop."""
        if self.service is not None:
            self.service.halt()

    async def shutdown(self) -> None:
        if self.service is not None:
            await self.service.stop()
            # The worker's last step ends within about a second of the cancel; wait for it
            # off the GUI thread, so nothing the sync started still runs (and reports to
            # this window) once the window closes the database.
            await asyncio.get_event_loop().run_in_executor(None, self.service.join)


def _stored_login(conn) -> tuple[str | None, str | None]:  # noqa: ANN001 - sqlite3
    return state.get_meta(conn, state.SERVER_URL), state.get_meta(conn, state.USERNAME)


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:  # noqa: ANN001
        if exc is not None:
            log.warning("sync status refresh failed: %s", exc)
        return exc_type is not None and issubclass(exc_type, Exception)


def _local_time(iso: str | None, tz: str = "Asia/Jakarta") -> str:
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%d-%m %H:%M")
    except ValueError:
        return "—"


class SyncStatusWidget(QWidget):
    """Status-bar indicator: online / degraded / offline, last successful sync, pending
    changes, estimated link speed; a progress bar during a catch-up. ``clicked`` when the
    operator clicks it (open the quarantine or conflict list)."""

    clicked = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None, *,
                 bridge: DbBridge | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.controller = controller
        # The counts shown are read from the database after every operation, pull and
        # engine status (refresh_counts), so they never lag behind what the outbox holds,
        # logged in or not. Without a bridge they come with the engine's status.
        self._bridge = bridge
        self._counts = None
        self._channel = f"sync-counts-{id(self)}"
        self.dot = QLabel("●", self)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        controller.statusChanged.connect(self._on_status)
        self.show_status(controller.status)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read pending / refused / conflict counts from the database."""
        if self._bridge is not None and not getattr(self._bridge, "_closed", False):
            self._bridge.submit(state.counts, channel=self._channel,
                                on_result=self._got_counts)

    def _got_counts(self, counts) -> None:  # noqa: ANN001 - state.Counts
        self._counts = counts
        self.show_status(self.controller.status)

    def _on_status(self, s: SyncStatus) -> None:
        self.show_status(s)
        self.refresh_counts()

    @property
    def pending(self) -> int:
        return self._counts.pending if self._counts is not None else self.controller.status.pending

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt name
        self.clicked.emit()
        super().mousePressEvent(event)

    def state_text(self, s: SyncStatus) -> str:
        return {"online": self.tr("Daring"), "degraded": self.tr("Tersendat"),
                "offline": self.tr("Luring"), "login": self.tr("Perlu masuk")}.get(s.state, s.state)

    def show_status(self, s: SyncStatus) -> None:
        self.dot.setStyleSheet(f"color: {STATE_COLORS.get(s.state, '#9e9e9e')};")
        parts = [self.state_text(s)]
        if s.busy:
            parts[0] += " ⟳"
        c = self._counts if self._counts is not None else s
        parts.append(self.tr("%n tertunda", "", c.pending))
        if c.quarantined:
            parts.append(self.tr("%n ditolak", "", c.quarantined))
        if c.conflicts:
            parts.append(self.tr("%n konflik", "", c.conflicts))
        parts.append(self.tr("sinkron {when}").format(when=_local_time(s.last_success_at)))
        if s.kbit_s:
            parts.append(f"~{s.kbit_s:.0f} kbit/s")
        self.label.setText(" · ".join(parts))
        tip = [messages.sync_status_text(s)]
        if s.rtt_ms is not None:
            tip.append(self.tr("Waktu bolak-balik: {ms:.0f} ms").format(ms=s.rtt_ms))
        if s.retry_in_s:
            tip.append(self.tr("Coba lagi dalam {s:.0f} detik").format(s=s.retry_in_s))
        if s.head is not None:
            tip.append(self.tr("Kursor {c} dari {h}").format(c=s.cursor, h=s.head))
        self.setToolTip(plain_tip("\n".join(t for t in tip if t)))
        if s.progress and s.progress[1] > 0:
            self.progress.setRange(0, s.progress[1])
            self.progress.setValue(min(s.progress[0], s.progress[1]))
            self.progress.show()
        else:
            self.progress.hide()


class QuarantineDialog(QDialog):
    """Changes the server refused for good: which report (by ticket), what, why (in the
    operator's language, the server's own words in small print below), and the way out
    (send again as a new change, or give it up). ``changed(OpChanges)`` after either."""

    changed = Signal(object)

    def __init__(self, bridge: DbBridge, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quarantine_dialog")
        self.setWindowTitle(self.tr("Perubahan yang ditolak server"))
        self.bridge = bridge
        self.actor = actor
        self.items: list[state.QuarantinedItem] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("quarantine_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Laporan"), self.tr("Jenis"), self.tr("Isi"), self.tr("Alasan penolakan")])
        header = self.table.horizontalHeader()
        for col in (0, 1):  # the ticket and the kind are read whole
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 240)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))
        self.detail = QLabel(self)  # the server's own words for the selected row
        self.detail.setObjectName("quarantine_detail")
        self.detail.setTextFormat(Qt.TextFormat.RichText)  # built from escaped text only
        self.detail.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("Kirim &ulang"), self)
        self.discard_button = QPushButton(self.tr("&Buang"), self)
        self.retry_button.clicked.connect(lambda: self._act(pusher.requeue))
        self.discard_button.clicked.connect(
            lambda: self._act(lambda conn, mid: pusher.discard(conn, mid, self.actor)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Perubahan ini ditolak server dan tidak dikirim ulang otomatis. "
            "Perubahan lain tetap terkirim."), self))
        layout.addWidget(self.table)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.resize(760, 360)
        self.reload()

    def reload(self) -> None:
        self.bridge.submit(state.quarantined, channel=f"quarantine-{id(self)}", on_result=self._fill)

    def kind_text(self, item: state.QuarantinedItem) -> str:
        kinds = {("report", "create"): self.tr("Laporan baru"),
                 ("report", "patch"): self.tr("Perubahan laporan"),
                 ("note", "note"): self.tr("Catatan"),
                 ("dispatch", "dispatch"): self.tr("Disposisi"),
                 ("attachment", "create"): self.tr("Lampiran")}
        return kinds.get((item.entity, item.op), f"{item.entity}/{item.op}")

    def _fill(self, items: list[state.QuarantinedItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            summary = messages.change_summary(item.fields, trail=item.trail)
            reason = messages.quarantine_reason(item.last_error)
            ticket = item.ticket or self.tr("(laporan tidak dikenal)")
            for col, text in enumerate((ticket, self.kind_text(item), summary[:300],
                                        reason.text)):
                cell = QTableWidgetItem(text)  # plain text, never HTML
                cell.setToolTip(reason.plain() if col == 3 else "")
                self.table.setItem(row, col, cell)
        has = bool(items)
        self.retry_button.setEnabled(has)
        self.discard_button.setEnabled(has)
        if has:
            self.table.setCurrentCell(0, 0)
        self._show_detail(0 if has else -1)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self.items):
            reason = messages.quarantine_reason(self.items[row].last_error)
            self.detail.setText(reason.detail_html())
        else:
            self.detail.setText("")

    def _act(self, fn) -> None:  # noqa: ANN001
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return
        self.bridge.submit(fn, self.items[row].id, on_result=self._done, on_error=self._failed)

    def _done(self, changes: OpChanges) -> None:
        self.changed.emit(changes)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.windowTitle(), messages.error_text(exc))


def poll_counts(controller: SyncController, bridge: DbBridge, interval_ms: int = 15_000) -> QTimer:
    """Keep the pending count fresh while no cycle runs (e.g. before the first login)."""
    timer = QTimer(controller)
    timer.setInterval(interval_ms)

    def tick() -> None:
        def show(c: state.Counts) -> None:
            from dataclasses import replace

            controller._on_status(replace(controller.status, pending=c.pending,
                                          quarantined=c.quarantined, conflicts=c.conflicts,
                                          last_success_at=c.last_success_at, cursor=c.cursor,
                                          head=c.head))

        bridge.submit(state.counts, channel=f"sync-counts-{id(controller)}", on_result=show)

    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(0, tick)
    return timer
