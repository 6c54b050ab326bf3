"""The map dock's dialogs: choosing the MBTiles base map, the online tile source and
importing kelurahan boundaries from GeoJSON.

``MapDialogs`` is a part of :class:`console.views.map_panel.MapPanel` (a mixin: it runs on
the panel); its words are the panel's ("MapPanel" context)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
)

from console.map.boundaries import BoundaryFileError, BoundaryImport, import_boundaries
from console.map.tiles import OnlineSource
from console.views import messages

# Importing map_scheme registers posko:// with QtWebEngine, which must happen before the
# QApplication exists; main_window imports this module at start-up, so it does.

log = logging.getLogger('console.views.map_panel')
class _OnlineSourceDialog(QDialog):
    def __init__(self, parent, url: str, attribution: str, enabled: bool) -> None:
        super().__init__(parent)
        self.setObjectName("map_online_dialog")
        self.setWindowTitle(self.tr("Sumber peta daring"))
        self.url = QLineEdit(url, self)
        self.url.setPlaceholderText("https://tiles.example.go.id/{z}/{x}/{y}.png")
        self.attribution = QLineEdit(attribution, self)
        self.enabled = QCheckBox(self.tr("Ambil ubin dari sumber daring bila ada jaringan"), self)
        self.enabled.setChecked(enabled)
        note = QLabel(
            self.tr(
                "Ubin yang diambil disimpan di komputer ini dan tetap tampil saat luring. "
                "Posko meminta paling banyak 4 ubin per detik. Pakai hanya sumber yang "
                "mengizinkan penggunaan ini, dan isi atribusinya."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Alamat ubin"), self.url)
        form.addRow(self.tr("Atribusi"), self.attribution)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.enabled)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def _accept(self) -> None:
        url = self.url.text().strip()
        if url:
            try:
                OnlineSource(url, self.attribution.text().strip())
            except ValueError:
                self.error.setText(
                    self.tr("Alamat ubin tidak sah: harus diawali http:// atau https:// dan "
                            "memuat {z}, {x} dan {y}.")
                )  # fmt: skip
                return
        self.accept()

# How long a finished boundary import's note stays when it has nothing to act on.
NOTE_MS = 15_000


class MapDialogs:
    def _choose_mbtiles(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MapPanel", "Buka berkas MBTiles"), "",
            QCoreApplication.translate("MapPanel", "MBTiles (*.mbtiles);;Semua berkas (*)"),
        )  # fmt: skip
        if path:
            self.set_mbtiles(path)

    def _edit_online_source(self) -> None:
        dialog = _OnlineSourceDialog(
            self, str(self._setting("online_url") or ""),
            str(self._setting("online_attribution") or ""),
            bool(self._setting("online_enabled")),
        )  # fmt: skip
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_online_source(
                dialog.url.text().strip() or None, dialog.attribution.text().strip(),
                dialog.enabled.isChecked(),
            )  # fmt: skip

    def _choose_geojson(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MapPanel", "Impor batas wilayah"), "",
            QCoreApplication.translate("MapPanel", "GeoJSON (*.geojson *.json);;Semua berkas (*)"),
        )  # fmt: skip
        if path:
            self.import_boundaries_file(path, show_dialog=True)

    def import_boundaries_file(self, path: Path | str, *, show_dialog: bool = False,
                               on_done=None) -> None:  # fmt: skip
        """Import region boundaries from a GeoJSON file (on the database worker). The
        summary appears above the map (and in a dialog if ``show_dialog``); ``on_done``
        gets the BoundaryImport, or the exception."""
        path = Path(path)

        def job(conn):
            return import_boundaries(conn, path.read_bytes())

        def ok(result: BoundaryImport) -> None:
            text, detail = self._import_summary(result)
            self._note("import", text)
            if not result.issues:  # nothing to act on: let the note go after a while
                QTimer.singleShot(NOTE_MS, self, lambda: self._notes.get("import") == text
                                  and self._note("import", ""))  # fmt: skip
            if show_dialog:
                box = QMessageBox(
                    QMessageBox.Icon.Information if not result.issues else QMessageBox.Icon.Warning,
                    QCoreApplication.translate("MapPanel", "Impor batas wilayah"), text, parent=self,
                )  # fmt: skip
                if detail:
                    box.setDetailedText(detail)
                box.open()
            self._request_regions()
            if on_done:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BoundaryFileError):
                reason = {
                    "not_json": QCoreApplication.translate("MapPanel", "berkas bukan JSON yang sah."),
                    "not_geojson": QCoreApplication.translate("MapPanel", "berkas bukan GeoJSON FeatureCollection."),
                    "too_large": QCoreApplication.translate("MapPanel", "berkas terlalu besar."),
                }.get(exc.kind, messages.error_text(exc))
            elif isinstance(exc, OSError):
                reason = QCoreApplication.translate("MapPanel", "berkas tidak dapat dibaca ({error}).").format(
                    error=exc.strerror or exc
                )
            else:
                reason = messages.error_text(exc)
            text = QCoreApplication.translate("MapPanel", "Batas wilayah tidak diimpor: {reason}").format(reason=reason)
            self._note("import", text)
            if show_dialog:
                QMessageBox.warning(self, QCoreApplication.translate("MapPanel", "Impor batas wilayah"), text)
            if on_done:
                on_done(exc)

        self._bridge.submit(job, on_result=ok, on_error=failed)

    def _save_snapshot(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("MapPanel", "Simpan gambar peta"), "peta.png", QCoreApplication.translate("MapPanel", "Gambar PNG (*.png)")
        )
        if not path:
            return
        try:
            Path(path).write_bytes(self.snapshot_png())
        except OSError as exc:
            QMessageBox.warning(
                self, QCoreApplication.translate("MapPanel", "Simpan gambar peta"),
                QCoreApplication.translate("MapPanel", "Gambar peta tidak dapat disimpan: {error}").format(error=exc.strerror or exc),
            )  # fmt: skip
