"""One MQTT message to one reading, or the reason it is dropped (never an exception).

Topic ``posko/sensors/<ID>/reading``, payload JSON ``{"value": number, "at": "ISO-8601"}``.
Every drop is counted under its reason (``Stats``) and logged, at most once a minute per
reason, so a misconfigured gauge sending 10 messages a second cannot flood the log.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from dataclasses import dataclass

from server.validation import parse_time

log = logging.getLogger("posko.server.sensors")

TOPIC_FILTER = "posko/sensors/+/reading"
TOPIC_RE = re.compile(r"^posko/sensors/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/reading$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_PAYLOAD = 1024
#: A reading stamped more than this far ahead of our clock is refused: a gauge with a wrong
#: clock would otherwise hold the sensor's "latest" past every honest reading for hours.
FUTURE_MS = 5 * 60 * 1000
#: Older than this it is refused: raw readings are kept a day, and a day-old crossing is
#: history, not an incident.
STALE_MS = 24 * 3600 * 1000

#: Physically possible values per kind and unit (default unit first). Outside: a broken
#: gauge or a wrong unit, never a flood.
UNITS: dict[str, dict[str, tuple[float, float]]] = {
    "water_level": {"cm": (-500.0, 5000.0), "m": (-5.0, 50.0), "mm": (-5000.0, 50000.0)},
    "rain": {"mm/h": (0.0, 500.0), "mm": (0.0, 2000.0)},
    "air_quality": {"ug/m3": (0.0, 2000.0), "aqi": (0.0, 999.0), "ppm": (0.0, 1000.0)},
}

REASONS = ("malformed", "unknown_sensor", "disabled_sensor", "out_of_range", "future", "stale",
           "duplicate", "queue_full", "db_retry")


def default_unit(kind: str) -> str:
    return next(iter(UNITS[kind]))


def physical_range(kind: str, unit: str) -> tuple[float, float]:
    return UNITS[kind].get(unit) or UNITS[kind][default_unit(kind)]


@dataclass(frozen=True, slots=True)
class Reading:
    sensor_id: str
    at_ms: int
    value: float


class Stats:
    """Counters of what came in and what was dropped, and why (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {"received": 0, "stored": 0, **{r: 0 for r in REASONS}}
        self._logged: dict[str, float] = {}

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def drop(self, reason: str, detail: str) -> None:
        self.add(reason)
        now = time.monotonic()
        with self._lock:
            if now - self._logged.get(reason, -1e9) < 60:
                return
            self._logged[reason] = now
        log.warning("sensor reading dropped (%s): %s [%d so far]", reason, detail[:200],
                    self.counts[reason])

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)


def parse(topic: str, payload: bytes, now_ms: int, sensors, stats: Stats) -> Reading | None:  # noqa: ANN001
    """The reading in a message, or None (counted in ``stats``). ``sensors`` answers
    ``get(id)`` with the registry's cached row (registry.SensorCache)."""
    stats.add("received")
    return _parse(topic, payload, now_ms, sensors, stats)


def parse_many(messages, now_ms: int, sensors, stats: Stats) -> list[Reading]:  # noqa: ANN001
    """parse() over a batch of (topic, payload) pairs: the writer's side, so the MQTT
    thread only queues bytes. A message that breaks the parser itself is counted as
    malformed, never raised."""
    stats.add("received", len(messages))
    out = []
    for m in messages:  # (topic, payload[, token])
        topic, payload = m[0], m[1]
        try:
            r = _parse(topic, payload, now_ms, sensors, stats)
        except Exception:  # noqa: BLE001 - one bad message must not drop its batch
            log.exception("sensor message on %r could not be read", topic)
            stats.add("malformed")
            continue
        if r is not None:
            out.append(r)
    return out


def _parse(topic: str, payload: bytes, now_ms: int, sensors, stats: Stats) -> Reading | None:  # noqa: ANN001
    m = TOPIC_RE.match(topic)
    if m is None:
        stats.drop("malformed", f"topic {topic!r}")
        return None
    sensor_id = m.group(1)
    if len(payload) > MAX_PAYLOAD:
        stats.drop("malformed", f"{sensor_id}: payload of {len(payload)} bytes")
        return None
    try:
        doc = json.loads(payload.decode() if isinstance(payload, bytes) else payload)
    except (ValueError, UnicodeDecodeError):
        stats.drop("malformed", f"{sensor_id}: not JSON: {payload[:60]!r}")
        return None
    if not isinstance(doc, dict):
        stats.drop("malformed", f"{sensor_id}: not a JSON object")
        return None
    value = doc.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        stats.drop("malformed", f"{sensor_id}: value {value!r} is not a number")
        return None
    try:
        at = parse_time(doc.get("at"), "at", allow_none=False)
    except (ValueError, OverflowError) as exc:
        stats.drop("malformed", f"{sensor_id}: {exc}")
        return None
    sensor = sensors.get(sensor_id)
    if sensor is None:
        stats.drop("unknown_sensor", f"{sensor_id} is not registered (posko server add-sensor)")
        return None
    if not sensor.active:
        stats.drop("disabled_sensor", f"{sensor_id} is disabled")
        return None
    lo, hi = physical_range(sensor.kind, sensor.unit)
    if not lo <= value <= hi:
        stats.drop("out_of_range", f"{sensor_id}: {value} {sensor.unit} outside {lo}..{hi}")
        return None
    at_ms = round(at.timestamp() * 1000)
    if at_ms > now_ms + FUTURE_MS:
        stats.drop("future", f"{sensor_id}: at {doc.get('at')} is ahead of the server clock")
        return None
    if at_ms < now_ms - STALE_MS:
        stats.drop("stale", f"{sensor_id}: at {doc.get('at')} is more than a day old")
        return None
    return Reading(sensor_id, at_ms, float(value))
