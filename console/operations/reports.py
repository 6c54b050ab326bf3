"""Operator actions on an existing report: verify, triage, change status, dispatch, note,
reopen. Each is one operation (see base.py): validate, then report + timeline + outbox in
one transaction, and return the OpChanges.

``expected_revision`` is the revision the operator was looking at. When another operator
or the sync engine changed the report since, the action is refused with StaleReport so the
view shows the change instead of silently overwriting it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from console.domain import sla
from console.domain.catalog import CategoryDef
from console.domain.limits import MAX_CHARS, length_problem, without_controls
from console.domain.workflow import Action, Triage, next_status, stamp_field, triage_action
from console.operations import claims
from console.operations.base import (
    OpChanges,
    OperationError,
    ReportNotFound,
    StaleReport,
    write_event,
    write_outbox,
)
from console.store.timefmt import from_db, new_id, to_db, utcnow
from console.store.transaction import write_transaction

#: The server applies the same limit (console/domain/limits.py).
MAX_NOTE_CHARS = MAX_CHARS["note"]


def load_report(conn: sqlite3.Connection, report_id: str) -> dict[str, Any]:
    conn.row_factory = None
    cur = conn.execute("SELECT * FROM report WHERE id = ?", (report_id,))
    row = cur.fetchone()
    if row is None:
        raise ReportNotFound(f"report {report_id} does not exist here", report_id=report_id)
    return dict(zip([c[0] for c in cur.description], row, strict=True))


def load_category(conn: sqlite3.Connection, code: str) -> CategoryDef:
    row = conn.execute(
        "SELECT code, name_id, name_en, default_priority, default_agency, emergency,"
        " sla_verify_days, sla_followup_days, sla_dispatch_minutes FROM category WHERE code = ?",
        (code,),
    ).fetchone()
    if row is None:
        raise OperationError(f"unknown category {code!r}", code="unknown_category", category=code)
    return CategoryDef(
        code=row[0], name_id=row[1], name_en=row[2], default_priority=row[3],
        default_agency=row[4], emergency=bool(row[5]), sla_verify_days=row[6],
        sla_followup_days=row[7], sla_dispatch_minutes=row[8],
    )


def _check_revision(report: dict, expected_revision: int | None) -> None:
    if expected_revision is not None and report["revision"] != expected_revision:
        raise StaleReport(report["id"], expected_revision, report["revision"])


def _patch_report(
    conn: sqlite3.Connection, report: dict, changes: dict[str, Any], actor: str, now: datetime,
    *, event_kind: str = "field", event_detail: dict | None = None,
) -> None:
    """Write a field-level patch: the row, one timeline event per field, one outbox patch."""
    changed = {k: v for k, v in changes.items() if _stored(v) != report[k]}
    if not changed:
        return
    sets = ", ".join(f"{k} = ?" for k in changed)
    new_revision = report["revision"] + 1
    cur = conn.execute(
        f"UPDATE report SET {sets}, revision = ?, updated_at = ? WHERE id = ? AND revision = ?",
        (*[_stored(v) for v in changed.values()], new_revision, to_db(now),
         report["id"], report["revision"]),
    )
    if cur.rowcount != 1:  # changed under us between the read and the write
        actual = conn.execute("SELECT revision FROM report WHERE id = ?", (report["id"],)).fetchone()
        raise StaleReport(report["id"], report["revision"], actual[0] if actual else -1)
    for name, value in changed.items():
        kind = "status" if name == "status" else event_kind
        write_event(conn, report["id"], actor, kind, at=now, field_name=name,
                    old=report[name], new=_stored(value), detail=event_detail)
    write_outbox(conn, entity="report", entity_id=report["id"], op="patch", fields=changed,
                 actor=actor, at=now, base_revision=report["revision"])
    # Every workflow action goes through here: it takes (renews, or at the end releases)
    # this desk's soft claim on the report, so other desks see who handles it.
    claims.record(conn, report["id"], actor, now, status=changed.get("status"))
    report.update({k: _stored(v) for k, v in changed.items()}, revision=new_revision)


def _stored(value: Any) -> Any:
    return to_db(value) if isinstance(value, datetime) else value


def _transition_changes(conn: sqlite3.Connection, report: dict, action: Action | str,
                        now: datetime, tz: str, new_priority: int | None = None
                        ) -> dict[str, Any]:
    """The fields an action changes: status, its timestamp and the new SLA deadline
    (``new_priority``: the priority the same operation sets, e.g. triage)."""
    new_status = next_status(report["status"], action)  # raises IllegalTransition
    changes: dict[str, Any] = {"status": new_status.value}
    stamp = stamp_field(report["status"], action)
    if stamp:
        changes[stamp] = now
    category = load_category(conn, report["category_code"])
    priority = report["priority"] if new_priority is None else new_priority
    if sla.restarts_clock(category, report["channel"], report["status"], action,
                          priority=report["priority"], new_priority=priority):
        changes["sla_due_at"] = sla.sla_due(category, report["channel"], new_status, now, tz=tz,
                                            priority=priority)
    return changes


def apply_action(
    conn: sqlite3.Connection, actor: str, report_id: str, action: Action | str, *,
    expected_revision: int | None = None, note: str | None = None,
    now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    """Move a report along the workflow (verify, reject, start, resolve, close, …)."""
    now = now or utcnow()
    with write_transaction(conn):
        report = load_report(conn, report_id)
        _check_revision(report, expected_revision)
        changes = _transition_changes(conn, report, action, now, tz)
        _patch_report(conn, report, changes, actor, now, event_detail={"action": str(action)})
        if note:
            _insert_note(conn, report_id, actor, note, now)
    return OpChanges(kind=str(action), report_ids=frozenset({report_id}))


def verify(conn, actor, report_id, **kw) -> OpChanges:
    return apply_action(conn, actor, report_id, Action.VERIFY, **kw)


def reopen(conn, actor, report_id, *, reason: str, **kw) -> OpChanges:
    if not reason or not reason.strip():
        raise OperationError("reopening needs the reason the citizen gave", code="reopen_reason")
    return apply_action(conn, actor, report_id, Action.REOPEN, note=reason, **kw)


def triage(
    conn: sqlite3.Connection, actor: str, report_id: str, kind: Triage | str, *,
    expected_revision: int | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    """One-key 112 triage: emergency / information / prank / ghost call."""
    kind = Triage(kind)
    now = now or utcnow()
    with write_transaction(conn):
        report = load_report(conn, report_id)
        _check_revision(report, expected_revision)
        raised = 1 if kind is Triage.EMERGENCY else None
        changes = _transition_changes(conn, report, triage_action(kind), now, tz, raised)
        changes["triage"] = kind.value
        if raised is not None:
            changes["priority"] = raised
        _patch_report(conn, report, changes, actor, now, event_detail={"triage": kind.value})
    return OpChanges(kind="triage", report_ids=frozenset({report_id}))


def dispatch(
    conn: sqlite3.Connection, actor: str, report_id: str, agencies: list[str], *,
    note: str | None = None, expected_at: datetime | None = None,
    expected_revision: int | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    """Disposisi to one or more agencies, each recorded as a Dispatch row."""
    if not agencies:
        raise OperationError("choose at least one agency to dispatch to", code="no_agency")
    if note is not None:
        note = without_controls(note).strip() or None
        _check_note(note or "")
    now = now or utcnow()
    with write_transaction(conn):
        known = {r[0] for r in conn.execute(
            f"SELECT code FROM agency WHERE code IN ({','.join('?' * len(agencies))})", agencies)}
        missing = [a for a in agencies if a not in known]
        if missing:
            raise OperationError(f"unknown agency: {', '.join(missing)}", code="unknown_agency",
                                 agencies=", ".join(missing))
        report = load_report(conn, report_id)
        _check_revision(report, expected_revision)
        changes = _transition_changes(conn, report, Action.DISPATCH, now, tz)
        changes["assigned_agency"] = agencies[0]
        _patch_report(conn, report, changes, actor, now, event_detail={"agencies": agencies})
        for code in agencies:
            dispatch_id = new_id()
            conn.execute(
                "INSERT INTO dispatch (id, report_id, agency_code, at, by, note, expected_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (dispatch_id, report_id, code, to_db(now), actor, note, to_db(expected_at)),
            )
            write_event(conn, report_id, actor, "dispatch", at=now, new=code,
                        detail={"note": note, "expected_at": expected_at.isoformat() if expected_at else None})
            write_outbox(conn, entity="dispatch", entity_id=dispatch_id, op="dispatch",
                         fields={"report_id": report_id, "agency_code": code, "note": note,
                                 "expected_at": expected_at}, actor=actor, at=now)
    return OpChanges(kind="dispatch", report_ids=frozenset({report_id}))


def _check_note(body: str) -> None:
    """The limits the server applies to a note or a dispatch note (console/domain/limits.py)."""
    if len(body) > MAX_NOTE_CHARS:
        raise OperationError(f"a note can hold at most {MAX_NOTE_CHARS} characters",
                             code="note_too_long", limit=MAX_NOTE_CHARS)
    problem = length_problem("note", body)
    if problem:
        raise OperationError(f"the note {problem}", code="too_long_bytes", field="note")


def _insert_note(conn: sqlite3.Connection, report_id: str, actor: str, body: str,
                 now: datetime) -> str:
    body = without_controls(body).strip()
    if not body:
        raise OperationError("a note cannot be empty", code="note_empty")
    _check_note(body)
    note_id = new_id()
    conn.execute("INSERT INTO note (id, report_id, at, author, body) VALUES (?, ?, ?, ?, ?)",
                 (note_id, report_id, to_db(now), actor, body))
    write_event(conn, report_id, actor, "note", at=now, new=note_id)
    write_outbox(conn, entity="note", entity_id=note_id, op="note",
                 fields={"report_id": report_id, "body": body}, actor=actor, at=now)
    return note_id


def add_note(conn: sqlite3.Connection, actor: str, report_id: str, body: str, *,
             now: datetime | None = None) -> OpChanges:
    now = now or utcnow()
    with write_transaction(conn):
        load_report(conn, report_id)
        _insert_note(conn, report_id, actor, body, now)
        claims.record(conn, report_id, actor, now)
    return OpChanges(kind="note", report_ids=frozenset({report_id}))


def report_sla_due(report: dict) -> datetime | None:
    return from_db(report.get("sla_due_at"))
