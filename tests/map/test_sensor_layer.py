"""The map's sensor layer (issue 15) in QtWebEngine (offscreen): a marker per gauge,
coloured by state, the current level in its tooltip in Indonesian, and markup in a
sensor id or unit shown as text, never run."""

from __future__ import annotations

import json

from map_helpers import BANDUNG, HOSTILE_IMG, HOSTILE_SCRIPT

from console.store import sensors as store
from console.views.sensor_texts import STATE_COLORS


def _gauge(sid: str, state: str, value, unit: str = "cm", dlat: float = 0.0) -> dict:
    return {"id": sid, "kind": "water_level", "lat": BANDUNG[0] + dlat, "lon": BANDUNG[1],
            "unit": unit, "warn": 100.0, "danger": 150.0, "value": value, "state": state,
            "at_ms": 1_765_000_000_000 if value is not None else None, "report_id": None,
            "offline_report_id": None}


def test_gauges_are_drawn_by_state_with_their_level_and_escaped(make_panel, js, conn, qtbot):
    store.replace_list(conn, [
        _gauge("PINTU-AIR-1", "danger", 160.0),
        _gauge("PINTU-AIR-2", "normal", 42.5, dlat=0.01),
        _gauge(HOSTILE_IMG, "warn", 120.0, unit=HOSTILE_SCRIPT[:16], dlat=0.02),
        _gauge("BISU", "offline", None, dlat=0.03),
    ])
    panel = make_panel()
    page = js(panel)
    qtbot.waitUntil(lambda: page("PoskoMap.sensorStats().count") == 4, timeout=10_000)
    assert page("PoskoMap.sensorStats().states") == {
        "PINTU-AIR-1": "danger", "PINTU-AIR-2": "normal", HOSTILE_IMG: "warn", "BISU": "offline"}
    danger = page("PoskoMap.sensorTooltip('PINTU-AIR-1')")
    assert danger["color"] == STATE_COLORS["danger"]
    assert "Sensor PINTU-AIR-1" in danger["text"]
    assert "Tinggi muka air: 160 cm · Bahaya" in danger["text"]
    assert "Batas waspada 100 cm · bahaya 150 cm" in danger["text"]
    silent = page("PoskoMap.sensorTooltip('BISU')")
    assert "— · Tidak mengirim data" in silent["text"] and "belum ada pembacaan" in silent["text"]
    hostile = page(f"PoskoMap.sensorTooltip({json.dumps(HOSTILE_IMG)})")
    assert HOSTILE_IMG in hostile["text"] and HOSTILE_SCRIPT[:16] in hostile["text"]
    assert "<img" not in hostile["html"] and "<script" not in hostile["html"]
    # Open the hostile tooltip for real: still text, nothing ran.
    page.run(f"PoskoMap.setView({BANDUNG[0] + 0.02}, {BANDUNG[1]}, 15)")
    # A gauge is drawn as a badge with its level, not as a report's dot.
    assert danger["label"] == "■160 cm"
    assert HOSTILE_SCRIPT[:16] in hostile["label"]
    assert page("document.querySelectorAll('.leaflet-pkSensors-pane .pk-gauge-icon')"
                ".length") == 4
    page.run("document.querySelectorAll('.leaflet-pkSensors-pane .pk-gauge-icon').forEach("
             "p => p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))")
    assert page("document.querySelectorAll('.pk-sensor-tip img, .pk-sensor-tip script,"
                " .pk-gauge img, .pk-gauge script').length") == 0
    assert page("window.__pwned === undefined") is True


def test_the_layer_follows_the_table(make_panel, js, conn, qtbot):
    panel = make_panel()
    page = js(panel)
    assert page("PoskoMap.sensorStats().count") == 0
    store.replace_list(conn, [_gauge("PA-1", "warn", 120.0)])
    panel.sensors.refresh()  # what a "sensors" broadcast on the window's bus does
    qtbot.waitUntil(lambda: page("PoskoMap.sensorStats().states") == {"PA-1": "warn"},
                    timeout=10_000)
    store.replace_list(conn, [_gauge("PA-1", "danger", 170.0)])
    panel.sensors.refresh()
    qtbot.waitUntil(lambda: page("PoskoMap.sensorStats().states") == {"PA-1": "danger"},
                    timeout=10_000)
    assert "170 cm" in page("PoskoMap.sensorTooltip('PA-1')")["text"]


def test_a_click_on_a_gauge_opens_its_danger_report(make_panel, js, conn, qtbot):
    rid = "0190c3a0-0000-7000-8000-00000000a001"
    conn.execute("INSERT INTO report (id, ticket, channel, category_code, priority, status, "
                 "title, description, lat, lon, created_at, updated_at, revision, created_by) "
                 "VALUES (?, 'BDG-261207-SENS1', 'sensor', 'banjir', 1, 'new', 'Air di atas "
                 "batas bahaya', '', ?, ?, '2026-12-07 10:00:00.000000', "
                 "'2026-12-07 10:00:00.000000', 1, 'system:sensors')",
                 (rid, BANDUNG[0], BANDUNG[1]))
    conn.commit()
    gauge = {**_gauge("PA-9", "danger", 210.0), "report_id": rid}
    store.replace_list(conn, [gauge, _gauge("PA-10", "normal", 40.0, dlat=0.01)])
    conn.commit()
    panel = make_panel()
    page = js(panel)
    panel.sensors.refresh()
    qtbot.waitUntil(lambda: page("PoskoMap.sensorStats().count") == 2, timeout=10_000)
    opened: list[str] = []
    panel.reportClicked.connect(opened.append)
    page.run(f"PoskoMap.setView({BANDUNG[0]}, {BANDUNG[1]}, 15)")
    page.run("document.querySelectorAll('.leaflet-pkSensors-pane .pk-gauge-icon').forEach("
             "p => p.dispatchEvent(new MouseEvent('click', {bubbles: true})))")
    qtbot.waitUntil(lambda: opened == [rid], timeout=10_000)  # the normal gauge opens nothing
