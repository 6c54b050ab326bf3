"""Readings from the MQTT thread to the database, and threshold crossings to reports.

The MQTT callback only appends the message's bytes to a bounded queue; one worker thread
takes up to BATCH_MAX messages at a time (a batch at most every LINGER_S), parses and
checks them (readings.parse_many) and writes the readings in **one** transaction: the
raw rows (INSERT … ON CONFLICT DO NOTHING, so a QoS-1 redelivery is one row), the
sensors' new state, and any report, note or reopen the readings cause. Only then are the
messages acknowledged to the broker (``on_done``). Reports are written through push.Batch, the one path that allocates
change sequence numbers, so they reach consoles through the normal change feed, with a
system principal as their author (never a name from the message).

Exactly one report per crossing, with any number of server processes on one database:
the transaction holds the global write lock (db.Database.write) and reads the sensor's
state inside it, so a second process sees the first one's ``report_id``; report and
mutation ids are derived from the sensor and the episode's start (uuid5), so a replay
is an idempotent duplicate in push.Batch, never a second report.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update

from server.db import Database, is_transient
from server.models import Report
from server.push import Batch
from server.reference import Reference
from server.schemas import MutationIn
from server.scope import Principal, Scope
from server.sensors import texts
from server.sensors.models import Sensor, SensorReading
from server.sensors.readings import Reading, Stats, parse_many
from server.sensors.registry import SensorCache
from server.sensors.rollup import downsample
from server.sensors.thresholds import Episode, step

log = logging.getLogger("posko.server.sensors")

S = Sensor.__table__
R = SensorReading.__table__
REPORT_T = Report.__table__
BATCH_MAX = 5000
QUEUE_MAX = 200_000
#: A batch at most this often while readings stream in (the first after a quiet spell goes
#: at once): each transaction costs the sensors' state rows and a commit whatever its size,
#: so a writer that took whatever had arrived made hundreds of small ones a second.
LINGER_S = 0.05
#: The sensor's stated interval times this is "silent": one late message is not an outage.
OFFLINE_TOLERANCE = 2
OFFLINE_CHECK_S = 5.0
DOWNSAMPLE_EVERY_S = 600.0
#: Statuses a report cannot be reopened from: a new episode then makes a new report.
FINAL = frozenset({"closed", "rejected", "not_authority", "duplicate", "prank", "ghost"})
NS = uuid.UUID("6f1d4c1e-5a0b-4d5e-9a56-1d7d2f3b9c15")
SYSTEM = Principal("system:sensors", "system:sensors", "operator", Scope(True))
CATEGORY = {"water_level": "banjir", "rain": "banjir", "air_quality": "polusi_udara"}


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def now_ms() -> int:
    return int(time.time() * 1000)


def danger_priority(kind: str) -> int:
    """Water over a gauge's danger mark (the city's evacuation level) is life and safety
    now: priority 1, the loud alert. Heavy rain and bad air are urgent but hours, not
    minutes: 2 (domain/priority.py)."""
    return 1 if kind == "water_level" else 2


class Ingest:
    def __init__(self, db: Database, ref: Reference, *, tz: str = "Asia/Jakarta",
                 clock=now_ms) -> None:  # noqa: ANN001
        self.db = db
        self.ref = ref
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.clock = clock
        self.stats = Stats()
        self.cache = SensorCache(db)
        #: (topic, payload) as they came off the wire; the writer parses them in batches
        self.inbox: deque[tuple[str, bytes, object]] = deque()
        #: called with the tokens of the messages whose batch is committed (or dropped):
        #: SensorService acknowledges them to the broker (mqtt.acknowledge)
        self.on_done = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_offline = 0.0
        self._last_downsample = time.monotonic()

    # --- the MQTT side ---------------------------------------------------------------------

    def submit(self, topic: str, payload: bytes, token: object = None) -> None:
        """Called on the MQTT thread for every message; never raises. Only queues the
        bytes: parsing is the writer's, in batches, so the network thread spends its GIL
        time on the broker, not on JSON. ``token`` (mqtt.SensorClient's, for a QoS-1
        message) is handed to ``on_done`` once the message's batch is committed, or
        dropped as bad input: the acknowledgement the broker waits for, so a reading the
        process took but had not written when it died is delivered again."""
        if len(self.inbox) >= QUEUE_MAX:
            # Waiting a little pushes back on the broker (the network thread stops reading).
            deadline = time.monotonic() + 1.0
            while len(self.inbox) >= QUEUE_MAX and time.monotonic() < deadline:
                time.sleep(0.01)
            if len(self.inbox) >= QUEUE_MAX:
                self.stats.add("received")
                self.stats.drop("queue_full", f"{topic}: the ingest queue is full")
                self._done([token])
                return
        self.inbox.append((topic, payload, token))
        if not self._wake.is_set():
            self._wake.set()

    def _done(self, tokens: list) -> None:
        if self.on_done is not None:
            tokens = [t for t in tokens if t is not None]
            if tokens:
                try:
                    self.on_done(tokens)
                except Exception:  # noqa: BLE001 - unacknowledged: the broker sends again
                    log.exception("sensor readings could not be acknowledged")

    def pending(self) -> int:
        """Messages queued and not yet written."""
        return len(self.inbox)

    # --- the worker --------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="posko-sensor-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _take(self) -> list[tuple[str, bytes, object]]:
        inbox, out = self.inbox, []
        try:
            while len(out) < BATCH_MAX:
                out.append(inbox.popleft())
        except IndexError:
            pass
        return out

    def _run(self) -> None:
        last = 0.0
        while not self._stop.is_set() or self.inbox:
            self._wake.clear()
            if not self.inbox:
                self._wake.wait(0.2)
            gap = LINGER_S - (time.monotonic() - last)
            if gap > 0 and len(self.inbox) < BATCH_MAX and not self._stop.is_set():
                time.sleep(gap)
            last = time.monotonic()
            messages = self._take()
            if messages:
                readings = parse_many(messages, self.clock(), self.cache, self.stats)
                if not readings or self._write_retrying(readings):
                    self._done([m[2] for m in messages])
            self._periodic()

    def _write_retrying(self, batch: list[Reading]) -> bool:
        """Write a batch, retrying while the database is busy or away. False when the
        server stops meanwhile: the batch is not acknowledged, so a persistent session
        has the broker deliver it again after the restart."""
        delay = 0.5
        while True:
            try:
                self.write_batch(batch)
                return True
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any batch
                if self._stop.is_set() and is_transient(exc):
                    log.warning("%d sensor readings not written before the stop; the broker "
                                "keeps them for a persistent session", len(batch))
                    self.stats.add("db_error", len(batch))
                    return False
                if not is_transient(exc):
                    # Acknowledged all the same: delivered again, it would fail again.
                    log.exception("%d sensor readings could not be written; dropped", len(batch))
                    self.stats.add("db_error", len(batch))
                    return True
                self.stats.add("db_retry")
                log.warning("database busy or away (%s); retrying sensor batch in %.1f s",
                            exc.__class__.__name__, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _periodic(self) -> None:
        t = time.monotonic()
        try:
            if t - self._last_offline >= OFFLINE_CHECK_S:
                self._last_offline = t
                self.check_offline()
            if t - self._last_downsample >= DOWNSAMPLE_EVERY_S:
                self._last_downsample = t
                n = downsample(self.db, self.clock())
                if n:
                    log.info("sensor readings older than a day folded into rollups: %d", n)
        except Exception:  # noqa: BLE001
            log.exception("sensor housekeeping failed; trying again later")

    # --- one batch -----------------------------------------------------------------------------

    def write_batch(self, readings: list[Reading]) -> int:
        """Store readings and act on threshold crossings, in one transaction. Returns the
        number of new rows."""
        unique: dict[tuple[str, int], Reading] = {}
        for r in readings:
            unique.setdefault((r.sensor_id, r.at_ms), r)
        in_batch_dups = len(readings) - len(unique)
        by_sensor: dict[str, list[Reading]] = {}
        for r in unique.values():
            by_sensor.setdefault(r.sensor_id, []).append(r)
        with self.db.write() as conn:
            inserted = _insert_readings(conn, list(unique.values()))
            sensors = {row.id: dict(row._mapping) for row in conn.execute(
                select(S).where(S.c.id.in_(list(by_sensor))))}
            plan = _Plan(self, conn)
            for sid, new in by_sensor.items():
                sensor = sensors.get(sid)
                if sensor is not None:
                    plan.advance(sensor, sorted(new, key=lambda r: r.at_ms))
            plan.commit()
        self.stats.add("stored", inserted)
        self.stats.add("duplicate", in_batch_dups + len(unique) - inserted)
        return inserted

    def check_offline(self) -> int:
        """Raise the notice for every active sensor silent past OFFLINE_TOLERANCE × its
        interval (once per outage). Returns how many went offline now."""
        now = self.clock()
        query = select(S).where(S.c.active, S.c.offline_since_ms.is_(None))

        def silent(conn) -> list[dict]:  # noqa: ANN001
            out = []
            for row in conn.execute(query):
                sensor = dict(row._mapping)
                last = sensor["heard_ms"]
                if last is None:
                    last = int(sensor["created_at"].timestamp() * 1000)
                if now - last > OFFLINE_TOLERANCE * sensor["interval_s"] * 1000:
                    out.append((sensor, last))
            return out

        # A read first: the write lock (every console's push waits for it) only when a
        # sensor did go silent; inside it the state is read again (another process may
        # have raised the notice meanwhile).
        with self.db.read() as conn:
            if not silent(conn):
                return 0
        with self.db.write() as conn:
            plan = _Plan(self, conn)
            for sensor, last in silent(conn):
                plan.offline(sensor, now, last)
            plan.commit()
        return len(plan.changed)

    def series(self, sensor_id: str, since_ms: int) -> list[tuple[int, float]]:
        from server.sensors.rollup import series

        return series(self.db, sensor_id, since_ms)


def _insert_readings(conn, readings: list[Reading]) -> int:  # noqa: ANN001
    """Insert readings, skipping (sensor, time) pairs already stored; returns how many were
    new. Straight to the driver: SQLAlchemy's per-row work held the GIL the MQTT thread
    needs to keep up with the broker (measured: the bench's end-to-end rate rose)."""
    if not readings:
        return 0
    if conn.dialect.name == "postgresql":
        # one statement over three arrays: no per-row round trip, an exact count
        return conn.exec_driver_sql(
            "INSERT INTO sensor_reading (sensor_id, at_ms, value) "
            "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::float8[]) "
            "ON CONFLICT DO NOTHING",
            ([r.sensor_id for r in readings], [r.at_ms for r in readings],
             [r.value for r in readings])).rowcount
    # sqlite3's executemany runs in C, and its rowcount is the sum of rows changed
    return conn.exec_driver_sql(
        "INSERT INTO sensor_reading (sensor_id, at_ms, value) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING", [(r.sensor_id, r.at_ms, r.value) for r in readings]).rowcount


class _Plan:
    """The writes one transaction makes: sensor rows and report mutations."""

    def __init__(self, ingest: Ingest, conn) -> None:  # noqa: ANN001
        self.ing = ingest
        self.conn = conn
        self.muts: list[dict] = []
        self.changed: dict[str, dict] = {}
        self._reports: dict[str, dict] = {}

    def _report(self, report_id: str | None) -> dict | None:
        if report_id is None:
            return None
        if report_id not in self._reports:
            row = self.conn.execute(select(REPORT_T.c.status, REPORT_T.c.revision).where(
                REPORT_T.c.id == report_id)).first()
            self._reports[report_id] = dict(row._mapping) if row else None
        return self._reports[report_id]

    def _fmt(self, at_ms: int) -> str:
        return datetime.fromtimestamp(at_ms / 1000, UTC).astimezone(self.ing.zone).strftime(
            "%d-%m-%Y %H:%M %Z")

    def _mut(self, key: str, entity: str, entity_id: str, op: str, fields: dict,
             base_revision: int | None = None) -> None:
        self.muts.append({"id": _uid(key), "entity": entity, "entity_id": entity_id, "op": op,
                          "actor": SYSTEM.username, "at": datetime.now(UTC).isoformat(),
                          "fields": fields, "base_revision": base_revision})

    def note(self, sensor: dict, report_id: str, key: str, body: str) -> None:
        self._mut(f"{sensor['id']}/{key}", "note", _uid(sensor["id"], "note", key), "note",
                  {"report_id": report_id, "body": body})

    def create(self, sensor: dict, at_ms: int, value: float, *, offline: bool = False) -> str:
        kind = sensor["kind"]
        what = "offline" if offline else "danger"
        report_id = _uid(sensor["id"], what, at_ms)
        t = texts.offline_report(sensor, self._fmt(at_ms)) if offline else \
            texts.danger_report(sensor, value, self._fmt(at_ms))
        self._mut(f"{sensor['id']}/create-{what}/{at_ms}", "report", report_id, "create", {
            "id": report_id, "channel": "sensor", "category_code": CATEGORY[kind],
            "title": t[0], "description": t[1],
            "priority": 3 if offline else danger_priority(kind),
            "lat": sensor["lat"], "lon": sensor["lon"], "region_code": sensor["region_code"],
            "created_at": datetime.fromtimestamp(at_ms / 1000, UTC).isoformat()})
        self._reports[report_id] = {"status": "new", "revision": 1}
        return report_id

    def advance(self, sensor: dict, readings: list[Reading]) -> None:
        last = sensor["last_at_ms"]
        fresh = [r for r in readings if last is None or r.at_ms > last]
        if not fresh:
            return  # redeliveries and late readings: stored, but they replay nothing
        ep = Episode.from_dict(json.loads(sensor["episode"] or "{}"))
        report_id = sensor["report_id"]
        lv = sensor["state"]
        for r in fresh:
            ep, lv, actions = step(ep, report_id is not None, r.at_ms, r.value,
                                   sensor["warn"], sensor["danger"])
            for a in actions:
                if a.kind == "reopen":
                    rep = self._report(report_id)
                    if rep is None or rep["status"] in FINAL:  # closed for good: a new one
                        ep = Episode(start_ms=r.at_ms, peak=r.value, peak_ms=r.at_ms,
                                     above_since_ms=r.at_ms, noted_ms=r.at_ms,
                                     noted_peak=r.value)
                        report_id = self.create(sensor, r.at_ms, r.value)
                        continue
                    self.note(sensor, report_id, f"reopen/{r.at_ms}",
                              texts.again(sensor, r.value, self._fmt(r.at_ms)))
                    if rep["status"] == "resolved":
                        self._mut(f"{sensor['id']}/reopen-status/{r.at_ms}", "report", report_id,
                                  "patch", {"status": "in_progress"}, rep["revision"])
                        rep.update(status="in_progress", revision=rep["revision"] + 1)
                elif a.kind == "create":
                    report_id = self.create(sensor, r.at_ms, r.value)
                elif a.kind == "note":
                    self.note(sensor, report_id, f"peak/{r.at_ms}",
                              texts.update(sensor, ep, self._fmt, r.at_ms))
                elif a.kind == "recovered":
                    self.note(sensor, report_id, f"recovered/{r.at_ms}",
                              texts.recovered(sensor, r.value, ep, self._fmt, r.at_ms))
        newest = fresh[-1]
        changes = {"last_at_ms": newest.at_ms, "last_value": newest.value, "state": lv,
                   "heard_ms": self.ing.clock(),
                   "report_id": report_id, "episode": json.dumps(ep.as_dict())}
        if sensor["offline_since_ms"] is not None:
            target = report_id if ep.active else sensor["offline_report_id"]
            if target is not None:
                self.note(sensor, target, f"online/{newest.at_ms}", texts.back_online(
                    sensor, sensor["offline_since_ms"], self._fmt, newest.at_ms))
            changes["offline_since_ms"] = None
        self.changed[sensor["id"]] = {**sensor, **changes}

    def offline(self, sensor: dict, now: int, last: int) -> None:
        """A silent sensor: during a danger episode the operator watching that report
        must learn its gauge went blind, so the notice is a note there. Otherwise it is
        a priority-3 report (maintenance work someone must be sent to do), one per outage;
        while that report is still open (not closed or rejected), a new outage of the same
        sensor is a note on it rather than another report: one open fault per device."""
        ep = Episode.from_dict(json.loads(sensor["episode"] or "{}"))
        body = texts.offline_note(sensor, self._fmt(last), self._fmt(now))
        off_id = sensor["offline_report_id"]
        if ep.active and sensor["report_id"]:
            self.note(sensor, sensor["report_id"], f"offline/{now}", body)
        elif off_id and (rep := self._report(off_id)) and rep["status"] not in FINAL:
            self.note(sensor, off_id, f"offline/{now}", body)
        else:
            off_id = self.create(sensor, now, sensor["last_value"] or 0.0, offline=True)
        self.changed[sensor["id"]] = {**sensor, "offline_since_ms": now, "state": "offline",
                                      "offline_report_id": off_id}

    def commit(self) -> None:
        if self.muts:
            ing = self.ing
            batch = Batch(self.conn, ing.ref, SYSTEM, tz=ing.tz, enforce_bounds=False,
                          source="sensor")
            muts = [MutationIn.model_validate(m) for m in self.muts]
            batch.preload(muts)
            for m in muts:
                result = batch.apply(m)
                if result.status not in ("applied", "duplicate"):
                    log.error("sensor change %s %s refused: %s", m.entity, m.entity_id,
                              result.message)
                elif m.entity == "report" and m.op == "create" and result.status == "applied":
                    log.info("sensor report %s created: %s", result.ticket,
                                m.fields.get("title"))
            batch.flush()
        if self.changed:
            cols = ("last_at_ms", "last_value", "heard_ms", "state", "report_id", "episode",
                    "offline_since_ms", "offline_report_id")
            self.conn.execute(
                update(S).where(S.c.id == bindparam("b_id"))
                .values({c: bindparam(f"b_{c}") for c in cols}),
                [{"b_id": sid, **{f"b_{c}": row[c] for c in cols}}
                 for sid, row in sorted(self.changed.items())])
