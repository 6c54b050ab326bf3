"""Sensor ingestion across a server restart and at speed (issue 15), against the real
Mosquitto on 127.0.0.1:1883: a persistent MQTT session under a stable client id per
data directory and process slot keeps the readings published while the server is down,
and they are stored once when it returns; the MQTT thread only queues bytes, and the
writer's batch parsing counts bad input without ever raising."""

from __future__ import annotations

import subprocess
import sys
import time

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import text

from server.sensors.clientid import claim
from server.sensors.ingest import Ingest, now_ms
from server.sensors.mqtt import MqttSettings
from server.sensors.readings import Stats, parse_many
from server.sensors.service import SensorService
from tests.server.helpers import KEL_A1
from tests.server.sensorkit import (
    BROKER,
    Publisher,
    forget_session,
    iso_ms,
    needs_broker,
    new_gauge,
    sensor_id,
    started,
    stored_readings,
    subscribed,
    wait_for,
)


def _persistent(sid: str, **kw) -> MqttSettings:
    # A short expiry: a session a failed run leaves behind goes away by itself. Only this
    # test's sensor: the broker is shared with other tests and benches, whose readings
    # would otherwise fill the session's queue (Mosquitto keeps 1,000) while it is away.
    return MqttSettings(f"mqtt://{BROKER[0]}:{BROKER[1]}", persistent=True,
                        session_expiry_s=300, topic_filter=f"posko/sensors/{sid}/reading",
                        **kw)


def _mine(sid: str) -> MqttSettings:
    return MqttSettings(f"mqtt://{BROKER[0]}:{BROKER[1]}",
                        topic_filter=f"posko/sensors/{sid}/reading")


def _started(live, data_dir, sid: str) -> SensorService:  # noqa: ANN001
    return started(SensorService(live.ctx.db, live.ctx.ref, _persistent(sid), data_dir=data_dir))


@needs_broker
def test_readings_published_during_a_restart_are_stored_once(live, tmp_path):
    sid = new_gauge(live, "RS", KEL_A1)
    data = tmp_path / "server-data"
    svc = _started(live, data, sid)
    cid = svc.client.client_id
    pub = Publisher()
    try:
        assert not svc.client.session_present  # a new session...
        svc.stop()                             # ...that the broker keeps while we are away
        n, t0 = 300, now_ms() - 600_000
        for i in range(n):
            pub.reading(sid, 50 + i % 40, t0 + i * 1000)
        for i in range(0, n, 10):              # QoS-1 redeliveries of every tenth reading
            pub.reading(sid, 50 + i % 40, t0 + i * 1000)
        svc = _started(live, data, sid)
        assert svc.client.client_id == cid     # the same id: the same session
        assert svc.client.session_present
        c = svc.ingest.stats

        def done() -> bool:
            s = c.snapshot()
            return s["stored"] + s["duplicate"] >= n + n // 10
        wait_for(done, timeout=30, what="the readings the broker kept")
        time.sleep(0.3)
        s = c.snapshot()
        assert (s["stored"], s["duplicate"]) == (n, n // 10), s
        assert stored_readings(live, sid) == n
    finally:
        pub.close()
        svc.stop()
        forget_session(cid)


@needs_broker
def test_two_processes_on_one_data_dir_have_their_own_sessions(live, tmp_path):
    sid = new_gauge(live, "TP", KEL_A1)
    data = tmp_path / "server-data"
    first = _started(live, data, sid)
    second = _started(live, data, sid)
    ids = [first.client.client_id, second.client.client_id]
    pub = Publisher()
    try:
        assert ids[0] != ids[1] and ids[0].rsplit("-", 1)[0] == ids[1].rsplit("-", 1)[0]
        pub.reading(sid, 42, now_ms())
        wait_for(lambda: all(s.ingest.stats.snapshot()["stored"]
                             + s.ingest.stats.snapshot()["duplicate"] == 1
                             for s in (first, second)), what="the reading in both")
        time.sleep(1.0)
        # Neither was kicked off by the other (the broker disconnects a client whose id
        # another one takes): one connection each, still up.
        assert [s.client.connects for s in (first, second)] == [1, 1]
        assert first.client.connected and second.client.connected
        assert stored_readings(live, sid) == 1
    finally:
        pub.close()
        for s in (first, second):
            s.stop()
        for cid in ids:
            forget_session(cid)


def test_client_id_slots(tmp_path):
    a = claim(tmp_path)
    b = claim(tmp_path)
    base = a.client_id.rsplit("-", 1)[0]
    assert (a.client_id, b.client_id) == (f"{base}-0", f"{base}-1")
    assert (tmp_path / "mqtt-client-id").read_text().strip() == base
    # another process on the same data directory while both are held: slot 2
    out = subprocess.run([sys.executable, "-c", "import sys; from server.sensors.clientid "
                          "import claim; print(claim(sys.argv[1]).client_id)", str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == f"{base}-2"
    a.release()
    again = claim(tmp_path)                   # a restart takes the freed slot back
    assert again.client_id == f"{base}-0"
    assert claim(tmp_path, "city posko/1").client_id == "city-posko-1-2"
    for c in (b, again):
        c.release()


@needs_broker
def test_a_burst_is_read_whole_and_once(live):
    """Thousands of messages the broker sends at once (Receive Maximum 65535) cross
    socket reads mid-packet: every one arrives, once."""
    sid = new_gauge(live, "BU", KEL_A1)
    svc = started(SensorService(live.ctx.db, live.ctx.ref, _mine(sid)))
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    pub.max_inflight_messages_set(2000)
    pub.connect(*BROKER)
    pub.loop_start()
    try:
        n, t0 = 3000, now_ms() - 3_000_000
        last = None
        for i in range(n):
            last = pub.publish(f"posko/sensors/{sid}/reading",
                               f'{{"value": {i % 90}, "at": "{iso_ms(t0 + i * 1000)}"}}',
                               qos=1)
        last.wait_for_publish(30)
        wait_for(lambda: svc.ingest.stats.snapshot()["stored"] >= n, timeout=60,
                 what="the burst")
        assert svc.ingest.stats.snapshot()["stored"] == n
        assert stored_readings(live, sid) == n
    finally:
        pub.loop_stop()
        pub.disconnect()
        svc.stop()


def test_batch_parsing_counts_what_it_cannot_read(live):
    sid = new_gauge(live, "PB", KEL_A1)
    ing = Ingest(live.ctx.db, live.ctx.ref)

    class Broken:
        def get(self, sensor_id):  # noqa: ANN001, ANN202
            if sensor_id == "BOOM":
                raise RuntimeError("registry failure")
            return ing.cache.get(sensor_id)

    stats = Stats()
    now = now_ms()
    good = f'{{"value": 10, "at": "{iso_ms(now)}"}}'.encode()
    out = parse_many([(f"posko/sensors/{sid}/reading", good), ("posko/sensors/BOOM/reading", good),
                      ("not/a/topic", good), (f"posko/sensors/{sid}/reading", b"\xff")],
                     now, Broken(), stats)
    assert [(r.sensor_id, r.value) for r in out] == [(sid, 10.0)]
    s = stats.snapshot()
    assert (s["received"], s["malformed"]) == (4, 3), s


def test_a_full_queue_is_counted_not_raised(live, monkeypatch):
    import server.sensors.ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "QUEUE_MAX", 2)
    ing = Ingest(live.ctx.db, live.ctx.ref)  # not started: nothing drains the queue
    for _ in range(3):
        ing.submit("posko/sensors/X/reading", b"{}")
    assert ing.pending() == 2
    assert ing.stats.snapshot()["queue_full"] == 1


def test_run_options_for_the_session(tmp_path):
    from server import cli
    from server.sensors.cli import mqtt_settings

    db = ["--db", str(tmp_path / "s.sqlite3")]
    s = mqtt_settings(cli.parse_args(["run", "--mqtt", "mqtt://127.0.0.1:1883", *db]))
    assert (s.persistent, s.client_id, s.client_id_base, s.mqtt5) == (True, None, None, True)
    s = mqtt_settings(cli.parse_args(["run", "--mqtt", "mqtt://127.0.0.1:1883",
                                      "--mqtt-clean-session", "--mqtt-client-id", "kota-1",
                                      "--mqtt-v311", *db]))
    assert (s.persistent, s.client_id_base, s.mqtt5) == (False, "kota-1", False)


@needs_broker
def test_a_crash_loses_nothing_the_broker_sent(live, tmp_path):
    """Readings are acknowledged once written: a process that took them off the wire and
    died before writing them (here: its writer never ran, its connection dropped without
    a DISCONNECT) gets them again from its session on the next start."""
    sid = new_gauge(live, "CR", KEL_A1)
    data = tmp_path / "server-data"
    svc = SensorService(live.ctx.db, live.ctx.ref, _persistent(sid), data_dir=data)
    svc.client.start()  # the MQTT side only: nothing is written, nothing acknowledged
    subscribed(svc.client)
    cid = svc.client.client_id
    pub = Publisher()
    try:
        n, t0 = 50, now_ms() - 100_000
        for i in range(n):
            pub.reading(sid, 60, t0 + i * 1000)
        wait_for(lambda: svc.ingest.pending() == n, what="the readings in the queue")
        # the crash: the socket closes under paho (no DISCONNECT), the process is gone
        svc.client.client.loop_stop()
        svc.client.client.socket().close()
        svc._claimed.release()
        time.sleep(0.5)
        assert stored_readings(live, sid) == 0
        svc = _started(live, data, sid)
        assert svc.client.client_id == cid and svc.client.session_present
        wait_for(lambda: stored_readings(live, sid) == n, timeout=30, what="the redelivered readings")
        time.sleep(0.3)
        assert svc.ingest.stats.snapshot()["stored"] == n
    finally:
        pub.close()
        svc.stop()
        forget_session(cid)


@needs_broker
def test_properties_and_qos0_on_the_fast_path(live):
    """The PUBLISH fast path skips MQTT 5 properties unread: a gauge that sends some
    (user properties, content type, expiry) is read right, and so is one at QoS 0."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    sid = new_gauge(live, "FP", KEL_A1)
    svc = started(SensorService(live.ctx.db, live.ctx.ref, _mine(sid)))
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    pub.connect(*BROKER)
    pub.loop_start()
    try:
        props = Properties(PacketTypes.PUBLISH)
        props.UserProperty = [("gauge", "x" * 200), ("site", "pintu air")]
        props.ContentType = "application/json"
        props.MessageExpiryInterval = 600
        t0 = now_ms() - 10_000
        topic = f"posko/sensors/{sid}/reading"
        pub.publish(topic, f'{{"value": 77, "at": "{iso_ms(t0)}"}}', qos=1,
                    properties=props).wait_for_publish(5)
        pub.publish(topic, f'{{"value": 78, "at": "{iso_ms(t0 + 1000)}"}}',
                    qos=0).wait_for_publish(5)
        wait_for(lambda: stored_readings(live, sid) == 2, what="both readings")
        with live.ctx.db.read() as conn:
            values = [r[0] for r in conn.execute(text(
                "SELECT value FROM sensor_reading WHERE sensor_id = :s ORDER BY at_ms"),
                {"s": sid})]
        assert values == [77.0, 78.0]
    finally:
        pub.loop_stop()
        pub.disconnect()
        svc.stop()


def test_in_one_process_the_service_writes_through_the_apps_database(live):
    """``posko server run`` with one process hands the service the app's Database, so a
    sensor report rings the bell that wakes the consoles' long polls (on SQLite the bell
    hears only writes made through that Database object)."""
    from server.sensors.readings import Reading

    sid = new_gauge(live, "BL", KEL_A1)
    svc = SensorService.open(live.settings, MqttSettings("mqtt://127.0.0.1:1883"),
                             ctx=live.ctx)
    assert svc.ingest.db is live.ctx.db
    before = live.ctx.db.bell.rings
    svc.ingest.write_batch([Reading(sid, now_ms() - 1000, 160.0)])  # over danger: a report
    assert live.ctx.db.bell.rings > before


@needs_broker
@pytest.mark.slow
def test_posko_server_run_resumes_its_session_after_a_restart(tmp_path):
    """The real command: ``posko server run --mqtt`` keeps a persistent session under
    the id in its data directory; stopped (SIGTERM) and started again, it stores the
    readings published meanwhile."""
    import sqlite3

    from server import cli
    from tests.server.procs import ServerProcess

    db, data = str(tmp_path / "s.sqlite3"), tmp_path / "data"
    sid = sensor_id("SR")
    assert cli.main(["add-sensor", sid, "--kind", "water_level", "--lat", "-6.92", "--lon",
                     "107.6", "--warn", "100", "--danger", "150", "--db", db]) == 0

    def rows() -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM sensor_reading WHERE sensor_id = ?",
                                (sid,)).fetchone()[0]

    args = ["--db", db, "--data-dir", str(data), "--mqtt", "mqtt://127.0.0.1:1883"]
    pub = Publisher()
    server = ServerProcess(args)
    cid = None
    try:
        t0 = now_ms() - 600_000
        # until the server's subscription is in place, a reading reaches nobody: resend
        deadline = time.monotonic() + 30
        while rows() == 0 and time.monotonic() < deadline:
            pub.reading(sid, 50, t0)
            time.sleep(0.3)
        assert rows() == 1
        cid = (data / "mqtt-client-id").read_text().strip() + "-0"
        server.stop()
        n = 100
        for i in range(1, n + 1):
            pub.reading(sid, 50 + i % 30, t0 + i * 1000)
        server = ServerProcess(args)
        wait_for(lambda: rows() == n + 1, timeout=30, what="the readings published meanwhile")
    finally:
        server.stop()
        pub.close()
        if cid:
            forget_session(cid)


@needs_broker
def test_mqtt_311_still_works(live, tmp_path):
    """--mqtt-v311, for a broker without MQTT 5: a persistent session (clean_session off)
    and acknowledgements after the write work the same."""
    sid = new_gauge(live, "V3", KEL_A1)
    data = tmp_path / "server-data"
    settings = _persistent(sid, mqtt5=False)
    svc = started(SensorService(live.ctx.db, live.ctx.ref, settings, data_dir=data))
    cid = svc.client.client_id
    pub = Publisher()
    try:
        t0 = now_ms() - 100_000
        pub.reading(sid, 60, t0)
        wait_for(lambda: stored_readings(live, sid) == 1, what="a reading")
        svc.stop()
        for i in range(1, 21):
            pub.reading(sid, 60, t0 + i * 1000)
        svc = SensorService(live.ctx.db, live.ctx.ref, settings, data_dir=data)
        svc.start()
        wait_for(lambda: stored_readings(live, sid) == 21, timeout=30, what="the readings kept")
        assert svc.client.session_present
    finally:
        pub.close()
        svc.stop()
        forget_session(cid)
