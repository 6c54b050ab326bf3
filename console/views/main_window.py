"""The operator console's main window: three docks (queue, map, detail), menus built from
the action registry (every action has a shortcut), the message bar, alerts, and a status
bar with the SLA badge, the sync state and the data file.

Wiring (all through signals, views never touch SQL):

- the op bus (:class:`console.views.op_bus.OpBus`) tells the queue, the detail panel, the
  map and the alert centre what changed, after an operation or a sync pull
  (``window.bus.broadcast(changes)``, an OpChanges, is the public entry point for the
  sync engine);
- the queue's current row drives the detail panel and the map;
- :meth:`MainWindow.attach_map` is the hook for the offline map.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from console.operations.base import OpChanges
from console.store import outbox
from console.store.executor import DbExecutor
from console.store.lookups import Lookups, load_lookups
from console.views import settings as prefs
from console.views.action_registry import (
    ACTIONS,
    DETAIL_BUTTONS,
    MENUS,
    SYNC_ACTIONS,
    ActionSpec,
    make_action,
)
from console.views.actions import ActionController
from console.views.alerts import AlertCenter
from console.views.current_report import CurrentReport
from console.views.db_bridge import DbBridge
from console.views.detail_panel import DetailPanel
from console.views.labels import lookup
from console.views.map_panel import MapPanel
from console.views.op_bus import OpBus, OpRunner
from console.views.operator import OperatorContext
from console.views.queue_panel import QueuePanel
from console.views.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from console.views.storage_badge import StorageBadge

__all__ = ["MainWindow"]

STATE_VERSION = 1


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
    # Reference lists (categories, agencies, regions) arrived.
    lookupsLoaded = Signal(object)

    def __init__(
        self,
        bridge: DbBridge,
        db_path: Path | str,
        *,
        settings: QSettings | None = None,
        lang: str = "id",
        operator: OperatorContext | None = None,
        confirm_quit: bool = False,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("posko_main_window")
        self.bridge = self._bridge = bridge
        self.settings = self._settings = settings if settings is not None else prefs.settings_store()
        self.lang = lang
        # Ask before closing with unsent changes (the console app sets it; headless
        # tools and most tests close without a question).
        self.confirm_quit = confirm_quit
        self._quit_confirmed = False
        self.quit_prompt = None
        # Nobody is on duty until an account logs in or a cached one proves itself
        # (app.py asks at start); never the OS user. Read-only until then.
        self.operator = operator or OperatorContext.nobody(OperatorContext.desk_agency(self.settings))
        self.lookups: Lookups | None = None
        self.db_path = Path(db_path)
        self.setWindowTitle(self.tr("Posko — {file}").format(file=self.db_path.name))
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.bus = OpBus(self)
        self.runner = OpRunner(bridge, self.bus, self)
        # A second, read-only worker for counts and alert summaries: they read many rows
        # and must never delay a page or an operation on the main worker.
        self._read_executor = DbExecutor(bridge.executor.db)
        self.read_bridge = DbBridge(self._read_executor, self)
        self.queue = QueuePanel(bridge, self, lang=lang, operator=self.operator,
                                settings=self.settings, count_bridge=self.read_bridge)
        self.detail = DetailPanel(bridge, self, lang=lang, operator=self.operator)
        # The one report every key, button and menu acts on (the one Detail shows).
        self.current = CurrentReport(self.queue, self.detail, self)
        self.map = MapPanel(self)
        self.dock_queue = self._dock("dock_queue", self.queue)
        self.dock_map = self._dock("dock_map", self.map)
        self.dock_detail = self._dock("dock_detail", self.detail)
        self.docks = (self.dock_queue, self.dock_map, self.dock_detail)
        self.intake = None
        self._shortcuts_dialog = None

        self.controller = ActionController(self, self.runner, self)
        # Soft claims (which desk handles what): the controller's board, shown by both.
        self.detail.set_claims(self.controller.claims)
        self.queue.model.claims = self.controller.claims
        self.controller.claims.changed.connect(self.queue.model.claims_changed)
        self.alerts = AlertCenter(self)
        self.sync = None  # a SyncController once run_console attaches one
        self.sync_status = None  # its status-bar widget
        self.path_label = QLabel(str(self.db_path), self)
        self.path_label.setObjectName("data_path")
        self.path_label.setTextFormat(Qt.TextFormat.PlainText)
        self.path_label.setToolTip(self.tr("Berkas data"))
        self.operator_label = QLabel(self)
        self.operator_label.setObjectName("operator_label")
        self.operator_label.setTextFormat(Qt.TextFormat.PlainText)
        self._show_operator()
        for widget in (StorageBadge(bridge.executor.db, self), self.alerts.badge,
                       self.operator_label, self.path_label):
            self.statusBar().addPermanentWidget(widget)

        self._build_menus()
        self._wire()
        self.resize(1366, 768)
        self._default_layout()
        self._default_state = self.saveState(STATE_VERSION)
        self.restore_layout()

        self._paint_watcher = _FirstPaintWatcher(self)
        self.queue.table.viewport().installEventFilter(self._paint_watcher)

    # --------------------------------------------------------------------------- layout

    def _dock(self, name: str, widget: QWidget) -> QDockWidget:
        """A dock titled as its toggle action in the registry (View → Antrean …)."""
        (spec,) = [s for s in ACTIONS if s.owner == "dock" and s.handler == name]
        dock = QDockWidget(lookup(spec.context, spec.text), self)
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
            [int(width * 0.64), int(width * 0.36)],
            Qt.Orientation.Horizontal,
        )
        height = max(self.height(), 600)
        self.resizeDocks(
            [self.dock_detail, self.dock_map],
            [int(height * 0.66), int(height * 0.34)],
            Qt.Orientation.Vertical,
        )

    def restore_layout(self) -> bool:
        """Bring back the saved window geometry and dock layout, if any."""
        geometry = prefs.read(self._settings, "ui/geometry")
        state = prefs.read(self._settings, "ui/windowState")
        restored = False
        if isinstance(geometry, QByteArray | bytes) and geometry:
            restored = self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes) and state:
            restored = self.restoreState(QByteArray(state), STATE_VERSION) and restored
        return restored

    def save_layout(self) -> None:
        prefs.write(self._settings, "ui/geometry", self.saveGeometry())
        prefs.write(self._settings, "ui/windowState", self.saveState(STATE_VERSION))
        prefs.write(self._settings, "queue/last", json.dumps(self.queue.view_spec()))
        self._settings.sync()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, STATE_VERSION)
        self._default_layout()

    # ---------------------------------------------------------------------------- menus

    def _menu(self, key: str) -> QMenu:
        """The menu ``key`` of the registry's menu bar, as ``self.menu_<key>``."""
        title = dict(MENUS)[key]
        menu = QMenu(lookup("MainWindow", title), self)
        menu.setObjectName(f"menu_{key}")
        setattr(self, f"menu_{key}", menu)
        return menu

    def _window_actions(self, specs: Sequence[ActionSpec], acts: dict[str, QAction]) -> None:
        """Make the registry's window and dock actions, each also ``self.<its name>``, and
        put every action of ``specs`` in its menu in the registry's order."""
        for spec in specs:
            if spec.owner == "window":
                action = make_action(spec, self)
                handler = getattr(self, spec.handler)
                action.triggered.connect(lambda _checked=False, h=handler: h())
            elif spec.owner == "dock":
                action = getattr(self, spec.handler).toggleViewAction()
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setObjectName(spec.name)
            else:
                action = acts[spec.name]
            if spec.owner != "controller":
                setattr(self, spec.name, action)
            menu = getattr(self, f"menu_{spec.menu}")
            if spec.separator and menu.actions():
                menu.addSeparator()
            menu.addAction(action)

    def _build_menus(self) -> None:
        acts = self.controller.build()
        for key, _title in MENUS:
            if key != "sync":  # made by attach_sync, before Help
                self.menuBar().addMenu(self._menu(key))
        self._window_actions(ACTIONS, acts)
        self.act_search = acts["act_search"]
        self.act_reload = acts["act_reload"]

        # Single-key actions: active in the queue table and the detail panel only.
        self.controller.attach_queue_scope([self.queue.table, self.detail])
        self.queue.table.single_keys = {
            QKeySequence(spec.shortcut)[0].key() for spec in ACTIONS
            if spec.scope == "queue" and spec.shortcut
        }
        self.detail.set_actions([acts[name] if name else None for name in DETAIL_BUTTONS])
        self.detail.set_merge_action(acts["act_merge"])

    def menus(self) -> list:
        return [self.menu_file, self.menu_reports, self.menu_triage, self.menu_workflow,
                self.menu_view, self.menu_help]

    def _wire(self) -> None:
        self.bus.changed.connect(self._on_changes)
        self.current.changed.connect(self._map_follow_current)
        self.current.changed.connect(lambda _id: self.controller.update_enabled())
        self.queue.selectionChanged.connect(self.controller.update_enabled)
        self.queue.model.liveUpdated.connect(lambda *_a: self.controller.update_enabled())
        self.queue.model.modelReset.connect(self.controller.update_enabled)
        self.queue.filterChanged.connect(self._map_filter)
        self.queue.table.unavailableKey.connect(self._unavailable_key)
        self.detail.loaded.connect(lambda _d: self.controller.update_enabled())
        self.detail.candidateChanged.connect(self.controller.update_enabled)
        self.detail.openRequested.connect(self.open_report)
        self.alerts.alerted.connect(lambda *_a: self.controller.update_enabled())
        self._connect_map()
        self.controller.update_enabled()
        from console.views.empty_state import EmptyState  # guidance over an empty database

        self.empty_state = EmptyState(self)

    # ------------------------------------------------------------------------- changes

    def _on_changes(self, changes: OpChanges) -> None:
        self.queue.model.apply_changes(changes)
        self.detail.apply_changes(changes)
        # Every count on screen is re-read after every operation and pull: the queue
        # total (a status change can move a report out of the filter), pending/refused.
        self.queue.refresh_count()
        self.map.apply_changes(sorted(changes.all_ids))
        if self.sync_status is not None:
            self.sync_status.refresh_counts()
        self.alerts.check_sla()  # the overdue badge: a dispatch or a close changes it
        self.controller.update_enabled()

    def _unavailable_key(self, key: QKeySequence) -> None:
        spec = self.controller.spec_for_key(key)
        if spec is not None:
            self.controller.explain_unavailable(spec)

    @property
    def notice(self):
        return self.queue.notice

    def ticket_of(self, report_id: str) -> str:
        row = self.queue.model.row_by_id(report_id)
        if row is not None:
            return row.ticket
        if self.detail.detail and self.detail.detail["id"] == report_id:
            return self.detail.detail["ticket"]
        return report_id[:8]

    # --------------------------------------------------------------------------- the map

    def attach_map(self, map_panel: MapPanel) -> None:
        """Put the offline map (with its web engine) in the map dock in place of the one
        made with the window, and wire it: a click opens the report, a drawn area filters
        the queue, a picked point fills the intake form; the map follows the current
        report, the queue's filter and every broadcast change."""
        old = self.map
        self.map = map_panel
        self.dock_map.setWidget(map_panel)
        if old is not None and old is not map_panel:
            old.deleteLater()
        self._connect_map()

    def _connect_map(self) -> None:
        self.map.reportClicked.connect(self.open_report)
        self.map.areaFilterChanged.connect(self._map_area)
        self.map.locationPicked.connect(self._location_picked)

    # ------------------------------------------------------------------ shifts and exports

    def show_export(self) -> None:
        """The shift-report export (PDF/XLSX/CSV), run on a worker thread with progress."""
        if not self.operator.on_duty:  # the export log names who exported: an account
            self.notice.show_message(self.tr(
                "Ekspor perlu petugas yang bertugas: masuk dulu (Ctrl+L)."), "warning",
                timeout_ms=6000)
            return
        from console.views.export_dialog import ExportDialog

        # The PDF's map is drawn from the exported reports (console/export/map_image.py),
        # over the base map the operator opened in the map dock, if any.
        mbtiles = prefs.read(self.settings, "map/mbtiles") or None
        dialog = ExportDialog(self.bridge, self.db_path, actor=self.operator.username,
                              role=self.operator.role, lang=self.lang, mbtiles=mbtiles,
                              parent=self)
        dialog.exec()

    def show_shift(self) -> None:
        """Sign in/out, handover notes and the two-supervisor handover sign-off."""
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from console.views.shift_panel import ShiftPanel

        dialog = QDialog(self)
        dialog.setObjectName("shift_dialog")
        dialog.setWindowTitle(self.tr("Shift dan serah terima — {name}").format(
            name=self.operator.display_name or self.operator.username) if self.operator.on_duty
            else self.tr("Shift dan serah terima (hanya baca: belum ada petugas bertugas)"))
        panel = ShiftPanel(self.bridge, self.operator.username or None, parent=dialog)
        panel.changed.connect(self.bus.broadcast)
        layout = QVBoxLayout(dialog)
        layout.addWidget(panel)
        dialog.resize(560, 640)
        panel.refresh()
        dialog.exec()

    # -------------------------------------------------------------------------- the sync

    def attach_sync(self, controller) -> None:  # noqa: ANN001 - SyncController
        """Connect the sync engine (console/views/sync_status.py): its status replaces the
        offline indicator, what a pull changes is broadcast like a local operation, every
        local operation wakes the pusher, and a Sinkronisasi menu offers F5 and friends.
        Made in run_console (it needs the running qasync loop), not here."""
        from console.views.sync_status import SyncStatusWidget

        self.sync = controller
        widget = SyncStatusWidget(controller, self, bridge=self.read_bridge)
        widget.setObjectName("sync_status")
        self.statusBar().addPermanentWidget(widget)
        self.sync_status = widget
        controller.changesApplied.connect(self.bus.broadcast)  # the engine says source "sync"
        self.bus.changed.connect(self._wake_pusher)
        widget.clicked.connect(controller.sync_now)
        controller.loginRequired.connect(lambda _msg: self.statusBar().showMessage(
            self.tr("Belum masuk ke server pusat: Sinkronisasi → Masuk (Ctrl+L)"), 8000))
        # The account that logged in is the operator on duty (the actor of everything).
        controller.accountLoggedIn.connect(self._account_logged_in)

        self.menuBar().insertMenu(self.menu_help.menuAction(), self._menu("sync"))
        self._window_actions(SYNC_ACTIONS, {})
        controller.start()

    def _wake_pusher(self, changes: OpChanges) -> None:
        # Every local change wakes the pusher, whatever its ``outbox`` flag says: the bus's
        # old record dropped that flag, and honouring it now (no wake for shift records or
        # a local login, which write nothing to the outbox) would change behaviour.
        if changes.source == "local" and self.sync is not None:
            self.sync.on_local_change(replace(changes, outbox=True))

    def sync_now(self) -> None:
        self.sync.sync_now()

    def show_login(self) -> None:
        from console.views.login_dialog import LoginDialog

        LoginDialog(self.sync, self).exec()

    def _account_logged_in(self, account) -> None:  # noqa: ANN001 - accounts.KnownAccount
        if account is not None:
            self.set_operator(OperatorContext.from_account(account, self.operator.agency))

    def log_out(self) -> None:
        from console.views.on_duty_dialog import log_out

        log_out(self)

    def choose_on_duty(self) -> None:
        from console.views.on_duty_dialog import choose_on_duty

        choose_on_duty(self)

    def show_conflicts(self) -> None:
        from console.views.conflict_dialog import ConflictDialog

        dialog = ConflictDialog(self.bridge, self.operator.username, None, self)
        dialog.resolved.connect(self.bus.broadcast)
        dialog.exec()

    def show_quarantine(self) -> None:
        from console.views.sync_status import QuarantineDialog

        dialog = QuarantineDialog(self.bridge, self.operator.username, self)
        dialog.changed.connect(self.bus.broadcast)
        dialog.exec()

    def map_can_pick(self) -> bool:
        return True  # every MapPanel picks (without a web engine it says why)

    def _map_follow_current(self, report_id: str | None) -> None:
        """The map highlights the current report (None: nothing, and no stale note)."""
        self.map.select_report(report_id)

    def _map_follow(self, row) -> None:
        if row is not None:
            self.map.select_report(row.id)

    def _map_area(self, area) -> None:
        bbox = getattr(area, "bbox", None)
        self.queue.set_area(bbox() if callable(bbox) else area)

    def _map_filter(self, flt) -> None:
        from dataclasses import replace

        self.map.set_filter(replace(flt, bbox=None, search=""))

    def _location_picked(self, lat: float, lon: float) -> None:
        if self.intake is not None:
            self.intake.set_location(lat, lon)

    # -------------------------------------------------------------------------- actions

    def start(self) -> None:
        """Start loading data (after the window is constructed)."""
        last = prefs.read(self._settings, "queue/last")
        spec = None
        if last:
            try:
                spec = json.loads(last)
            except (TypeError, ValueError):
                spec = None
        if isinstance(spec, dict):
            self.queue.apply_view(spec)
            if not self.queue.model.loading and not self.queue.model.first_page_loaded:
                self.queue.start()
        else:
            self.queue.start()
        # The total is counted whatever path loaded the first page (a saved view that
        # equals the default filter used to leave it blank until a filter changed).
        self.queue.refresh_count()
        self.alerts.start()
        self.bridge.submit(load_lookups, lang=self.lang, on_result=self._lookups_loaded)

    def _lookups_loaded(self, lookups: Lookups) -> None:
        self.lookups = lookups
        self.queue.set_lookups(lookups)
        self.detail.set_agency_names(dict(lookups.agencies))
        self.lookupsLoaded.emit(lookups)

    def set_operator(self, operator: OperatorContext) -> None:
        """Switch the whole window to the account on duty (after a login, or a cached
        account taking over): the actor of every operation, the status bar, the queue's
        "assigned to me", the detail's masking, the shift panel, exports, and the account
        the sync engine pushes as."""
        self.operator = operator
        self.queue.set_operator(operator)
        self.detail.set_operator(operator)
        self._show_operator()
        self.controller.update_enabled()  # read-only (nobody on duty) or not
        if self.sync is not None and operator.on_duty:
            self.sync.follow_operator(operator.username)

    def _show_operator(self) -> None:
        op = self.operator
        if not op.on_duty:
            self.operator_label.setText(self.tr(
                "Belum ada petugas bertugas — hanya baca (Ctrl+L untuk masuk)"))
            return
        masked = "" if op.can_unmask else self.tr(" · data pribadi disamarkan")
        name = op.username if op.display_name in ("", op.username) else \
            f"{op.display_name} · {op.username}"
        self.operator_label.setText(f"{name} ({op.role}){masked}")

    def focus_search(self) -> None:
        if not self.dock_queue.isVisible():
            self.dock_queue.show()
        self.dock_queue.raise_()
        self.queue.focus_search()

    def focus_queue(self) -> None:
        if not self.dock_queue.isVisible():
            self.dock_queue.show()
        self.dock_queue.raise_()
        self.queue.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_detail(self) -> None:
        if not self.dock_detail.isVisible():
            self.dock_detail.show()
        self.dock_detail.raise_()
        self.detail.tabs.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def reload(self) -> None:
        self.queue.reload()
        self.detail.refresh()
        self.alerts.check_sla()

    def open_report(self, report_id: str) -> None:
        """Make a report current (map marker, similar report, intake): Detail shows it and
        the queue selects it, pinned at the top when it is outside the filter."""
        self.current.open(report_id)

    def show_overdue(self) -> None:
        self.queue.quick.setCurrentIndex(self.queue.quick.findData("overdue"))
        self.focus_queue()

    def open_intake(self) -> None:
        from console.views.intake_dialog import IntakeDialog

        if self.intake is not None:
            self.intake.raise_()
            self.intake.activateWindow()
            return
        if self.lookups is None:
            self.notice.show_message(self.tr("Daftar kategori dan wilayah masih dimuat; "
                                             "coba lagi sebentar."), "info", timeout_ms=3000)
            return
        dialog = IntakeDialog(self, self.lookups, can_pick=self.map_can_pick())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._open_new_report)
        dialog.openRequested.connect(self.open_report)
        dialog.pickRequested.connect(self._start_pick)
        dialog.finished.connect(self._intake_closed)
        self.intake = dialog
        dialog.show()

    def _open_new_report(self, report_id: str) -> None:
        """A report just saved here becomes the current one at once."""
        self.current.open(report_id)

    def _intake_closed(self, _result: int) -> None:
        self.intake = None
        self.map.cancel_pick()  # saved or cancelled: no picking left running, no stray pin
        self.queue.table.setFocus()

    def _start_pick(self) -> None:
        self.dock_map.show()
        self.dock_map.raise_()
        chosen = getattr(self.intake, "chosen_kelurahan", None)
        region = chosen() if callable(chosen) else None
        self.map.start_pick(region) if region else self.map.start_pick()

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(command, key) for every shortcut (the same rows as Help → Keyboard shortcuts)."""
        return [(text, key) for _menu, text, key, _where in shortcut_rows(self)]

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self)
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

    def _quit_anyway(self) -> None:
        self._quit_confirmed = True
        self.close()

    def pending_changes(self) -> int:
        """Local changes the server has not confirmed yet (read now, from the outbox)."""
        return self._read_executor.call(outbox.pending_count)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if self.confirm_quit and not self._quit_confirmed:
            if self.intake is not None and self.intake.has_typed():
                # A call half taken: its own question first ("Buang laporan ini?"); the
                # operator quits again once it is saved or thrown away.
                event.ignore()
                self.intake.raise_()
                self.intake.activateWindow()
                self.intake.reject()
                return
            pending = self.pending_changes()
            if pending:
                event.ignore()
                if self.quit_prompt is None or not self.quit_prompt.isVisible():
                    from console.views.quit_prompt import ask_before_quit

                    self.quit_prompt = ask_before_quit(self, pending, self._quit_anyway)
                return
        self.save_layout()
        if self.intake is not None:
            self.intake.discard()
        super().closeEvent(event)
        if event.isAccepted():
            self.alerts.stop()
            self.map.shutdown()  # stops the tile fetcher threads
            self.queue.stop()
            self.read_bridge.shutdown()
            self._read_executor.shutdown()
