"""The deadline each operation stores in ``report.sla_due_at``: set by the domain when a
stage starts (``sla.restarts_clock``) and kept otherwise, for the 112 minute clocks and the
LAPOR! working-day clocks, over holidays. The queue, the alerts, the handover pack and the
shift report all read this stored value, so it must be right at every step."""

from datetime import UTC, date, datetime, timedelta

from console.domain import sla
from console.domain.geo import CITY_BOUNDS
from console.operations import reports
from console.operations.intake import NewReport, create_report
from console.store.timefmt import from_db

CALL = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # Wed 09:00 WIB: cuti bersama for Nyepi


def _new(conn, channel, category, now=CALL):
    kel = conn.execute("SELECT code FROM region WHERE level='kelurahan' LIMIT 1").fetchone()[0]
    (rid,) = create_report(conn, "op.ani", NewReport(
        channel=channel, category_code=category, title="Laporan uji tenggat SLA",
        description="Tenggat per tahap", lat=-6.917, lon=107.609, region_code=kel),
        bounds=CITY_BOUNDS["bandung"], now=now).created
    return rid


def _due(conn, rid):
    return from_db(reports.load_report(conn, rid)["sla_due_at"])


def test_112_fire_due_per_stage_in_minutes_then_working_days(conn):
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    rid = _new(conn, "phone_112", "kebakaran")
    assert _due(conn, rid) == CALL + m(5)                     # dispatch within 5 minutes
    reports.triage(conn, "op.ani", rid, "emergency", now=CALL + m(1))
    assert _due(conn, rid) == CALL + m(5)                     # the call's clock runs on
    reports.dispatch(conn, "op.ani", rid, ["damkar"], now=CALL + m(4))
    assert _due(conn, rid) == CALL + m(4 + 15)                # on scene within 15 minutes
    reports.dispatch(conn, "op.ani", rid, ["ambulans"], now=CALL + m(8))
    assert _due(conn, rid) == CALL + m(19)                    # a second agency: no more time
    reports.apply_action(conn, "op.ani", rid, "start", now=CALL + m(16))
    # On scene: the written follow-up, 5 working days. Nyepi, Lebaran and their cuti
    # bersama close 18-24 March, so it counts as received Wed 25; then Thu 26, Fri 27,
    # Mon 30, Tue 31 March and Wed 1 April.
    due = _due(conn, rid)
    assert sla.due_day(due) == date(2026, 4, 1)
    reports.apply_action(conn, "op.ani", rid, "resolve", now=CALL + timedelta(days=2))
    assert _due(conn, rid) is None                            # no clock once resolved
    reports.reopen(conn, "op.ani", rid, reason="Api menyala lagi", now=CALL + timedelta(days=3))
    assert _due(conn, rid) == sla.add_working_days(CALL + timedelta(days=3), 5)


def test_ordinary_report_keeps_one_follow_up_clock_from_verification(conn):
    rid = _new(conn, "whatsapp", "jalan_rusak")
    # Verify within 3 working days: received on a holiday, so counted from Wed 25 March;
    # 26, 27 and 30 March.
    assert sla.due_day(_due(conn, rid)) == date(2026, 3, 30)
    verified = CALL + timedelta(days=7)  # Wed 25 March
    reports.verify(conn, "op.ani", rid, now=verified)
    follow_up = _due(conn, rid)
    assert follow_up == sla.add_working_days(verified, 5)
    reports.dispatch(conn, "op.ani", rid, ["pupr"], now=verified + timedelta(hours=2))
    reports.apply_action(conn, "op.ani", rid, "start", now=verified + timedelta(days=1))
    assert _due(conn, rid) == follow_up  # a slow hand-off does not extend the citizen's days


def test_stored_due_gives_the_same_clock_the_views_use(conn):
    rid = _new(conn, "whatsapp", "darurat_medis")  # an emergency on any channel
    reports.verify(conn, "op.ani", rid, now=CALL + timedelta(minutes=2))
    reports.dispatch(conn, "op.ani", rid, ["ambulans"], now=CALL + timedelta(minutes=3))
    r = reports.load_report(conn, rid)
    category = reports.load_category(conn, "darurat_medis")
    clock = sla.sla_clock(category, r["channel"], r["status"], from_db(r["sla_due_at"]))
    assert clock.in_minutes and clock.stage.stage is sla.Stage.RESPOND
    assert clock.due == CALL + timedelta(minutes=33)
    assert clock.at_risk == clock.due - timedelta(minutes=7, seconds=30)


def test_whatsapp_flood_triaged_as_emergency_starts_the_minute_clock_then(conn):
    rid = _new(conn, "whatsapp", "banjir")
    triaged = CALL + timedelta(hours=2)  # read and judged two hours later
    reports.triage(conn, "op.ani", rid, "emergency", now=triaged)
    r = reports.load_report(conn, rid)
    assert r["priority"] == 1
    assert _due(conn, rid) == triaged + timedelta(minutes=5)  # from the triage, not intake
    reports.dispatch(conn, "op.ani", rid, ["bpbd"], now=triaged + timedelta(minutes=3))
    assert _due(conn, rid) == triaged + timedelta(minutes=3 + 30)  # on scene (default)
