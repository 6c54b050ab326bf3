"""Two consoles edit one report offline, then sync: different fields merge, the same field
becomes a conflict record that keeps both values, and the operator's decision is a new
mutation and a timeline event. Nothing is silently overwritten."""

from __future__ import annotations

import json

import pytest

from console.operations import reports
from console.operations.base import OperationError
from console.sync import conflicts, state
from tests.sync.helpers import edit, shared_report, title_conflict


def _server_report(live, rid):
    from sqlalchemy import select

    from server.models import History, Report

    with live.ctx.db.read() as conn:
        row = conn.execute(select(Report.__table__).where(Report.__table__.c.id == rid)).first()
        h = History.__table__
        history = conn.execute(select(h.c.field, h.c.old_value, h.c.new_value)
                               .where(h.c.report_id == rid)).all()
    return row, history


def test_same_field_offline_edits_become_a_conflict_record(live, make_console):
    a, b, rid = shared_report(make_console)
    a.call(reports.verify, a.username, rid)                  # status new -> verified
    b.call(reports.apply_action, b.username, rid, "reject")  # status new -> rejected
    edit(b, rid, address="Jl. Braga No. 5")
    a.sync()
    b.sync()
    a.sync()
    for c in (a, b):
        status, address = c.sql("SELECT status, address FROM report WHERE id = ?", rid)[0]
        assert status == "verified" and address == "Jl. Braga No. 5"  # first wins; others merge
        found = {x.field: x for x in c.call(conflicts.open_conflicts, rid)}
        conf = found["status"]  # (the SLA deadline both actions reset conflicts as well)
        assert (conf.server_value, conf.client_value) == ("verified", "rejected")
        assert c.call(state.counts).conflicts == len(found)
        assert c.call(state.report_sync_states, [rid])[rid] == state.CONFLICT
    row, history = _server_report(live, rid)
    assert row.status == "verified"
    assert ("address", json.dumps(None), json.dumps("Jl. Braga No. 5")) in [tuple(h) for h in history]

    found = {x.field: x for x in b.call(conflicts.open_conflicts, rid)}
    conf = found.pop("status")
    with pytest.raises(OperationError, match="already resolved"):
        b.call(conflicts.resolve, b.username, rid, {"no-such-conflict": "client"})
    # Keeping the server's value: resolved here, recorded in the timeline, nothing to send.
    changes = b.call(conflicts.resolve, b.username, rid,
                     {conf.id: "server", **{x.id: "server" for x in found.values()}})
    assert changes.report_ids == {rid} and not changes.outbox
    assert b.call(conflicts.open_conflicts, rid) == []
    event = b.sql("SELECT field, new_value, detail FROM report_event WHERE report_id = ? AND"
                  " kind = 'conflict' AND field = 'status'", rid)
    assert event[0][0] == "status" and event[0][1] == "verified"
    assert json.loads(event[0][2])["client_value"] == "rejected"


def test_choosing_the_edited_value_sends_a_new_patch(live, make_console):
    a, b, rid = title_conflict(make_console, "Judul A", "Judul B")
    (conf,) = b.call(conflicts.open_conflicts, rid)
    assert b.scalar("SELECT title FROM report WHERE id = ?", rid) == "Judul A"
    changes = b.call(conflicts.resolve, b.username, rid, {conf.id: "client"})
    assert changes.outbox
    assert b.scalar("SELECT title FROM report WHERE id = ?", rid) == "Judul B"
    b.sync()
    a.sync()
    assert a.scalar("SELECT title FROM report WHERE id = ?", rid) == "Judul B"
    row, history = _server_report(live, rid)
    assert row.title == "Judul B"
    titles = [(json.loads(o), json.loads(n)) for f, o, n in history if f == "title"]
    assert titles[-2:] == [("Jalan berlubang", "Judul A"), ("Judul A", "Judul B")]
    # The resolution patch itself did not conflict.
    assert b.scalar("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL AND report_id = ?", rid) == 0
    resolved = b.sql("SELECT resolution, resolution_mutation_id FROM sync_conflict WHERE id = ?", conf.id)
    assert resolved[0][0] == "client" and resolved[0][1]
