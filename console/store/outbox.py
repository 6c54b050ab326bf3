"""What the outbox says: how many local changes wait for the server, how many it refused,
and each report's sync state. No Qt, and no import of the sync engine (it imports this).

One definition of "pending" for every place that shows or uses it (status bar, quit
dialog, sync engine, shift report, handover pack): an outbox row in state ``pending``
that is a change. A soft claim (entity ``claim``) travels in the outbox too but is a hint
to other desks, not a change, so it is never counted.

The sync tables (``sync_report``, ``sync_conflict``) are created by migration 0004 with
the outbox, so they are read without probing for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from console.store import db as db_errors

__all__ = [
    "CONFLICT",
    "LOCAL_ONLY",
    "OutboxEntry",
    "PENDING",
    "QUARANTINED",
    "SYNCED",
    "outbox_counts",
    "pending_count",
    "report_sync_states",
    "unsynced_states",
]

#: Per-report sync states, for the queue's icon column.
SYNCED, PENDING, CONFLICT, QUARANTINED, LOCAL_ONLY = (
    "synced", "pending", "conflict", "quarantined", "local")

#: The SQL terms of the two counts (shared by both functions below).
_PENDING_TERM = "state = 'pending' AND entity != 'claim'"
_QUARANTINED_TERM = "state = 'quarantined'"


@dataclass(frozen=True)
class OutboxEntry:
    """What every read of an outbox row starts with: the row's ``seq``, the mutation's
    ``id``, what it changes, and the report it belongs to (None: not about a report)."""

    seq: int
    id: str
    entity: str
    entity_id: str
    op: str
    report_id: str | None


def pending_count(conn: sqlite3.Connection) -> int:
    """Local changes not yet confirmed by the server (soft claims are not changes)."""
    return conn.execute(f"SELECT count(*) FROM outbox WHERE {_PENDING_TERM}").fetchone()[0]


def outbox_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(pending, quarantined): changes waiting for the server, and changes it refused."""
    pending, quarantined = conn.execute(
        f"SELECT coalesce(sum({_PENDING_TERM}), 0), coalesce(sum({_QUARANTINED_TERM}), 0)"
        " FROM outbox").fetchone()
    return pending, quarantined


def report_sync_states(conn: sqlite3.Connection, report_ids: Iterable[str]) -> dict[str, str]:
    """Sync state of each report (for the queue's icon): quarantined > conflict > pending
    > local (never confirmed by the server) > synced. Note, dispatch and attachment
    mutations count for their report."""
    ids = list(dict.fromkeys(report_ids))
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for rid in chunk:
            out[rid] = SYNCED
        known = {r[0] for r in conn.execute(
            f"SELECT report_id FROM sync_report WHERE report_id IN ({marks})", chunk)}
        for rid in chunk:
            if rid not in known:
                out[rid] = LOCAL_ONLY
        rows = conn.execute(
            f"SELECT entity_id, state FROM outbox WHERE entity = 'report' AND entity_id IN ({marks})"
            f" UNION ALL SELECT json_extract(payload, '$.fields.report_id'), state FROM outbox"
            f" WHERE entity != 'report' AND json_extract(payload, '$.fields.report_id') IN ({marks})",
            chunk + chunk).fetchall()
        for rid, state in rows:
            if state == "quarantined":
                out[rid] = QUARANTINED
            elif out.get(rid) != QUARANTINED:
                out[rid] = PENDING
        for (rid,) in conn.execute(
                f"SELECT DISTINCT report_id FROM sync_conflict WHERE resolved_at IS NULL"
                f" AND report_id IN ({marks})", chunk):
            if out.get(rid) not in (QUARANTINED,):
                out[rid] = CONFLICT
    return out


def unsynced_states(conn: sqlite3.Connection, report_ids: Iterable[str]) -> dict[str, str]:
    """``{report id: state}`` for the reports that are not simply in sync with the server
    (the queue draws an icon for these only): "pending", "quarantined", "conflict" or
    "local". A quarantined payload with malformed JSON makes the outbox unreadable by
    ``json_extract``: then no icon rather than a failed page."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return {}
    try:
        states = report_sync_states(conn, ids)
    except db_errors.Error:
        return {}
    return {rid: st for rid, st in states.items() if st != SYNCED}
