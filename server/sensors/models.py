"""The sensor tables (on the server's metadata: migrated by 0008_sensors).

Readings are stored compactly: the time as integer epoch milliseconds and the sensor by its
id, primary key (sensor_id, at_ms) so a QoS-1 redelivery (same sensor, same time) is one
row, written with ON CONFLICT DO NOTHING. Raw rows live a day; older ones are folded into
5-minute min/max/avg rows of sensor_rollup by ingest.Downsampler.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Text
from sqlmodel import Field

from server.models import ServerModel, UTCDateTime, utcnow

KINDS = ("water_level", "rain", "air_quality")


def _ts(**kw) -> object:
    return Field(sa_type=UTCDateTime, **kw)


class Sensor(ServerModel, table=True):
    """A registered sensor and its threshold state. The state columns change only inside
    a write transaction (the global write lock), so two server processes reading the same
    broker never both open a report for one crossing: the second sees ``report_id``."""

    __tablename__ = "sensor"
    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    lat: float
    lon: float
    region_code: str | None = Field(default=None, foreign_key="region.code")
    warn: float
    danger: float
    unit: str = Field(default="", max_length=16)
    interval_s: int = 60
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)
    #: ok | warn | danger (the level of the latest reading) | offline
    state: str = Field(default="ok", max_length=8)
    last_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    last_value: float | None = None
    #: Server time the latest new reading arrived: silence is judged by this, not by the
    #: readings' own stamps (a gauge whose clock lags would otherwise look always silent).
    heard_ms: int | None = Field(default=None, sa_type=BigInteger)
    #: The report of the current or latest danger episode, and its bookkeeping (JSON:
    #: peak, since, last note time, recovered_at) for throttled timeline notes.
    report_id: str | None = Field(default=None, max_length=36)
    episode: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    #: Set while the sensor is silent past its interval (the notice was written).
    offline_since_ms: int | None = Field(default=None, sa_type=BigInteger)
    offline_report_id: str | None = Field(default=None, max_length=36)

    __table_args__ = (
        CheckConstraint("kind IN ('water_level', 'rain', 'air_quality')", name="ck_sensor_kind"),
        CheckConstraint("interval_s > 0", name="ck_sensor_interval"),
    )


class SensorReading(ServerModel, table=True):
    __tablename__ = "sensor_reading"
    sensor_id: str = Field(primary_key=True, max_length=64)
    at_ms: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    value: float

    # WITHOUT ROWID: the primary key is the row, no second copy of it (about half the size).
    __table_args__ = ({"sqlite_with_rowid": False},)


class SensorRollup(ServerModel, table=True):
    """Five minutes of one sensor's readings older than a day."""

    __tablename__ = "sensor_rollup"
    sensor_id: str = Field(primary_key=True, max_length=64)
    bucket_ms: int = Field(primary_key=True, sa_type=BigInteger,
                           sa_column_kwargs={"autoincrement": False})
    n: int
    vmin: float
    vmax: float
    vavg: float

    __table_args__ = ({"sqlite_with_rowid": False},)
