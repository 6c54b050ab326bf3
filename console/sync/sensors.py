"""The sensor step of sync (issue 15): the gauges in scope and the 24-hour series of those
that have a report here, kept cheap for a 64 kbit/s link.

- The list (``GET /v1/sensors``) at most every ``list_every_s`` (2 min), with the ETag of
  the last answer: unchanged, it is a bodiless 304 (about 300 bytes both ways). It is
  asked for at once when a sensor report arrived that no gauge is known for yet (a new
  crossing: the detail wants its sparkline now), once per such report.
- A series (``GET /v1/sensors/{id}/series?since=``) only for gauges with a report on this
  console, only what is new since the last point kept, at most once a minute a gauge.
- Replies are checked before anything is written: a malformed one (not JSON, a missing
  field, NaN, a coordinate off the globe) is a BadResponse naming what is wrong, and the
  last good data stay. Failures never fail the cycle that runs this step: the step waits
  (doubling to 10 minutes) and the reports keep flowing.

Runs from a cycle (``SyncEngine.run_cycle``) and from the watch between cycles; a lock
keeps it to one at a time. Qt-free and blocking, like the engine.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from console.operations.base import OpChanges
from console.store import sensors as store
from console.store.transaction import write_transaction
from console.sync import state
from console.sync.errors import AuthRequired, BadResponse, Cancelled, LocalStoreError, SyncError
from console.sync.transport import Transport

log = logging.getLogger("posko.sync.sensors")

ETAG = "sensors.etag"
STATES = frozenset({"normal", "warn", "danger", "offline"})
MAX_SENSORS = 10_000
MAX_POINTS = 24 * 12 + 1
FAIL_CAP_S = 600.0


def _num(value: Any, what: str, *, nullable: bool = False) -> float | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadResponse(f"the server's sensor answer has a bad {what}: {value!r:.40}")
    return float(value)


def _text(value: Any, what: str, limit: int, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadResponse(f"the server's sensor answer has a bad {what}: {value!r:.40}")
    return value


def _unit(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 16:  # "" is a unit-less reading
        raise BadResponse(f"the server's sensor answer has a bad unit: {value!r:.40}")
    return value


def parse_list(doc: Any) -> list[dict]:
    """The checked rows of a ``GET /v1/sensors`` answer, or BadResponse."""
    if not isinstance(doc, dict) or not isinstance(doc.get("sensors"), list):
        raise BadResponse("the server's sensor list is not an object with a 'sensors' list")
    if len(doc["sensors"]) > MAX_SENSORS:
        raise BadResponse(f"the server's sensor list is too long ({len(doc['sensors'])})")
    out, seen = [], set()
    for s in doc["sensors"]:
        if not isinstance(s, dict):
            raise BadResponse("an entry of the server's sensor list is not an object")
        missing = [k for k in ("id", "kind", "lat", "lon", "unit", "warn", "danger", "state")
                   if k not in s]
        if missing:
            raise BadResponse(f"a sensor of the server's list lacks {', '.join(missing)}")
        sid = _text(s["id"], "sensor id", 64)
        if sid in seen:
            raise BadResponse(f"the server's sensor list names {sid!r:.70} twice")
        seen.add(sid)
        lat, lon = _num(s["lat"], "latitude"), _num(s["lon"], "longitude")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadResponse(f"sensor {sid!r:.70} has coordinates off the globe")
        if s["state"] not in STATES:
            raise BadResponse(f"sensor {sid!r:.70} has an unknown state {s['state']!r:.20}")
        at = s.get("at")
        if at is not None and (type(at) is not int or at < 0):
            raise BadResponse(f"sensor {sid!r:.70} has a bad reading time")
        out.append({
            "id": sid, "kind": _text(s["kind"], "kind", 16), "lat": lat, "lon": lon,
            "unit": _unit(s["unit"]),
            "warn": _num(s["warn"], "warn level"), "danger": _num(s["danger"], "danger level"),
            "value": _num(s.get("value"), "value", nullable=True), "state": s["state"],
            "at_ms": at,
            "report_id": _text(s.get("report_id"), "report id", 36, nullable=True),
            "offline_report_id": _text(s.get("offline_report_id"), "report id", 36,
                                       nullable=True)})
    return out


def parse_series(doc: Any, sensor_id: str) -> tuple[int, list[tuple[int, float]]]:
    """(first bucket asked, points) of a series answer, or BadResponse."""
    if not isinstance(doc, dict) or doc.get("id") != sensor_id or type(doc.get("from")) is not int \
            or not isinstance(doc.get("points"), list):
        raise BadResponse(f"the server's series of sensor {sensor_id!r:.70} is malformed")
    if len(doc["points"]) > MAX_POINTS:
        raise BadResponse(f"the server's series of sensor {sensor_id!r:.70} is too long")
    points = []
    for p in doc["points"]:
        if not isinstance(p, list) or len(p) != 2 or type(p[0]) is not int:
            raise BadResponse(f"a point of sensor {sensor_id!r:.70}'s series is malformed")
        points.append((p[0], _num(p[1], "series value")))
    return doc["from"], points


class SensorStep:
    def __init__(self, db_call: Callable, emit: Callable[[OpChanges], None], *,
                 list_every_s: float = 120.0, series_every_s: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        """``db_call(fn, *args)``: run ``fn(conn, *args)`` on the database worker (the
        engine's ``_db``); ``emit``: announce what changed (the engine's ``_emit``)."""
        self.db = db_call
        self.emit = emit
        self.list_every_s = list_every_s
        self.series_every_s = series_every_s
        self.clock = clock
        self._lock = threading.Lock()
        self._listed_at: float | None = None
        self._scope: str | None = None  # the login scope the last list was asked under
        self._tried: set[str] = set()  # unlinked reports the list was already asked for
        self._retry_at = 0.0
        self._fail_delay = 0.0
        #: Requests made, 304s, failures: for the tests and the bench.
        self.requests = 0
        self.unchanged = 0
        self.failures = 0
        self.last_error: str | None = None

    def run(self, tr: Transport) -> bool:
        """Fetch what is due. Never raises a sync error except a login problem or a stop
        (the caller's concern); True when something changed here."""
        if not self._lock.acquire(blocking=False):
            return False  # the other lane is at it
        try:
            now = self.clock()
            if now < self._retry_at:
                return False
            try:
                changed = self._run(tr, now)
            except (AuthRequired, Cancelled):
                raise
            except (SyncError, LocalStoreError) as exc:
                self.failures += 1
                self.last_error = str(exc)
                self._fail_delay = min(FAIL_CAP_S, max(5.0, self._fail_delay * 2))
                self._retry_at = now + self._fail_delay
                log.warning("sensors not updated (%s); trying again in %.0f s", exc,
                            self._fail_delay)
                return False
            self._fail_delay = 0.0
            self.last_error = None
            return changed
        finally:
            self._lock.release()

    def _run(self, tr: Transport, now: float) -> bool:
        fresh = self.db(store.unlinked_sensor_reports) - self._tried
        scope = self.db(state.get_meta, state.SCOPE) or ""
        changed_sensors: set[str] = set()
        reports: set[str] = set()
        # A new login with another scope (another kelurahan) wants its own gauges now.
        if fresh or self._listed_at is None or scope != self._scope \
                or now - self._listed_at >= self.list_every_s:
            self._tried |= fresh
            result = self._fetch_list(tr, scope)
            self._listed_at, self._scope = now, scope
            if result is not None:
                changed_sensors |= result.changed
                reports |= result.report_ids
        for sid, since in self.db(store.series_due, int(now * 1000), int(self.series_every_s * 1000)):
            params = {} if since is None else {"since": since}
            self.requests += 1
            resp, elapsed = tr._send("GET", f"/v1/sensors/{sid}/series", params=params)
            if resp.status_code == 404:  # disabled or out of scope since the list:
                resp.close()              # the list, asked next time, drops it here
                self._listed_at = None
                continue
            start, points = parse_series(tr._json(resp, elapsed, "a sensor series"), sid)
            reports |= self.db(store.store_series, sid, start, points, int(now * 1000),
                               int(now * 1000))
            changed_sensors.add(sid)
        if changed_sensors:
            # No report_ids: the reports themselves did not change (a queue row, a map
            # marker, the Detail's banner "changed by sync" would be refreshed for nothing);
            # the sensor layer and the sparkline listen for kind "sensors".
            self.emit(OpChanges(kind="sensors", timeline=False, outbox=False, source="sync",
                                detail={"sensors": sorted(changed_sensors),
                                        "reports": sorted(reports)}))
        return bool(changed_sensors)

    def _fetch_list(self, tr: Transport, scope: str) -> store.ListResult | None:
        etag = None
        try:
            kept = json.loads(self.db(state.get_meta, ETAG) or "null")
            if isinstance(kept, list) and len(kept) == 2 and kept[0] == scope:
                etag = kept[1]  # an ETag of another scope's list says nothing of this one
        except ValueError:
            pass
        self.requests += 1
        headers = {"If-None-Match": etag} if isinstance(etag, str) else None
        resp, elapsed = tr._send("GET", "/v1/sensors", headers=headers)
        if resp.status_code == 304:
            resp.close()
            self.unchanged += 1
            return None
        rows = parse_list(tr._json(resp, elapsed, "the sensor list"))
        result = self.db(store.replace_list, rows)
        new_etag = resp.headers.get("ETag")
        self.db(_store_etag, json.dumps([scope, new_etag]) if new_etag else None)
        return result


def _store_etag(conn, value: str | None) -> None:  # noqa: ANN001
    with write_transaction(conn):
        state.set_meta(conn, ETAG, value)
