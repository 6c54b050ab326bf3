"""The shift report dialog: choose a window, a region, a format; export on a worker
thread with a progress bar; open the result.

The export itself is ``console.export.service.export_shift_report`` (the same code as
``posko export shift``). It opens its own read connection, so a long export never holds
the database worker that the queue and the detail panel use; the region list is loaded
through the bridge like any other view data. The dialog never runs SQL itself.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QObject, Qt, QThread, QTimeZone, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.export.model import ExportRequest
from console.export.output import ExportError
from console.export.service import ExportResult, export_shift_report, region_choices
from console.views import messages

UNMASK_ROLES = ("supervisor", "admin")
FORMATS = ("pdf", "xlsx", "csv")


class _ExportWorker(QObject):
    """Runs one export in a QThread and reports back through queued signals."""

    progress = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, db_path: Path, request: ExportRequest) -> None:
        super().__init__()
        self._db_path = db_path
        self._request = request
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = export_shift_report(
                self._db_path, self._request,
                progress=lambda pct, stage: self.progress.emit(pct, stage),
                cancelled=self._cancel.is_set,
            )
        except ExportError as exc:
            self.failed.emit(str(exc))  # i18n: ok - ExportError speaks the report's language
        except Exception as exc:  # noqa: BLE001 - shown to the supervisor, never lost
            self.failed.emit(messages.error_text(exc))
        else:
            self.succeeded.emit(result)


class ExportDialog(QDialog):
    """``ExportDialog(bridge, db_path, actor=..., role=..., lang=..., mbtiles=...)``.

    ``actor``/``role``: the signed-in staff member; revealing reporters' personal data is
    offered only to a supervisor or admin. The PDF's map is drawn from the exported
    reports and region (console/export/map_image.py); ``mbtiles`` is the base map file to
    draw them on (None: no base map). Emits ``exported`` with the :class:`ExportResult`
    after a successful export."""

    exported = Signal(object)

    def __init__(
        self,
        bridge,
        db_path: Path | str,
        *,
        actor: str | None = None,
        role: str | None = None,
        lang: str = "id",
        mbtiles: Path | str | None = None,
        default_dir: Path | str | None = None,
        tz: str = "Asia/Jakarta",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle(self.tr("Ekspor laporan shift"))
        self._bridge = bridge
        self._db_path = Path(db_path)
        self._actor = actor
        self._role = role
        self._mbtiles = mbtiles
        self._tz = tz
        self._qtz = QTimeZone(tz.encode())
        self._thread: QThread | None = None
        self._worker: _ExportWorker | None = None
        self._default_dir = Path(default_dir) if default_dir else Path.home()
        self.result: ExportResult | None = None

        self.preset = QComboBox(self)
        self.preset.setObjectName("preset")
        for key, text in (("24h", self.tr("24 jam terakhir")), ("today", self.tr("Hari ini")),
                          ("yesterday", self.tr("Kemarin")), ("7d", self.tr("7 hari terakhir")),
                          ("custom", self.tr("Pilih sendiri"))):
            self.preset.addItem(text, key)
        self.start_edit = self._datetime_edit("start")
        self.end_edit = self._datetime_edit("end")
        self.region = QComboBox(self)
        self.region.setObjectName("region")
        self.region.addItem(self.tr("Semua wilayah"), None)
        self.format = QComboBox(self)
        self.format.setObjectName("format")
        for fmt, text in (("pdf", self.tr("PDF (A4, untuk dicetak)")),
                          ("xlsx", self.tr("XLSX (Excel, satu lembar per tabel)")),
                          ("csv", self.tr("CSV (daftar laporan)"))):
            self.format.addItem(text, fmt)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem("Bahasa Indonesia", "id")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(1 if lang == "en" else 0)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        browse = QPushButton(self.tr("&Pilih…"), self)
        browse.setObjectName("browse")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.unmask = QCheckBox(self.tr("Tampilkan nama dan telepon pelapor (dicatat di linimasa)"), self)
        self.unmask.setObjectName("unmask")
        allowed = bool(actor) and role in UNMASK_ROLES
        self.unmask.setEnabled(allowed)
        if not allowed:
            self.unmask.setToolTip(self.tr("Hanya supervisor atau admin yang boleh membuka data pribadi."))
        self.open_after = QCheckBox(self.tr("Buka hasil setelah selesai"), self)
        self.open_after.setObjectName("open_after")
        self.open_after.setChecked(True)

        form = QFormLayout()
        form.addRow(self.tr("Periode"), self.preset)
        form.addRow(self.tr("Dari (WIB)"), self.start_edit)
        form.addRow(self.tr("Sampai (WIB)"), self.end_edit)
        form.addRow(self.tr("Wilayah"), self.region)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Bahasa dokumen"), self.language)
        form.addRow(self.tr("Simpan ke"), path_row)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote paths
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("&Ekspor"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export")
        self.cancel_button = self.buttons.addButton(self.tr("&Batal"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._cancel_or_close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.unmask)
        layout.addWidget(self.open_after)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.preset.currentIndexChanged.connect(self._apply_preset)
        self.format.currentIndexChanged.connect(self._suggest_path)
        self.region.currentIndexChanged.connect(self._suggest_path)
        self.start_edit.dateTimeChanged.connect(self._manual_change)
        self.end_edit.dateTimeChanged.connect(self._manual_change)
        self._applying = False
        self._apply_preset()
        if bridge is not None:
            bridge.submit(region_choices, channel="export-regions", on_result=self._fill_regions)

    # ------------------------------------------------------------------------------ inputs

    def _datetime_edit(self, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setObjectName(name)
        edit.setTimeZone(self._qtz)
        edit.setDisplayFormat("dd-MM-yyyy HH:mm")
        edit.setCalendarPopup(True)
        return edit

    def _to_q(self, dt: datetime) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(int(dt.timestamp()), self._qtz)

    def _from_q(self, q: QDateTime) -> datetime:
        return datetime.fromtimestamp(q.toSecsSinceEpoch(), UTC)

    def window(self) -> tuple[datetime, datetime]:
        """The chosen window as aware UTC datetimes."""
        return self._from_q(self.start_edit.dateTime()), self._from_q(self.end_edit.dateTime())

    def set_window(self, start: datetime, end: datetime) -> None:
        self._applying = True
        try:
            self.start_edit.setDateTime(self._to_q(start))
            self.end_edit.setDateTime(self._to_q(end))
        finally:
            self._applying = False
        self._suggest_path()

    @Slot()
    def _apply_preset(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        now = datetime.now(ZoneInfo(self._tz))
        hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        start, end = {
            "24h": (hour - timedelta(hours=24), hour),
            "today": (midnight, midnight + timedelta(days=1)),
            "yesterday": (midnight - timedelta(days=1), midnight),
            "7d": (midnight - timedelta(days=6), midnight + timedelta(days=1)),
        }[key]
        self.set_window(start, end)

    @Slot()
    def _manual_change(self) -> None:
        if not self._applying:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.preset.blockSignals(False)
            self._suggest_path()

    def _fill_regions(self, rows: list[tuple[str, str, str]]) -> None:
        indent = {"kota": "", "kecamatan": "    ", "kelurahan": "        "}
        for code, name, level in rows:
            self.region.addItem(f"{indent.get(level, '')}{name} ({code})", code)

    @Slot()
    def _suggest_path(self) -> None:
        start, _ = self.window()
        local = start.astimezone(ZoneInfo(self._tz))
        region = self.region.currentData() or "semua"
        name = f"laporan-shift-{region}-{local:%Y%m%d-%H%M}.{self.format.currentData()}"
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else self._default_dir
        self.path_edit.setText(str(folder / name))

    @Slot()
    def _browse(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Simpan laporan shift"),
                                              self.path_edit.text(), f"{fmt.upper()} (*.{fmt})")
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.path_edit.setText(path)

    def request(self) -> ExportRequest:
        start, end = self.window()
        return ExportRequest(
            start=start, end=end, fmt=self.format.currentData(),
            out=Path(self.path_edit.text().strip()), region=self.region.currentData(),
            lang=self.language.currentData(), unmask=self.unmask.isChecked(),
            actor=self._actor, mbtiles=self._mbtiles, tz=self._tz,
        )

    # ----------------------------------------------------------------------------- export

    def is_running(self) -> bool:
        return self._thread is not None

    @Slot()
    def start_export(self) -> None:
        if self._thread is not None:
            return
        if not self.path_edit.text().strip():
            self.status.setText(self.tr("Pilih tempat menyimpan berkas."))
            return
        request = self.request()
        self.result = None
        self.progress.setValue(0)
        self.status.setText(self.tr("Mengekspor…"))
        self._set_inputs_enabled(False)
        self.cancel_button.setText(self.tr("&Batalkan ekspor"))
        thread = QThread(self)
        thread.setObjectName("posko-export")
        worker = _ExportWorker(self._db_path, request)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        worker.succeeded.connect(self._on_success, Qt.ConnectionType.QueuedConnection)
        worker.failed.connect(self._on_failure, Qt.ConnectionType.QueuedConnection)
        # Direct: quit() is thread-safe, and the thread must end when the work does, not
        # when the GUI gets round to a queued call — done() waits for it, and a dialog
        # closed (Esc) right after an export must never be destroyed with its thread
        # still running (Qt aborts the whole console then).
        worker.succeeded.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        thread.start()

    def _stage_text(self, stage: str) -> str:
        return {"read": self.tr("Membaca data…"), "render": self.tr("Menyusun dokumen…"),
                "save": self.tr("Menyimpan…"), "done": self.tr("Selesai.")}.get(stage, "")

    @Slot(int, str)
    def _on_progress(self, percent: int, stage: str) -> None:
        self.progress.setValue(percent)
        text = self._stage_text(stage)
        if text:
            self.status.setText(text)

    @Slot(object)
    def _on_success(self, result: ExportResult) -> None:
        self.result = result
        self.progress.setValue(100)
        self.status.setText(self.tr("Tersimpan: {path}").format(path=str(result.path)))
        self.exported.emit(result)
        if self.open_after.isChecked():
            self.open_file(result.path)

    @Slot(str)
    def _on_failure(self, message: str) -> None:
        self.progress.setValue(0)
        self.status.setText(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None
        self._set_inputs_enabled(True)
        self.cancel_button.setText(self.tr("&Tutup"))

    def open_file(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.preset, self.start_edit, self.end_edit, self.region, self.format,
                       self.language, self.path_edit, self.export_button):
            widget.setEnabled(enabled)
        self.unmask.setEnabled(enabled and bool(self._actor) and self._role in UNMASK_ROLES)

    @Slot()
    def _cancel_or_close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self.status.setText(self.tr("Membatalkan…"))
        else:
            self.reject()

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the running export ends (tests, closing the window)."""
        if self._thread is None:
            return True
        return self._thread.wait(ms)

    def done(self, code: int) -> None:  # noqa: D401 - QDialog API
        if self._worker is not None:  # closing mid-export: cancel and let it clean up
            self._worker.cancel()
            self.wait()
        super().done(code)
