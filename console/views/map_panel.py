"""The map dock. The offline map (tiles and markers served locally) comes in a later
issue; until then the dock says so instead of showing an empty area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

__all__ = ["MapPanel"]


class MapPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("map_panel")
        self.message = QLabel(
            self.tr(
                "Peta luring belum tersedia di versi ini.\n"
                "Lokasi laporan tetap tercantum di panel Detail."
            ),
            self,
        )
        self.message.setObjectName("map_placeholder")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)

    def show_report(self, _row) -> None:
        """Centre on a report (no-op until the offline map exists)."""
