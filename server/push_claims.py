"""The soft claim in a push (console/domain/claims.py; protocol section 6a), split from
push.py: loading the claims a batch touches, applying ``claim`` take/release mutations,
and writing them at flush. ``batch`` is a push.Batch: its ``claims`` maps report id to
the claim row (stored or planned), ``stored_claims`` the ids that have a row already.

The holder is always the pushing account and the times the server's: a name or time a
client sends is not asked for (a field other than ``report_id`` is refused), and a claim
never refuses a report change (it only warns, at the consoles).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select, update

from console.domain import claims as rules
from server.models import Claim
from server.push_parts import Reject, Result, _names
from server.schemas import MutationIn

if TYPE_CHECKING:
    from server.push import Batch

T = Claim.__table__


def preload(batch: Batch, muts: list[MutationIn], report_ids: set[str]) -> None:
    claimed = {m.entity_id for m in muts if m.entity == "claim"} & report_ids
    if claimed:
        for row in batch.conn.execute(select(T).where(T.c.report_id.in_(claimed))):
            batch.claims[row.report_id] = dict(row._mapping)
        batch.stored_claims |= set(batch.claims)


def apply(batch: Batch, m: MutationIn) -> Result:
    """Take (or renew) or release the claim on a report. A release lets go only of the
    caller's own live claim."""
    f = m.fields
    unknown = sorted(set(f) - {"report_id"})
    if unknown:
        raise Reject(422, f"fields a claim cannot have: {_names(unknown)}; the holder is "
                          "the account you logged in with")
    if f.get("report_id", m.entity_id) != m.entity_id:
        raise Reject(422, "fields.report_id differs from entity_id (the claimed report)")
    if m.base_revision is not None or m.trail is not None:
        raise Reject(422, "a claim has no base_revision and no trail")
    report = batch.visible_report(m.entity_id)
    me, old, now = batch.who.username, batch.claims.get(report["id"]), batch.now
    live = old is not None and rules.is_live(old["holder"], old["expires_at"], now)
    mine = live and old["holder"] == me
    ticket = report["ticket"]
    if m.op == rules.RELEASE:
        if not mine:
            return Result(m.id, "applied", 200,
                          f"no claim of yours on {ticket} to release; nothing changed")
        row = dict(report_id=report["id"], holder=None, since=None, expires_at=None)
        message = f"claim on {ticket} released"
    else:
        row = dict(report_id=report["id"], holder=me, since=old["since"] if mine else now,
                   expires_at=now + rules.CLAIM_TTL)
        message = (f"claim on {ticket} renewed" if mine else
                   f"claim on {ticket} taken over from {old['holder']}" if live else
                   f"claim on {ticket} taken")
    row["seq"] = batch.next_seq()
    batch.claims[report["id"]] = row
    return Result(m.id, "applied", 200, message)


def moved(batch: Batch, report_id: str) -> None:
    """The report changed region: its claim gets a new seq, so the consoles of the new
    region receive it too (like the report's notes and dispatches)."""
    row = batch.claims.get(report_id)
    if row is None:
        found = batch.lookup(select(T).where(T.c.report_id == report_id))
        if not found:
            return
        row = batch.claims[report_id] = dict(found[0]._mapping)
        batch.stored_claims.add(report_id)
    row["seq"] = batch.next_seq()


def flush(batch: Batch) -> None:
    planned = [r for r in batch.claims.values() if r["seq"] > batch.seq0]
    batch._insert(T, [r for r in planned if r["report_id"] not in batch.stored_claims])
    again = [{f"b_{k}": v for k, v in r.items()} for r in planned
             if r["report_id"] in batch.stored_claims]
    if again:
        batch.conn.execute(update(T).where(T.c.report_id == bindparam("b_report_id")).values(
            {k: bindparam(f"b_{k}") for k in ("seq", "holder", "since", "expires_at")}), again)
