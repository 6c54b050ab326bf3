"""The central server's own tables (SQLModel on a private registry).

The server shares *rules* with the console (console/domain), not tables: its schema is
its own, migrated by server/migrations, and lives on its own MetaData so a process that
imports both (the test suite, a developer's shell) never mixes the two schemas.

Conventions:
- Every record that travels to consoles has ``seq``: the global change sequence number
  of its latest change, unique per table and allocated under the write lock (see
  db.py ``Database.write``), so a puller's cursor never skips a row.
- Times are timezone-aware UTC (``UTCDateTime``) on SQLite and PostgreSQL alike.
- JSON-valued columns are Text holding JSON, portable across both databases.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, Text, false
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from console.domain.catalog import DEFAULT_SLA_FOLLOWUP_DAYS, DEFAULT_SLA_VERIFY_DAYS

ROLES = ("operator", "kelurahan", "supervisor", "admin")


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the server stores only aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ServerModel(SQLModel, registry=registry()):
    """Base of the server's tables; its ``metadata`` is the server schema."""


def _ts(**kw) -> object:
    return Field(sa_type=UTCDateTime, **kw)


def _seq() -> object:
    return Field(sa_type=BigInteger, unique=True, index=False)


def _origin() -> object:
    """The login session whose push made the row's latest change (None: anything else).
    The change feed does not send a console back what it just pushed (issue 11)."""
    return Field(default=None, max_length=16, nullable=True)


class Meta(ServerModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Counter(ServerModel, table=True):
    """Named counters: ``seq`` (the change sequence) and ticket counters. Only touched
    inside a write transaction, which holds the global write lock."""

    __tablename__ = "counter"
    name: str = Field(primary_key=True, max_length=64)
    value: int = Field(sa_type=BigInteger, default=0)


class Region(ServerModel, table=True):
    __tablename__ = "region"
    code: str = Field(primary_key=True, max_length=40)
    name: str
    level: str
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    postal_code: str | None = Field(default=None, max_length=5, index=True)
    lat: float | None = None
    lon: float | None = None

    __table_args__ = (
        CheckConstraint("level IN ('kota', 'kecamatan', 'kelurahan')", name="ck_region_level"),
    )


class Agency(ServerModel, table=True):
    __tablename__ = "agency"
    code: str = Field(primary_key=True, max_length=32)
    name_id: str
    name_en: str
    kind: str


class Category(ServerModel, table=True):
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
    active: bool = True


class Account(ServerModel, table=True):
    """A login: a person or a station. ``regions`` is a JSON list of region codes; an empty
    list means the whole city, which only command-center roles may have."""

    __tablename__ = "account"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    username: str = Field(unique=True, max_length=64)
    display_name: str
    role: str
    regions: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    password_hash: str
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)

    __table_args__ = (
        CheckConstraint(
            "role IN ('operator', 'kelurahan', 'supervisor', 'admin')", name="ck_account_role"
        ),
    )


class AuthToken(ServerModel, table=True):
    """A login session. Only the SHA-256 of the token is stored (tokens are 256-bit
    random, so a fast hash is enough); the token itself exists only at the client."""

    __tablename__ = "auth_token"
    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="account.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    revoked_at: datetime | None = _ts(default=None)


class ApiKey(ServerModel, table=True):
    """An Open311 client (a citizen app). Stored as SHA-256 of a 256-bit random key."""

    __tablename__ = "api_key"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str
    key_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _ts(default_factory=utcnow)
    active: bool = True


class Throttle(ServerModel, table=True):
    """Attempts counted per key in a fixed window (server/throttle.py): failed logins per
    account and per address, Open311 filings per key and per address. In the database so
    every server process on it shares the counts."""

    __tablename__ = "throttle"
    key: str = Field(primary_key=True, max_length=160)
    window_start: datetime = _ts()
    count: int = 0


class Audit(ServerModel, table=True):
    """What an administrator did with ``posko server …`` (server/admin.py): the OS user
    who ran it (the admin is not an account), the command and its target. Never a
    password or a key."""

    __tablename__ = "audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(default_factory=utcnow)
    os_user: str = Field(max_length=100)
    command: str = Field(max_length=40)
    target: str = Field(max_length=200)


class Report(ServerModel, table=True):
    __tablename__ = "report"
    id: str = Field(primary_key=True, max_length=36)
    seq: int = _seq()
    revision: int = 1
    ticket: str = Field(unique=True, max_length=40)
    channel: str
    category_code: str = Field(foreign_key="category.code")
    priority: int = 3
    status: str = "new"
    triage: str | None = None
    title: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reporter_name: str | None = None
    reporter_phone: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    region_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    assigned_agency: str | None = Field(default=None, foreign_key="agency.code")
    duplicate_of: str | None = Field(default=None, max_length=36)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    received_at: datetime = _ts(default_factory=utcnow)
    verified_at: datetime | None = _ts(default=None)
    dispatched_at: datetime | None = _ts(default=None)
    resolved_at: datetime | None = _ts(default=None)
    closed_at: datetime | None = _ts(default=None)
    sla_due_at: datetime | None = _ts(default=None)
    created_by: str | None = None
    #: console | open311
    source: str = "console"
    media_url: str | None = None
    origin: str | None = _origin()
    #: JSON {field: revision that last changed it}; absent fields date from revision 1.
    field_revs: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))

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
        Index("ix_report_created", "created_at"),
        Index("ix_report_category_created", "category_code", "created_at"),
    )


class Note(ServerModel, table=True):
    __tablename__ = "note"
    id: str = Field(primary_key=True, max_length=36)
    seq: int = _seq()
    report_id: str = Field(foreign_key="report.id", index=True)
    at: datetime = _ts(default_factory=utcnow)
    author: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    origin: str | None = _origin()


class Dispatch(ServerModel, table=True):
    __tablename__ = "dispatch"
    id: str = Field(primary_key=True, max_length=36)
    seq: int = _seq()
    report_id: str = Field(foreign_key="report.id", index=True)
    agency_code: str = Field(foreign_key="agency.code")
    at: datetime = _ts(default_factory=utcnow)
    by: str
    note: str | None = Field(default=None, sa_column=Column(Text))
    expected_at: datetime | None = _ts(default=None)
    origin: str | None = _origin()


class Claim(ServerModel, table=True):
    """The soft claim on a report (console/domain/claims.py): who is handling it, since
    when, until when without renewal. One row per report, rewritten in place; a release
    empties ``holder``. Times are the server's; ``holder`` is the pushing account."""

    __tablename__ = "claim"
    report_id: str = Field(primary_key=True, foreign_key="report.id", max_length=36)
    seq: int = _seq()
    holder: str | None = Field(default=None, max_length=64)
    since: datetime | None = _ts(default=None)
    expires_at: datetime | None = _ts(default=None)


class Blob(ServerModel, table=True):
    """Attachment bytes, addressed by SHA-256. The bytes live in files (see attachments
    route); ``complete`` turns true once all ``size`` bytes arrived and hashed right."""

    __tablename__ = "blob"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    mime: str
    complete: bool = False
    has_thumbnail: bool = False
    created_at: datetime = _ts(default_factory=utcnow)
    completed_at: datetime | None = _ts(default=None)
    #: The account whose upload completed the blob first (None: before issue 12).
    uploaded_by: str | None = Field(default=None, nullable=True)


class Attachment(ServerModel, table=True):
    """A file attached to a report; several reports may share one blob."""

    __tablename__ = "attachment"
    id: str = Field(primary_key=True, max_length=36)
    seq: int = _seq()
    report_id: str = Field(foreign_key="report.id", index=True)
    sha256: str = Field(foreign_key="blob.sha256", index=True)
    filename: str
    mime: str
    size: int = Field(sa_type=BigInteger)
    at: datetime = _ts(default_factory=utcnow)
    by: str
    origin: str | None = _origin()
    #: This row grants reads of the blob's bytes: its account uploaded them (hash checked)
    #: or could already read them through another report when it registered (issue 12).
    proven: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Conflict(ServerModel, table=True):
    """An overlapping edit: the server value stayed, the client's value is kept here."""

    __tablename__ = "conflict"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    seq: int = _seq()
    report_id: str = Field(foreign_key="report.id", index=True)
    field: str
    base_revision: int
    server_revision: int
    server_value: str | None = Field(default=None, sa_column=Column(Text))
    client_value: str | None = Field(default=None, sa_column=Column(Text))
    mutation_id: str = Field(max_length=36)
    by: str
    at: datetime = _ts(default_factory=utcnow)


class History(ServerModel, table=True):
    """Every overwritten report value: field, old and new value (JSON), and who/when."""

    __tablename__ = "history"
    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="report.id")
    revision: int
    field: str
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    mutation_id: str | None = Field(default=None, max_length=36)
    by: str
    at: datetime = _ts(default_factory=utcnow)

    __table_args__ = (Index("ix_history_report_revision", "report_id", "revision"),)


class Departure(ServerModel, table=True):
    """A report left a region (its region_code changed): consoles scoped to the old
    region but not the new one are told to drop it."""

    __tablename__ = "departure"
    seq: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    report_id: str = Field(max_length=36, index=True)
    region_code: str | None = None
    at: datetime = _ts(default_factory=utcnow)


class AppliedMutation(ServerModel, table=True):
    """Idempotency record: the first result of every mutation id that wrote something."""

    __tablename__ = "applied_mutation"
    id: str = Field(primary_key=True, max_length=36)
    payload_hash: str = Field(max_length=64)
    account_id: str = Field(max_length=36)
    entity: str
    entity_id: str
    status: str
    code: int
    message: str = Field(sa_column=Column(Text, nullable=False))
    revision: int | None = None
    at: datetime = _ts(default_factory=utcnow)
    #: The operator the console named in the mutation ("actor"). Informative only: what
    #: the server applied is recorded as ``account_id``'s username (created_by, history,
    #: notes, dispatches); the claim shows e.g. a change made offline by one officer and
    #: sent later under the next officer's login.
    claimed_actor: str | None = Field(default=None, max_length=200)


TABLES = ServerModel.metadata.tables

# The sensor tables (issue 15) share this metadata: migrations and the schema check see them.
from server.sensors import models as _sensor_models  # noqa: E402,F401
