"""The demo's city sensors: three gauges on the demo server, a day of their readings, and
readings that keep coming while the demo runs.

The river gauge on the Citepus at Campaka (the kelurahan desk's own) rose past its danger
mark about an hour and a half ago and is still above it: the server's threshold logic made
one sensor report of it,
priority 1, which both desks pull like any report, with the gauge on the map and its
24-hour sparkline in the Detail panel. The rain gauge crossed its warning level in the
afternoon shower and is back to normal; the air-quality monitor sits at its warning
level. Readings go through the server's own ingest (``Ingest.write_batch``: storage,
thresholds, the bell that wakes the desks' long polls), as MQTT readings would; the demo
runs no broker.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("posko.demo.sensors")

#: Reports the seeded day makes: the river gauge's danger crossing (its later readings
#: update that report; the other gauges stay under their danger levels).
SENSOR_REPORTS = 1
#: Readings of the seeded day, one per gauge every 10 minutes (a day old is "stale").
HISTORY_STEP_S = 600
HISTORY_S = 23 * 3600
#: While the demo runs, each gauge reports this often (and says so to the server: a
#: gauge silent for longer than its interval is shown offline).
LIVE_STEP_S = 60


@dataclass(frozen=True)
class DemoGauge:
    id: str
    kind: str
    unit: str
    lat: float
    lon: float
    warn: float
    danger: float
    kelurahan: str | None  # the kelurahan whose desk sees it; None: city-wide

    def level(self, hours_ago: float, rng: random.Random) -> float:
        """The gauge's reading ``hours_ago`` hours before now (a plausible day)."""
        noise = rng.uniform(-1.0, 1.0)
        if self.kind == "water_level":
            # Base flow and a flood wave after the afternoon rain, cresting half an hour
            # ago: over the danger mark since about 1.4 h ago, and still (about 220 cm).
            wave = 160.0 * math.exp(-((hours_ago - 0.5) / 2.0) ** 2)
            return round(max(20.0, 70.0 + 8.0 * math.sin(hours_ago / 3.0) + wave
                             + 4.0 * noise), 1)
        if self.kind == "rain":
            shower = 32.0 * math.exp(-((hours_ago - 4.0) / 1.2) ** 2)
            return round(max(0.0, 1.5 + shower + 1.0 * noise), 1)
        # Air: worse in the morning and evening traffic, at its warning level now.
        traffic = 35.0 * (math.cos((hours_ago + 1.0) / 24.0 * 2 * math.pi * 2) + 1.0)
        return round(max(5.0, 55.0 + traffic + 6.0 * noise), 1)


GAUGES: tuple[DemoGauge, ...] = (
    DemoGauge("tma-citepus-campaka", "water_level", "cm", -6.9105, 107.5990, 150.0, 200.0,
              "Campaka"),
    DemoGauge("ch-cikapundung-tamansari", "rain", "mm/h", -6.9030, 107.6090, 20.0, 50.0,
              None),
    DemoGauge("udara-alun-alun", "air_quality", "ug/m3", -6.9218, 107.6071, 100.0, 150.0,
              None),
)


def _kelurahan_code(name: str) -> str:
    from console.demo.server import _kelurahan_code as code

    return code(name)


def register(db: Any) -> None:
    """Register the demo gauges (idempotent: a re-registration keeps their data)."""
    from server.sensors import registry

    for g in GAUGES:
        registry.add_sensor(db, g.id, kind=g.kind, lat=g.lat, lon=g.lon, warn=g.warn,
                            danger=g.danger, unit=g.unit, interval_s=3 * LIVE_STEP_S,
                            region=_kelurahan_code(g.kelurahan) if g.kelurahan else None)


def _ingest(ctx: Any) -> Any:
    from server.sensors.ingest import Ingest

    return Ingest(ctx.db, ctx.ref)


def seed_day(ctx: Any, *, now_ms: int | None = None, seed: int = 1) -> int:
    """Register the gauges and store their last 23 hours (the river's crossing makes its
    report). ``ctx``: the server app's Context (its Database rings the bell). Returns the
    readings stored."""
    from server.sensors.readings import Reading

    register(ctx.db)
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    rng = random.Random(f"posko-demo-sensors:{seed}")
    readings = [
        Reading(g.id, now_ms - s * 1000, g.level(s / 3600.0, rng))
        for g in GAUGES for s in range(HISTORY_S, -1, -HISTORY_STEP_S)
    ]
    return _ingest(ctx).write_batch(sorted(readings, key=lambda r: r.at_ms))


class LiveGauges:
    """Each demo gauge reports every LIVE_STEP_S seconds while the demo runs (a daemon
    thread; ``stop()`` ends it)."""

    def __init__(self, ctx: Any, *, step_s: float = LIVE_STEP_S, seed: int = 2) -> None:
        self._ingest = _ingest(ctx)
        self._step_s = step_s
        self._rng = random.Random(f"posko-demo-sensors-live:{seed}")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posko-demo-gauges",
                                        daemon=True)

    def start(self) -> LiveGauges:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def report_once(self, at_ms: int | None = None) -> int:
        """One reading per gauge at ``at_ms`` (now by default); returns how many were
        stored (a second reading of a gauge at the same millisecond is the same reading)."""
        from server.sensors.readings import Reading

        at_ms = int(time.time() * 1000) if at_ms is None else at_ms
        return self._ingest.write_batch(
            [Reading(g.id, at_ms, g.level(0.0, self._rng)) for g in GAUGES])

    def _run(self) -> None:
        while not self._stop.wait(self._step_s):
            try:
                self.report_once()
            except Exception:  # noqa: BLE001 - a demo gauge must never end the demo
                log.exception("a demo gauge's reading could not be stored")
