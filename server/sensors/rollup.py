"""Compact storage over time: raw readings for a day, then 5-minute min/max/avg rows.

``downsample`` folds raw rows older than a day into sensor_rollup and deletes them, in one
transaction without the global lock (nothing here travels to consoles, no sequence number).
A bucket that already has a rollup (a late reading near the cut) is merged by count.
``series`` reads a sensor's history back (rollup averages, then raw values) for a chart.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, literal_column, select, update

from server.db import Database
from server.sensors.models import SensorReading, SensorRollup

R = SensorReading.__table__
U = SensorRollup.__table__
BUCKET_MS = 5 * 60 * 1000
RAW_KEEP_MS = 24 * 3600 * 1000


def downsample(db: Database, now_ms: int) -> int:
    """Fold raw readings older than RAW_KEEP_MS (whole buckets only). Returns rows folded."""
    cut = (now_ms - RAW_KEEP_MS) // BUCKET_MS * BUCKET_MS
    # // is integer division on both backends (SQLAlchemy 2's / would be true division)
    bucket = (R.c.at_ms // BUCKET_MS) * BUCKET_MS
    with db.write(global_lock=False) as conn:
        groups = conn.execute(
            select(R.c.sensor_id, bucket.label("b"), func.count(), func.min(R.c.value),
                   func.max(R.c.value), func.avg(R.c.value))
            .where(R.c.at_ms < cut).group_by(R.c.sensor_id, literal_column("b"))).all()
        if not groups:
            return 0
        existing = {(r.sensor_id, r.bucket_ms): r for r in conn.execute(
            select(U).where(U.c.bucket_ms.in_({int(g[1]) for g in groups})))}
        new, merged = [], []
        for sid, b, n, lo, hi, avg in groups:
            b = int(b)
            old = existing.get((sid, b))
            if old is None:
                new.append(dict(sensor_id=sid, bucket_ms=b, n=n, vmin=lo, vmax=hi, vavg=avg))
            else:
                total = old.n + n
                merged.append(dict(sensor_id=sid, bucket_ms=b, n=total, vmin=min(lo, old.vmin),
                                   vmax=max(hi, old.vmax),
                                   vavg=(old.vavg * old.n + avg * n) / total))
        if new:
            conn.execute(insert(U), new)
        for row in merged:
            conn.execute(update(U).where(U.c.sensor_id == row["sensor_id"],
                                         U.c.bucket_ms == row["bucket_ms"]).values(**row))
        conn.execute(delete(R).where(R.c.at_ms < cut))
    return sum(g[2] for g in groups)


def series(db: Database, sensor_id: str, since_ms: int) -> list[tuple[int, float]]:
    """(time ms, value) oldest first: rollup averages, then raw readings."""
    with db.read() as conn:
        old = conn.execute(select(U.c.bucket_ms, U.c.vavg).where(
            U.c.sensor_id == sensor_id, U.c.bucket_ms >= since_ms).order_by(U.c.bucket_ms)).all()
        raw = conn.execute(select(R.c.at_ms, R.c.value).where(
            R.c.sensor_id == sensor_id, R.c.at_ms >= since_ms).order_by(R.c.at_ms)).all()
    return [(int(a), float(v)) for a, v in (*old, *raw)]
