"""Request and response bodies (pydantic). Every request model forbids unknown fields,
refuses NaN/Infinity and text that cannot be stored (NUL, lone surrogates)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from console.domain.wire import ENTITIES, OPS
from server.models import ROLES
from server.validation import SHA256_PATTERN, UUID_PATTERN, SafeStr

EntityName = Literal["report", "note", "dispatch", "attachment", "claim"]
OpName = Literal["create", "patch", "note", "dispatch", "merge", "take", "release"]
RoleName = Literal["operator", "kelurahan", "supervisor", "admin"]
# The wire format in console/domain/wire.py is the source of truth; fail at import if the
# API schema drifts from it.
assert set(get_args(EntityName)) == set(ENTITIES), "EntityName out of sync with wire.ENTITIES"
assert set(get_args(OpName)) == set(OPS), "OpName out of sync with wire.OPS"
assert set(get_args(RoleName)) == set(ROLES)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- auth -----------------------------------------------------------------------------

class LoginIn(StrictModel):
    username: SafeStr = Field(min_length=1, max_length=64)
    password: SafeStr = Field(min_length=1, max_length=1024)


class AccountOut(Out):
    id: str
    username: str
    display_name: str | None = Field(default=None, description="the person's name (login only)")
    role: RoleName
    regions: list[str]
    scope: str = Field(description="'city' for a whole-city scope, else 'regions'")


class LoginOut(Out):
    token: str = Field(description="send as 'Authorization: Bearer <token>'")
    expires_at: str = Field(description="ISO 8601 UTC")
    account: AccountOut


# --- push -----------------------------------------------------------------------------

class MutationIn(StrictModel):
    """One outbox mutation (console/domain/wire.py ``Mutation``)."""

    id: str = Field(pattern=UUID_PATTERN, description="client-made UUID; the idempotency key")
    entity: EntityName
    entity_id: str = Field(pattern=UUID_PATTERN)
    op: OpName
    fields: dict[str, Any] = Field(description="the record (create) or field-level patch")
    actor: SafeStr = Field(max_length=200, description="the operator at the console")
    at: SafeStr = Field(max_length=64, description="client clock, ISO 8601; informative only")
    base_revision: int | None = Field(default=None, ge=0, le=2**31 - 1)
    meta: dict[str, Any] = Field(default_factory=dict)
    trail: dict[str, list[Any]] | None = Field(
        default=None, description="a coalesced mutation's earlier values per field, oldest "
        "first (a create's start with the value it was made with); kept in the history")


class PushIn(StrictModel):
    mutations: list[MutationIn] = Field(
        description="applied in order; each is validated and answered on its own")


class ConflictOut(Out):
    conflict_id: str
    field: str
    server_value: Any = None
    client_value: Any = None
    server_revision: int


class MutationResult(Out):
    id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    code: int = Field(description="HTTP-like status of this one mutation")
    message: str
    revision: int | None = Field(default=None, description="report revision after this mutation")
    original_status: str | None = Field(default=None,
                                        description="for duplicates: the first result's status")
    ticket: str | None = None
    conflicts: list[ConflictOut] | None = None
    fields: dict[str, Any] | None = Field(
        default=None, description="values the server made that differ from those sent "
        "(ticket, created_by, sla_due_at); the change feed does not send them back")


class PushOut(Out):
    results: list[MutationResult]
    server_time: str


# --- attachments ------------------------------------------------------------------------

class AttachmentIn(StrictModel):
    id: str = Field(pattern=UUID_PATTERN, description="client-made attachment UUID")
    report_id: str = Field(pattern=UUID_PATTERN)
    sha256: str = Field(pattern=SHA256_PATTERN)
    filename: SafeStr = Field(min_length=1, max_length=200)
    mime: str = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*/[a-zA-Z0-9][a-zA-Z0-9.+-]*$", max_length=100)
    size: int = Field(ge=0, le=2**40)


class UploadStatus(Out):
    sha256: str
    size: int
    received: int = Field(description="bytes the server holds; resume the upload from here")
    complete: bool
    has_thumbnail: bool


# --- misc -------------------------------------------------------------------------------

class TimeOut(Out):
    server_time: str = Field(description="ISO 8601 UTC")
    epoch_ms: int


class HealthOut(Out):
    status: Literal["ok"]
    database: str
    city: str
    schema_revision: str | None


class LiveOut(Out):
    status: Literal["ok"]


class ReadyOut(Out):
    status: Literal["ok", "unavailable"]
    #: Why not ready (no personal data: an error class, or the two revisions).
    reason: str | None
    schema_revision: str | None
    head_revision: str


class ErrorOut(Out):
    error: str
    message: str
    details: Any = None
