"""Issue 15, the console's side of city sensors, end to end: a gauge registered on the real
central server (127.0.0.1) crosses its danger level — its readings published to the real
Mosquitto (a private instance when installed, else 127.0.0.1:1883) and ingested by the server's MQTT client — and a logged-in,
idle main window with the real offline map (QtWebEngine, offscreen) gets the report by
its watch lane, the gauge and its series by the sync's sensor step; the operator selects
the report with the keyboard, the Detail panel shows the 24-hour sparkline, and the map's
sensor layer holds the gauge in state danger."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt

from tests.e2e.helpers import KEL  # noqa: E402
from tests.server.sensorkit import Publisher, iso_ms, quiet_broker, sensor_id  # noqa: E402

MIN = 60_000


def _readings(sid: str, now: int) -> list[tuple[str, bytes]]:
    """An hour of calm water, one reading a minute, then the crossing (the last one)."""
    out = [(sid, 60.0 + (m % 7)) for m in range(60, 0, -1)]
    stamps = [now - m * MIN for m in range(60, 0, -1)]
    out.append((sid, 172.0))
    stamps.append(now)
    return [(f"posko/sensors/{s}/reading", json.dumps({"value": v, "at": iso_ms(t)}).encode())
            for (s, v), t in zip(out, stamps, strict=True)]


@pytest.fixture
def broker():
    with quiet_broker() as port:
        yield port  # None: no broker at all (the readings then enter at the MQTT callback)


def test_a_crossing_reaches_the_detail_sparkline_and_the_map(running_qloop, live, mapdesk,
                                                            broker, qtbot):
    from console.sync.testing.live import PASSWORD
    from console.views.sync_status import SyncController
    from server.sensors import registry

    desk, page = mapdesk, mapdesk.page
    w = desk.window
    sid = sensor_id("E2E")
    registry.add_sensor(live.ctx.db, sid, kind="water_level", lat=-6.9105, lon=107.5990,
                        warn=100, danger=150, interval_s=60, region=KEL)
    live.add_user("op.sensor", regions=[KEL])
    # An idle console: the idle cycle only every 10 minutes, so what arrives comes by the
    # watch lane and the sensor step it runs.
    here = SyncController(desk.bridge, w, idle_interval=600)
    w.attach_sync(here)
    service = None
    pub = None
    try:
        with qtbot.waitSignal(here.loginFinished, timeout=15_000) as done:
            here.login(live.url, "op.sensor", PASSWORD)
        assert done.args[0] is True, done.args
        qtbot.waitUntil(lambda: here.service.last_report is not None
                        and here.service.last_report.complete, timeout=30_000)
        cycles = here.service.cycles
        readings = _readings(sid, int(time.time() * 1000))
        if broker is not None:
            from server.sensors.mqtt import MqttSettings
            from server.sensors.service import SensorService

            service = SensorService(live.ctx.db, live.ctx.ref,
                                    MqttSettings(f"mqtt://127.0.0.1:{broker}"))
            service.start()
            qtbot.waitUntil(lambda: service.client.subscribed, timeout=10_000)
            pub = Publisher(broker)
            for topic, payload in readings:
                pub.raw(topic, payload)
        else:  # no broker: the same messages through the server's MQTT callback
            from server.sensors.ingest import Ingest

            ingest = Ingest(live.ctx.db, live.ctx.ref)
            for topic, payload in readings:
                ingest.submit(topic, payload)
            ingest.start()
            service = ingest
        qtbot.waitUntil(lambda: desk.scalar(
            "SELECT count(*) FROM report WHERE channel = 'sensor' AND title LIKE ?",
            f"%{sid}%") == 1, timeout=30_000)
        rid = desk.scalar("SELECT id FROM report WHERE channel = 'sensor' AND title LIKE ?",
                          f"%{sid}%")
        assert desk.scalar("SELECT priority FROM report WHERE id = ?", rid) == 1
        # The sensor step (run by the watch) links the report to its gauge, with a series.
        qtbot.waitUntil(lambda: desk.scalar(
            "SELECT count(*) FROM sensor_point WHERE sensor_id = ?", sid) >= 12,
            timeout=30_000)

        # The operator picks the report with the keys: Ctrl+Home, then down the queue.
        table, model = w.queue.table, w.queue.model
        qtbot.waitUntil(lambda: model.row_by_id(rid) is not None, timeout=10_000)
        desk.activate()
        desk.key(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)  # the first row
        for _ in range(model.rowCount()):
            row = model.row_at(table.currentIndex().row())
            qtbot.waitUntil(lambda row=row: desk.current_id() == row.id, timeout=10_000)
            if row.id == rid:
                break
            desk.key(Qt.Key.Key_Down)
        assert desk.current_id() == rid
        spark = w.detail.sparkline
        qtbot.waitUntil(lambda: spark.series is not None and spark.isVisible(), timeout=10_000)
        assert spark.series.id == sid and (spark.series.warn, spark.series.danger) == (100, 150)
        assert spark.series.state == "danger" and spark.series.value == 172.0
        values = [v for _t, v in spark.series.points]
        assert max(values) == 172.0 and min(values) >= 60.0 and len(values) >= 12
        assert f"Sensor {sid} · 24 jam terakhir · kini 172 cm (Bahaya)" == spark.caption

        # The map's sensor layer holds the gauge, in danger, with its level.
        def on_map():
            assert page("PoskoMap.sensorStats().states") == {sid: "danger"}

        qtbot.waitUntil(on_map, timeout=15_000)
        tip = page(f"PoskoMap.sensorTooltip({json.dumps(sid)})")
        assert "172 cm · Bahaya" in tip["text"]
        # No F5 and no idle cycle: the watch lane did it all.
        assert here.service.cycles == cycles
    finally:
        import asyncio

        if pub is not None:
            pub.close()
        if service is not None:
            service.stop()
        stopped = asyncio.ensure_future(here.shutdown(), loop=running_qloop)
        qtbot.waitUntil(stopped.done, timeout=15_000)
        if here.service is not None:
            here.service._pool.shutdown(wait=True)
        w.sync = None
