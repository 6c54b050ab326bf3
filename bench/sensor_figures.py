"""Sensor ingestion (issue 15): ``sensor.ingest_readings_per_s``.

Readings published to the real Mosquitto on 127.0.0.1:1883 (QoS 1), through the server's
MQTT client, parsing, the queue and the batch writer, until the last one is in the
database (SQLite file, the one-machine default; PostgreSQL too when one answers).
Without a broker the readings enter at the MQTT callback (Ingest.submit) instead, and
the note says so. Baseline: the same readings written one transaction per reading.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import Figure

SENSORS = 200
READINGS = int(os.environ.get("POSKO_BENCH_SENSOR_READINGS", 60_000))
BASELINE_READINGS = 1_000
TARGET = 5_000
#: The publishers' steady rate, readings/s, twice the target: the figure is what the
#: server keeps up with (at most what the publishers manage, which the note gives).
RATE = float(os.environ.get("POSKO_BENCH_SENSOR_RATE", 10_000))
#: MQTT connections of the server on one shared subscription (each parses nothing: the
#: writer does); SensorService's default is one.
CLIENTS = int(os.environ.get("POSKO_BENCH_SENSOR_CLIENTS", 1))
#: "gauges": one mosquitto_pub per sensor, fed its lines at the steady rate by a small
#: pacer process - a city's gauges are many clients, each its own connection, and none
#: runs on the server's machine, so the publishers' CPU here is an artefact of the bench
#: that the C client keeps small. "paho": one Python paho client publishing everything
#: (the earlier bench; on 2 cores it takes most of one).
PUBLISHER_KIND = os.environ.get("POSKO_BENCH_SENSOR_PUBLISHER") or (
    "gauges" if shutil.which("mosquitto_pub") else "paho")
PUBLISHER = """
import sys, time, paho.mqtt.client as mqtt
rate = float(sys.argv[2])
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
c.max_inflight_messages_set(1000)
c.connect("127.0.0.1", 1883)
c.loop_start()
lines = open(sys.argv[1], "rb").read().splitlines()
print("go", flush=True)
t0 = time.perf_counter()
last = None
# A steady rate, like a fleet of gauges: MQTT has no end-to-end flow control, and Mosquitto
# drops what a subscriber has not taken beyond max_queued_messages (1000 by default).
for i in range(0, len(lines), 100):
    for line in lines[i:i + 100]:
        topic, payload = line.split(b"\\t", 1)
        last = c.publish(topic.decode(), payload, qos=1)
    ahead = t0 + (i + 100) / rate - time.perf_counter()
    if ahead > 0:
        time.sleep(ahead)
last.wait_for_publish(60)
c.disconnect()
"""
GAUGES = """
import os, subprocess, sys, time
# One mosquitto_pub (QoS 1, -l: a message per line of its stdin) per sensor topic; this
# pacer writes each gauge the lines due at the steady rate, every 20 ms.
msgs = [line.split(b"\\t", 1) for line in open(sys.argv[1], "rb").read().splitlines()]
rate = float(sys.argv[2])
gauges = {t: subprocess.Popen(["mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-q", "1",
                               "-t", t.decode(), "-l"], stdin=subprocess.PIPE)
          for t in sorted({t for t, _ in msgs})}
time.sleep(1.0)  # connected
print("go", flush=True)
t0, i, n = time.perf_counter(), 0, len(msgs)
while i < n:
    due = min(n, int((time.perf_counter() - t0) * rate) + 1)
    lines = {}
    for t, p in msgs[i:due]:
        lines.setdefault(t, []).append(p)
    for t, ps in lines.items():
        os.write(gauges[t].stdin.fileno(), b"\\n".join(ps) + b"\\n")
    i = due
    time.sleep(0.02)
for g in gauges.values():
    g.stdin.close()  # mosquitto_pub -l sends what it has read, then disconnects
for g in gauges.values():
    g.wait()
"""

def _broker() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


def _setup(db_url: str):  # noqa: ANN202
    from server.open_db import open_database
    from server.reference import Reference
    from server.sensors.registry import add_sensor

    db = open_database(db_url)
    tag = secrets.token_hex(3)
    ids = [f"B{tag}-{i:03d}" for i in range(SENSORS)]
    for sid in ids:
        add_sensor(db, sid, kind="water_level", lat=-6.91, lon=107.6, warn=100, danger=150,
                   interval_s=60, city_code="3273")
    return db, Reference(db, "bandung"), ids


def _messages(ids: list[str], n: int, start_ms: int) -> list[tuple[str, bytes]]:
    out = []
    for i in range(n):
        sid = ids[i % len(ids)]
        at = start_ms + (i // len(ids)) * 1000
        # mostly calm water, a few gauges crossing danger now and then: reports are made
        value = 60 + (i * 7919) % 50 + (100 if (i // len(ids)) % 97 == 5 and i % 50 == 0 else 0)
        text = datetime.fromtimestamp(at / 1000, UTC).isoformat().replace("+00:00", "Z")
        out.append((f"posko/sensors/{sid}/reading", json.dumps({"value": value, "at": text})
                    .encode()))
    return out


def _wait_stored(ing, n: int, timeout: float = 300) -> float:  # noqa: ANN001
    """Wait until ``n`` readings are written, or nothing moved for 3 s (the broker dropped
    some); returns the perf_counter time of the last progress."""
    deadline = time.monotonic() + timeout
    seen, moved = -1, time.perf_counter()
    while True:
        c = ing.stats.snapshot()
        done = c["stored"] + c["duplicate"]
        if done != seen:
            seen, moved = done, time.perf_counter()
        if done >= n or time.perf_counter() - moved > 3 or time.monotonic() > deadline:
            return moved
        time.sleep(0.01)


def measure(db_url: str, via_broker: bool = True) -> tuple[float, float, str]:
    from server.sensors.ingest import Ingest
    from server.sensors.readings import parse

    db, ref, ids = _setup(db_url)
    start = int(time.time() * 1000) - 3600_000
    msgs = _messages(ids, READINGS, start)
    ing = Ingest(db, ref)
    ing.start()
    published = 0.0
    via = "in-process from the MQTT callback" if not via_broker else \
        "in-process from the MQTT callback (no broker answered)"
    try:
        if via_broker and _broker():
            from server.sensors.mqtt import MqttSettings, SensorClient, acknowledge

            # CLIENTS connections on one shared subscription (default one, as the server)
            clients = [SensorClient(MqttSettings("mqtt://127.0.0.1:1883", shared=CLIENTS > 1),
                                    ing.submit) for _ in range(CLIENTS)]
            ing.on_done = acknowledge  # as SensorService: acknowledged once written
            for client in clients:
                client.start()
            while not all(c.connected for c in clients):
                time.sleep(0.02)
            time.sleep(0.3)
            # The gauges are other processes (as they are in a city): a publisher sharing
            # this interpreter's GIL would measure itself, not the server.
            folder = Path(tempfile.mkdtemp(prefix="posko-bench-feed-"))
            feed = folder / "feed.txt"
            feed.write_bytes(b"".join(t.encode() + b"\t" + p + b"\n" for t, p in msgs))
            script = GAUGES if PUBLISHER_KIND == "gauges" else PUBLISHER
            proc = subprocess.Popen([sys.executable, "-c", script, str(feed), str(RATE)],
                                    stdout=subprocess.PIPE)
            proc.stdout.readline()  # "go": connected, the clock starts with the first reading
            t0 = time.perf_counter()
            proc.wait(timeout=600)
            # what the publisher managed: a Python one on a busy machine falls short of RATE
            published = READINGS / (time.perf_counter() - t0)
            elapsed = _wait_stored(ing, READINGS, timeout=120) - t0
            for client in clients:
                client.stop()
            shutil.rmtree(folder, ignore_errors=True)
            via = (f"{'200 mosquitto_pub gauges' if PUBLISHER_KIND == 'gauges' else 'a paho publisher'}"
                   f" -> Mosquitto QoS 1 -> {CLIENTS} MQTT 5 connection(s) -> queue -> "
                   "batches")
        else:
            t0 = time.perf_counter()
            for t, p in msgs:
                ing.submit(t, p)
            elapsed = _wait_stored(ing, READINGS) - t0
        counts = ing.stats.snapshot()
    finally:
        ing.stop()
    rate = (counts["stored"] + counts["duplicate"]) / elapsed
    # Baseline: one transaction per reading (the obvious "on_message: INSERT; COMMIT").
    base = Ingest(db, ref)
    later = start + (READINGS // SENSORS + 10) * 1000  # after the main run's readings
    readings = []
    for t, p in _messages(ids, BASELINE_READINGS, later):
        r = parse(t, p, int(time.time() * 1000), base.cache, base.stats)
        if r is not None:
            readings.append(r)
    t0 = time.perf_counter()
    for r in readings:
        base.write_batch([r])
    baseline = len(readings) / (time.perf_counter() - t0)
    db.dispose()
    # every (sensor, time) of the feed is distinct: each must be a new row, once
    lost = READINGS - counts["stored"]
    if via_broker and "Mosquitto" in via:
        via += f", published at {published:,.0f}/s (asked {RATE:,.0f}/s)"
    return rate, baseline, f"{via}; {READINGS:,} readings from {SENSORS} sensors" + (
        f"; {lost} not stored" if lost else "; every one stored") + (
        f" ({counts['duplicate']} redelivered copies)" if counts["duplicate"] else "")


def figures() -> list[Figure]:
    from bench.server_figures import pg_database

    out: list[Figure] = []
    tmp = Path(tempfile.mkdtemp(prefix="posko-bench-sensor-"))
    try:
        rate, baseline, note = measure(str(tmp / "server.sqlite3"))
        out.append(Figure("sensor.ingest_readings_per_s", rate, "readings/s", baseline,
                          higher_is_better=True,
                          note=f"SQLite; {note}; baseline one transaction per reading; "
                               f"target >= {TARGET}"))
        rate, baseline, note = measure(str(tmp / "direct.sqlite3"), via_broker=False)
        out.append(Figure("sensor.ingest_db_readings_per_s", rate, "readings/s", baseline,
                          higher_is_better=True,
                          note=f"SQLite; {note}: parsing, queue, batch writer, thresholds "
                               "(what the database side sustains); baseline one transaction "
                               "per reading"))
        with pg_database() as pg_url:
            if pg_url:
                rate, baseline, note = measure(pg_url)
                out.append(Figure("sensor.ingest_readings_per_s_pg", rate, "readings/s",
                                  baseline, higher_is_better=True,
                                  note=f"PostgreSQL; {note}; baseline one transaction per "
                                       f"reading; target >= {TARGET}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


FIGURES = [("sensor.ingest", figures)]
