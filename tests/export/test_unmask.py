"""Personal data leaves unmasked only when a supervisor asks, and every such export is
recorded: in the export log, and in the timeline of each report whose reporter it shows."""

from __future__ import annotations

import json

import openpyxl
import pytest

from console.export.output import ExportError


def test_operator_may_not_unmask(export, tmp_path):
    for kw, key in ((dict(actor="op.rina"), "unmask_role"), (dict(actor=None), "unmask_actor"),
                    (dict(actor="nobody"), "unknown_actor")):
        with pytest.raises(ExportError) as err:
            export("xlsx", unmask=True, **kw)
        assert err.value.key == key
    assert not (tmp_path / "shift.xlsx").exists()
    with pytest.raises(ExportError) as err:
        export("xlsx", unmask=True, actor="op.rina", lang="en")
    assert "may not reveal" in str(err.value)


def test_supervisor_unmask_is_recorded_in_the_timeline(export, conn, window):
    result, path = export("xlsx", unmask=True, actor="spv.hendra")
    wb = openpyxl.load_workbook(path)
    rows = list(wb["Laporan"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    names = {r[header.index("Nama pelapor")] for r in body}
    assert "Budi Santoso" in names and "Siti Aminah" in names
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Data pribadi pelapor"].startswith("TIDAK disamarkan")

    # Every report with reporter data that the workbook shows: in the window, plus the
    # open-P1 list (K, older, has no reporter data).
    expected = {r for (r,) in conn.execute(
        "SELECT id FROM report WHERE (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL)"
        " AND ((created_at >= ? AND created_at < ?) OR (priority = 1 AND status IN"
        " ('new','verified','dispatched','in_progress') AND created_at < ?))",
        (*window, window[1]))}
    events = conn.execute("SELECT report_id, actor, field, detail FROM report_event"
                          " WHERE kind = 'export_unmasked'").fetchall()
    assert {e[0] for e in events} == expected and len(events) == len(expected) == 4
    assert result.unmasked_reports == 4
    log = conn.execute("SELECT id, actor, format, unmasked, filename, sha256, region_code FROM export_log").fetchall()
    assert len(log) == 1
    export_id, actor, fmt, unmasked, filename, sha, region = log[0]
    assert (actor, fmt, unmasked, filename, region) == ("spv.hendra", "xlsx", 1, "shift.xlsx", None)
    import hashlib

    assert sha == hashlib.sha256(path.read_bytes()).hexdigest() == result.sha256
    detail = json.loads(events[0][3])
    assert detail["export_id"] == export_id and events[0][1] == "spv.hendra"
    # The log is evidence: it cannot be edited or deleted.
    from console.store.db import DatabaseError

    with pytest.raises(DatabaseError):
        conn.execute("UPDATE export_log SET unmasked = 0")
    with pytest.raises(DatabaseError):
        conn.execute("DELETE FROM export_log")


def test_pdf_unmask_records_only_what_the_pdf_shows(export, conn, scenario):
    result, _ = export("pdf", unmask=True, actor="spv.ratna")
    ids = {r for (r,) in conn.execute(
        "SELECT report_id FROM report_event WHERE kind = 'export_unmasked'")}
    # The PDF lists reporters only in the open-P1 table: D and N (K has none).
    assert ids == {scenario.ids["D"], scenario.ids["N"]}
    assert result.unmasked_reports == 2


def test_masked_export_is_logged_without_timeline_events(export, conn):
    export("csv", actor="op.rina")
    assert conn.execute("SELECT actor, unmasked FROM export_log").fetchall() == [("op.rina", 0)]
    assert conn.execute("SELECT count(*) FROM report_event WHERE kind = 'export_unmasked'").fetchone()[0] == 0
