"""Push, pull and the cursor against the real server: what one console writes, another in
the same region receives; the cursor moves with the rows in one transaction."""

from __future__ import annotations

import json

from console.operations import reports
from console.sync import state
from tests.sync.helpers import KEL, KEL_OTHER, edit, new_report, shared_report


def test_push_then_pull_between_two_consoles(make_console):
    a = make_console()
    b = make_console()
    ids = [new_report(a, title=f"Sampah menumpuk {i}") for i in range(5)]
    ra = a.sync()
    assert ra.complete and ra.pushed == 5
    assert a.scalar("SELECT count(*) FROM outbox") == 0
    rb = b.sync()
    assert rb.complete
    got = {r[0] for r in b.sql("SELECT id FROM report")}
    assert set(ids) <= got
    # The cursor is the server's head, stored with the rows.
    counts = b.call(state.counts)
    assert counts.cursor == counts.head and counts.pending == 0
    # Revisions follow the server.
    assert b.scalar("SELECT revision FROM report WHERE id = ?", ids[0]) == 1


def test_patches_chain_and_merge_without_false_conflicts(make_console):
    a, b, rid = shared_report(make_console)
    # A: verify then dispatch (two chained patches), all before any sync.
    a.call(reports.verify, a.username, rid)
    a.call(reports.dispatch, a.username, rid, ["pupr"])
    # B: an edit of another field, made against revision 1.
    b.call(reports.add_note, b.username, rid, "Warga sudah melapor dua kali")
    edit(b, rid, priority=2)
    a.sync()
    b.sync()
    a.sync()
    row_a = a.sql("SELECT status, priority, revision FROM report WHERE id = ?", rid)[0]
    row_b = b.sql("SELECT status, priority, revision FROM report WHERE id = ?", rid)[0]
    assert row_a == row_b
    assert row_a[0] == "dispatched" and row_a[1] == 2
    assert a.scalar("SELECT count(*) FROM sync_conflict") == 0
    assert b.scalar("SELECT count(*) FROM sync_conflict") == 0
    assert a.scalar("SELECT count(*) FROM note WHERE report_id = ?", rid) == 1
    assert a.scalar("SELECT count(*) FROM dispatch WHERE report_id = ?", rid) == 1


def test_pending_local_edit_survives_a_pull(make_console):
    a, b, rid = shared_report(make_console)
    # B changes the title offline; meanwhile A changes the description on the server.
    edit(b, rid, title="Judul dari B")
    edit(a, rid, description="Deskripsi dari A")
    a.sync()
    # B pulls WITHOUT pushing first (pull lane only): the local title stays on top.
    page = b.engine.transport.pull(b.call(state.get_int, state.CURSOR), 100)
    from console.sync.puller import apply_page

    b.call(apply_page, page)
    title, desc = b.sql("SELECT title, description FROM report WHERE id = ?", rid)[0]
    assert title == "Judul dari B" and desc == "Deskripsi dari A"
    events = b.sql("SELECT kind, detail FROM report_event WHERE report_id = ? AND kind = 'sync'", rid)
    assert events and "kept_local" in json.loads(events[-1][1])
    b.sync()
    a.sync()
    for c in (a, b):
        assert c.sql("SELECT title, description FROM report WHERE id = ?", rid)[0] == (
            "Judul dari B", "Deskripsi dari A")
        assert c.scalar("SELECT count(*) FROM sync_conflict") == 0


def test_scope_and_gone(make_console):
    a = make_console(role="operator", regions=())  # the command center: whole city
    kel = make_console(regions=(KEL,))
    inside = new_report(a, region=KEL)
    outside = new_report(a, region=KEL_OTHER)
    a.sync()
    kel.sync()
    have = {r[0] for r in kel.sql("SELECT id FROM report")}
    assert inside in have and outside not in have
    # Moving the report to another kelurahan makes it 'gone' for the Campaka console.
    edit(a, inside, region_code=KEL_OTHER)
    a.sync()
    kel.sync()
    assert kel.scalar("SELECT count(*) FROM report WHERE id = ?", inside) == 0
