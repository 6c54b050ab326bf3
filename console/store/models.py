"""SQLModel tables of the console's local database.

Conventions (they matter to every query in the project):
- Datetimes are timezone-aware UTC in Python and stored as UTC text without an offset
  (``YYYY-MM-DD HH:MM:SS.ffffff``, see ``to_db``), so text order is time order. Converting
  to WIB (or the configured zone) happens only on screen and in exports.
- Records that travel between console and server carry a UUID ``id`` made where the record
  is born. ``Report`` also has ``pk``, a local integer rowid alias that never leaves this
  file: FTS5 (external content) and keyset paging need a stable integer key, and SQLite may
  renumber the implicit rowid of a table without one on VACUUM.
- Alembic owns the schema (``console/store/migrations``). These classes describe the head
  revision; a change here without a new migration is caught by ``tests/store``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from console.domain.catalog import DEFAULT_SLA_FOLLOWUP_DAYS, DEFAULT_SLA_VERIFY_DAYS

# The time and id helpers live in a module without SQLAlchemy so the console's hot paths
# (queue, views) can import them without paying for the ORM at start-up.
from console.store.timefmt import from_db, new_id, to_db, utcnow  # noqa: E402,F401


class Region(SQLModel, table=True):
    """Kota → kecamatan → kelurahan. Codes are hierarchical so a kecamatan's reports are a
    prefix range: ``3273`` (Kota Bandung, Kemendagri code), ``3273-2483`` (a kecamatan),
    ``3273-2483-30959`` (a kelurahan). Below the kota, the numbers are the stable ids of the
    ``areaid`` package, which ships names and postal codes but not Kemendagri codes."""

    __tablename__ = "region"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    level: str = Field(sa_column_kwargs={"nullable": False})  # kota | kecamatan | kelurahan
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    postal_code: str | None = None
    # Coordinates only where we know them honestly; None otherwise.
    lat: float | None = None
    lon: float | None = None
    boundary_geojson: str | None = Field(default=None, sa_column=Column(Text))

    __table_args__ = (
        CheckConstraint("level IN ('kota', 'kecamatan', 'kelurahan')", name="ck_region_level"),
    )


class Agency(SQLModel, table=True):
    __tablename__ = "agency"
    code: str = Field(primary_key=True, max_length=32)
    name_id: str
    name_en: str
    kind: str


class Category(SQLModel, table=True):
    """The service catalogue: what a report is about, and the rules that come with it."""

    __tablename__ = "category"
    code: str = Field(primary_key=True, max_length=40)
    name_id: str
    name_en: str
    default_priority: int = 3
    sla_verify_days: int = DEFAULT_SLA_VERIFY_DAYS
    sla_followup_days: int = DEFAULT_SLA_FOLLOWUP_DAYS
    sla_dispatch_minutes: int | None = None
    default_agency: str | None = Field(default=None, foreign_key="agency.code")
    emergency: bool = False

    __table_args__ = (
        CheckConstraint("default_priority BETWEEN 1 AND 4", name="ck_category_priority"),
    )


class Report(SQLModel, table=True):
    __tablename__ = "report"
    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(default_factory=new_id, unique=True, max_length=36)
    ticket: str = Field(unique=True, max_length=32)
    channel: str
    category_code: str = Field(foreign_key="category.code")
    priority: int = 3
    status: str = "new"
    triage: str | None = None  # 112 calls: emergency | information | prank | ghost
    title: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Personal data: masked on screen and in exports unless the role allows.
    reporter_name: str | None = None
    reporter_phone: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    region_code: str | None = Field(default=None, foreign_key="region.code")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    verified_at: datetime | None = None
    dispatched_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    sla_due_at: datetime | None = None
    assigned_agency: str | None = Field(default=None, foreign_key="agency.code")
    duplicate_of: str | None = Field(default=None, foreign_key="report.id")
    revision: int = 1
    created_by: str | None = None

    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 4", name="ck_report_priority"),
        CheckConstraint(
            "status IN ('new','verified','dispatched','in_progress','resolved','closed',"
            "'rejected','not_authority','duplicate','prank','ghost')",
            name="ck_report_status",
        ),
        CheckConstraint(
            "lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180)",
            name="ck_report_coords",
        ),
        # The queue's filters and sorts (see console/store/queue/order.py).
        Index("ix_report_status_priority_created", "status", "priority", "created_at"),
        Index("ix_report_priority_created", "priority", "created_at"),
        Index("ix_report_created", "created_at"),
        Index("ix_report_region_created", "region_code", "created_at"),
        Index("ix_report_category_created", "category_code", "created_at"),
        Index("ix_report_channel_created", "channel", "created_at"),
        Index("ix_report_sla_due", "sla_due_at"),
        Index("ix_report_updated", "updated_at"),
        Index("ix_report_agency", "assigned_agency"),
        Index("ix_report_status_sla", "status", "sla_due_at"),  # migration 0005
        Index("ix_report_duplicate_of", "duplicate_of",
              sqlite_where=text("duplicate_of IS NOT NULL")),
    )


class ReportEvent(SQLModel, table=True):
    """The append-only timeline of a report. Triggers refuse UPDATE and DELETE."""

    __tablename__ = "report_event"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    report_id: str = Field(foreign_key="report.id")
    at: datetime = Field(default_factory=utcnow)
    actor: str
    kind: str  # created | status | field | dispatch | note | reopen | merge | triage
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    detail: str | None = None  # JSON for anything that does not fit old → new

    __table_args__ = (Index("ix_event_report_at", "report_id", "at"),)


class Note(SQLModel, table=True):
    __tablename__ = "note"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    report_id: str = Field(foreign_key="report.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    author: str
    body: str = Field(sa_column=Column(Text, nullable=False))


class Dispatch(SQLModel, table=True):
    """One disposisi of a report to an agency; a report may go to several."""

    __tablename__ = "dispatch"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    report_id: str = Field(foreign_key="report.id", index=True)
    agency_code: str = Field(foreign_key="agency.code")
    at: datetime = Field(default_factory=utcnow)
    by: str
    note: str | None = None
    expected_at: datetime | None = None
    acknowledged_at: datetime | None = None


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    report_id: str = Field(foreign_key="report.id", index=True)
    filename: str
    mime: str
    size: int
    sha256: str = Field(index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    has_thumbnail: bool = False
    local_path: str | None = None  # None until the bytes are here


class Operator(SQLModel, table=True):
    __tablename__ = "operator"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    username: str = Field(unique=True)
    display_name: str
    role: str  # operator | kelurahan | supervisor | admin
    regions: str = "[]"  # JSON list of region codes this operator serves
    # The account cache (migration 0006, console/operations/accounts.py): filled at each
    # successful server login, so the operator on duty can be chosen offline.
    account_id: str | None = None
    server_url: str | None = None
    last_login_at: datetime | None = None
    verifier: str | None = None  # salted scrypt of the password, never the password


class Shift(SQLModel, table=True):
    __tablename__ = "shift"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    operator_id: str = Field(foreign_key="operator.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    handover_note: str | None = Field(default=None, sa_column=Column(Text))


class OutboxMutation(SQLModel, table=True):
    """A local change waiting for the server. Written in the same transaction as the change;
    removed only after the server confirms it applied (see console/sync)."""

    __tablename__ = "outbox"
    seq: int | None = Field(default=None, primary_key=True)  # local send order
    id: str = Field(default_factory=new_id, unique=True, max_length=36)  # mutation UUID
    created_at: datetime = Field(default_factory=utcnow)
    entity: str  # report | note | dispatch | attachment
    entity_id: str
    op: str  # create | patch | note | dispatch | merge
    base_revision: int | None = None
    payload: str  # JSON: the field-level patch or the new record
    state: str = "pending"  # pending | quarantined
    attempts: int = 0
    last_error: str | None = None

    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"),)


class Meta(SQLModel, table=True):
    """Small key/value facts about this database: station id, ticket counter, sync cursor."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Handover(SQLModel, table=True):
    """A shift handover: the pack (open P1/P2, SLA at risk, unacknowledged dispatches,
    unsynced changes, open conflicts) as a JSON snapshot taken at the outgoing supervisor's
    sign-out, signed off by the outgoing and then the incoming supervisor. What was signed
    stays on record: triggers (migration 0003) refuse edits after sign-off and deletes."""

    __tablename__ = "handover"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    shift_id: str | None = Field(default=None, foreign_key="shift.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    region_code: str | None = Field(default=None, foreign_key="region.code")
    pack: str = Field(sa_column=Column(Text, nullable=False))  # JSON, see operations/shifts.py
    note: str | None = Field(default=None, sa_column=Column(Text))
    outgoing_operator_id: str = Field(foreign_key="operator.id")
    outgoing_signed_at: datetime | None = None
    incoming_operator_id: str | None = Field(default=None, foreign_key="operator.id")
    incoming_signed_at: datetime | None = None


class ExportLog(SQLModel, table=True):
    """Every report or export written from this console: who, when, which window and
    region, and whether personal data left unmasked. Append-only (triggers, 0003). Reports
    whose reporter data went out unmasked also get an ``export_unmasked`` timeline event."""

    __tablename__ = "export_log"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str
    kind: str  # shift_report
    format: str  # pdf | xlsx | csv
    window_start: datetime
    window_end: datetime
    region_code: str | None = None
    unmasked: bool = False
    rows: int = 0
    filename: str  # the file's name only: a folder may name a person's home directory
    sha256: str | None = Field(default=None, max_length=64)


# --- sync engine state (console/sync, migration 0004) -----------------------------------


class SyncReport(SQLModel, table=True):
    """What the sync engine knows about a report on the server: the last server revision
    applied here (by pull) and the latest run of consecutive server revisions that were
    this console's own patches (``own_from`` < r <= ``own_to``), from which pending patches
    are re-based before their first send (see console/sync/pusher.py). ``gone``: the report
    left this console's regions but is kept because its local timeline holds evidence."""

    __tablename__ = "sync_report"
    report_id: str = Field(primary_key=True, max_length=36)
    server_revision: int | None = None
    own_from: int | None = None
    own_to: int | None = None
    gone: bool = False
    remote_duplicate_of: str | None = Field(default=None, max_length=36)


class SyncBasis(SQLModel, table=True):
    """The server revision a report mutation was made against (recorded by a trigger on
    ``outbox`` at insert time; NULL when the report was not known to the server then)."""

    __tablename__ = "sync_basis"
    mutation_id: str = Field(primary_key=True, max_length=36)
    server_revision: int | None = None


class SyncConflict(SQLModel, table=True):
    """A conflict record from the server (push result or pull feed): both values are kept
    until an operator decides; the decision is a new mutation and a timeline event."""

    __tablename__ = "sync_conflict"
    id: str = Field(primary_key=True, max_length=36)
    seq: int | None = None
    report_id: str = Field(max_length=36)
    field: str
    base_revision: int | None = None
    server_revision: int | None = None
    server_value: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    client_value: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    mutation_id: str | None = Field(default=None, max_length=36)
    by: str | None = None
    at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str | None = None  # server | client
    resolved_by: str | None = None
    resolution_mutation_id: str | None = Field(default=None, max_length=36)

    __table_args__ = (Index("ix_sync_conflict_report", "report_id", "resolved_at"),)


class SyncOrphan(SQLModel, table=True):
    """A pulled note/dispatch/attachment whose report has not arrived yet (the feed sends a
    row at its latest seq, so a child can come a page before its report). Applied, and
    removed, when the report arrives."""

    __tablename__ = "sync_orphan"
    kind: str = Field(primary_key=True, max_length=16)
    id: str = Field(primary_key=True, max_length=36)
    report_id: str = Field(max_length=36, index=True)
    row: str = Field(sa_column=Column(Text, nullable=False))  # JSON object


class Claim(SQLModel, table=True):
    """The soft claim on a report (console/domain/claims.py): which account is handling
    it, since when, until when. Written by this console's own actions (holder = the
    account on duty) and by the pull (the server's latest, another desk's included). No
    foreign key: a claim may arrive a page before its report."""

    __tablename__ = "claim"
    report_id: str = Field(primary_key=True, max_length=36)
    holder: str | None = None
    since: datetime | None = None
    expires_at: datetime | None = None


class SyncBlob(SQLModel, table=True):
    """Attachment bytes by content hash: what must go up, what may come down, and where
    the bytes and thumbnail are on this machine."""

    __tablename__ = "sync_blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    mime: str
    priority: int = 3  # best priority among the reports that carry it (download order)
    local_path: str | None = None
    thumb_path: str | None = None
    upload: bool = False  # bytes born here that the server does not have yet
    complete: bool = False  # the server holds every byte
    has_thumbnail: bool = False  # the server made a thumbnail
    attempts: int = 0
    last_error: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)

    __table_args__ = (Index("ix_sync_blob_work", "upload", "complete", "priority"),)


class Sensor(SQLModel, table=True):
    """A city gauge as the server last listed it (GET /v1/sensors; console/sync/sensors.py).
    ``state``: normal | warn | danger | offline; ``at_ms``: epoch ms of its latest reading;
    ``series_fetched_ms``: when this console last asked for its series (wall clock)."""

    __tablename__ = "sensor"
    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    lat: float
    lon: float
    unit: str = Field(max_length=16)
    warn: float
    danger: float
    value: float | None = None
    state: str = Field(max_length=8)
    at_ms: int | None = Field(default=None, sa_type=BigInteger)
    report_id: str | None = Field(default=None, max_length=36)
    offline_report_id: str | None = Field(default=None, max_length=36)
    series_fetched_ms: int | None = Field(default=None, sa_type=BigInteger)


class SensorPoint(SQLModel, table=True):
    """One 5-minute bucket of a gauge's last 24 hours (the bucket's highest reading)."""

    __tablename__ = "sensor_point"
    sensor_id: str = Field(primary_key=True, max_length=64)
    t_ms: int = Field(primary_key=True, sa_type=BigInteger,
                      sa_column_kwargs={"autoincrement": False})
    value: float


class SensorReport(SQLModel, table=True):
    """Which gauge a sensor report belongs to (kept after the gauge's next episode)."""

    __tablename__ = "sensor_report"
    report_id: str = Field(primary_key=True, max_length=36)
    sensor_id: str = Field(max_length=64, index=True)
