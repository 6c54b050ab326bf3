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
