"""Issue 12 H1, the console half: a report numbered before any login (station PSK) gets
the server's number at its first push; the timeline says so, and every console shows the
same ticket. A console's own numbers (its account's station) are kept."""

from __future__ import annotations

import json

from console.domain.tickets import NO_STATION
from console.sync import state
from tests.sync.helpers import new_report


def test_a_ticket_numbered_before_login_is_renumbered_by_the_server(make_console):
    a = make_console(login=False)
    rid = new_report(a, title="Lapor sebelum login")
    before = a.scalar("SELECT ticket FROM report WHERE id = ?", rid)
    assert before.startswith(f"{NO_STATION}-")
    from console.sync.testing.live import PASSWORD

    a.engine.login(PASSWORD)
    assert a.sync().complete
    after = a.scalar("SELECT ticket FROM report WHERE id = ?", rid)
    assert after != before and not after.startswith(f"{NO_STATION}-")
    (detail,) = [json.loads(d) for (d,) in a.sql(
        "SELECT detail FROM report_event WHERE report_id = ? AND kind = 'sync'", rid)]
    assert detail["fields"]["ticket"] == [before, after]
    b = make_console()
    b.sync()
    assert b.scalar("SELECT ticket FROM report WHERE id = ?", rid) == after
    assert a.call(state.counts).quarantined == 0


def test_a_consoles_own_numbers_are_kept(make_console):
    a = make_console()
    station = a.scalar("SELECT value FROM meta WHERE key = 'station_code'")
    rid = new_report(a)
    ticket = a.scalar("SELECT ticket FROM report WHERE id = ?", rid)
    assert ticket.startswith(f"{station}-")
    assert a.sync().complete
    assert a.scalar("SELECT ticket FROM report WHERE id = ?", rid) == ticket
    assert not a.sql("SELECT 1 FROM report_event WHERE report_id = ? AND kind = 'sync'", rid)
