"""Preparing a push before the global write lock, so the lock is held only to number and
write the changes (issue 14: with the whole push under the lock, several workers took
turns at it for most of a push's CPU and gained little).

The change feed needs seqs allocated and committed in one order (db.py), and that is
unchanged: numbers are still allocated and written under the lock. What moves out is the
work of deciding what to write. ``prepare`` loads what the batch refers to on a read
snapshot, without the lock, and applies every mutation (validation, merge, conflicts,
history, results) numbering the changes with stand-ins above ``STAND_IN``. Under the lock
``adopt`` loads the same things again: the plan is the one the lock holder would have made
if everything it was made from is still so - the preloaded rows and sets (compared whole),
every server-made ticket still free, every later look-up still giving the same rows. Then
the stand-ins become the next real numbers and the plan is written. Otherwise (another
push changed one of those rows in between: the same report, the same mutation id) the
batch is applied again under the lock, exactly as before.

A plan is a function of the mutations, what was read, the account, the reference data and
the clock; only the clock differs (the batch's ``now`` is from before the lock, as if the
request had come a moment earlier). tests/server/test_push_prepared.py changes each kind
of input in between and checks the push answers what a locked push would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from server.models import Report
from server.push_parts import Result

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from server.db import Database
    from server.push import Batch
    from server.schemas import MutationIn

#: Stand-in seqs are above this (2**62): no real seq comes near it, so a stand-in is told
#: apart by its value alone, and one left behind would break the seq columns' uniqueness
#: and the counter, never pass unnoticed.
STAND_IN = 1 << 62


@dataclass
class Prepared:
    batch: Batch
    #: What preload read, copied before apply() changed any of it.
    seen: tuple
    results: dict[int, Result]


def _preloaded(batch: Batch) -> tuple:
    return (batch.applied, batch.reports, batch.revs, batch.tickets, batch.child_ids,
            batch.blobs, batch.readable_blobs, batch.claims, batch.stored_claims)


def _copy(value):  # noqa: ANN001, ANN202
    """A copy of what preload read that apply() cannot change: dicts and sets are copied
    at every level, anything else is a row's plain value (text, number, time), which
    nothing changes in place. A tenth of what copy.deepcopy costs."""
    if isinstance(value, dict):
        return {k: _copy(v) if isinstance(v, dict | set) else v for k, v in value.items()}
    if isinstance(value, set):
        return set(value)
    return value


def prepare(db: Database, make_batch, muts: list[MutationIn]) -> Prepared:  # noqa: ANN001
    """The batch applied on a read snapshot, its changes numbered with stand-ins."""
    with db.read() as conn:
        batch = make_batch(conn, seq0=STAND_IN)
        batch.preload(muts)
        seen = tuple(_copy(part) for part in _preloaded(batch))
        results = {id(m): batch.apply(m) for m in muts}
    batch.conn = None
    return Prepared(batch, seen, results)


def _still_so(conn: Connection, fresh: Batch, prep: Prepared) -> bool:
    if _preloaded(fresh) != prep.seen:
        return False
    tickets = prep.batch.server_tickets
    if tickets and conn.execute(select(Report.__table__.c.id)
                                .where(Report.__table__.c.ticket.in_(tickets))).first():
        return False
    return all(sorted(repr(tuple(r)) for r in conn.execute(stmt)) == rows
               for stmt, rows in prep.batch.lookups)


def adopt(conn: Connection, make_batch, muts: list[MutationIn],  # noqa: ANN001
          prep: Prepared | None) -> tuple[Batch, dict[int, Result], bool]:
    """Under the write lock: (the batch to flush, its results, whether the prepared plan
    was used). ``prep`` None: apply here, as a push always did."""
    fresh = make_batch(conn)
    fresh.preload(muts)
    if prep is not None and _still_so(conn, fresh, prep):
        batch = prep.batch
        batch.conn = conn
        _renumber(batch, fresh.seq0)
        return batch, prep.results, True
    return fresh, {id(m): fresh.apply(m) for m in muts}, False


def _renumber(batch: Batch, seq0: int) -> None:
    """Stand-in seqs to the real ones after ``seq0`` (same order, same gaps: none)."""
    shift = seq0 - STAND_IN

    def fix(row: dict, key: str = "seq") -> None:
        if (row.get(key) or 0) > STAND_IN:
            row[key] += shift

    p = batch.plan
    for rows in (batch.reports.values(), batch.claims.values(), p.notes, p.dispatches,
                 p.attachments, p.conflicts, p.departures):
        for row in rows:
            fix(row)
    for rows in p.restamp.values():
        for row in rows:
            fix(row, "b_seq")
    batch.seq0, batch.seq = seq0, batch.seq + shift
