"""Shifts and handovers: sign in, sign out, handover notes, the handover pack and its
sign-off by the outgoing and the incoming supervisor.

Each write is one operation in the sense of base.py (validate, write, one transaction,
return OpChanges). Shift records stay on this console for now: the wire format has no
shift or handover entity yet, so they write no outbox mutation (``outbox=False``).

The handover pack is built inside the sign-out transaction, so it is exactly the state
the outgoing supervisor handed over; it is stored as JSON in ``handover.pack`` and the
database refuses to change it once signed (triggers, migration 0003).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from console.domain.limits import MAX_CHARS
from console.domain.sla import SlaState
from console.operations import accounts
from console.operations.base import OpChanges, OperationError
from console.store import slaclock
from console.store.outbox import outbox_counts
from console.store.report_queries import (
    count_open_conflicts,
    last_sync,
    load_categories,
    region_filter,
    serves_region,
)
from console.store.timefmt import from_db, new_id, to_db, utcnow
from console.store.transaction import write_transaction

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
MAX_NOTE_CHARS = MAX_CHARS["note"]
#: Items listed per section of a pack (counts are always complete).
PACK_LIST_LIMIT = 200
OPEN_SQL = "('new', 'verified', 'dispatched', 'in_progress')"


@dataclass(frozen=True)
class OnShift:
    username: str
    display_name: str
    role: str
    started_at: datetime
    shift_id: str
    note: str | None


@dataclass
class HandoverPack:
    generated_at: str                      # ISO 8601, UTC
    region: str | None
    counts: dict[str, int] = field(default_factory=dict)
    open_p12: list[dict[str, Any]] = field(default_factory=list)
    sla_at_risk: list[dict[str, Any]] = field(default_factory=list)
    sla_breached: list[dict[str, Any]] = field(default_factory=list)
    dispatches_unacknowledged: list[dict[str, Any]] = field(default_factory=list)
    on_shift: list[dict[str, Any]] = field(default_factory=list)
    last_sync: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> HandoverPack:
        # Packs written by earlier versions may carry fields since dropped (conflicts_note)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})


@dataclass(frozen=True)
class HandoverInfo:
    id: str
    created_at: datetime
    region_code: str | None
    note: str | None
    outgoing: str
    outgoing_name: str
    outgoing_signed_at: datetime | None
    incoming: str | None
    incoming_name: str | None
    incoming_signed_at: datetime | None
    pack: HandoverPack

    @property
    def complete(self) -> bool:
        return self.incoming_signed_at is not None


# --- helpers ------------------------------------------------------------------------------

def _operator(conn: sqlite3.Connection, username: str) -> dict[str, Any]:
    row = conn.execute("SELECT id, username, display_name, role, regions FROM operator"
                       " WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise OperationError(f"unknown operator {username!r}", code="unknown_operator",
                             username=username)
    return dict(zip(("id", "username", "display_name", "role", "regions"), row, strict=True))


def _open_shift(conn: sqlite3.Connection, operator_id: str) -> tuple[str, str, str | None] | None:
    return conn.execute(
        "SELECT id, started_at, handover_note FROM shift WHERE operator_id = ? AND ended_at IS NULL"
        " ORDER BY started_at DESC LIMIT 1", (operator_id,)).fetchone()


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise OperationError(f"a handover note can hold at most {MAX_NOTE_CHARS} characters",
                             code="note_too_long", limit=MAX_NOTE_CHARS)
    return note or None


def _iso(value: str | None) -> str | None:
    dt = from_db(value)
    return dt.isoformat() if dt else None


# --- reads ----------------------------------------------------------------------------------

def on_shift(conn: sqlite3.Connection, *, region: str | None = None) -> list[OnShift]:
    """Who is signed in now, earliest first (optionally only staff serving ``region``)."""
    out = []
    for username, name, role, regions, started, shift_id, note in conn.execute(
            "SELECT o.username, o.display_name, o.role, o.regions, s.started_at, s.id,"
            " s.handover_note FROM shift s JOIN operator o ON o.id = s.operator_id"
            " WHERE s.ended_at IS NULL ORDER BY s.started_at"):
        if serves_region(regions, region):
            out.append(OnShift(username, name, role, from_db(started), shift_id, note))
    return out


def build_handover_pack(conn: sqlite3.Connection, *, region: str | None = None,
                        now: datetime | None = None, tz: str = "Asia/Jakarta") -> HandoverPack:
    """What the incoming shift must know, as of ``now``."""
    now = now or utcnow()
    where, params = region_filter(region)
    pack = HandoverPack(generated_at=now.isoformat(), region=region)

    p12 = conn.execute(
        "SELECT r.id, r.ticket, r.priority, r.status, r.category_code, r.region_code,"
        " r.created_at, r.sla_due_at, r.assigned_agency, r.title FROM report r"
        f" WHERE r.priority <= 2 AND r.status IN {OPEN_SQL}" + where
        + " ORDER BY r.priority, r.created_at", params).fetchall()
    pack.open_p12 = [
        {"report_id": r[0], "ticket": r[1], "priority": r[2], "status": r[3], "category": r[4],
         "region": r[5], "created_at": _iso(r[6]), "sla_due_at": _iso(r[7]), "agency": r[8],
         "title": r[9]}
        for r in p12[:PACK_LIST_LIMIT]]

    categories = load_categories(conn)
    at_risk, breached = [], []
    for (rid, ticket, priority, status, cat, channel, reg, due_s, title) in conn.execute(
            "SELECT r.id, r.ticket, r.priority, r.status, r.category_code, r.channel,"
            " r.region_code, r.sla_due_at, r.title FROM report r"
            f" WHERE r.status IN {OPEN_SQL} AND r.sla_due_at IS NOT NULL" + where
            + " ORDER BY r.sla_due_at", params):
        # The queue's rule exactly: the stored deadline of the running stage, judged by
        # console.domain.sla (so the pack and the "Lewat SLA" queue list the same reports).
        due = from_db(due_s)
        clock = slaclock.clock_of(categories.get(cat), channel, status, due, priority)
        state = SlaState.NONE if clock is None else clock.state(now)
        if state in (SlaState.AT_RISK, SlaState.BREACHED):
            item = {"report_id": rid, "ticket": ticket, "priority": priority, "status": status,
                    "category": cat, "region": reg, "sla_due_at": due.isoformat(),
                    "state": str(state), "title": title}
            (breached if state is SlaState.BREACHED else at_risk).append(item)
    pack.sla_at_risk = at_risk[:PACK_LIST_LIMIT]
    # Most overdue first is the oldest due time; the list above is already in that order.
    pack.sla_breached = breached[:PACK_LIST_LIMIT]

    unack = conn.execute(
        "SELECT d.id, d.agency_code, d.at, d.expected_at, r.id, r.ticket, r.priority, r.status"
        " FROM dispatch d JOIN report r ON r.id = d.report_id"
        " WHERE d.acknowledged_at IS NULL AND r.status IN ('dispatched', 'in_progress')"
        + where + " ORDER BY d.at", params).fetchall()
    pack.dispatches_unacknowledged = [
        {"dispatch_id": d[0], "agency": d[1], "dispatched_at": _iso(d[2]),
         "expected_at": _iso(d[3]), "report_id": d[4], "ticket": d[5], "priority": d[6],
         "status": d[7]}
        for d in unack[:PACK_LIST_LIMIT]]

    pending, quarantined = outbox_counts(conn)
    conflicts = count_open_conflicts(conn)
    pack.counts = {
        "open_p12": len(p12), "open_p1": sum(1 for r in p12 if r[2] == 1),
        "sla_at_risk": len(at_risk), "sla_breached": len(breached),
        "dispatches_unacknowledged": len(unack), "outbox_pending": pending,
        "outbox_quarantined": quarantined, "conflicts": conflicts,
    }
    pack.on_shift = [{"username": s.username, "name": s.display_name, "role": s.role,
                      "since": s.started_at.isoformat()} for s in on_shift(conn, region=region)]
    synced = last_sync(conn)
    pack.last_sync = synced.isoformat() if synced else None
    return pack


def load_handover(conn: sqlite3.Connection, handover_id: str) -> HandoverInfo:
    row = conn.execute(
        "SELECT h.id, h.created_at, h.region_code, h.note, o.username, o.display_name,"
        " h.outgoing_signed_at, i.username, i.display_name, h.incoming_signed_at, h.pack"
        " FROM handover h JOIN operator o ON o.id = h.outgoing_operator_id"
        " LEFT JOIN operator i ON i.id = h.incoming_operator_id WHERE h.id = ?",
        (handover_id,)).fetchone()
    if row is None:
        raise OperationError(f"handover {handover_id} does not exist here",
                             code="handover_missing")
    return HandoverInfo(row[0], from_db(row[1]), row[2], row[3], row[4], row[5], from_db(row[6]),
                        row[7], row[8], from_db(row[9]), HandoverPack.from_json(row[10]))


def pending_handovers(conn: sqlite3.Connection) -> list[HandoverInfo]:
    """Handovers not yet countersigned by an incoming supervisor, newest first."""
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM handover WHERE incoming_signed_at IS NULL ORDER BY created_at DESC")]
    return [load_handover(conn, i) for i in ids]


# --- writes ---------------------------------------------------------------------------------

def sign_in(conn: sqlite3.Connection, username: str, *, now: datetime | None = None) -> OpChanges:
    now = now or utcnow()
    with write_transaction(conn):
        op = _operator(conn, username)
        current = _open_shift(conn, op["id"])
        if current is not None:
            raise OperationError(
                f"{op['display_name']} is already on shift since {from_db(current[1]):%Y-%m-%d %H:%M} UTC",
                code="already_on_shift", name=op["display_name"], since=from_db(current[1]))
        shift_id = new_id()
        conn.execute("INSERT INTO shift (id, operator_id, started_at) VALUES (?, ?, ?)",
                     (shift_id, op["id"], to_db(now)))
    return OpChanges(kind="shift_sign_in", timeline=False, outbox=False,
                     detail={"shift_id": shift_id, "username": username})


def write_handover_note(conn: sqlite3.Connection, username: str, note: str | None, *,
                        now: datetime | None = None) -> OpChanges:
    """Set (or clear) the handover note of the operator's open shift."""
    note = _clean_note(note)
    with write_transaction(conn):
        op = _operator(conn, username)
        current = _open_shift(conn, op["id"])
        if current is None:
            raise OperationError(f"{op['display_name']} is not on shift; sign in first",
                                 code="not_on_shift", name=op["display_name"])
        conn.execute("UPDATE shift SET handover_note = ? WHERE id = ?", (note, current[0]))
    return OpChanges(kind="handover_note", timeline=False, outbox=False,
                     detail={"shift_id": current[0]})


def _insert_handover(conn: sqlite3.Connection, op: dict, shift_id: str | None,
                     region: str | None, note: str | None, now: datetime, tz: str) -> str:
    if region is not None and conn.execute(
            "SELECT 1 FROM region WHERE code = ?", (region,)).fetchone() is None:
        raise OperationError(f"unknown region {region!r}", code="unknown_region", region=region)
    pack = build_handover_pack(conn, region=region, now=now, tz=tz)
    handover_id = new_id()
    conn.execute(
        "INSERT INTO handover (id, shift_id, created_at, region_code, pack, note,"
        " outgoing_operator_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (handover_id, shift_id, to_db(now), region, pack.to_json(), note, op["id"]))
    return handover_id


def sign_out(conn: sqlite3.Connection, username: str, *, handover_note: str | None = None,
             region: str | None = None, now: datetime | None = None,
             tz: str = "Asia/Jakarta") -> OpChanges:
    """End the operator's shift. For a supervisor (or admin) this also builds the
    handover pack, waiting for the outgoing and then the incoming signature."""
    now = now or utcnow()
    note = _clean_note(handover_note)
    with write_transaction(conn):
        op = _operator(conn, username)
        current = _open_shift(conn, op["id"])
        if current is None:
            raise OperationError(f"{op['display_name']} is not on shift", code="not_on_shift",
                                 name=op["display_name"])
        shift_id, _started, old_note = current
        final_note = note if handover_note is not None else old_note
        conn.execute("UPDATE shift SET ended_at = ?, handover_note = ? WHERE id = ?",
                     (to_db(now), final_note, shift_id))
        detail: dict[str, Any] = {"shift_id": shift_id, "username": username}
        if op["role"] in SUPERVISOR_ROLES:
            detail["handover_id"] = _insert_handover(conn, op, shift_id, region, final_note,
                                                     now, tz)
    return OpChanges(kind="shift_sign_out", timeline=False, outbox=False, detail=detail)


def prepare_handover(conn: sqlite3.Connection, username: str, *, region: str | None = None,
                     note: str | None = None, now: datetime | None = None,
                     tz: str = "Asia/Jakarta") -> OpChanges:
    """A handover pack without signing out (e.g. a supervisor handing over mid-shift)."""
    now = now or utcnow()
    note = _clean_note(note)
    with write_transaction(conn):
        op = _operator(conn, username)
        if op["role"] not in SUPERVISOR_ROLES:
            raise OperationError("only a supervisor can prepare a handover",
                                 code="supervisor_only")
        current = _open_shift(conn, op["id"])
        handover_id = _insert_handover(conn, op, current[0] if current else None, region,
                                       note, now, tz)
    return OpChanges(kind="handover_prepared", timeline=False, outbox=False,
                     detail={"handover_id": handover_id})


def sign_handover(conn: sqlite3.Connection, username: str, handover_id: str, *, as_: str,
                  now: datetime | None = None) -> OpChanges:
    """Sign a handover as the ``outgoing`` or the ``incoming`` supervisor.

    The outgoing supervisor signs first (their own pack); then a different supervisor or
    admin who is on shift signs as incoming. Each signature is given once."""
    if as_ not in ("outgoing", "incoming"):
        raise OperationError("sign as 'outgoing' or 'incoming'", code="sign_as")
    now = now or utcnow()
    with write_transaction(conn):
        op = _operator(conn, username)
        if op["role"] not in SUPERVISOR_ROLES:
            raise OperationError("only a supervisor can sign a handover", code="supervisor_only")
        row = conn.execute(
            "SELECT outgoing_operator_id, outgoing_signed_at, incoming_signed_at FROM handover"
            " WHERE id = ?", (handover_id,)).fetchone()
        if row is None:
            raise OperationError(f"handover {handover_id} does not exist here",
                                 code="handover_missing")
        outgoing_id, out_signed, in_signed = row
        if as_ == "outgoing":
            if op["id"] != outgoing_id:
                raise OperationError("only the outgoing supervisor who made this handover can sign it as outgoing",
                                     code="not_outgoing")
            if out_signed is not None:
                raise OperationError("the outgoing supervisor has already signed this handover",
                                     code="outgoing_signed")
            conn.execute("UPDATE handover SET outgoing_signed_at = ? WHERE id = ?",
                         (to_db(now), handover_id))
        else:
            if out_signed is None:
                raise OperationError("the outgoing supervisor must sign first", code="outgoing_first")
            if in_signed is not None:
                raise OperationError("this handover is already signed by an incoming supervisor",
                                     code="incoming_signed")
            if op["id"] == outgoing_id:
                raise OperationError("the incoming supervisor must be someone other than the outgoing one",
                                     code="incoming_same")
            if _open_shift(conn, op["id"]) is None:
                raise OperationError(f"{op['display_name']} must sign in before taking over the shift",
                                     code="incoming_not_on_shift", name=op["display_name"])
            conn.execute("UPDATE handover SET incoming_operator_id = ?, incoming_signed_at = ?"
                         " WHERE id = ?", (op["id"], to_db(now), handover_id))
    return OpChanges(kind="handover_signed", timeline=False, outbox=False,
                     detail={"handover_id": handover_id, "as": as_, "username": username})


def sign_handover_with_password(conn: sqlite3.Connection, username: str, password: str,
                                handover_id: str, *, as_: str,
                                now: datetime | None = None) -> OpChanges:
    """A signature is given with the signer's password (checked against the verifier of
    their last server login on this console, accounts.verify): being on duty is not enough,
    and nobody signs for another supervisor by typing or picking their name."""
    accounts.verify(conn, username, password)
    return sign_handover(conn, username, handover_id, as_=as_, now=now)


@dataclass(frozen=True)
class ShiftOverview:
    """What the shift panel shows, read in one go on the database worker."""

    on_shift: list[OnShift]
    my_shift_id: str | None
    my_note: str | None
    my_role: str | None
    pending: list[HandoverInfo]


def shift_overview(conn: sqlite3.Connection, username: str | None, *,
                   region: str | None = None) -> ShiftOverview:
    staff = on_shift(conn, region=region)
    mine = next((s for s in on_shift(conn) if s.username == username), None)
    role = None
    if username:
        row = conn.execute("SELECT role FROM operator WHERE username = ?", (username,)).fetchone()
        role = row[0] if row else None
    return ShiftOverview(staff, mine.shift_id if mine else None, mine.note if mine else None,
                         role, pending_handovers(conn))
