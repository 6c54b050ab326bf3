"""The sensor registry: ``posko server add-sensor / list-sensors / disable-sensor`` and the
in-memory copy the MQTT callback checks each message against (no query per message)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from console.domain.geo import validate_lat_lon
from server.admin import audit
from server.db import Database
from server.models import Region
from server.sensors.models import KINDS, Sensor
from server.sensors.readings import ID_RE, UNITS, default_unit, physical_range

T = Sensor.__table__
RELOAD_AFTER_S = 5.0


class SensorError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SensorInfo:
    id: str
    kind: str
    unit: str
    warn: float
    danger: float
    interval_s: int
    active: bool


def add_sensor(db: Database, sensor_id: str, *, kind: str, lat: float, lon: float, warn: float,
               danger: float, unit: str | None = None, interval_s: int = 60,
               region: str | None = None, city_code: str | None = None) -> dict:
    """Register (or re-register with new settings: city IT scripts re-run) a sensor."""
    if not ID_RE.match(sensor_id or ""):
        raise SensorError("a sensor id is 1-64 letters, digits, '.', '_' or '-' (it is part "
                          "of the MQTT topic)")
    if kind not in KINDS:
        raise SensorError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    unit = unit or default_unit(kind)
    if unit not in UNITS[kind]:
        raise SensorError(f"unit {unit!r} is not one of {kind}'s: {', '.join(UNITS[kind])}")
    try:
        lat, lon = validate_lat_lon(lat, lon)
    except ValueError as exc:
        raise SensorError(str(exc)) from None
    lo, hi = physical_range(kind, unit)
    if not (lo <= warn < danger <= hi):
        raise SensorError(f"need warn < danger, both within {lo}..{hi} {unit}")
    if interval_s <= 0:
        raise SensorError("--interval-s must be positive")
    with db.write() as conn:
        code = region or city_code
        if code is not None:
            r = Region.__table__
            if conn.execute(select(r.c.code).where(r.c.code == code)).first() is None:
                raise SensorError(f"unknown region {code!r}")
        row = dict(kind=kind, lat=lat, lon=lon, region_code=code, warn=float(warn),
                   danger=float(danger), unit=unit, interval_s=interval_s, active=True)
        if conn.execute(select(T.c.id).where(T.c.id == sensor_id)).first() is None:
            conn.execute(insert(T).values(id=sensor_id, **row))
            created = True
        else:
            conn.execute(update(T).where(T.c.id == sensor_id).values(**row))
            created = False
        audit(conn, "add-sensor", sensor_id)
    return {"id": sensor_id, "created": created, **row}


def list_sensors(db: Database) -> list[dict]:
    with db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(T).order_by(T.c.id))]


def set_active(db: Database, sensor_id: str, active: bool) -> None:
    with db.write() as conn:
        n = conn.execute(update(T).where(T.c.id == sensor_id).values(active=active)).rowcount
        if n:
            audit(conn, "enable-sensor" if active else "disable-sensor", sensor_id)
    if not n:
        raise SensorError(f"no sensor {sensor_id!r}")


class SensorCache:
    """Registered sensors by id; reloaded at most every few seconds on a miss, so a sensor
    added while the server runs is picked up without a restart (and unknown ids sent in a
    flood cost one query per few seconds, not one per message)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._rows: dict[str, SensorInfo] = {}
        self._loaded = 0.0
        self.load()

    def load(self) -> None:
        with self.db.read() as conn:
            rows = {r.id: SensorInfo(r.id, r.kind, r.unit, r.warn, r.danger, r.interval_s,
                                     bool(r.active))
                    for r in conn.execute(select(T.c.id, T.c.kind, T.c.unit, T.c.warn, T.c.danger,
                                                 T.c.interval_s, T.c.active))}
        with self._lock:
            self._rows, self._loaded = rows, time.monotonic()

    def get(self, sensor_id: str) -> SensorInfo | None:
        row = self._rows.get(sensor_id)
        if (row is None or not row.active) and time.monotonic() - self._loaded > RELOAD_AFTER_S:
            self.load()
            row = self._rows.get(sensor_id)
        return row
