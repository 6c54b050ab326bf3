"""Text the console accepts, the server accepts: both apply console/domain/limits.py
(issue 12 M11: a note over 500 characters used to wait in quarantine for good)."""

from __future__ import annotations

from console.operations import reports
from tests.sync.helpers import new_report


def test_a_long_note_made_at_the_console_reaches_the_server(make_console):
    a = make_console()
    b = make_console()
    rid = new_report(a)
    body = ("Petugas DPU sudah meninjau lokasi; lubang sedalam 20 cm. " * 100)[:5000].strip()
    assert len(body) > 4900
    a.call(reports.add_note, a.username, rid, body)
    a.call(reports.verify, a.username, rid)
    a.call(reports.dispatch, a.username, rid, ["pupr"], note=body)
    result = a.sync()
    assert result.complete and result.quarantined == 0
    assert a.scalar("SELECT count(*) FROM outbox") == 0
    b.sync()
    assert b.scalar("SELECT body FROM note WHERE report_id = ?", rid) == body
    assert b.scalar("SELECT note FROM dispatch WHERE report_id = ?", rid) == body
