"""Issue 11, finding 4: a report's unsent create and later patches go as one mutation,
with the server's history keeping every value; real consoles, the real server."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from console.operations import reports
from console.store.timefmt import to_db, utcnow
from console.sync import state
from console.views import messages
from tests.sync.helpers import new_report

WORKFLOW_COLS = ("status", "priority", "assigned_agency", "verified_at", "dispatched_at",
                 "resolved_at", "closed_at", "sla_due_at", "title", "address")


def _age(console, hours: float = 2.0) -> None:
    """The office worked hours ago (past the undo window), offline since."""
    old = to_db(utcnow() - timedelta(hours=hours))
    console.call(lambda c: c.execute("UPDATE outbox SET created_at = ?", (old,)) and c.commit())


def _server(live, rid: str):
    from server.models import AppliedMutation, History, Report

    with live.ctx.db.read() as conn:
        am, h, r = AppliedMutation.__table__, History.__table__, Report.__table__
        ops = [(x.entity, x.message.split()[0]) for x in conn.execute(
            select(am.c.entity, am.c.message).where(am.c.entity_id == rid,
                                                    am.c.entity != "claim"))]  # a hint apart
        statuses = [(x.old_value, x.new_value) for x in conn.execute(
            select(h.c.old_value, h.c.new_value).where(h.c.report_id == rid, h.c.field == "status")
            .order_by(h.c.id))]
        row = conn.execute(select(r).where(r.c.id == rid)).first()
    return ops, [(json.loads(a), json.loads(b)) for a, b in statuses], row


def _ms(value):
    """Times travel in milliseconds: compare them so."""
    if isinstance(value, str) and len(value) == 26 and value[4] == "-" and value[19] == ".":
        from datetime import datetime

        return round(datetime.fromisoformat(value).timestamp() * 1000)
    return value


def _work(console, rid: str, path: tuple[str, ...]) -> None:
    for step in path:
        if step == "dispatch":
            console.call(reports.dispatch, console.username, rid, ["pupr"])
        else:
            console.call(reports.apply_action, console.username, rid, step)


def test_a_report_worked_offline_goes_as_one_mutation_and_keeps_its_history(live, make_console):
    a = make_console()
    done = new_report(a, title="Jalan amblas depan SD")
    _work(a, done, ("verify", "dispatch", "start", "resolve", "close"))
    refused = new_report(a, title="Bukan kewenangan kelurahan")
    _work(a, refused, ("reject",))
    before = a.call(state.counts).pending
    assert before == 2 + 6 + 1  # two creates, six patches, one dispatch
    _age(a)
    report = a.sync()
    assert report.complete and a.call(state.counts).pending == 0

    ops, statuses, row = _server(live, done)
    # One report mutation (its create, the five actions folded in), and the dispatch.
    assert sorted(ops) == [("report", "report")]
    assert statuses == [("new", "verified"), ("verified", "dispatched"),
                        ("dispatched", "in_progress"), ("in_progress", "resolved"),
                        ("resolved", "closed")]
    assert row.status == "closed" and row.assigned_agency == "pupr"
    ops, statuses, row = _server(live, refused)
    assert statuses == [("new", "rejected")] and row.status == "rejected"

    # Another console receives exactly what the first one holds.
    b = make_console()
    b.sync()
    for rid in (done, refused):
        cols = ", ".join(WORKFLOW_COLS)
        (mine,) = a.sql(f"SELECT {cols} FROM report WHERE id = ?", rid)
        (theirs,) = b.sql(f"SELECT {cols} FROM report WHERE id = ?", rid)
        assert [_ms(v) for v in mine] == [_ms(v) for v in theirs], rid
    assert b.scalar("SELECT count(*) FROM dispatch WHERE report_id = ?", done) == 1
    # The local timeline still lists each action on its own.
    kinds = [k for (k,) in a.sql("SELECT kind FROM report_event WHERE report_id = ? AND"
                                 " kind = 'status' ORDER BY at", done)]
    assert len(kinds) == 5


def test_a_recent_action_stays_its_own_mutation(live, make_console):
    """Within the undo window an action may still be taken back, so it is not folded."""
    a = make_console()
    rid = new_report(a)
    _age(a)
    a.call(reports.verify, a.username, rid)  # just now
    a.sync()
    ops, statuses, row = _server(live, rid)
    assert [op for _, op in ops] == ["report", "report"] and len(ops) == 2
    assert statuses == [("new", "verified")] and row.status == "verified"


def test_a_refused_coalesced_change_shows_what_it_held(live, make_console):
    a = make_console()
    bad = new_report(a, title="Kategori yang tidak dikenal server")
    _work(a, bad, ("verify", "dispatch"))
    good = new_report(a, title="Lampu jalan mati")
    _work(a, good, ("verify",))
    # The server does not know this category (e.g. removed from the city's catalogue).
    a.call(lambda c: c.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.fields.category_code', 'hapus')"
        " WHERE entity_id = ? AND op = 'create'", (bad,)) and c.commit())
    _age(a)
    a.sync()
    # The create and, behind it, the dispatch of a report the server does not have.
    items = a.call(state.quarantined)
    assert sorted(i.op for i in items) == ["create", "dispatch"]
    (item,) = [i for i in items if i.op == "create"]
    assert item.report_id == bad and item.ticket
    assert item.trail["status"] == ["new", "verified"]
    summary = messages.change_summary(item.fields, trail=item.trail)
    assert "Belum terverifikasi → Terverifikasi → Didisposisikan" in summary, summary
    _, _, row = _server(live, good)
    assert row.status == "verified"  # nothing else was blocked
