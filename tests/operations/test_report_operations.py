"""Operator actions: each writes the change, its timeline event and its outbox mutation in
one transaction, refuses what the workflow forbids, and says what changed."""

import json
from datetime import UTC, datetime

import pytest

from console.domain.geo import CITY_BOUNDS
from console.domain.workflow import IllegalTransition
from console.operations import reports
from console.operations.base import OperationError, StaleReport
from console.operations.intake import NewReport, create_report

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


def _counts(conn):
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("report", "report_event", "outbox", "note", "dispatch"))


def _new(conn, **kw):
    data = dict(channel="phone", category_code="jalan_rusak", title="Jalan berlubang di Jl. Braga",
                description="Lubang besar dekat halte", lat=-6.917, lon=107.609,
                region_code=conn.execute("SELECT code FROM region WHERE level='kelurahan' LIMIT 1").fetchone()[0])
    data.update(kw)
    return create_report(conn, "operator1", NewReport(**data), bounds=CITY_BOUNDS["bandung"], now=NOW)


def _report(conn, report_id):
    return reports.load_report(conn, report_id)


def test_create_writes_report_event_and_outbox_together(conn):
    changes = _new(conn)
    (report_id,) = changes.created
    r = _report(conn, report_id)
    assert r["status"] == "new" and r["revision"] == 1 and r["ticket"] == changes.detail["ticket"]
    assert r["sla_due_at"] is not None  # a LAPOR! verification clock runs from intake
    events = conn.execute("SELECT kind FROM report_event WHERE report_id = ?", (report_id,)).fetchall()
    assert events == [("created",)]
    (payload,) = conn.execute("SELECT payload FROM outbox WHERE entity_id = ?", (report_id,)).fetchone()
    mutation = json.loads(payload)
    assert mutation["op"] == "create" and mutation["fields"]["title"] == "Jalan berlubang di Jl. Braga"
    # FTS sees it at once.
    assert conn.execute("SELECT count(*) FROM report_fts WHERE report_fts MATCH 'berlubang'").fetchone()[0] == 1


def test_tickets_are_unique_and_increase(conn):
    tickets = [_new(conn).detail["ticket"] for _ in range(3)]
    assert len(set(tickets)) == 3 and tickets == sorted(tickets)


def test_a_ticket_number_someone_else_holds_is_skipped_not_fatal(conn):
    """Issue 12 H1: another account pushed reports with this console's next numbers and
    they were pulled here. Intake goes on with the next free number, every time."""
    first = _new(conn).detail["ticket"]
    station_day, seq = first.rsplit("-", 1)
    n = int(seq)
    # Three reports now hold the next three numbers, while this console's counter still
    # stands at the first one (as when a pull brought another account's reports).
    held = [_new(conn, title=f"Laporan akun lain {k}").detail["ticket"] for k in (1, 2, 3)]
    assert held == [f"{station_day}-{n + k:05d}" for k in (1, 2, 3)]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'ticket_seq'", (str(n),))
    conn.commit()
    assert _new(conn).detail["ticket"] == f"{station_day}-{n + 4:05d}"
    assert _new(conn).detail["ticket"] == f"{station_day}-{n + 5:05d}"


@pytest.mark.parametrize("bad, message", [
    (dict(lat=-6.2, lon=106.8), "outside Kota Bandung"),      # Jakarta
    (dict(lat=95.0, lon=107.6), "not on Earth"),
    (dict(lat=float("nan"), lon=107.6), "not on Earth"),
    (dict(lat=-6.9, lon=None), "both latitude and longitude"),
    (dict(title="   "), "title is required"),
    (dict(channel="pigeon"), "unknown channel"),
    (dict(priority=7), "priority must be 1 to 4"),
    (dict(region_code="9999"), "unknown region"),
    (dict(title="x" * 201), "too long"),
])
def test_bad_intake_is_refused_and_writes_nothing(conn, bad, message):
    before = _counts(conn)
    with pytest.raises(OperationError, match=message):
        _new(conn, **bad)
    assert _counts(conn) == before


def test_verify_then_dispatch_then_resolve_and_close(conn):
    (rid,) = _new(conn).created
    reports.verify(conn, "operator1", rid, expected_revision=1, now=NOW)
    reports.dispatch(conn, "operator1", rid, ["pupr", "kelurahan"], note="Mohon segera ditambal", now=NOW)
    r = _report(conn, rid)
    assert r["status"] == "dispatched" and r["assigned_agency"] == "pupr"
    assert conn.execute("SELECT count(*) FROM dispatch WHERE report_id = ?", (rid,)).fetchone()[0] == 2
    reports.apply_action(conn, "operator1", rid, "start", now=NOW)
    reports.apply_action(conn, "operator1", rid, "resolve", now=NOW)
    reports.apply_action(conn, "supervisor", rid, "close", now=NOW)
    r = _report(conn, rid)
    assert r["status"] == "closed" and r["closed_at"] is not None and r["sla_due_at"] is None
    statuses = conn.execute(
        "SELECT old_value, new_value FROM report_event WHERE report_id = ? AND kind = 'status' ORDER BY rowid",
        (rid,)).fetchall()
    assert statuses == [("new", "verified"), ("verified", "dispatched"), ("dispatched", "in_progress"),
                        ("in_progress", "resolved"), ("resolved", "closed")]
    patches = [json.loads(p)["base_revision"] for (p,) in conn.execute(
        "SELECT payload FROM outbox WHERE entity_id = ? AND op = 'patch' ORDER BY seq", (rid,))]
    assert patches == sorted(patches) and patches[0] == 1


def test_illegal_transition_raises_and_writes_nothing(conn):
    (rid,) = _new(conn).created
    before = _counts(conn)
    with pytest.raises(IllegalTransition, match="close"):
        reports.apply_action(conn, "operator1", rid, "close", now=NOW)
    assert _counts(conn) == before
    assert _report(conn, rid)["status"] == "new"
    assert not conn.in_transaction


def test_stale_revision_is_refused_so_the_operator_sees_the_change(conn):
    (rid,) = _new(conn).created
    reports.verify(conn, "operator2", rid, expected_revision=1, now=NOW)
    before = _counts(conn)
    with pytest.raises(StaleReport, match="changed"):
        reports.apply_action(conn, "operator1", rid, "reject", expected_revision=1, now=NOW)
    assert _counts(conn) == before and _report(conn, rid)["status"] == "verified"


def test_triage_prank_and_emergency(conn):
    (prank,) = _new(conn, channel="phone_112", category_code="kebakaran", title="Panggilan 112").created
    (real,) = _new(conn, channel="phone_112", category_code="kebakaran", title="Kebakaran rumah").created
    reports.triage(conn, "op112", prank, "prank", now=NOW)
    reports.triage(conn, "op112", real, "emergency", now=NOW)
    assert _report(conn, prank)["status"] == "prank"
    r = _report(conn, real)
    assert r["status"] == "verified" and r["priority"] == 1 and r["triage"] == "emergency"


def test_note_and_reopen(conn):
    (rid,) = _new(conn).created
    for action in ("verify", "start", "resolve"):
        reports.apply_action(conn, "op", rid, action, now=NOW)
    with pytest.raises(OperationError, match="reason"):
        reports.reopen(conn, "op", rid, reason=" ")
    reports.reopen(conn, "op", rid, reason="Warga: lubang belum ditambal", now=NOW)
    reports.add_note(conn, "op", rid, "<script>alert(1)</script> dicek ulang", now=NOW)
    assert _report(conn, rid)["status"] == "in_progress"
    bodies = [b for (b,) in conn.execute("SELECT body FROM note WHERE report_id = ? ORDER BY at", (rid,))]
    assert "<script>alert(1)</script> dicek ulang" in bodies  # stored as text, escaped on display
    assert conn.execute("SELECT count(*) FROM outbox WHERE op = 'note'").fetchone()[0] == 2


def test_dispatch_to_unknown_agency_writes_nothing(conn):
    (rid,) = _new(conn).created
    reports.verify(conn, "op", rid, now=NOW)
    before = _counts(conn)
    with pytest.raises(OperationError, match="unknown agency"):
        reports.dispatch(conn, "op", rid, ["pupr", "nasa"], now=NOW)
    assert _counts(conn) == before


def test_failure_between_writes_rolls_back_all_of_them(conn, monkeypatch):
    """If the outbox write fails after the report row and event were written (full disk,
    killed worker), none of the three may remain: the sync engine must never miss a change."""
    (rid,) = _new(conn).created
    before = _counts(conn)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reports, "write_outbox", boom)
    with pytest.raises(OSError):
        reports.verify(conn, "op", rid, now=NOW)
    assert _counts(conn) == before
    r = _report(conn, rid)
    assert r["status"] == "new" and r["revision"] == 1
