"""One action on many reports (a selection in the queue), with progress.

Each report is its own operation and transaction (``reports``, ``undo``): a report that
another operator just changed, or whose status does not allow the action, is refused
alone and reported, while the others go through. The views call :func:`apply_many` on
chunks of the selection, so progress shows and a cancel stops between chunks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from console.domain.workflow import IllegalTransition
from console.operations import reports
from console.operations.base import OpChanges, OperationError, StaleReport
from console.operations.undo import (
    UNDOABLE_ACTIONS,
    UndoAlreadySent,
    UndoToken,
    UndoTooLate,
    act_with_undo,
    undo,
)
from console.store.timefmt import utcnow

__all__ = ["BULK_ACTIONS", "BulkResult", "apply_many", "undo_many"]

#: What can be done to a selection (triage needs ``triage=``, dispatch ``agencies=``).
BULK_ACTIONS = frozenset({
    "triage", "verify", "reject", "not_authority", "start", "resolve", "close", "dispatch",
    "note",
})


@dataclass
class BulkResult:
    changes: OpChanges
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # report id -> message
    #: report id -> why: "stale" (changed meanwhile), "illegal" (status does not allow
    #: it), "late" / "sent" (undo), "error" (anything else)
    reasons: dict[str, str] = field(default_factory=dict)
    tokens: list[UndoToken] = field(default_factory=list)
    illegal: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (status, action)

    @property
    def stale(self) -> list[str]:
        return [rid for rid, why in self.reasons.items() if why == "stale"]

    def fail(self, report_id: str, exc: Exception) -> None:
        self.failed[report_id] = str(exc)
        if isinstance(exc, StaleReport):
            why = "stale"
        elif isinstance(exc, IllegalTransition):
            why = "illegal"
            self.illegal[report_id] = (str(exc.status), str(exc.action))
        elif isinstance(exc, UndoTooLate):
            why = "late"
        elif isinstance(exc, UndoAlreadySent):
            why = "sent"
        else:
            why = "error"
        self.reasons[report_id] = why


def apply_many(
    conn: sqlite3.Connection, actor: str, items: Sequence[tuple[str, int | None]], action: str, *,
    triage: str | None = None, agencies: Sequence[str] | None = None, note: str | None = None,
    expected_at: datetime | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Do ``action`` to every ``(report id, expected revision)`` in ``items``."""
    if action not in BULK_ACTIONS:
        raise OperationError(f"{action!r} cannot be done to a selection", code="not_bulk",
                             action=action)
    now = now or utcnow()
    result = BulkResult(OpChanges(kind=action))
    ids: set[str] = set()
    for n, (report_id, revision) in enumerate(items, 1):
        ids.add(report_id)
        try:
            if action in UNDOABLE_ACTIONS:
                out = act_with_undo(conn, actor, report_id, action, triage=triage,
                                    expected_revision=revision, note=note, now=now, tz=tz)
                if out.token is not None:
                    result.tokens.append(out.token)
            elif action == "dispatch":
                reports.dispatch(conn, actor, report_id, list(agencies or ()), note=note,
                                 expected_at=expected_at, expected_revision=revision,
                                 now=now, tz=tz)
            elif action == "note":
                reports.add_note(conn, actor, report_id, note or "", now=now)
            else:
                reports.apply_action(conn, actor, report_id, action, expected_revision=revision,
                                     note=note, now=now, tz=tz)
            result.done.append(report_id)
        except (IllegalTransition, OperationError) as exc:
            result.fail(report_id, exc)
        if progress is not None:
            progress(n, len(items))
    result.changes = OpChanges(kind=action, report_ids=frozenset(ids),
                               detail={"done": len(result.done), "failed": len(result.failed)})
    return result


def undo_many(conn: sqlite3.Connection, actor: str, tokens: Sequence[UndoToken], *,
              now: datetime | None = None, **kw) -> BulkResult:
    """Undo each token (each its own compensating operation); refusals are collected."""
    now = now or utcnow()
    result = BulkResult(OpChanges(kind="undo"))
    for token in tokens:
        try:
            undo(conn, actor, token, now=now, **kw)
            result.done.append(token.report_id)
        except OperationError as exc:
            result.fail(token.report_id, exc)
    result.changes = OpChanges(kind="undo",
                               report_ids=frozenset(t.report_id for t in tokens))
    return result
