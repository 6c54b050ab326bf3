"""The 24-hour sparkline of a sensor report's gauge in the Detail panel (issue 15).

Shown only while the current report's channel is ``sensor`` and its gauge is known here
(the sync's sensor step links reports to gauges); hidden otherwise. Its data come from
the local ``sensor_point`` table through the database worker, and are read again when
the sync announces sensor changes (``OpChanges.kind == "sensors"``), so the line grows
while the operator watches. Painted with QPainter: the level as a line, the warn and
danger marks as dashed lines, the latest reading as a dot.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.operations.base import OpChanges
from console.store import sensors as store
from console.views import sensor_texts
from console.views.plain import plain_tip

__all__ = ["SensorSparkline"]

DAY_MS = 24 * 3600 * 1000


class SensorSparkline(QWidget):
    def __init__(self, bridge, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("detail_sensor_sparkline")
        self._bridge = bridge
        self.report_id: str | None = None
        #: The gauge drawn (console.store.sensors.SensorSeries), None when none.
        self.series: store.SensorSeries | None = None
        self.caption = ""
        self.setMinimumHeight(84)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.hide()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(320, 96)

    # ------------------------------------------------------------------------- data

    def show_report(self, detail: dict | None) -> None:
        """The Detail panel shows ``detail`` (None: nothing)."""
        rid = detail["id"] if detail and detail.get("channel") == "sensor" else None
        if rid != self.report_id:
            self.series = None
            self.hide()
        self.report_id = rid
        if rid is not None:
            self.reload()

    def apply_changes(self, changes: OpChanges) -> None:
        if self.report_id is not None and changes.kind == "sensors":
            self.reload()

    def reload(self) -> None:
        if self._bridge is None or self.report_id is None:
            return
        rid = self.report_id
        self._bridge.submit(store.series_for_report, rid, channel="detail-sparkline",
                            on_result=lambda s: self._got(rid, s))

    def _got(self, report_id: str, series: store.SensorSeries | None) -> None:
        if report_id != self.report_id:
            return  # another report was opened meanwhile
        self.series = series
        if series is None:  # the gauge is not known here yet: the sync links it soon
            self.hide()
            return
        self.caption = self.tr("Sensor {id} · 24 jam terakhir · kini {value} ({state})").format(
            id=series.id, value=sensor_texts.amount(series.value, series.unit),
            state=sensor_texts.state_label(series.state))
        limits = sensor_texts.limits(series)
        # A sensor id is text from the server: shown literally, never as rich text
        self.setToolTip(plain_tip(f"{self.caption}\n{limits}"))
        self.setAccessibleName(self.tr("Grafik 24 jam sensor"))
        self.setAccessibleDescription(f"{self.caption}. {limits}")
        self.show()
        self.update()

    # ---------------------------------------------------------------------- painting

    def paintEvent(self, _event) -> None:  # noqa: N802, ANN001 - Qt name
        s = self.series
        if s is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.setPen(pal.color(pal.ColorRole.WindowText))
        fm = p.fontMetrics()
        p.drawText(QRectF(0, 0, self.width(), fm.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextSingleLine,
                   fm.elidedText(self.caption, Qt.TextElideMode.ElideRight, self.width()))
        area = QRectF(4, fm.height() + 4, self.width() - 8, self.height() - fm.height() - 8)
        p.fillRect(area, pal.color(pal.ColorRole.Base))
        end = max(int(time.time() * 1000), s.points[-1][0] if s.points else 0)
        start = end - DAY_MS
        pts = [(t, v) for t, v in s.points if t >= start]
        values = [v for _t, v in pts] + [s.warn, s.danger]
        lo, hi = min(values + [0.0]), max(values)
        hi = hi + (hi - lo) * 0.08 or 1.0

        def y(v: float) -> float:
            return area.bottom() - (v - lo) / (hi - lo) * area.height()

        def x(t: int) -> float:
            return area.left() + (t - start) / DAY_MS * area.width()

        for level, state in ((s.warn, "warn"), (s.danger, "danger")):
            pen = QPen(QColor(sensor_texts.STATE_COLORS[state]), 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(area.left(), y(level)), QPointF(area.right(), y(level)))
        if pts:
            path = QPainterPath(QPointF(x(pts[0][0]), y(pts[0][1])))
            for t, v in pts[1:]:
                path.lineTo(QPointF(x(t), y(v)))
            p.setPen(QPen(pal.color(pal.ColorRole.Highlight), 1.6))
            p.drawPath(path)
            t, v = pts[-1]
            colour = QColor(sensor_texts.STATE_COLORS.get(s.state, "#757575"))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(QPointF(x(t), y(v)), 3.5, 3.5)
        p.end()
