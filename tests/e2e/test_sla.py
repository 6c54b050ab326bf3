"""Emergencies run on minute clocks, and the queue, the detail panel, the alert badge, the
"Lewat SLA" filter, the handover pack and the shift report agree about every report,
because all of them ask ``console.domain.sla`` (issue 10, finding 5).

Clocks are never slept on: reports are made "in the past" by running the real operations
with an injected ``now``, and the rule is compared at one explicit instant."""

from __future__ import annotations

import re
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.domain import sla
from console.export.data import collect
from console.export.model import ExportRequest
from console.operations import reports as report_ops
from console.operations.intake import NewReport, create_report
from console.operations.shifts import build_handover_pack
from console.store import slaclock
from console.store.queue import QueueFilter, count
from console.store.timefmt import from_db, utcnow
from console.views.queue_model import COLUMN_KEYS, OVERDUE_BACKGROUND

KEL = "3273-2483-30959"  # Campaka, Andir (as in conftest.py)

FIRE_CALL = "Penelepon melaporkan asap dari rumah di Gg. Cibadak"
SLA = COLUMN_KEYS.index("sla")
OPEN = "('new', 'verified', 'dispatched', 'in_progress')"


def _cell(desk, rid, role=Qt.ItemDataRole.DisplayRole):
    m = desk.window.queue.model
    row = m.row_of(rid)
    assert row is not None, "the report is not in the queue"
    return m.data(m.index(row, SLA), role)


def _select(desk, rid):
    desk.activate()
    desk.window.queue.select_row(desk.window.queue.model.row_of(rid))
    desk.qtbot.waitUntil(lambda: desk.current_id() == rid, timeout=5000)
    desk.qtbot.waitUntil(lambda: (desk.window.detail.detail or {}).get("id") == rid,
                         timeout=5000)


def _meta(desk) -> str:
    return desk.window.detail.meta.text()


def _report(desk, rid) -> dict:
    return desk.executor.call(report_ops.load_report, rid)


def test_fire_call_triaged_with_1_then_dispatched_shows_minute_clocks(desk, qtbot):
    fire = desk.seeded[next(t for t in desk.seeded if t.startswith(FIRE_CALL[:30]))]
    w = desk.window
    _select(desk, fire)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        desk.key(Qt.Key.Key_1)  # emergency
    r = _report(desk, fire)
    assert (r["status"], r["triage"], r["priority"]) == ("verified", "emergency", 1)
    # The 112 clock runs from the call: at most five minutes, shown in minutes.
    assert from_db(r["sla_due_at"]) == from_db(r["created_at"]) + timedelta(minutes=5)
    qtbot.waitUntil(lambda: bool(re.fullmatch(r"[0-4]m", _cell(desk, fire) or "")), timeout=5000)
    assert "5 menit sejak panggilan masuk" in _cell(desk, fire, Qt.ItemDataRole.ToolTipRole)
    _select(desk, fire)  # triage moved on to the next call; come back to dispatch it
    assert re.search(r"SLA disposisi: sisa [0-4]m \(target 5 menit sejak panggilan masuk\)",
                     _meta(desk)), _meta(desk)

    qtbot.waitUntil(lambda: (w.detail.detail or {}).get("status") == "verified", timeout=5000)
    qtbot.waitUntil(w.controller.qactions["act_dispatch"].isEnabled, timeout=5000)
    desk.key(Qt.Key.Key_D)
    dialog = w.controller.dialog
    assert dialog.objectName() == "dispatch_dialog"
    assert dialog.agencies() == ["damkar"]  # the fire brigade, preselected for a fire
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    r = _report(desk, fire)
    assert r["status"] == "dispatched"
    # On-scene target for fire: 15 minutes from the dispatch, never the 5 working days.
    assert from_db(r["sla_due_at"]) == from_db(r["dispatched_at"]) + timedelta(minutes=15)
    qtbot.waitUntil(lambda: bool(re.fullmatch(r"1[45]m", _cell(desk, fire) or "")), timeout=5000)
    tip = _cell(desk, fire, Qt.ItemDataRole.ToolTipRole)
    assert "tiba di lokasi" in tip and "15 menit sejak disposisi" in tip
    _select(desk, fire)
    qtbot.waitUntil(lambda: "tiba di lokasi" in _meta(desk), timeout=5000)
    assert re.search(r"SLA tiba di lokasi: sisa 1[45]m \(target 15 menit sejak disposisi\)",
                     _meta(desk)), _meta(desk)
    assert not re.search(r"\d+h \d+j", _meta(desk))  # no day clock anywhere in the line


def _past_emergency(desk, title, category, agency, *, created, dispatched=None, started=None):
    """A 112 emergency handled by the real operations at the given (past) instants."""
    ex, actor = desk.executor, "op.ani"
    (rid,) = ex.call(create_report, actor, NewReport(
        channel="phone_112", category_code=category, title=title,
        description="Penelepon di lokasi, tercatat oleh operator 112.", lat=-6.912, lon=107.598,
        region_code=KEL, address="Jl. Garuda, Andir"), now=created).created
    ex.call(report_ops.triage, actor, rid, "emergency", now=created + timedelta(minutes=1))
    if dispatched is not None:
        ex.call(report_ops.dispatch, actor, rid, [agency], now=dispatched)
    if started is not None:
        ex.call(report_ops.apply_action, actor, rid, "start", now=started)
    return rid


def _reload(desk):
    desk.activate()
    with desk.qtbot.waitSignal(desk.window.queue.model.firstPageLoaded, timeout=10000):
        desk.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Muat ulang


def test_overdue_p1_escalated_in_queue_and_listed_alike_by_shift_report_and_pack(desk, qtbot,
                                                                                 tmp_path):
    t = utcnow()
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    # Dispatched 25 minutes ago, fire crew not on scene: 10 minutes late.
    late = _past_emergency(desk, "Gudang terbakar, dua pekerja terjebak", "kebakaran", "damkar",
                           created=t - m(29), dispatched=t - m(25))
    # Ambulance dispatched 25 minutes ago: 5 of its 30 minutes left, at risk.
    risky = _past_emergency(desk, "Pria pingsan di halte Jl. Garuda", "darurat_medis",
                            "ambulans", created=t - m(27), dispatched=t - m(25))
    # Called in an hour ago, dispatched 5 minutes ago: 10 minutes left, fine. (The old
    # queue rule measured from the call and called this one at risk; the pack did not.)
    fresh = _past_emergency(desk, "Asap dari kios di Pasar Andir", "kebakaran", "damkar",
                            created=t - m(60), dispatched=t - m(5))
    # On scene after 12 minutes: the response was met, the follow-up runs in working days.
    on_scene = _past_emergency(desk, "Kebakaran dapur warung, sudah dipadamkan", "kebakaran",
                               "damkar", created=t - m(48), dispatched=t - m(45),
                               started=t - m(33))
    # A WhatsApp flood message read two hours late and triaged as an emergency (P1) 20
    # minutes ago, nobody dispatched: its 5-minute clock ran from the triage.
    (flood,) = desk.executor.call(create_report, "op.ani", NewReport(
        channel="whatsapp", category_code="banjir", title="Air masuk rumah, warga terjebak",
        description="Air setinggi dada di Gg. Sukaasih, dua lansia belum bisa keluar.",
        region_code=KEL), now=t - m(120)).created
    desk.executor.call(report_ops.triage, "op.ani", flood, "emergency", now=t - m(20))
    _reload(desk)
    model = desk.window.queue.model

    # What the operator sees in the queue.
    assert _cell(desk, late).startswith("-")
    bg = model.data(model.index(model.row_of(late), SLA), Qt.ItemDataRole.BackgroundRole)
    assert bg is not None and bg.color() == OVERDUE_BACKGROUND
    assert model.data(model.index(model.row_of(late), SLA), Qt.ItemDataRole.DecorationRole)
    assert model.sla_state(model.row_by_id(risky)) == "at_risk"
    assert model.sla_state(model.row_by_id(fresh)) == "ok"
    assert re.fullmatch(r"\d+h \d+j", _cell(desk, on_scene))  # working days now
    _select(desk, late)
    assert re.search(r"SLA tiba di lokasi: lewat 1\dm", _meta(desk)), _meta(desk)
    assert "#c62828" in desk.window.detail.meta.styleSheet()

    # The same instant for everyone below.
    now = utcnow()
    shown = {model.row_at(i).id: model.sla_state(model.row_at(i), now)
             for i in range(model.rowCount())}
    pack = desk.executor.call(lambda c: build_handover_pack(c, now=now))
    assert {i["report_id"] for i in pack.sla_breached} == {
        rid for rid, s in shown.items() if s == "breached"}
    assert {i["report_id"] for i in pack.sla_at_risk} == {
        rid for rid, s in shown.items() if s == "at_risk"}
    assert {late, flood} <= {i["report_id"] for i in pack.sla_breached}
    assert risky in {i["report_id"] for i in pack.sla_at_risk}

    req = ExportRequest(start=t - timedelta(hours=3), end=t + timedelta(hours=1), fmt="csv",
                        out=tmp_path / "shift.csv", now=now)
    report = desk.executor.call(lambda c: collect(c, req))
    breaches = next(tb for tb in report.tables if tb.key == "breaches").rows
    tickets = dict(desk.sql("SELECT ticket, id FROM report"))
    running_late = {tickets[row[0]] for row in breaches if row[4] is None}  # not yet done
    assert running_late == {rid for rid, s in shown.items() if s == "breached"}
    (late_row,) = [row for row in breaches if tickets[row[0]] == late]  # dispatched in time
    assert late_row[2] == "Tiba di lokasi (darurat)" and 9.5 < late_row[5] < 12
    (flood_row,) = [row for row in breaches if tickets[row[0]] == flood]
    assert flood_row[2] == "Disposisi darurat/112" and 14.5 < flood_row[5] < 17
    sla_table = {row[0]: row for row in next(tb for tb in report.tables if tb.key == "sla").rows}
    met, breached, running = sla_table["Tiba di lokasi (darurat)"][2:5]
    assert (met, breached, running) == (1, 1, 2)  # on_scene; late; risky and fresh


def test_lewat_sla_quick_filter_lists_exactly_what_the_domain_calls_overdue(desk, qtbot):
    t = utcnow()
    m = lambda n: timedelta(minutes=n)  # noqa: E731
    late_fire = _past_emergency(desk, "Gudang terbakar di Jl. Rajawali", "kebakaran", "damkar",
                                created=t - m(40), dispatched=t - m(30))
    undispatched = _past_emergency(desk, "Tabrakan motor di simpang Garuda", "kecelakaan",
                                   "polisi", created=t - m(9))
    _past_emergency(desk, "Asap tipis dari rumah kosong di Gg. Rajawali", "kebakaran",
                    "damkar", created=t - m(3))  # 2 minutes of its 5 left: not overdue
    # An ordinary report whose working-day deadline passed (set as sync would store it).
    old_road = desk.seeded["Lubang besar di Jl. Garuda dekat halte"]
    desk.executor.call(lambda c: (c.execute("UPDATE report SET sla_due_at = ? WHERE id = ?",
                                            ("2026-01-05 17:00:00.000000", old_road)),
                                  c.commit()))
    _reload(desk)
    w = desk.window
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=10000):
        w.show_overdue()  # what the alert badge's click and the quick filter do
    assert w.queue.quick.currentData() == "overdue"
    model = w.queue.model
    listed = {model.row_at(i).id for i in range(model.rowCount())}

    now = utcnow()

    def domain_overdue(c):
        out = set()
        for rid, cat, channel, status, due in c.execute(
                "SELECT id, category_code, channel, status, sla_due_at FROM report"):
            clock = slaclock.clock_of(slaclock.load_category_def(c, cat), channel, status,
                                      from_db(due))
            if clock is not None and clock.state(now) is sla.SlaState.BREACHED:
                out.add(rid)
        return out

    expected = desk.executor.call(domain_overdue)
    assert listed == expected == {late_fire, undispatched, old_road}
    assert all(model.sla_state(model.row_at(i), now) == "breached"
               for i in range(model.rowCount()))
    # The queue's count and the alert badge count the same reports.
    qtbot.waitUntil(lambda: w.queue.count_label.text() == f"{len(expected)} laporan",
                    timeout=5000)
    w.alerts.check_sla()
    qtbot.waitUntil(lambda: w.alerts.badge.overdue == len(expected), timeout=5000)

    # At the boundary the SQL filter and the Python rule agree: due is exclusive.
    due = from_db(_report(desk, late_fire)["sla_due_at"])
    for instant in (due - timedelta(microseconds=1), due, due + timedelta(microseconds=1)):
        n = desk.executor.call(lambda c, i=instant: count(c, QueueFilter(
            overdue_only=True, now=i, statuses=("dispatched",))))
        assert (n == 1) is sla.is_overdue(due, instant), instant
    assert desk.scalar(f"SELECT count(*) FROM report WHERE status IN {OPEN}") > len(expected)


def test_fire_crew_late_on_scene_raises_the_sla_alert_and_badge(desk, qtbot):
    t = utcnow()
    # Dispatched 15 minutes and 5 seconds ago: the on-scene deadline passed 5 s ago.
    late = _past_emergency(desk, "Rumah terbakar, lansia terjebak di lantai dua", "kebakaran",
                           "damkar", created=t - timedelta(minutes=18),
                           dispatched=t - timedelta(minutes=15, seconds=5))
    ticket = _report(desk, late)["ticket"]
    w = desk.window
    w.alerts._last_sla_check = t - timedelta(seconds=10)  # the previous poll
    with qtbot.waitSignal(w.alerts.alerted, timeout=5000) as blocker:
        w.alerts.check_sla()
    assert blocker.args == ["sla", [late]]
    assert "melewati batas SLA" in w.notice.text and ticket in w.notice.text
    assert w.alerts.badge.overdue_high == 1 and "1 lewat SLA" in w.alerts.badge.text()
