"""The outbox pusher: choose a batch, freeze it, and record the server's verdicts.

Exactly-once rests on three rules:

1. A mutation's JSON is *frozen* before it is first sent (``attempts`` > 0 marks it, in a
   committed transaction before the request). Every re-send is byte-identical, so the
   server answers ``duplicate`` for one it already applied and nothing happens twice.
2. A mutation leaves the outbox only in the transaction that records the server's
   confirmation (``applied``, ``duplicate`` or ``conflict``). A lost answer means a re-send.
3. ``rejected`` mutations are quarantined (kept, with the server's message, shown to the
   operator) and never block the others. A refused soft claim is dropped instead: it is a
   hint to other desks, not a change of record (console/operations/claims.py).

Re-basing: operations write ``base_revision`` = the local revision the operator saw. Before
the first send of a patch it is translated into the server revision it really was made
against: ``sync_basis`` (filled by a trigger at insert) tells the server revision the report
had here then, and ``sync_report.own_from/own_to`` the latest run of consecutive server
revisions that were this console's own patches. A patch made on top of our own confirmed
changes is based on the end of that run; anything else keeps its older base, so edits from
elsewhere that we have not seen are always detected as conflicts, never overwritten.
Within one batch a report gets at most one patch whose server revision cannot be predicted
(a second waits for the first's result), except right after a create sent for the first
time in that same batch, where nobody else can have touched the report.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from console.domain.claims import CLAIM_TTL
from console.domain.wire import PATCHABLE_REPORT_FIELDS, SERVER_MADE
from console.operations.base import OpChanges
from console.store.outbox import OutboxEntry
from console.store.timefmt import to_db, utcnow
from console.store.transaction import write_transaction
from console.sync.coalesce import coalesce as fold
from console.sync.puller import SERVER_ACTOR, TIME_COLS


@dataclass(frozen=True)
class Outgoing(OutboxEntry):
    base_revision: int | None
    payload: str  # the frozen JSON that goes on the wire


@dataclass
class PushOutcome:
    changes: OpChanges
    applied: int = 0
    conflicts: int = 0
    quarantined: int = 0
    unanswered: int = 0


def _report_of(entity: str, entity_id: str, payload: dict) -> str | None:
    if entity == "report":
        return entity_id
    rid = (payload.get("fields") or {}).get("report_id")
    return rid if isinstance(rid, str) else None


def _rebase(conn: sqlite3.Connection, mutation_id: str, report_id: str, written: int | None) -> int | None:
    basis = conn.execute("SELECT server_revision FROM sync_basis WHERE mutation_id = ?",
                         (mutation_id,)).fetchone()
    if basis is None:
        return written  # made before this console synced: trust what the operation wrote
    run = conn.execute("SELECT own_from, own_to FROM sync_report WHERE report_id = ?",
                       (report_id,)).fetchone()
    seen = basis[0]
    if seen is None:
        if run is not None and run[0] == 0:
            seen = 0  # born here: the create was our own revision 1
        else:
            return written
    if run is not None and run[0] is not None and run[0] <= seen <= run[1]:
        return run[1]
    return seen


#: The outbox's report of each row: the report itself, or the one a child belongs to.
_REPORT_OF_ROW = ("CASE WHEN o.entity = 'report' THEN o.entity_id"
                  " ELSE json_extract(o.payload, '$.fields.report_id') END")
_COLUMNS = "o.seq, o.id, o.entity, o.entity_id, o.op, o.base_revision, o.payload, o.attempts"


def _pending_rows(conn: sqlite3.Connection, window: int) -> list[tuple]:
    """Pending rows in the order they go: every mutation of a priority-1/2 report first
    (in outbox order among themselves), then the rest. A report whose mutations name
    ``duplicate_of`` keeps its place: the report it names may not be on the server yet."""
    urgent = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox o JOIN report r ON r.id = {_REPORT_OF_ROW}"
        " WHERE o.state = 'pending' AND r.priority <= 2 AND NOT EXISTS ("
        "  SELECT 1 FROM outbox d WHERE d.state = 'pending' AND d.entity = 'report'"
        "  AND d.entity_id = r.id AND json_extract(d.payload, '$.fields.duplicate_of') IS NOT NULL)"
        " ORDER BY o.seq LIMIT ?", (window,)).fetchall()
    taken = {row[0] for row in urgent}
    rest = conn.execute(f"SELECT {_COLUMNS} FROM outbox o WHERE o.state = 'pending'"
                        " ORDER BY o.seq LIMIT ?", (window + len(taken),)).fetchall()
    return urgent + [row for row in rest if row[0] not in taken]


def prepare_batch(conn: sqlite3.Connection, max_count: int, max_bytes: int, *,
                  coalesce: bool = True) -> list[Outgoing]:
    """The next batch of pending mutations, coalesced (coalesce.py), frozen and marked as
    (possibly) sent; priority-1/2 reports first."""
    with write_transaction(conn):
        if coalesce:
            fold(conn)
        _drop_stale_claims(conn)
        rows = _pending_rows(conn, max_count * 2 + 20)
        batch: list[Outgoing] = []
        held: set[str] = set()  # reports whose further mutations wait for the next batch
        fresh_chain: dict[str, int] = {}  # report created (first send) in this batch -> predicted revision
        unpredictable: set[str] = set()  # reports with a patch in this batch, result unknown
        size = 0
        for seq, mid, entity, entity_id, op, base, payload, attempts in rows:
            if len(batch) >= max_count or (batch and size + len(payload) > max_bytes):
                break
            try:
                doc = json.loads(payload)
            except ValueError:
                doc = None
            if not isinstance(doc, dict):
                conn.execute("UPDATE outbox SET state = 'quarantined', last_error = ? WHERE seq = ?",
                             ("local: the stored mutation is not valid JSON; it cannot be sent", seq))
                continue
            rid = _report_of(entity, entity_id, doc)
            if rid is not None and rid in held:
                continue
            if entity == "report" and op == "create" and attempts == 0:
                fresh_chain[entity_id] = 1
            elif entity == "report" and op == "patch":
                if entity_id in fresh_chain:
                    new_base = fresh_chain[entity_id]
                    fresh_chain[entity_id] += 1
                    if attempts == 0:
                        payload, base = _freeze(conn, seq, doc, payload, base, new_base)
                elif attempts == 0:
                    if entity_id in unpredictable:
                        held.add(entity_id)
                        continue
                    new_base = _rebase(conn, mid, entity_id, base)
                    payload, base = _freeze(conn, seq, doc, payload, base, new_base)
                    unpredictable.add(entity_id)
                else:
                    unpredictable.add(entity_id)
            batch.append(Outgoing(seq, mid, entity, entity_id, op, rid, base, payload))
            size += len(payload)
        if batch:
            seqs = [o.seq for o in batch]
            conn.execute(f"UPDATE outbox SET attempts = attempts + 1 WHERE seq IN ({','.join('?' * len(seqs))})",
                         seqs)
    return batch


def _drop_stale_claims(conn: sqlite3.Connection) -> None:
    """A claim taken longer than CLAIM_TTL ago (worked offline) would have run out by now:
    sending it would show other desks a claim nobody renews (the server stamps its own
    time). Only unsent ones: a sent one keeps its frozen identity."""
    cutoff = to_db(utcnow() - CLAIM_TTL)
    conn.execute("DELETE FROM outbox WHERE entity = 'claim' AND attempts = 0 AND"
                 " state = 'pending' AND created_at < ?", (cutoff,))


def _freeze(conn: sqlite3.Connection, seq: int, doc: dict, payload: str, base: int | None,
            new_base: int | None) -> tuple[str, int | None]:
    if new_base == base and doc.get("base_revision") == base:
        return payload, base
    doc["base_revision"] = new_base
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    conn.execute("UPDATE outbox SET payload = ?, base_revision = ? WHERE seq = ?",
                 (text, new_base, seq))
    return text, new_base


def record_results(conn: sqlite3.Connection, sent: list[Outgoing], results: list[dict]) -> PushOutcome:
    """Apply the server's verdicts in one transaction (see the module doc)."""
    by_id = {r.get("id"): r for r in results if isinstance(r, dict)}
    out = PushOutcome(OpChanges(kind="sync_push", source="sync"))
    touched: set[str] = set()
    with write_transaction(conn):
        for m in sent:
            r = by_id.get(m.id)
            if r is None:
                out.unanswered += 1
                continue
            status = r.get("status")
            if status == "duplicate":
                status = r.get("original_status") or "applied"
            if m.report_id:
                touched.add(m.report_id)
            if status == "rejected" and m.entity == "claim":
                conn.execute("DELETE FROM outbox WHERE seq = ?", (m.seq,))
                continue
            if status == "rejected":
                code, message = r.get("code"), str(r.get("message") or "refused")[:1000]
                conn.execute("UPDATE outbox SET state = 'quarantined', last_error = ? WHERE seq = ?",
                             (f"{code}: {message}", m.seq))
                out.quarantined += 1
                continue
            if status not in ("applied", "conflict"):
                out.unanswered += 1
                continue
            conn.execute("DELETE FROM outbox WHERE seq = ?", (m.seq,))
            conn.execute("DELETE FROM sync_basis WHERE mutation_id = ?", (m.id,))
            revision = r.get("revision") if type(r.get("revision")) is int else None
            if status == "conflict":
                out.conflicts += 1
                _record_conflicts(conn, m, r)
                if m.entity == "report":
                    _break_run(conn, m.entity_id)
                continue
            out.applied += 1
            if m.entity != "report" or revision is None:
                continue
            if m.op == "create" and isinstance(r.get("fields"), dict):
                _take_server_made(conn, m.entity_id, r["fields"])
            if m.op == "create":
                conn.execute(
                    "INSERT INTO sync_report (report_id, server_revision, own_from, own_to, gone)"
                    " VALUES (?, ?, 0, ?, 0) ON CONFLICT(report_id) DO UPDATE SET"
                    " server_revision = max(coalesce(server_revision, 0), excluded.server_revision),"
                    " own_from = CASE WHEN own_from IS NULL AND own_to IS NULL THEN 0 ELSE own_from END,"
                    " own_to = CASE WHEN own_from IS NULL AND own_to IS NULL THEN excluded.own_to"
                    " ELSE own_to END", (m.entity_id, revision, revision))
            elif m.op == "patch" and m.base_revision is not None:
                _extend_run(conn, m.entity_id, m.base_revision, revision,
                            no_change=str(r.get("message") or "").find("no change") >= 0)
    changes = OpChanges(kind="sync_push", report_ids=frozenset(touched), timeline=False,
                        outbox=True, source="sync",
                        detail={"applied": out.applied, "conflicts": out.conflicts,
                                "quarantined": out.quarantined})
    out.changes = changes
    return out


def _take_server_made(conn: sqlite3.Connection, report_id: str, made: dict) -> None:
    for name in SERVER_MADE:
        value = made.get(name)
        if not isinstance(value, str) or not value:
            continue
        if name == "ticket":
            _renumber(conn, report_id, value)
            continue
        if name in TIME_COLS and (value := _stored_time(value)) is None:
            continue
        conn.execute(f"UPDATE report SET {name} = ? WHERE id = ?", (value, report_id))


def _stored_time(iso: str) -> str | None:
    """A time of the push answer (ISO text) as the report table stores it."""
    try:
        return to_db(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    except ValueError:
        return None


def _renumber(conn: sqlite3.Connection, report_id: str, ticket: str) -> None:
    """The server gave the report its own number (ours was taken, or not of our station:
    console/domain/tickets.py). The timeline says so: people may have noted the old one."""
    from console.operations.base import write_event
    from console.store.timefmt import utcnow

    row = conn.execute("SELECT ticket FROM report WHERE id = ?", (report_id,)).fetchone()
    if row is None or row[0] == ticket:
        return
    conn.execute("UPDATE report SET ticket = ? WHERE id = ?", (ticket, report_id))
    write_event(conn, report_id, SERVER_ACTOR, "sync", at=utcnow(), field_name="ticket",
                old=row[0], new=ticket, detail={"fields": {"ticket": [row[0], ticket]},
                                                "renumbered": True})


def _extend_run(conn: sqlite3.Connection, report_id: str, base: int, revision: int, *,
                no_change: bool) -> None:
    row = conn.execute("SELECT own_from, own_to FROM sync_report WHERE report_id = ?",
                       (report_id,)).fetchone()
    own_from, own_to = row if row else (None, None)
    if no_change and revision == base:
        return  # nothing written on the server: the run (if any) still holds
    if not no_change and revision == base + 1:
        if own_to == base and own_from is not None:
            own_to = revision
        else:
            own_from, own_to = base, revision
    else:
        own_from = own_to = None
    conn.execute("INSERT INTO sync_report (report_id, own_from, own_to, gone) VALUES (?, ?, ?, 0)"
                 " ON CONFLICT(report_id) DO UPDATE SET own_from = excluded.own_from,"
                 " own_to = excluded.own_to", (report_id, own_from, own_to))


def _break_run(conn: sqlite3.Connection, report_id: str) -> None:
    conn.execute("UPDATE sync_report SET own_from = NULL, own_to = NULL WHERE report_id = ?",
                 (report_id,))


def _show_kept_value(conn: sqlite3.Connection, m: Outgoing, c: dict) -> None:
    """The server kept its value: show it here too (the conflict record keeps ours), unless
    a later local change of that field still waits in the outbox."""
    name, value = c.get("field"), c.get("server_value")
    if m.entity != "report" or name not in PATCHABLE_REPORT_FIELDS:
        return
    waiting = conn.execute(
        "SELECT 1 FROM outbox WHERE state = 'pending' AND entity = 'report' AND entity_id = ?"
        " AND json_extract(payload, '$.fields.' || ?) IS NOT NULL LIMIT 1",
        (m.entity_id, name)).fetchone()
    if waiting:
        return
    if name in TIME_COLS and isinstance(value, str) and (value := _stored_time(value)) is None:
        return
    conn.execute(f"UPDATE report SET {name} = ? WHERE id = ?", (value, m.entity_id))


def _record_conflicts(conn: sqlite3.Connection, m: Outgoing, r: dict) -> None:
    for c in r.get("conflicts") or []:
        if not isinstance(c, dict) or not isinstance(c.get("conflict_id"), str):
            continue
        _show_kept_value(conn, m, c)
        conn.execute(
            "INSERT INTO sync_conflict (id, report_id, field, base_revision, server_revision,"
            " server_value, client_value, mutation_id, by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
            " ON CONFLICT(id) DO NOTHING",
            (c["conflict_id"], m.entity_id, str(c.get("field")), m.base_revision,
             c.get("server_revision"), json.dumps(c.get("server_value")),
             json.dumps(c.get("client_value")), m.id))


def quarantine(conn: sqlite3.Connection, m: Outgoing, message: str) -> None:
    """Quarantine one mutation the server refused as a whole request (e.g. 413).
    ``message`` starts with its code like every quarantine reason: ``"413: …"``."""
    with write_transaction(conn):
        conn.execute("UPDATE outbox SET state = 'quarantined', last_error = ? WHERE seq = ?",
                     (message[:1000], m.seq))


def requeue(conn: sqlite3.Connection, mutation_id: str) -> OpChanges:
    """Send a quarantined mutation again, as a NEW mutation (new id, re-based at its next
    first send): the operator fixed what the server complained about, or the cause is gone."""
    from console.store.timefmt import new_id

    with write_transaction(conn):
        row = conn.execute("SELECT seq, entity, entity_id, payload FROM outbox WHERE id = ? AND"
                           " state = 'quarantined'", (mutation_id,)).fetchone()
        if row is None:
            raise ValueError(f"mutation {mutation_id} is not in quarantine")
        seq, entity, entity_id, payload = row
        doc = json.loads(payload)
        doc["id"] = new_id()
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        conn.execute("UPDATE outbox SET id = ?, payload = ?, state = 'pending', attempts = 0,"
                     " last_error = NULL WHERE seq = ?", (doc["id"], text, seq))
        conn.execute("UPDATE sync_basis SET mutation_id = ? WHERE mutation_id = ?",
                     (doc["id"], mutation_id))
    rid = _report_of(entity, entity_id, doc)
    return OpChanges(kind="sync_requeue", report_ids=frozenset({rid} if rid else set()),
                     timeline=False)


def discard(conn: sqlite3.Connection, mutation_id: str, actor: str) -> OpChanges:
    """Give up a quarantined mutation. The local record keeps its value until the server
    next changes that report; the timeline records who discarded what and why it was
    refused."""
    from console.operations.base import write_event
    from console.store.timefmt import utcnow

    with write_transaction(conn):
        row = conn.execute("SELECT seq, entity, entity_id, payload, last_error FROM outbox"
                           " WHERE id = ? AND state = 'quarantined'", (mutation_id,)).fetchone()
        if row is None:
            raise ValueError(f"mutation {mutation_id} is not in quarantine")
        seq, entity, entity_id, payload, error = row
        doc = json.loads(payload)
        rid = _report_of(entity, entity_id, doc)
        if rid and conn.execute("SELECT 1 FROM report WHERE id = ?", (rid,)).fetchone():
            write_event(conn, rid, actor, "sync_discard", at=utcnow(),
                        detail={"mutation": doc, "server_said": error})
        conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
        conn.execute("DELETE FROM sync_basis WHERE mutation_id = ?", (mutation_id,))
    return OpChanges(kind="sync_discard", report_ids=frozenset({rid} if rid else set()))
