"""Merging a duplicate report into its original.

One operation, one transaction: the duplicate gets status ``duplicate`` and
``duplicate_of`` (its stamp ``closed_at`` too), through the same field-level patch the
server accepts (a report patch of status and duplicate_of); the duplicate's timeline gets
the status and merge events, and the original's timeline gets a ``merge`` event naming
the duplicate. Nothing is deleted: the duplicate keeps its own timeline, and the
original's timeline view joins the duplicate's events in (see
``console.store.detail.fetch_timeline``), so both stay visible.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from console.domain.workflow import SIDE_EXITS, Action, Status
from console.operations.base import OpChanges, OperationError, write_event
from console.operations.intake import NewReport, create_report
from console.operations.reports import (
    _check_revision,
    _insert_note,
    _patch_report,
    _transition_changes,
    load_report,
)
from console.store.timefmt import utcnow
from console.store.transaction import write_transaction

__all__ = ["create_as_duplicate", "merge_reports", "suggest_original"]

_PROGRESS = {Status.NEW: 0, Status.VERIFIED: 1, Status.DISPATCHED: 2, Status.IN_PROGRESS: 3,
             Status.RESOLVED: 4, Status.CLOSED: 5}


def suggest_original(a: dict, b: dict) -> tuple[dict, dict]:
    """(original, duplicate) for two reports about the same thing: the one further along
    the workflow stays (its agency is already on it), else the older one."""
    def rank(r: dict) -> tuple:
        return (-_PROGRESS.get(Status(r["status"]), -1), str(r["created_at"]), r["ticket"])

    first, second = sorted((a, b), key=rank)
    return first, second


def merge_reports(
    conn: sqlite3.Connection, actor: str, duplicate_id: str, original_id: str, *,
    expected_revision: int | None = None, original_revision: int | None = None,
    note: str | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    """Mark ``duplicate_id`` as a duplicate of ``original_id``."""
    if duplicate_id == original_id:
        raise OperationError("a report cannot be a duplicate of itself", code="merge_self")
    now = now or utcnow()
    with write_transaction(conn):
        dup = load_report(conn, duplicate_id)
        orig = load_report(conn, original_id)
        _check_revision(dup, expected_revision)
        _check_revision(orig, original_revision)
        if orig["status"] == Status.DUPLICATE:
            raise OperationError(
                f"{orig['ticket']} is itself a duplicate; merge into the report it duplicates",
                code="merge_into_duplicate", ticket=orig["ticket"])
        if orig["status"] in SIDE_EXITS:
            raise OperationError(
                f"{orig['ticket']} is '{orig['status']}'; a report cannot be merged into it",
                code="merge_into_closed", ticket=orig["ticket"], status=orig["status"])
        changes = _transition_changes(conn, dup, Action.MARK_DUPLICATE, now, tz)
        changes["duplicate_of"] = original_id
        _patch_report(conn, dup, changes, actor, now, event_kind="merge",
                      event_detail={"action": Action.MARK_DUPLICATE.value,
                                    "original": original_id, "original_ticket": orig["ticket"]})
        write_event(conn, original_id, actor, "merge", at=now, new=duplicate_id,
                    detail={"duplicate": duplicate_id, "ticket": dup["ticket"]})
        if note:
            _insert_note(conn, duplicate_id, actor, note, now)
    return OpChanges(kind="merge", report_ids=frozenset({duplicate_id, original_id}),
                     detail={"duplicate": dup["ticket"], "original": orig["ticket"]})


def create_as_duplicate(
    conn: sqlite3.Connection, actor: str, data: NewReport, original_id: str, *,
    bounds=None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    """Record a call or visit about something already reported: the new report is created
    (it is a real contact, with its own ticket and caller) and merged into the original.

    Two transactions on the one database worker: if the merge is refused (the original
    changed meanwhile), the new report stays, as ``new``, and the error says so."""
    now = now or utcnow()
    created = create_report(conn, actor, data, bounds=bounds, now=now, tz=tz)
    (new_id,) = created.created
    try:
        merged = merge_reports(conn, actor, new_id, original_id, now=now, tz=tz)
    except OperationError as exc:
        error = OperationError(
            f"report {created.detail.get('ticket')} was saved, but not merged: {exc}",
            code="saved_not_merged", ticket=created.detail.get("ticket"), cause=exc)
        error.changes = created  # the views still show the saved report
        raise error from exc
    return OpChanges(kind="create", report_ids=created.report_ids | merged.report_ids,
                     created=created.created,
                     detail={**created.detail, "merged_into": merged.detail.get("original")})
