"""The soft claim on the console (console/domain/claims.py): taken or renewed by every
workflow action on a report, released by one that ends its handling, and taken over
explicitly with its key. It never refuses anything: the views warn before acting on a
report another desk holds, and acting anyway takes the claim over.

The local row is what this desk did (holder = the account on duty, times from this
computer's clock, only for display); the server stamps its own times when the ``claim``
mutation arrives and sends the result back in the change feed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from console.domain import claims as rules
from console.operations.base import (
    OpChanges,
    ReportNotFound,
    require_actor,
    write_outbox,
)
from console.store.timefmt import from_db, to_db, utcnow
from console.store.transaction import write_transaction


@dataclass(frozen=True)
class ClaimInfo:
    report_id: str
    holder: str
    since: datetime | None
    expires_at: datetime


def record(conn: sqlite3.Connection, report_id: str, actor: str, now: datetime, *,
           status: str | None = None) -> None:
    """Inside an operation's transaction: take (or renew) the claim on ``report_id`` for
    ``actor``, or release it when the report's new ``status`` ends its handling. One
    unsent claim mutation per report is enough: an older one still waiting is replaced."""
    require_actor(actor)
    release = rules.releases(status)
    old = conn.execute("SELECT holder, since, expires_at FROM claim WHERE report_id = ?",
                       (report_id,)).fetchone()
    mine = old is not None and rules.is_live(old[0], from_db(old[2]), now) and old[0] == actor
    if release and not mine:
        return  # nothing of ours to let go of; another desk's claim runs out by itself
    if release:
        values = (None, None, None)
    else:
        values = (actor, old[1] if mine else to_db(now), to_db(now + rules.CLAIM_TTL))
    conn.execute("INSERT INTO claim (report_id, holder, since, expires_at) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT(report_id) DO UPDATE SET holder = excluded.holder,"
                 " since = excluded.since, expires_at = excluded.expires_at",
                 (report_id, *values))
    conn.execute("DELETE FROM outbox WHERE entity = 'claim' AND entity_id = ? AND attempts = 0"
                 " AND state = 'pending'", (report_id,))
    if release and _unsent_create(conn, report_id):
        return  # the server never had this report, so never our claim: nothing to release
    write_outbox(conn, entity="claim", entity_id=report_id,
                 op=rules.RELEASE if release else rules.TAKE, fields={"report_id": report_id},
                 actor=actor, at=now)


def _unsent_create(conn: sqlite3.Connection, report_id: str) -> bool:
    """The report's create has not left this console (nor, behind it, any claim of it)."""
    return conn.execute("SELECT 1 FROM outbox WHERE entity = 'report' AND op = 'create'"
                        " AND entity_id = ? AND attempts = 0 AND state = 'pending'",
                        (report_id,)).fetchone() is not None


def take_over(conn: sqlite3.Connection, actor: str, report_id: str, *,
              now: datetime | None = None) -> OpChanges:
    """The take-over key: this desk holds the report from now (after a confirmation)."""
    now = now or utcnow()
    with write_transaction(conn):
        if conn.execute("SELECT 1 FROM report WHERE id = ?", (report_id,)).fetchone() is None:
            raise ReportNotFound(f"report {report_id} does not exist here", report_id=report_id)
        record(conn, report_id, actor, now)
    return OpChanges(kind="claim", report_ids=frozenset({report_id}), timeline=False)


def live_claims(conn: sqlite3.Connection, now: datetime | None = None) -> dict[str, ClaimInfo]:
    """Every claim held now, by report id (a few dozen at most: cheap to read whole)."""
    now = now or utcnow()
    rows = conn.execute("SELECT report_id, holder, since, expires_at FROM claim"
                        " WHERE holder IS NOT NULL AND expires_at > ?", (to_db(now),)).fetchall()
    return {r[0]: ClaimInfo(r[0], r[1], from_db(r[2]), from_db(r[3])) for r in rows}
