"""City sensors in the local database (issue 15): what the sync's sensor step writes and
what the map's sensor layer and the detail panel's sparkline read. Qt-free; every
function takes the worker's sqlite3 connection.

Rows arrive already checked (console/sync/sensors.py ``parse_list`` / ``parse_series``):
a malformed reply never gets this far, so what is here is always the last good answer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from console.store.transaction import write_transaction

#: A gauge's history kept for the sparkline: 24 hours (the server sends no more).
KEEP_MS = 24 * 3600 * 1000
COLUMNS = ("id", "kind", "lat", "lon", "unit", "warn", "danger", "value", "state", "at_ms",
           "report_id", "offline_report_id")


@dataclass(frozen=True)
class ListResult:
    changed: frozenset[str] = frozenset()  # sensors added, changed or removed
    report_ids: frozenset[str] = frozenset()  # local reports of those sensors


def replace_list(conn: sqlite3.Connection, sensors: list[dict]) -> ListResult:
    """Make the sensor table the server's list (the list is the caller's whole scope: a
    sensor missing from it is gone, or out of a new scope). One transaction; remembers
    which report belongs to which gauge, for good."""
    new = {s["id"]: tuple(s[c] for c in COLUMNS) for s in sensors}
    with write_transaction(conn):
        old = {r[0]: tuple(r) for r in conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM sensor")}  # noqa: S608 - fixed names
        gone = set(old) - set(new)
        changed = {sid for sid, row in new.items() if old.get(sid) != row} | gone
        for sid in gone:
            conn.execute("DELETE FROM sensor WHERE id = ?", (sid,))
            conn.execute("DELETE FROM sensor_point WHERE sensor_id = ?", (sid,))
        for sid in changed - gone:
            row = new[sid]
            conn.execute(
                f"INSERT INTO sensor ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
                "ON CONFLICT(id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:]), row)  # noqa: S608
        links = [(rid, s["id"]) for s in sensors
                 for rid in (s["report_id"], s["offline_report_id"]) if rid]
        conn.executemany("INSERT INTO sensor_report (report_id, sensor_id) VALUES (?, ?) "
                         "ON CONFLICT(report_id) DO NOTHING", links)
    return ListResult(frozenset(changed), _local_reports(conn, changed))


def _local_reports(conn: sqlite3.Connection, sensor_ids) -> frozenset[str]:  # noqa: ANN001
    ids = list(sensor_ids)
    if not ids:
        return frozenset()
    marks = ", ".join("?" * len(ids))
    return frozenset(r[0] for r in conn.execute(
        f"SELECT l.report_id FROM sensor_report l JOIN report r ON r.id = l.report_id "  # noqa: S608
        f"WHERE l.sensor_id IN ({marks})", ids))


def store_series(conn: sqlite3.Connection, sensor_id: str, start_ms: int,
                 points: list[tuple[int, float]], fetched_ms: int, now_ms: int) -> frozenset[str]:
    """The buckets from ``start_ms`` on are the server's answer (the first may have grown
    since we last asked); older than a day goes. Returns the gauge's local reports."""
    with write_transaction(conn):
        if conn.execute("SELECT 1 FROM sensor WHERE id = ?", (sensor_id,)).fetchone() is None:
            return frozenset()  # left the scope meanwhile
        conn.execute("DELETE FROM sensor_point WHERE sensor_id = ? AND (t_ms >= ? OR t_ms < ?)",
                     (sensor_id, start_ms, now_ms - KEEP_MS))
        conn.executemany("INSERT OR REPLACE INTO sensor_point (sensor_id, t_ms, value) "
                         "VALUES (?, ?, ?)", [(sensor_id, t, v) for t, v in points])
        conn.execute("UPDATE sensor SET series_fetched_ms = ? WHERE id = ?",
                     (fetched_ms, sensor_id))
    return _local_reports(conn, [sensor_id])


def series_due(conn: sqlite3.Connection, now_ms: int, every_ms: int) -> list[tuple[str, int | None]]:
    """(sensor id, since) of the gauges whose series to fetch now: those with a report on
    this console (only a report's detail shows a sparkline), never fetched, or with a
    reading newer than their last point and not asked for within ``every_ms`` (a gauge
    reporting every minute costs one small request a minute at most)."""
    rows = conn.execute(
        "SELECT s.id, s.at_ms, s.series_fetched_ms, "
        "(SELECT max(t_ms) FROM sensor_point p WHERE p.sensor_id = s.id) "
        "FROM sensor s WHERE EXISTS (SELECT 1 FROM sensor_report l JOIN report r "
        "ON r.id = l.report_id WHERE l.sensor_id = s.id) ORDER BY s.id").fetchall()
    out = []
    for sid, at_ms, fetched, last in rows:
        if fetched is None:
            out.append((sid, None))
        elif now_ms - fetched >= every_ms and at_ms is not None and (last is None or at_ms > last):
            out.append((sid, last))
    return out


def unlinked_sensor_reports(conn: sqlite3.Connection) -> set[str]:
    """Sensor reports on this console not yet known to belong to a gauge (a new crossing
    pulled before the next sensor list): the list is asked for at once."""
    return {r[0] for r in conn.execute(
        "SELECT id FROM report r WHERE channel = 'sensor' AND NOT EXISTS "
        "(SELECT 1 FROM sensor_report l WHERE l.report_id = r.id)")}


def map_sensors(conn: sqlite3.Connection) -> list[dict]:
    """Every gauge for the map layer, with the report of its current danger episode when
    this console holds it (a click on the gauge opens it)."""
    cur = conn.execute("SELECT id, kind, lat, lon, unit, warn, danger, value, state, at_ms, "
                       "(SELECT r.id FROM report r WHERE r.id = sensor.report_id) AS report "
                       "FROM sensor ORDER BY id")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


@dataclass
class SensorSeries:
    """What the sparkline draws."""

    id: str
    kind: str
    unit: str
    warn: float
    danger: float
    value: float | None
    state: str
    at_ms: int | None
    points: list[tuple[int, float]] = field(default_factory=list)


def series_for_report(conn: sqlite3.Connection, report_id: str) -> SensorSeries | None:
    """The gauge of a sensor report and its last 24 hours, or None (not a sensor report, or
    its gauge not known here yet)."""
    row = conn.execute(
        "SELECT s.id, s.kind, s.unit, s.warn, s.danger, s.value, s.state, s.at_ms "
        "FROM sensor_report l JOIN sensor s ON s.id = l.sensor_id WHERE l.report_id = ?",
        (report_id,)).fetchone()
    if row is None:
        return None
    points = [(int(t), float(v)) for t, v in conn.execute(
        "SELECT t_ms, value FROM sensor_point WHERE sensor_id = ? ORDER BY t_ms", (row[0],))]
    return SensorSeries(*row, points=points)
