"""Conflict records and their resolution.

A conflict is the server's record that two edits of one field overlapped: the server kept
its value, the other one is kept in the record. Nothing is lost until an operator decides,
per field, which value stands:

- ``server``: the server's value stays (nothing to send); the decision is a timeline event.
- ``client``: the edited value is written again, as a NEW patch against the current revision
  (an outbox mutation, like any operator action), with a timeline event.

Either way the conflict is marked resolved here. (The server has no "resolve" endpoint:
other consoles still list the record until they decide too; the report's history on the
server shows the outcome.)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.domain.workflow import TRANSITIONS
from console.operations.base import OpChanges, OperationError, write_event
from console.operations.reports import _patch_report, load_report
from console.store.timefmt import to_db, utcnow
from console.store.transaction import write_transaction
from console.sync.puller import TIME_COLS

SERVER, CLIENT = "server", "client"


@dataclass(frozen=True)
class Conflict:
    id: str
    report_id: str
    field: str
    server_value: Any
    client_value: Any
    by: str | None
    at: str | None
    base_revision: int | None
    server_revision: int | None
    mutation_id: str | None
    ticket: str | None = None
    title: str | None = None
    current_value: Any = None


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def open_conflicts(conn: sqlite3.Connection, report_id: str | None = None,
                   limit: int = 1000) -> list[Conflict]:
    """Unresolved conflicts (of one report, or all), oldest first, with the report's
    ticket, title and the value the field has here now."""
    where, params = "c.resolved_at IS NULL", []
    if report_id is not None:
        where += " AND c.report_id = ?"
        params.append(report_id)
    rows = conn.execute(
        f"SELECT c.id, c.report_id, c.field, c.server_value, c.client_value, c.by, c.at,"
        f" c.base_revision, c.server_revision, c.mutation_id, r.ticket, r.title"
        f" FROM sync_conflict c LEFT JOIN report r ON r.id = c.report_id WHERE {where}"
        f" ORDER BY coalesce(c.seq, 0), c.rowid LIMIT ?", (*params, limit)).fetchall()
    out = []
    for row in rows:
        current = None
        if row[10] is not None and _known_field(row[2]):
            current = conn.execute(f"SELECT {row[2]} FROM report WHERE id = ?", (row[1],)).fetchone()[0]
        out.append(Conflict(row[0], row[1], row[2], _loads(row[3]), _loads(row[4]), row[5], row[6],
                            row[7], row[8], row[9], row[10], row[11], current))
    return out


def _known_field(name: str) -> bool:
    from console.domain.wire import PATCHABLE_REPORT_FIELDS

    return name in PATCHABLE_REPORT_FIELDS


def _local_value(field: str, value: Any) -> Any:
    """A conflict value (JSON, times as ISO 8601) as the operations layer takes it."""
    if field in TIME_COLS and isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise OperationError(f"the edited value of {field} is not a time: {value!r}",
                                 code="conflict_not_time", field=field, value=value) from None
    return value


def resolve(conn: sqlite3.Connection, actor: str, report_id: str, decisions: dict[str, str], *,
            now: datetime | None = None) -> OpChanges:
    """Record the operator's decision for each conflict id (``server`` or ``client``) of one
    report, in one transaction: the patch (for ``client`` choices), one ``conflict``
    timeline event per decision, and the conflicts marked resolved."""
    if not decisions:
        raise OperationError("choose a value for at least one conflicting field",
                             code="conflict_choose")
    now = now or utcnow()
    with write_transaction(conn):
        report = load_report(conn, report_id)
        pending = {c.id: c for c in open_conflicts(conn, report_id)}
        unknown = sorted(set(decisions) - set(pending))
        if unknown:
            raise OperationError(f"conflict {unknown[0]} is already resolved or not on this report",
                                 code="conflict_gone")
        changes: dict[str, Any] = {}
        for cid, choice in decisions.items():
            if choice not in (SERVER, CLIENT):
                raise OperationError(f"a decision is 'server' or 'client', not {choice!r}",
                                     code="conflict_decision")
            c = pending[cid]
            if choice == CLIENT and _known_field(c.field):
                changes[c.field] = _local_value(c.field, c.client_value)
        if "status" in changes and changes["status"] != report["status"]:
            reachable = {t.value for (cur, _a), t in TRANSITIONS.items() if cur == report["status"]}
            if changes["status"] not in reachable:
                raise OperationError(
                    f"the report is now '{report['status']}' and cannot move to "
                    f"'{changes['status']}'; keep the server's status, or use the normal actions",
                    code="conflict_status", status=report["status"], wanted=changes["status"])
        mutation_id = None
        if changes:
            before = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0] or 0
            _patch_report(conn, report, changes, actor, now,
                          event_detail={"conflicts": sorted(decisions)})
            row = conn.execute("SELECT id FROM outbox WHERE seq > ? AND entity_id = ? ORDER BY seq"
                               " DESC LIMIT 1", (before, report_id)).fetchone()
            mutation_id = row[0] if row else None
        for cid, choice in decisions.items():
            c = pending[cid]
            chosen = c.client_value if choice == CLIENT else c.server_value
            write_event(conn, report_id, actor, "conflict", at=now, field_name=c.field,
                        old=_text(c.server_value if choice == CLIENT else c.client_value),
                        new=_text(chosen),
                        detail={"conflict_id": cid, "choice": choice,
                                "server_value": c.server_value, "client_value": c.client_value,
                                "edited_by": c.by})
            conn.execute("UPDATE sync_conflict SET resolved_at = ?, resolution = ?, resolved_by = ?,"
                         " resolution_mutation_id = ? WHERE id = ?",
                         (to_db(now), choice, actor, mutation_id if choice == CLIENT else None, cid))
    return OpChanges(kind="conflict", report_ids=frozenset({report_id}),
                     outbox=mutation_id is not None, detail={"decisions": dict(decisions)})


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


def resolve_many(conn: sqlite3.Connection, actor: str, decisions: dict[str, str]) -> OpChanges:
    """Decisions spanning several reports: one ``resolve`` (one transaction) per report.
    A report whose decision is refused is reported in ``detail['errors']`` (report id ->
    its OperationError); the others are still recorded."""
    by_report: dict[str, dict[str, str]] = {}
    for cid, choice in decisions.items():
        row = conn.execute("SELECT report_id FROM sync_conflict WHERE id = ?", (cid,)).fetchone()
        if row is not None:
            by_report.setdefault(row[0], {})[cid] = choice
    changes = OpChanges(kind="conflict", timeline=True, outbox=False)
    errors: dict[str, OperationError] = {}
    for report_id, part in by_report.items():
        try:
            changes = changes.merged(resolve(conn, actor, report_id, part))
        except OperationError as exc:
            errors[report_id] = exc  # the views say it in the operator's language
    return OpChanges(kind="conflict", report_ids=changes.report_ids, outbox=changes.outbox,
                     detail={"errors": errors})
