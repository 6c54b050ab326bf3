"""The Detail panel's 24-hour sparkline of a sensor report's gauge (issue 15): shown for
sensor reports whose gauge is known, hidden for any other, refreshed on a "sensors"
broadcast, painted without a crash whatever the points."""

from __future__ import annotations

import time

from console.operations.base import OpChanges
from console.store import sensors as store
from console.views.sensor_sparkline import SensorSparkline

RID = "11111111-2222-4333-8444-555555555555"


def _gauge(conn, points: list[tuple[int, float]], state: str = "danger") -> None:
    store.replace_list(conn, [{
        "id": "PA-<b>1</b>", "kind": "water_level", "lat": -6.9, "lon": 107.6, "unit": "cm",
        "warn": 100.0, "danger": 150.0, "value": points[-1][1] if points else None,
        "state": state, "at_ms": points[-1][0] if points else None, "report_id": RID,
        "offline_report_id": None}])
    now = int(time.time() * 1000)
    store.store_series(conn, "PA-<b>1</b>", 0, points, now, now)


def test_shown_for_a_sensor_report_and_follows_new_points(qtbot, bridge, conn):
    now = int(time.time() * 1000) // 300_000 * 300_000
    _gauge(conn, [(now - k * 300_000, 90.0 + k) for k in range(12, 0, -1)])
    w = SensorSparkline(bridge)
    qtbot.addWidget(w)
    w.resize(320, 96)
    w.show_report({"id": RID, "channel": "sensor"})
    qtbot.waitUntil(lambda: w.series is not None, timeout=5000)
    assert w.isVisibleTo(w.parentWidget() or w) or not w.isHidden()
    assert len(w.series.points) == 12 and (w.series.warn, w.series.danger) == (100.0, 150.0)
    assert "Sensor PA-<b>1</b> · 24 jam terakhir · kini 91 cm (Bahaya)" == w.caption
    assert "PA-&lt;b&gt;1&lt;/b&gt;" in w.toolTip()  # markup in an id is shown, not rendered
    w.grab()  # paints
    # more points arrive with a sync: a "sensors" broadcast reloads them
    _gauge(conn, [(now - k * 300_000, 90.0 + k) for k in range(12, -1, -1)])
    w.apply_changes(OpChanges(kind="sensors", source="sync"))
    qtbot.waitUntil(lambda: len(w.series.points) == 13, timeout=5000)
    w.grab()
    # another kind of report: hidden
    w.show_report({"id": "other", "channel": "phone"})
    assert w.isHidden() and w.series is None


def test_hidden_while_the_gauge_is_unknown_and_empty_series_paint(qtbot, bridge, conn):
    w = SensorSparkline(bridge)
    qtbot.addWidget(w)
    w.show_report({"id": RID, "channel": "sensor"})
    qtbot.wait(200)
    assert w.isHidden() and w.series is None
    _gauge(conn, [], state="normal")
    w.apply_changes(OpChanges(kind="sensors", source="sync"))
    qtbot.waitUntil(lambda: w.series is not None, timeout=5000)
    assert not w.isHidden() and w.series.points == []
    w.grab()


def test_sensor_words_in_english_on_request(qapp):
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QTranslator

    from console.views import sensor_texts

    # This checkout's file (console.views.app's TRANSLATIONS_DIR is the installed package's)
    translations = Path(__file__).resolve().parents[2] / "resources" / "translations"

    gauge = {"id": "PA-1", "kind": "water_level", "unit": "cm", "warn": 100.0,
             "danger": 150.0, "value": 160.0, "state": "danger", "at_ms": None}
    assert sensor_texts.tooltip_lines(gauge)[1] == "Tinggi muka air: 160 cm · Bahaya"
    t = QTranslator()
    assert t.load("posko_en", str(translations))
    QCoreApplication.installTranslator(t)
    try:
        assert sensor_texts.tooltip_lines(gauge) == [
            "Sensor PA-1", "Water level: 160 cm · Danger",
            "Warning level 100 cm · danger 150 cm", "Last reading: no reading yet"]
    finally:
        QCoreApplication.removeTranslator(t)
