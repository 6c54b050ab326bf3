"""The map's sensor layer (issue 15): every gauge the sync knows, as a marker coloured by
its state with its current level in the tooltip.

Owned by a :class:`MapPanel` (made in ``start``); it reads the local ``sensor`` table on
the database worker when the page is ready and whenever the sync announces sensor
changes on the window's op bus (``OpChanges.kind == "sensors"``), and hands the page plain
data: the tooltip lines are composed and translated here and the page inserts them as
text (console/map/static/posko-sensors.js), so markup in a sensor id or unit is shown,
never run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from console.map.page import script_json
from console.operations.base import OpChanges
from console.store import sensors as store
from console.views import sensor_texts

if TYPE_CHECKING:
    from console.views.map_panel import MapPanel

__all__ = ["SensorLayer"]


class SensorLayer(QObject):
    def __init__(self, panel: MapPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        #: The gauges last handed to the page (for tests and the bench).
        self.shown: list[dict] = []
        panel.ready.connect(self.refresh)
        bus = getattr(panel.window(), "bus", None)
        if bus is not None:
            bus.changed.connect(self._on_changes)

    def _on_changes(self, changes: OpChanges) -> None:
        if changes.kind == "sensors":
            self.refresh()

    def refresh(self) -> None:
        bridge = self.panel._bridge  # noqa: SLF001 - the panel's database worker
        if bridge is None:
            return
        bridge.submit(store.map_sensors, channel="map-sensors", on_result=self._paint)

    def _paint(self, rows: list[dict]) -> None:
        self.shown = rows
        payload = [{"id": s["id"], "lat": s["lat"], "lon": s["lon"], "state": s["state"],
                    "color": sensor_texts.STATE_COLORS.get(s["state"], "#757575"),
                    "label": sensor_texts.amount(s["value"], s["unit"]),
                    "report": s["report"],
                    "lines": sensor_texts.tooltip_lines(s)} for s in rows]
        self.panel._js(f"PoskoMap.setSensors({script_json(payload)})")  # noqa: SLF001
