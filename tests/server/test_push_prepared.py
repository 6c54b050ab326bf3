"""Issue 14: a push is applied on a snapshot before the write lock and only numbered and
written under it (server/push_prepare.py). The plan must be used only when everything it
was made from still holds: here another push changes each kind of input in between (the
same mutation id, the same field, a claim, a report's children, a server-made ticket) and
the answer must be what a push made wholly under the lock gives. And no stand-in seq may
ever reach the database. Both backends, ``push()`` called directly on the live server's
database (so the push in between can be slipped in at the exact moment)."""

from __future__ import annotations

import hashlib
import secrets

import pytest
from sqlalchemy import select, text

from server import auth, push_prepare
from server import push as push_mod
from server.models import Counter
from server.scope import Principal
from tests.server.helpers import (
    KEC_A,
    KEL_A1,
    PASSWORD,
    create_mut,
    note_mut,
    now_iso,
    patch_mut,
    uid,
)

SEQ_TABLES = ("report", "note", "dispatch", "attachment", "conflict", "departure", "claim")
KEL_OTHER = "3273-2485"  # another kecamatan of Bandung


def _who(live, role: str = "operator") -> Principal:
    name = f"prep-{secrets.token_hex(4)}"
    account = auth.create_account(live.ctx.db, name, role, PASSWORD, profile="fast")
    return Principal.from_row(account, name, role, "[]", session=secrets.token_hex(6))


def _push(live, who: Principal, *muts: dict, source: str = "console") -> list:
    return push_mod.push(live.ctx.db, live.ctx.ref, who, list(muts), tz="Asia/Jakarta",
                         enforce_bounds=False, source=source)


def _claim(report_id: str) -> dict:
    return {"id": uid(), "entity": "claim", "entity_id": report_id, "op": "take",
            "fields": {"report_id": report_id}, "actor": "op1", "at": now_iso(),
            "base_revision": None, "meta": {}}


def _two_desks_and_a_report(live) -> tuple[Principal, Principal, str]:
    """Two operators' sessions and a report in KEL_A1 the first one pushed: (who, other,
    report id)."""
    who, other = _who(live), _who(live)
    m = create_mut(KEL_A1)
    _push(live, who, m)
    return who, other, m["entity_id"]


@pytest.fixture
def adopted(monkeypatch):
    """Whether each push's prepared plan was used, in order."""
    seen: list[bool] = []
    real = push_prepare.adopt

    def spy(*args, **kw):
        out = real(*args, **kw)
        seen.append(out[2])
        return out

    monkeypatch.setattr(push_prepare, "adopt", spy)
    return seen


@pytest.fixture
def in_between(monkeypatch):
    """``in_between.append(fn)``: fn(prepared) runs once, after the next push was
    prepared and before it takes the write lock."""
    pending: list = []
    real = push_prepare.prepare

    def wrapped(*args, **kw):
        prep = real(*args, **kw)
        if pending:
            pending.pop(0)(prep)
        return prep

    monkeypatch.setattr(push_prepare, "prepare", wrapped)
    return pending


def _seqs_are_real(live) -> None:
    """Every seq in the database is a real one: unique across the tables, none above
    the counter (a stand-in left behind would be far above it)."""
    with live.ctx.db.read() as conn:
        counter = conn.execute(select(Counter.__table__.c.value)
                               .where(Counter.__table__.c.name == "seq")).scalar()
        seqs = [s for t in SEQ_TABLES
                for (s,) in conn.execute(text(f"SELECT seq FROM {t}"))]  # noqa: S608
    assert len(seqs) == len(set(seqs))
    assert max(seqs) <= counter < push_prepare.STAND_IN


def test_every_kind_of_change_gets_real_numbers(live, adopted):
    who = _who(live)
    first = create_mut(KEL_A1)
    rid = first["entity_id"]
    assert _push(live, who, first, note_mut(rid), _claim(rid))[0].status == "applied"
    data = b"prepared" + secrets.token_bytes(8)
    attachment = {"id": uid(), "entity": "attachment", "entity_id": uid(), "op": "create",
                  "fields": {"report_id": rid, "sha256": hashlib.sha256(data).hexdigest(),
                             "filename": "foto.jpg", "mime": "image/jpeg", "size": len(data)},
                  "actor": "op1", "at": now_iso(), "base_revision": None, "meta": {}}
    dispatch = {"id": uid(), "entity": "dispatch", "entity_id": uid(), "op": "dispatch",
                "fields": {"report_id": rid, "agency_code": "pupr"}, "actor": "op1",
                "at": now_iso(), "base_revision": None, "meta": {}}
    second = create_mut(KEL_A1, ticket="X-not-mine")  # a server-made ticket
    results = _push(
        live, who, second, attachment, dispatch, note_mut(rid),
        patch_mut(rid, 1, address="Jl. Dago 1"),
        patch_mut(rid, 1, address="Jl. Dago 2"),  # a conflict
        patch_mut(rid, 2, region_code=KEL_OTHER),  # moves children and the claim
        _claim(second["entity_id"]),
    )
    assert [r.status for r in results] == ["applied"] * 5 + ["conflict", "applied", "applied"]
    assert adopted == [True, True]
    _seqs_are_real(live)
    with live.ctx.db.read() as conn:
        moved = conn.execute(text("SELECT seq FROM note WHERE report_id = :r"), {"r": rid})
        departure = conn.execute(text("SELECT seq FROM departure WHERE report_id = :r"),
                                 {"r": rid}).scalar()
        assert all(s > departure for (s,) in moved)  # re-sent after the move


def test_the_same_mutation_in_between_is_a_duplicate(live, adopted, in_between):
    who = _who(live)
    m = create_mut(KEL_A1)
    in_between.append(lambda _prep: _push(live, who, m))
    (result,) = _push(live, who, m)
    assert result.status == "duplicate"
    assert adopted == [True, False]  # the push in between, then ours made again
    _seqs_are_real(live)


def test_the_same_field_changed_in_between_is_a_conflict(live, adopted, in_between):
    who, other, rid = _two_desks_and_a_report(live)
    in_between.append(lambda _prep: _push(live, other, patch_mut(rid, 1, address="Jl. Riau")))
    (result,) = _push(live, who, patch_mut(rid, 1, address="Jl. Braga"))
    assert result.status == "conflict" and result.revision == 2
    assert adopted[-1] is False
    with live.ctx.db.read() as conn:
        assert conn.execute(text("SELECT address FROM report WHERE id = :r"),
                            {"r": rid}).scalar() == "Jl. Riau"
    _seqs_are_real(live)


def test_a_claim_taken_in_between_is_taken_over(live, adopted, in_between):
    who, other, rid = _two_desks_and_a_report(live)
    in_between.append(lambda _prep: _push(live, other, _claim(rid)))
    (result,) = _push(live, who, _claim(rid))
    assert f"taken over from {other.username}" in result.message
    assert adopted[-1] is False
    _seqs_are_real(live)


def test_a_note_added_in_between_moves_with_its_report(live, adopted, in_between):
    who, other, rid = _two_desks_and_a_report(live)
    late = note_mut(rid, "ditambahkan di antara")
    in_between.append(lambda _prep: _push(live, other, late))
    (result,) = _push(live, who, patch_mut(rid, 1, region_code=KEC_A))
    assert result.status == "applied"
    assert adopted[-1] is False  # the report's children were looked up: they changed
    with live.ctx.db.read() as conn:
        note = conn.execute(text("SELECT seq FROM note WHERE id = :i"),
                            {"i": late["entity_id"]}).scalar()
        departure = conn.execute(text("SELECT seq FROM departure WHERE report_id = :r"),
                                 {"r": rid}).scalar()
    assert note > departure  # re-sent for the new region's consoles
    _seqs_are_real(live)


def test_a_server_ticket_taken_in_between_is_made_again(live, adopted, in_between):
    who, other = _who(live), _who(live)
    m = create_mut(KEL_A1, ticket="X-not-mine")
    taken: list[str] = []

    def take(prep) -> None:
        (ticket,) = prep.batch.server_tickets
        taken.append(ticket)
        # Open311 keeps a ticket it is given when it is free (not a console's own rule).
        assert _push(live, other, create_mut(KEL_A1, ticket=ticket),
                     source="open311")[0].ticket == ticket

    in_between.append(take)
    (result,) = _push(live, who, m)
    assert result.status == "applied" and result.ticket not in (None, taken[0])
    assert adopted[-1] is False
    _seqs_are_real(live)


def test_turned_off_every_push_is_made_under_the_lock(live, adopted, monkeypatch):
    monkeypatch.setattr(push_mod, "PREPARE", False)
    who = _who(live)
    assert _push(live, who, create_mut(KEL_A1))[0].status == "applied"
    assert adopted == [False]


def test_racing_patches_of_one_report_lose_nothing(live):
    """Consoles patching one report at once, over HTTP: every push prepares against the
    same revision, and each must see the ones that committed before it - one of the
    same-field patches is applied and the rest become conflicts; patches of different
    fields all merge."""
    import threading

    from tests.server.helpers import push as http_push

    desks = [live.account("operator") for _ in range(4)]
    m = create_mut(KEL_A1)
    rid = m["entity_id"]
    assert http_push(desks[0], m)[0]["status"] == "applied"
    for fields in ([{"address": f"Jl. Asia Afrika {i}"} for i in range(4)],
                   [{"address": "Jl. Braga 9"}, {"reporter_name": "Pak Asep"},
                    {"description": "Lubang makin lebar"}, {"title": "Jalan amblas"}]):
        with live.ctx.db.read() as conn:
            base = conn.execute(text("SELECT revision FROM report WHERE id = :r"),
                                {"r": rid}).scalar()
        barrier = threading.Barrier(len(desks))
        results: list = [None] * len(desks)

        def send(i: int, fields=fields, base=base, barrier=barrier, results=results) -> None:
            barrier.wait()
            results[i] = http_push(desks[i], patch_mut(rid, base, **fields[i]))[0]

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(desks))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = sorted(r["status"] for r in results)
        with live.ctx.db.read() as conn:
            row = conn.execute(text("SELECT revision, address FROM report WHERE id = :r"),
                               {"r": rid}).one()
        if len({tuple(f) for f in fields}) == 1:  # all the same field
            assert statuses == ["applied"] + ["conflict"] * 3
            (won,) = [i for i, r in enumerate(results) if r["status"] == "applied"]
            assert row.revision == base + 1 and row.address == fields[won]["address"]
        else:
            assert statuses == ["applied"] * 4
            assert row.revision == base + 4
    _seqs_are_real(live)
