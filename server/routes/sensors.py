"""City sensors for consoles (issue 15): the gauges in the caller's scope with their current
level, and one gauge's last 24 hours for a sparkline.

Scope is the sensor's region, as for reports (server/scope.py): a kelurahan account sees
the gauges of its kelurahan; a gauge registered without a region is city-wide and only
city-wide accounts see it. A gauge outside the scope answers exactly as an unknown one
(404), so ids cannot be probed. Both answers are small and gzip on the wire (the Deflate
middleware), and the list carries an ETag: a console on a 64 kbit/s link asking again
with If-None-Match gets a bodiless 304 when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import func, literal_column, select

from server.deps import Caller, Ctx
from server.errors import ApiError
from server.schemas import ErrorOut
from server.scope import Principal
from server.sensors.models import Sensor, SensorReading, SensorRollup
from server.sensors.rollup import BUCKET_MS

router = APIRouter(prefix="/v1/sensors", tags=["sensors"])
ERRORS = {401: {"model": ErrorOut}, 422: {"model": ErrorOut}}

S, R, U = Sensor.__table__, SensorReading.__table__, SensorRollup.__table__
#: What the server's state column says → what a console shows ("ok" is "normal" there).
STATES = {"ok": "normal", "warn": "warn", "danger": "danger", "offline": "offline"}
MAX_HOURS = 24
#: A sensor id as registered (server/sensors/readings.py ID_RE).
SENSOR_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

LIST_DOC = """The active sensors in your scope, sorted by id: `{"server_time": ms, "sensors":
[{"id", "kind", "lat", "lon", "unit", "warn", "danger", "value", "state", "at",
"report_id", "offline_report_id"}]}`. `state` is `normal`, `warn`, `danger` (the level of
the latest reading) or `offline` (silent past twice its interval); `value` and `at`
(epoch ms of that reading) are null before the first reading. `report_id` is the report
of the current or latest danger episode, `offline_report_id` the latest "sensor offline"
report (null when none). The answer carries an `ETag`; send it back as `If-None-Match`
and an unchanged list answers 304 with no body. See docs/sensors.md."""

SERIES_DOC = """One sensor's history for a chart, in 5-minute buckets (`bucket_ms`),
oldest first: `{"id", "bucket_ms", "from", "to", "points": [[t_ms, value], ...]}` where
`t_ms` is the bucket's start and `value` the highest reading in it (a sparkline must not
smooth away the peak a danger report is about). At most 288 points (24 h). `since`
(epoch ms) answers only the buckets from the one holding `since` on: a console that
keeps the series asks for what is new. An unknown sensor, or one outside your scope,
is 404."""


def _state(row) -> str:  # noqa: ANN001
    if row.offline_since_ms is not None:
        return "offline"
    return STATES.get(row.state, "normal")


def _finite(v: float | None) -> float | None:
    return v if v is not None and math.isfinite(v) else None


def _visible(who: Principal):  # noqa: ANN202
    q = select(S).where(S.c.active.is_(True))
    if (cond := who.scope.where(S.c.region_code)) is not None:
        q = q.where(cond)
    return q


def read_list(ctx, who: Principal) -> dict:  # noqa: ANN001
    with ctx.db.read() as conn:
        rows = conn.execute(_visible(who).order_by(S.c.id)).all()
    return {"server_time": int(time.time() * 1000), "sensors": [{
        "id": r.id, "kind": r.kind, "lat": r.lat, "lon": r.lon, "unit": r.unit,
        "warn": r.warn, "danger": r.danger, "value": _finite(r.last_value),
        "state": _state(r), "at": r.last_at_ms, "report_id": r.report_id,
        "offline_report_id": r.offline_report_id} for r in rows]}


@router.get("", summary="Sensors in your scope with their current level", description=LIST_DOC,
            responses={**ERRORS, 304: {"description": "unchanged since the ETag sent"}})
async def sensors(request: Request, ctx: Ctx, who: Caller) -> Response:
    doc = await run_in_threadpool(read_list, ctx, who)
    # The ETag covers the sensors, not server_time (which changes every call).
    body = json.dumps(doc["sensors"], separators=(",", ":"), allow_nan=False).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    sent = request.headers.get("if-none-match", "")
    if etag in {t.strip() for t in sent.split(",")}:
        return Response(status_code=304, headers=headers)
    out = json.dumps(doc, separators=(",", ":"), allow_nan=False).encode()
    return Response(out, media_type="application/json", headers=headers)


def read_series(ctx, who: Principal, sensor_id: str, since: int | None,  # noqa: ANN001
                hours: int) -> dict:
    now = int(time.time() * 1000)
    # Whole buckets: the first starts after now - hours, so there are at most
    # hours * 12 of them, the last being the bucket under way.
    start = (now - hours * 3600_000) // BUCKET_MS * BUCKET_MS + BUCKET_MS
    if since is not None:
        start = max(start, since // BUCKET_MS * BUCKET_MS)
    bucket = (R.c.at_ms // BUCKET_MS) * BUCKET_MS  # integer division on both backends
    with ctx.db.read() as conn:
        visible = conn.execute(_visible(who).with_only_columns(S.c.id)
                               .where(S.c.id == sensor_id)).first()
        if visible is None:
            raise ApiError(404, f"sensor {sensor_id} does not exist or is outside your "
                                f"regions ({who.scope.describe()})")
        points: dict[int, float] = {}
        for b, v in conn.execute(select(U.c.bucket_ms, U.c.vmax).where(
                U.c.sensor_id == sensor_id, U.c.bucket_ms >= start, U.c.bucket_ms <= now)):
            points[int(b)] = float(v)
        for b, v in conn.execute(
                select(bucket.label("b"), func.max(R.c.value))
                .where(R.c.sensor_id == sensor_id, R.c.at_ms >= start, R.c.at_ms <= now)
                .group_by(literal_column("b"))):
            b = int(b)
            points[b] = max(float(v), points.get(b, float("-inf")))
    return {"id": sensor_id, "bucket_ms": BUCKET_MS, "from": start, "to": now,
            "points": [[b, v] for b, v in sorted(points.items()) if math.isfinite(v)]}


@router.get("/{sensor_id}/series", summary="A sensor's last 24 hours (5-minute maxima)",
            description=SERIES_DOC, responses={**ERRORS, 404: {"model": ErrorOut}})
async def series(
    ctx: Ctx, who: Caller,
    sensor_id: Annotated[str, Path(pattern=SENSOR_ID, description="the sensor's id")],
    since: Annotated[int | None, Query(ge=0, le=2**53, description="epoch ms: only buckets "
                                       "from the one holding this time on")] = None,
    hours: Annotated[int, Query(ge=1, le=MAX_HOURS, description="hours back from now")] = 24,
) -> dict:
    return await run_in_threadpool(read_series, ctx, who, sensor_id, since, hours)
