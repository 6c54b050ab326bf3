"""City sensors over MQTT (issue 15), against the real Mosquitto on 127.0.0.1:1883 and
both database backends: a crossing makes exactly one report that reaches consoles through
the change feed, whatever the redeliveries and however many ingesting processes."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select, text

from server.sensors.ingest import Ingest, now_ms
from server.sensors.models import Sensor
from server.sensors.mqtt import MqttSettings
from server.sensors.readings import Reading
from server.sensors.service import SensorService
from tests.server.helpers import KEL_A1, patch_mut, pull_all, push
from tests.server.sensorkit import (
    Proxy,
    Publisher,
    needs_broker,
    new_gauge,
    started,
    stored_readings,
    subscribed,
    wait_for,
)

MIN = 60_000


def _service(live, port: int = 1883, **kw) -> SensorService:
    return started(SensorService(live.ctx.db, live.ctx.ref,
                                 MqttSettings(f"mqtt://127.0.0.1:{port}", **kw)))


def _reports(live, sid: str) -> list[dict]:
    with live.ctx.db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(text(
            "SELECT * FROM report WHERE channel = 'sensor' AND title LIKE :p ORDER BY seq"),
            {"p": f"%{sid}%"})]


def _notes(live, report_id: str) -> list[str]:
    with live.ctx.db.read() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT body FROM note WHERE report_id = :r ORDER BY seq"), {"r": report_id})]


def _sensor(live, sid: str) -> dict:
    t = Sensor.__table__
    with live.ctx.db.read() as conn:
        return dict(conn.execute(select(t).where(t.c.id == sid)).one()._mapping)


@needs_broker
def test_crossing_makes_exactly_one_report_that_consoles_pull(live):
    sid = new_gauge(live, "PA", KEL_A1)
    operator = live.account("operator")
    # Two ingesting "processes": separate engines and MQTT clients on one database, each
    # subscribed to every reading (the default), so each sees every message.
    from server.db import Database
    from server.reference import Reference

    second_db = Database(live.settings.db_url)
    first = _service(live)
    second = SensorService(second_db, Reference(second_db, "bandung"),
                           MqttSettings("mqtt://127.0.0.1:1883"))
    second.start()
    subscribed(second.client, what="the second MQTT connection")
    pub = Publisher()
    try:
        t0 = now_ms() - 60_000
        values = [80, 120, 160, 175, 170, 180]
        for i, v in enumerate(values):
            # QoS 1 redelivers after a lost ack: every message comes three times here
            pub.reading(sid, v, t0 + i * 10_000, times=3)
        for ing in (first.ingest, second.ingest):
            def done(ing=ing) -> bool:
                c = ing.stats.snapshot()
                return c["stored"] + c["duplicate"] == 18
            wait_for(done, what="every copy of every reading in each process")
        reports = _reports(live, sid)
        assert len(reports) == 1, reports
        rep = reports[0]
        assert (rep["channel"], rep["category_code"], rep["priority"], rep["region_code"],
                rep["created_by"], rep["source"]) == (
            "sensor", "banjir", 1, KEL_A1, "system:sensors", "sensor")
        assert (rep["lat"], rep["lon"]) == (-6.91, 107.59)
        # A P1 runs on the dispatch clock, minutes from the crossing, not the 3 working
        # days of an ordinary complaint (the ingest sends no deadline: the server sets it).
        from datetime import datetime, timedelta

        from console.domain.sla import DISPATCH_112_MINUTES

        def when(v):  # noqa: ANN001, ANN202 - SQLite's raw text or PostgreSQL's datetime
            return datetime.fromisoformat(v) if isinstance(v, str) else v

        due = when(rep["sla_due_at"]) - when(rep["created_at"])
        assert timedelta(0) < due <= timedelta(minutes=DISPATCH_112_MINUTES), due
        assert stored_readings(live, sid) == len(values)  # 18 messages per process, six rows
        stored = [p.ingest.stats.snapshot()["stored"] for p in (first, second)]
        assert sum(stored) == len(values), stored
        # ...and the report reaches a console through the ordinary change feed
        tables, _ = pull_all(operator)
        pulled = [r for r in tables.get("report", []) if r["id"] == rep["id"]]
        assert len(pulled) == 1 and pulled[0]["channel"] == "sensor"
    finally:
        pub.close()
        first.stop()
        second.stop()
        second_db.dispose()


def test_recovery_reopen_and_throttled_notes(live):
    sid = new_gauge(live, "RO", KEL_A1)
    ing = Ingest(live.ctx.db, live.ctx.ref)
    t0 = now_ms() - 20 * 60 * MIN
    seq = [(0, 90), (1, 155), (2, 160), (3, 170)]            # crossing, peak rising
    seq += [(m, 160) for m in range(4, 30)]                   # 26 minutes above danger
    seq += [(31, 200), (40, 120), (50, 95)]                   # a new peak; warn; recovery
    ing.write_batch([Reading(sid, t0 + m * MIN, float(v)) for m, v in seq])
    (rep,) = _reports(live, sid)
    notes = _notes(live, rep["id"])
    # Not one per reading: a note when the peak rose, at most every 15 minutes, and one
    # at recovery (32 readings above warn, three notes).
    assert len(notes) == 3, notes
    assert "Peak 170 cm" in notes[0] and "above danger for 15 min" in notes[0]
    assert "Peak 200 cm" in notes[1]
    assert "Recovered" in notes[2] and "peak 200 cm" in notes[2]
    # The operator resolves it; the water rises again within the hold-off: same report,
    # reopened (resolved -> in_progress), a note says why.
    operator = live.account("operator")
    res = push(operator, {**patch_mut(rep["id"], rep["revision"], status="resolved"),
                          "trail": {"status": ["verified", "dispatched", "in_progress"]}})
    assert res[0]["status"] == "applied", res
    ing.write_batch([Reading(sid, t0 + 120 * MIN, 151.0)])
    (again,) = _reports(live, sid)
    assert again["status"] == "in_progress" and again["id"] == rep["id"]
    assert "Above the danger level again" in _notes(live, rep["id"])[-1]
    # Recovered, then danger after the hold-off window: a new report.
    ing.write_batch([Reading(sid, t0 + 130 * MIN, 50.0),
                     Reading(sid, t0 + (130 + 7 * 60) * MIN, 152.0)])
    assert len(_reports(live, sid)) == 2
    # A replay of everything (a restarted broker redelivering) changes nothing.
    before = [_notes(live, r["id"]) for r in _reports(live, sid)]
    ing.write_batch([Reading(sid, t0 + m * MIN, float(v)) for m, v in seq])
    assert [_notes(live, r["id"]) for r in _reports(live, sid)] == before


def test_offline_notice_once_per_outage(live):
    sid = new_gauge(live, "OF", KEL_A1, kind="air_quality", interval_s=60)
    clock = [now_ms()]
    ing = Ingest(live.ctx.db, live.ctx.ref, clock=lambda: clock[0])
    ing.write_batch([Reading(sid, clock[0] - MIN, 30.0)])
    clock[0] += 100_000
    ing.check_offline()
    assert not [r for r in _reports(live, sid)]     # silent 100 s: within 2 x 60 s
    clock[0] += 30_000
    ing.check_offline()
    ing.check_offline()                                       # once per outage
    (off,) = _reports(live, sid)
    assert off["priority"] == 3 and off["category_code"] == "polusi_udara"
    assert _sensor(live, sid)["state"] == "offline"
    ing.write_batch([Reading(sid, clock[0], 40.0)])
    assert "sending again" in _notes(live, off["id"])[-1]
    # Silent during a danger episode: a note on the danger report, no second report.
    ing.write_batch([Reading(sid, clock[0] + 1000, 160.0)])
    clock[0] += 10 * MIN
    ing.check_offline()
    reports = _reports(live, sid)
    assert len(reports) == 2 and reports[1]["priority"] == 2
    assert "silent since" in _notes(live, reports[1]["id"])[-1]


@needs_broker
def test_bad_input_is_counted_and_dropped(live):
    sid = new_gauge(live, "BAD", KEL_A1)
    svc = _service(live)
    pub = Publisher()
    try:
        now = now_ms()
        topic = f"posko/sensors/{sid}/reading"
        pub.raw(topic, b"{not json")
        pub.raw(topic, json.dumps({"value": "high", "at": "2026-01-01T00:00:00Z"}))
        pub.raw(topic, json.dumps({"value": 10, "at": "yesterday"}))
        pub.raw(topic, json.dumps([1, 2]))
        pub.raw(topic, b"\xff\xfe")
        pub.reading("NOBODY-" + sid, 100, now)                  # unknown sensor
        pub.reading(sid, 99999, now)                            # outside the physical range
        pub.reading(sid, 100, now + 3600_000)                   # an hour ahead
        pub.reading(sid, 100, now - 2 * 86400_000)              # two days old
        pub.reading(sid, 42, now)                               # and one good reading
        wait_for(lambda: _sensor(live, sid)["last_value"] == 42, what="the good reading")
        c = svc.ingest.stats.snapshot()
        # The client takes every sensor's topic, and the broker may be shared with other
        # tests and benches: their messages can only add malformed or unknown-sensor
        # counts (the range and time checks come after the registry's), never these three.
        assert (c["out_of_range"], c["future"], c["stale"]) == (1, 1, 1), c
        assert c["malformed"] >= 5 and c["unknown_sensor"] >= 1, c
        assert svc.client.connected and svc.ingest._thread.is_alive()
    finally:
        pub.close()
        svc.stop()


@needs_broker
def test_broker_gone_and_back(live):
    sid = new_gauge(live, "RC", KEL_A1)
    proxy = Proxy()
    proxy.start()
    svc = _service(live, port=proxy.port)
    pub = Publisher()
    operator = live.account("operator")
    try:
        pub.reading(sid, 10, now_ms())
        wait_for(lambda: _sensor(live, sid)["last_value"] == 10, what="a first reading")
        proxy.cut()
        wait_for(lambda: not svc.client.connected, what="the client to notice")
        r = operator.get("/v1/pull", params={"cursor": 0, "limit": 1})
        assert r.status_code == 200                             # consoles are still served
        time.sleep(1.5)                                         # a reconnect attempt or two fail
        proxy.start()
        wait_for(lambda: svc.client.subscribed and svc.client.connects >= 2, timeout=90,
                 what="the reconnection")
        pub.reading(sid, 20, now_ms())
        wait_for(lambda: _sensor(live, sid)["last_value"] == 20, what="a reading after")
    finally:
        pub.close()
        svc.stop()
        proxy.cut()


def test_downsampling_keeps_a_compact_history(live):
    from server.sensors.rollup import downsample, series

    sid = new_gauge(live, "DS", KEL_A1, kind="rain")
    ing = Ingest(live.ctx.db, live.ctx.ref)
    now = now_ms()
    base = (now - 2 * 86400_000) // 300_000 * 300_000
    old = [Reading(sid, base + i * 30_000, float(i % 10)) for i in range(40)]  # 20 min, 2 days ago
    recent = [Reading(sid, now - 60_000, 5.0)]
    ing.write_batch(old + recent)
    folded = downsample(live.ctx.db, now)
    assert folded >= 40
    with live.ctx.db.read() as conn:
        raw = conn.execute(text("SELECT count(*) FROM sensor_reading WHERE sensor_id = :s"),
                           {"s": sid}).scalar()
        rollups = conn.execute(text("SELECT n, vmin, vmax, vavg FROM sensor_rollup WHERE "
                                    "sensor_id = :s ORDER BY bucket_ms"), {"s": sid}).all()
    assert raw == 1 and len(rollups) == 4
    assert [r[0] for r in rollups] == [10, 10, 10, 10]
    assert rollups[0][1:] == (0.0, 9.0, 4.5)
    points = series(live.ctx.db, sid, base)
    assert len(points) == 5 and points[-1][1] == 5.0


@pytest.mark.parametrize("argv, message", [
    (["add-sensor", "X1", "--kind", "flood", "--lat", "1", "--lon", "1", "--warn", "1",
      "--danger", "2"], "invalid choice"),
    (["add-sensor", "X1", "--kind", "rain", "--lat", "-6.9", "--lon", "107.6", "--warn", "60",
      "--danger", "50"], "warn < danger"),
    (["add-sensor", "a/b", "--kind", "rain", "--lat", "-6.9", "--lon", "107.6", "--warn", "6",
      "--danger", "50"], "sensor id"),
])
def test_cli_refuses_bad_sensors(tmp_path, capsys, argv, message):
    from server import cli

    try:
        code = cli.main([*argv, "--db", str(tmp_path / "s.sqlite3")])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_cli_add_list_disable(tmp_path, capsys):
    from server import cli

    db = ["--db", str(tmp_path / "s.sqlite3")]
    assert cli.main(["add-sensor", "PINTU-AIR.1", "--kind", "water_level", "--lat", "-6.92",
                     "--lon", "107.6", "--warn", "100", "--danger", "150", "--interval-s",
                     "120", "--region", KEL_A1, *db]) == 0
    assert "registered" in capsys.readouterr().out
    assert cli.main(["list-sensors", *db]) == 0
    out = capsys.readouterr().out
    assert "PINTU-AIR.1\twater_level" in out and "120s\tok\tlast never" in out
    assert cli.main(["disable-sensor", "PINTU-AIR.1", *db]) == 0
    cli.main(["list-sensors", *db])
    assert "DISABLED" in capsys.readouterr().out
    assert cli.main(["disable-sensor", "NOPE", *db]) == 2
    args = cli.parse_args(["run", "--mqtt", "http://x", *db])
    from server.sensors.cli import mqtt_settings

    with pytest.raises(ValueError, match="mqtt://"):
        mqtt_settings(args)
