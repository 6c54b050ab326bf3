"""Issue 13 (3): the soft claim between two real consoles and the real server. A desk's
action takes the claim, the other desk's pull shows it, acting anyway takes it over, the
end of handling releases it, and claims worked long offline or refused are dropped,
never quarantined."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from console.operations import claims, reports
from console.store.timefmt import to_db, utcnow
from console.store.transaction import write_transaction
from console.sync import state
from tests.sync.helpers import new_report, shared_report


def _server_holder(live, rid: str):
    from server.models import Claim

    t = Claim.__table__
    with live.ctx.db.read() as conn:
        row = conn.execute(select(t).where(t.c.report_id == rid)).first()
    return None if row is None else row.holder


def _holder(console, rid: str):
    held = console.call(claims.live_claims)
    return held[rid].holder if rid in held else None


def test_a_claim_travels_between_desks_and_is_taken_over(live, make_console):
    a = make_console()
    b = make_console()
    rid = new_report(a)
    a.sync()
    a.call(reports.verify, a.username, rid)
    assert _holder(a, rid) == a.username  # this desk's own claim, at once
    a.sync()
    assert _server_holder(live, rid) == a.username
    b.sync()
    assert _holder(b, rid) == a.username
    # B acts anyway (after the warning its views show): the action takes the claim over.
    b.call(reports.dispatch, b.username, rid, ["pupr"])
    assert _holder(b, rid) == b.username
    b.sync()
    assert _server_holder(live, rid) == b.username
    a.sync()
    assert _holder(a, rid) == b.username
    # The explicit take-over key, back to A.
    a.call(claims.take_over, a.username, rid)
    a.sync()
    b.sync()
    assert _server_holder(live, rid) == a.username and _holder(b, rid) == a.username
    # Resolving ends the handling: released everywhere.
    a.call(reports.apply_action, a.username, rid, "start")
    a.call(reports.apply_action, a.username, rid, "resolve")
    assert _holder(a, rid) is None
    a.sync()
    b.sync()
    assert _server_holder(live, rid) is None and _holder(b, rid) is None
    assert a.call(state.counts).pending == 0 and b.call(state.counts).pending == 0


def test_a_claim_worked_long_offline_or_refused_is_dropped_not_quarantined(live, make_console):
    a = make_console()
    rid = new_report(a)
    a.sync()
    a.call(reports.verify, a.username, rid)
    old = to_db(utcnow() - timedelta(hours=1))  # worked offline an hour ago
    a.call(lambda c: c.execute("UPDATE outbox SET created_at = ?", (old,)) and c.commit())
    a.sync()
    assert _server_holder(live, rid) is None  # it would have run out: not sent
    # A claim of a report the server does not have (e.g. refused): dropped quietly.
    ghost = new_report(a)
    a.call(lambda c: c.execute("DELETE FROM outbox WHERE entity_id = ?", (ghost,)) and c.commit())
    a.call(claims.take_over, a.username, ghost)
    a.sync()
    assert a.call(state.counts).pending == 0 and a.call(state.quarantined) == []


def test_a_claim_pulled_while_ours_waits_does_not_undo_ours(live, make_console):
    from console.sync.puller import _apply_claims

    a, b, rid = shared_report(make_console)
    b.call(claims.take_over, b.username, rid)  # not pushed yet
    later = int((utcnow() + timedelta(minutes=10)).timestamp() * 1000)
    row = {"report_id": rid, "holder": a.username, "since": later - 600_000, "expires_at": later}

    def pulled(conn):
        with write_transaction(conn):
            return _apply_claims(conn, [row], None)

    assert b.call(pulled) == set()
    assert _holder(b, rid) == b.username  # ours is newer; the server answers in a later page
    b.sync()
    assert _server_holder(live, rid) == b.username
    assert b.call(pulled) == {rid}  # nothing waiting any more: the feed's row applies
    assert _holder(b, rid) == a.username


def test_a_claim_that_ran_out_here_is_not_shown_and_a_bad_claim_row_stops_the_page(make_console):
    from console.sync.errors import BadResponse
    from console.sync.puller import _apply_claims

    a = make_console(login=False)
    rid = new_report(a)
    now = int(utcnow().timestamp() * 1000)
    rows = [{"report_id": rid, "holder": "kel.lain", "since": now - 20 * 60_000,
             "expires_at": now - 5 * 60_000}]

    def pulled(conn, rows=rows, server_time=None):
        with write_transaction(conn):
            return _apply_claims(conn, rows, server_time)

    assert a.call(pulled) == {rid}
    assert _holder(a, rid) is None  # ran out five minutes ago: not held any more
    # The server's clock is ten minutes behind this one: by its clock the claim has five
    # minutes left, and expiry is judged on the server's clock, so it still holds here.
    late = [{**rows[0], "expires_at": now + 5 * 60_000 - 10 * 60_000}]
    assert a.call(pulled, late, now - 10 * 60_000) == {rid}
    assert _holder(a, rid) == "kel.lain"
    for bad in ({"report_id": rid, "holder": 7}, {"report_id": None, "holder": "x"},
                {"report_id": rid, "holder": "x", "expires_at": "tomorrow"},
                {"report_id": rid, "holder": "x" * 500}):
        with pytest.raises(BadResponse):
            a.call(pulled, [bad])
    assert _holder(a, rid) == "kel.lain"  # a refused page changed nothing
