"""The wire format of mutations, shared by console and server (no Qt, no SQL).

A mutation is one operator change travelling from a console's outbox to the server:
``{"id", "entity", "entity_id", "op", "base_revision", "fields", "actor", "at"}``.
``fields`` is a field-level patch (only what changed), so edits to different fields of
the same report merge on the server; ``base_revision`` is the revision the patch was made
against, which is how the server notices overlapping edits.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

#: ``claim`` (ops ``take``/``release``, entity_id = the report's id, fields
#: ``{"report_id"}``): the soft claim of console/domain/claims.py. Its own entity rather
#: than report fields: a claim must not bump the report's revision, fight in field-level
#: merges or fill its history; it changes every few minutes and expires by itself.
ENTITIES = frozenset({"report", "note", "dispatch", "attachment", "claim"})
OPS = frozenset({"create", "patch", "note", "dispatch", "merge", "take", "release"})

# Report fields a console may patch. Anything else in a patch is refused: ids, tickets,
# revisions and timestamps of record belong to the server's ordering.
PATCHABLE_REPORT_FIELDS = frozenset({
    "status", "priority", "triage", "title", "description", "category_code", "channel",
    "reporter_name", "reporter_phone", "lat", "lon", "address", "region_code",
    "assigned_agency", "duplicate_of", "sla_due_at", "verified_at", "dispatched_at",
    "resolved_at", "closed_at",
})


#: Report values the server makes on a create (its ticket when the console's is not its
#: own, the authenticated account, a computed deadline): the push answer names those that
#: differ from what was sent, since the change feed does not send a console its own rows.
SERVER_MADE = ("ticket", "created_by", "sla_due_at")


class MutationError(ValueError):
    """A mutation that can never be applied (it is quarantined, not retried)."""


@dataclass(frozen=True)
class Mutation:
    id: str
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    actor: str
    at: str  # client clock, ISO 8601 UTC; informative only, the server orders by sequence
    base_revision: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> Mutation:
        if self.entity not in ENTITIES:
            raise MutationError(f"unknown entity {self.entity!r}; expected one of {sorted(ENTITIES)}")
        if self.op not in OPS:
            raise MutationError(f"unknown op {self.op!r}; expected one of {sorted(OPS)}")
        if self.entity == "report" and self.op == "patch":
            unknown = set(self.fields) - PATCHABLE_REPORT_FIELDS
            if unknown:
                raise MutationError(f"fields that cannot be patched: {sorted(unknown)}")
            if self.base_revision is None:
                raise MutationError("a patch needs base_revision")
        return self

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Mutation:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MutationError(f"mutation is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise MutationError("mutation must be a JSON object")
        try:
            return cls(**data).validate()
        except TypeError as exc:
            raise MutationError(f"mutation has missing or unknown keys: {exc}") from exc


# --- the change feed (GET /v1/pull): the columns of each table, in this order ----------
# The server (server/changes.py) sends them, the console (console/sync/puller.py) reads
# them; times go out as epoch milliseconds.

#: Report columns on the wire, in this order. Always-present columns first, so the often
#: empty ones at the end can be dropped as trailing nulls.
REPORT_WIRE = [
    "id", "seq", "revision", "ticket", "status", "priority", "channel", "category_code",
    "created_at", "updated_at", "title", "region_code", "lat", "lon", "description",
    "address", "created_by", "reporter_name", "reporter_phone", "sla_due_at",
    "assigned_agency", "verified_at", "dispatched_at", "resolved_at", "closed_at", "triage",
    "duplicate_of", "source", "media_url",
]
NOTE_WIRE = ["id", "seq", "report_id", "at", "author", "body"]
DISPATCH_WIRE = ["id", "seq", "report_id", "agency_code", "at", "by", "note", "expected_at"]
ATTACHMENT_WIRE = ["id", "seq", "report_id", "sha256", "filename", "mime", "size", "at", "by",
                   "complete", "has_thumbnail"]
CONFLICT_WIRE = ["id", "seq", "report_id", "field", "base_revision", "server_revision",
                 "server_value", "client_value", "mutation_id", "by", "at"]
GONE_WIRE = ["report_id", "seq"]
#: The soft claim (console/domain/claims.py). ``holder`` is empty when released or run
#: out at the time of the pull. Sent to every console in scope, its own pushes included:
#: the latest claim may be another desk's take-over, and consoles apply it by report_id.
CLAIM_WIRE = ["report_id", "seq", "holder", "since", "expires_at"]
#: The report's times (epoch ms on the wire, stored as the console's UTC text).
REPORT_TIME_WIRE = frozenset({"created_at", "updated_at", "verified_at", "dispatched_at",
                              "resolved_at", "closed_at", "sla_due_at"})
#: Report wire columns the console keeps elsewhere or not at all: the feed position, the
#: revision (its own column, compared on apply), who pushed it and the citizen's photo URL.
REPORT_WIRE_NOT_STORED = frozenset({"seq", "revision", "source", "media_url"})
