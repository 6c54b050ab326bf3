"""Coalescing the outbox before it is sent: a week offline makes many small mutations of
one report (create, verify, dispatch, start, resolve, close); the server needs one.

A *chain* is a run of unsent mutations of one report by one actor: a ``create`` or a
``patch`` as its head, then later ``patch``es. They fold into the head, which keeps its
id and its place in the outbox; the folded rows are deleted. The head's ``fields`` become
the final values, and its ``trail`` lists the earlier values of every field the chain
changed, oldest first (a create's trail starts with the value it was made with), so the
server's per-field history keeps each value the report passed through, and checks the
status path against the workflow step by step.

What never folds, and why:
- a mutation already sent once (``attempts`` > 0): its frozen JSON is its identity on
  the server (exactly-once, see pusher.py);
- a mutation younger than the undo window: the operator may still take it back, and
  undo deletes that very outbox row;
- a patch naming ``duplicate_of``: the report it names must exist on the server first,
  and folding would move the patch ahead of that report's create;
- a patch made against another server revision than the head (a pull came in between):
  folding would hide changes from elsewhere that the later patch saw;
- a mutation of another actor: the server keeps who claimed each change.

Dispatches and notes stay separate rows; a chain folds *across* them safely because the
server's dispatch and note do not depend on the report's status.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta

from console.operations.undo import UNDO_WINDOW_S
from console.store.timefmt import to_db, utcnow


@dataclass
class _Chain:
    seq: int
    id: str
    op: str
    actor: str
    basis: int | None
    doc: dict
    initial: dict  # field -> the value the chain started from (create) or first set
    values: dict[str, list] = field(default_factory=dict)  # field -> every value, in order
    folded: list[tuple[int, str]] = field(default_factory=list)  # (seq, id) of folded rows


def coalesce(conn: sqlite3.Connection, *, now=None) -> int:  # noqa: ANN001
    """Fold the outbox's chains (see the module doc) in the caller's transaction.
    Returns how many rows were folded away."""
    young = to_db((now or utcnow()) - timedelta(seconds=UNDO_WINDOW_S))
    rows = conn.execute(
        "SELECT o.seq, o.id, o.entity_id, o.op, o.payload, o.created_at, b.server_revision,"
        " b.mutation_id IS NOT NULL FROM outbox o LEFT JOIN sync_basis b ON b.mutation_id = o.id"
        " WHERE o.state = 'pending' AND o.attempts = 0 AND o.entity = 'report'"
        " AND o.op IN ('create', 'patch') ORDER BY o.seq").fetchall()
    chains: dict[str, _Chain] = {}
    done: list[_Chain] = []
    for seq, mid, rid, op, payload, created, basis, has_basis in rows:
        try:
            doc = json.loads(payload)
        except ValueError:
            chains.pop(rid, None)  # the pusher quarantines it; nothing folds across it
            continue
        fields = doc.get("fields") if isinstance(doc, dict) else None
        if not isinstance(fields, dict) or doc.get("trail"):
            chains.pop(rid, None)
            continue
        basis = basis if has_basis else None
        head = chains.get(rid)
        foldable = (op == "patch" and created <= young and fields.get("duplicate_of") is None
                    and "duplicate_of" not in fields)
        if head is not None and foldable and doc.get("actor") == head.actor \
                and (head.op == "create" or basis == head.basis):
            _fold(head, fields, seq, mid)
            continue
        if head is not None and head.folded:
            done.append(head)
        if created > young or "duplicate_of" in fields:
            chains.pop(rid, None)  # a barrier: later mutations keep their own rows
            continue
        chains[rid] = _Chain(seq, mid, op, doc.get("actor"), basis, doc, dict(fields),
                             {k: [v] for k, v in fields.items()})
    done.extend(c for c in chains.values() if c.folded)
    folded = 0
    for chain in done:
        _write(conn, chain)
        folded += len(chain.folded)
    return folded


def _fold(head: _Chain, fields: dict, seq: int, mid: str) -> None:
    for name, value in fields.items():
        if name not in head.values:
            start = head.doc["fields"].get(name) if head.op == "create" else None
            head.values[name] = [start] if head.op == "create" else []
        head.values[name].append(value)
    head.folded.append((seq, mid))


def _write(conn: sqlite3.Connection, chain: _Chain) -> None:
    doc = chain.doc
    fields = dict(doc["fields"])
    trail: dict[str, list] = {}
    for name, values in chain.values.items():
        fields[name] = values[-1]
        earlier = values[:-1]
        # A patch head's first value already has its history row (old → first) on the
        # server; only a value that was overwritten within the chain needs the trail.
        if earlier and (chain.op == "create" or len(values) > 1):
            trail[name] = earlier
    if chain.op == "create":
        # A create's trail says where each field started, so the server's history shows
        # every step; a field that ends where it started needs no trail at all.
        trail = {k: v for k, v in trail.items() if v != [fields[k]] or len(v) > 1}
    doc["fields"] = fields
    if trail:
        doc["trail"] = trail
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    conn.execute("UPDATE outbox SET payload = ? WHERE seq = ?", (text, chain.seq))
    seqs = [s for s, _ in chain.folded]
    ids = [i for _, i in chain.folded]
    marks = ",".join("?" * len(seqs))
    conn.execute(f"DELETE FROM outbox WHERE seq IN ({marks})", seqs)
    conn.execute(f"DELETE FROM sync_basis WHERE mutation_id IN ({marks})", ids)
