"""Undo for quick actions (112 triage, verify, start, resolve): a compensating operation.

An undoable action is the ordinary operation (``reports.triage`` / ``reports.apply_action``)
run through :func:`act_with_undo`, which also returns an :class:`UndoToken`: what the
changed fields held before and which revision the action produced.

:func:`undo` then puts those fields back in ONE transaction and records every reverted
field as a timeline event (``detail: {"undo": <action>}``); the action's own events stay
(the timeline is append-only). It is only allowed while it is *safe*:

- within :data:`UNDO_WINDOW_S` seconds of the action;
- nobody changed the report since (its revision is still the one the action produced);
- the action's outbox mutation has not left this console (``attempts == 0``).

The server accepts only workflow moves (``prank → new`` is not one), so the undo does not
send a reverse patch: it withdraws the action's unsent mutation and puts the report back
at the revision the server knows. Both stay consistent with the server; the timeline on
this console shows the action and its undo. Contract with the sync engine: it counts a
mutation as attempted (``attempts + 1``, committed) *before* sending it, so a mutation
on its way to the server is never withdrawn.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.domain.workflow import Action, Triage
from console.operations import reports
from console.operations.base import (
    OpChanges,
    OperationError,
    StaleReport,
    write_event,
)
from console.store.timefmt import to_db, utcnow
from console.store.transaction import write_transaction

__all__ = [
    "UNDOABLE_ACTIONS", "UNDO_WINDOW_S", "UndoAlreadySent", "UndoTooLate", "Undoable", "UndoToken",
    "act_with_undo", "undo",
]


class UndoTooLate(OperationError):
    """The undo window has passed."""

    error_code = "undo_too_late"


class UndoAlreadySent(OperationError):
    """The action's change already left this console."""

    error_code = "undo_sent"

#: How long after an action its undo is offered (seconds).
UNDO_WINDOW_S = 10.0

#: Actions that may be undone: quick, one-patch, nothing said to anyone outside yet.
UNDOABLE_ACTIONS = frozenset({"triage", Action.VERIFY.value, Action.START.value,
                              Action.RESOLVE.value})

_NOT_REVERTED = frozenset({"revision", "updated_at"})


@dataclass(frozen=True)
class UndoToken:
    report_id: str
    ticket: str
    action: str  # "triage" or an Action value
    before: dict[str, Any]  # field -> stored value before the action
    base_revision: int  # the revision the action was made against
    revision: int  # the revision the action produced
    at: datetime  # when the action was done (UTC)
    detail: str | None = None  # the triage kind, for messages


@dataclass(frozen=True)
class Undoable:
    """An operation's OpChanges plus the token to undo it (None: nothing to undo)."""

    changes: OpChanges
    token: UndoToken | None = None
    extra: dict = field(default_factory=dict)


def act_with_undo(
    conn: sqlite3.Connection, actor: str, report_id: str, action: str, *,
    triage: Triage | str | None = None, expected_revision: int | None = None,
    note: str | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> Undoable:
    """Run ``action`` ("triage" with ``triage=kind``, or an Action) and return its undo."""
    if action not in UNDOABLE_ACTIONS:
        raise OperationError(f"action {action!r} cannot be undone", code="not_undoable",
                             action=action)
    now = now or utcnow()
    before = reports.load_report(conn, report_id)
    if expected_revision is not None and before["revision"] != expected_revision:
        raise StaleReport(report_id, expected_revision, before["revision"])
    base = before["revision"]
    if action == "triage":
        if triage is None:
            raise OperationError("choose a triage: emergency, information, prank or ghost",
                                 code="triage_missing")
        changes = reports.triage(conn, actor, report_id, triage, expected_revision=base,
                                 now=now, tz=tz)
    else:
        changes = reports.apply_action(conn, actor, report_id, action, expected_revision=base,
                                       note=note, now=now, tz=tz)
    after = reports.load_report(conn, report_id)
    token = None
    if after["revision"] == base + 1 and not note:  # exactly our one patch
        changed = {k: before[k] for k in after
                   if k not in _NOT_REVERTED and after[k] != before[k]}
        if changed:
            token = UndoToken(report_id, after["ticket"], action, changed, base,
                              after["revision"], now, str(triage) if triage else None)
    return Undoable(changes, token)


def undo(
    conn: sqlite3.Connection, actor: str, token: UndoToken, *,
    window_s: float = UNDO_WINDOW_S, now: datetime | None = None,
) -> OpChanges:
    """Revert the action ``token`` describes (see the module doc for when it may)."""
    now = now or utcnow()
    if (now - token.at).total_seconds() > window_s:
        raise UndoTooLate(
            f"too late to undo {token.ticket}: undo is possible for {window_s:.0f} seconds; "
            "change the report with a normal action instead",
            ticket=token.ticket, seconds=window_s)
    with write_transaction(conn):
        report = reports.load_report(conn, token.report_id)
        if report["revision"] != token.revision:
            raise StaleReport(token.report_id, token.revision, report["revision"])
        row = conn.execute(
            "SELECT seq, attempts FROM outbox WHERE entity = 'report' AND entity_id = ? "
            "AND op = 'patch' AND base_revision = ? ORDER BY seq DESC LIMIT 1",
            (token.report_id, token.base_revision),
        ).fetchone()
        if row is None or row[1] > 0:
            raise UndoAlreadySent(
                f"{token.ticket} was already sent to the server; undo is no longer possible, "
                "change the report with a normal action instead", ticket=token.ticket)
        conn.execute("DELETE FROM outbox WHERE seq = ?", (row[0],))
        names = list(token.before)
        sets = ", ".join(f"{k} = ?" for k in names)
        cur = conn.execute(
            f"UPDATE report SET {sets}, revision = ?, updated_at = ? WHERE id = ? AND revision = ?",
            (*[token.before[k] for k in names], token.base_revision, to_db(now),
             token.report_id, token.revision),
        )
        if cur.rowcount != 1:  # pragma: no cover - guarded by the read above, same transaction
            raise StaleReport(token.report_id, token.revision, -1)
        for name in names:
            write_event(conn, token.report_id, actor, "status" if name == "status" else "field",
                        at=now, field_name=name, old=report[name], new=token.before[name],
                        detail={"undo": token.action, **({"triage": token.detail}
                                                         if token.detail else {})})
    return OpChanges(kind="undo", report_ids=frozenset({token.report_id}),
                     detail={"ticket": token.ticket, "action": token.action})
