"""The shift report's charts as reportlab drawings (vector, no image libraries)."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from console.export.i18n import Words

BLUE = colors.HexColor("#1F3A5F")
GREEN = colors.HexColor("#2E7D32")
RED = colors.HexColor("#C62828")
GREY = colors.HexColor("#9E9E9E")


def _title(d: Drawing, text: str, font: str) -> None:
    d.add(String(0, d.height - 11, text, fontName=font, fontSize=9, fillColor=colors.black))


def _nice_max(n: int) -> int:
    if n <= 5:
        return 5
    step = 10 ** (len(str(n)) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if n <= m * step:
            return int(m * step)
    return n


def _horizontal_bars(d: Drawing, font: str, label_room: float, bottom: float,
                     top: float) -> HorizontalBarChart:
    """A horizontal bar chart across ``d``, category names right-aligned in the
    ``label_room`` on its left, ``bottom`` and ``top`` points kept free (title, legend)."""
    chart = HorizontalBarChart()
    chart.x, chart.y = label_room, bottom
    chart.width, chart.height = d.width - label_room - 12, d.height - bottom - top
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    return chart


def volume_chart(w: Words, points: list[tuple[datetime, int]], bucket: str, width: float,
                 font: str, bold: str) -> Drawing:
    d = Drawing(width, 150)
    _title(d, w("chart.hourly" if bucket == "hour" else "chart.daily"), bold)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 32, 22, width - 40, 105
    chart.data = [[n for _, n in points] or [0]]
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 1 if len(points) > 30 else 3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max((n for _, n in points), default=0))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    every = max(1, -(-len(points) // 24))
    labels = []
    for i, (at, _) in enumerate(points):
        local = w.local(at)
        text = f"{local:%H}" if bucket == "hour" else f"{local.day}/{local.month}"
        labels.append(text if i % every == 0 else "")
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.dy = -2
    d.add(chart)
    return d


def category_chart(w: Words, items: list[tuple[str, int]], width: float, font: str,
                   bold: str) -> Drawing:
    rows = max(len(items), 1)
    height = 34 + rows * 14
    d = Drawing(width, height)
    _title(d, w("chart.categories"), bold)
    chart = _horizontal_bars(d, font, min(125, width * 0.45), 8, 22)
    # Largest on top: the chart draws the first category at the bottom.
    chart.data = [[n for _, n in reversed(items)] or [0]]
    chart.categoryAxis.categoryNames = [_short(name, 28) for name, _ in reversed(items)] or [""]
    chart.valueAxis.valueMax = _nice_max(max((n for _, n in items), default=0))
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    d.add(chart)
    return d


def sla_chart(w: Words, stages: list[tuple[str, int, int, int]], width: float, font: str,
              bold: str) -> Drawing:
    height = 150
    d = Drawing(width, height)
    _title(d, w("chart.sla"), bold)
    chart = _horizontal_bars(d, font, min(110, width * 0.42), 34, 24)
    rows = list(reversed(stages))
    chart.data = [[r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [_short(r[0], 26) for r in rows]
    chart.valueAxis.valueMax = _nice_max(max((r[1] + r[2] + r[3] for r in rows), default=0))
    for i, colour in enumerate((GREEN, RED, GREY)):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = 20, 12
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.dxTextSpace = 4
    legend.deltax = (width - 30) / 3
    legend.autoXPadding = 4
    legend.boxAnchor = "w"
    legend.colorNamePairs = [(GREEN, w("chart.met")), (RED, w("chart.late")),
                             (GREY, w("chart.running"))]
    d.add(legend)
    return d


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
