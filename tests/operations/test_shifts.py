"""Shifts: sign in/out, handover notes, the handover pack and its two signatures."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain import sla
from console.domain.catalog import category
from console.operations import shifts
from console.operations.base import OperationError
from console.store.db import DatabaseError
from console.store.timefmt import to_db

WIB = ZoneInfo("Asia/Jakarta")
# Thursday 26 Nov 2026 12:00 WIB
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=WIB).astimezone(UTC)


def _op(conn, username, role, regions=()):
    conn.execute("INSERT INTO operator (id, username, display_name, role, regions) VALUES (?,?,?,?,?)",
                 (str(uuid.uuid4()), username, username.split(".")[-1].title(), role,
                  json.dumps(list(regions))))


def _report(conn, *, priority, status, category_code="jalan_rusak", channel="app", created,
            region, verified=None, dispatched=None, due=None) -> str:
    rid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO report (id, ticket, channel, category_code, priority, status, title,"
        " description, region_code, created_at, updated_at, verified_at, dispatched_at,"
        " sla_due_at, revision) VALUES (?,?,?,?,?,?,?,'',?,?,?,?,?,?,1)",
        (rid, f"T-{rid[:8]}", channel, category_code, priority, status, f"Laporan {rid[:4]}",
         region, to_db(created), to_db(created), to_db(verified), to_db(dispatched), to_db(due)))
    return rid


@pytest.fixture
def world(conn):
    kel = conn.execute("SELECT code FROM region WHERE level = 'kelurahan' AND code LIKE '3273-%'"
                       " ORDER BY code LIMIT 1").fetchone()[0]
    smg = conn.execute("SELECT code FROM region WHERE level = 'kelurahan' AND code LIKE '3374-%'"
                       " ORDER BY code LIMIT 1").fetchone()[0]
    cat = category("jalan_rusak")
    ids = {}
    with conn:
        _op(conn, "spv.hendra", "supervisor", ["3273"])
        _op(conn, "spv.ratna", "supervisor")
        _op(conn, "op.rina", "operator", ["3273"])
        # Created Monday 09:00 WIB: verify due end of Thursday; at noon Thursday it is at risk.
        monday = datetime(2026, 11, 23, 9, 0, tzinfo=WIB).astimezone(UTC)
        ids["at_risk"] = _report(conn, priority=3, status="new", created=monday, region=kel,
                                 due=sla.sla_due(cat, "app", "new", monday))
        last_week = monday - timedelta(days=7)
        ids["breached"] = _report(conn, priority=2, status="new", created=last_week, region=kel,
                                  due=sla.sla_due(cat, "app", "new", last_week))
        ids["fresh"] = _report(conn, priority=3, status="new", created=NOW - timedelta(hours=1),
                               region=kel, due=sla.sla_due(cat, "app", "new", NOW - timedelta(hours=1)))
        ids["p1"] = _report(conn, priority=1, status="dispatched", category_code="kebakaran",
                            channel="phone_112", created=NOW - timedelta(minutes=30), region=kel,
                            verified=NOW - timedelta(minutes=29), dispatched=NOW - timedelta(minutes=27),
                            due=NOW + timedelta(days=6))
        ids["closed_p1"] = _report(conn, priority=1, status="closed", created=last_week, region=kel)
        ids["smg_p2"] = _report(conn, priority=2, status="verified", created=NOW - timedelta(hours=2),
                                region=smg)
        for rid, ack in ((ids["p1"], None), (ids["p1"], NOW), (ids["closed_p1"], None)):
            conn.execute("INSERT INTO dispatch (id, report_id, agency_code, at, by, acknowledged_at)"
                         " VALUES (?, ?, 'damkar', ?, 'op.rina', ?)",
                         (str(uuid.uuid4()), rid, to_db(NOW - timedelta(minutes=27)), to_db(ack)))
        for state in ("pending", "pending", "quarantined"):
            conn.execute("INSERT INTO outbox (id, created_at, entity, entity_id, op, payload, state,"
                         " attempts) VALUES (?, ?, 'report', 'x', 'patch', '{}', ?, 0)",
                         (str(uuid.uuid4()), to_db(NOW), state))
    return ids


def test_sign_in_and_out(conn, world):
    t0 = NOW - timedelta(hours=8)
    ch = shifts.sign_in(conn, "op.rina", now=t0)
    assert ch.kind == "shift_sign_in" and not ch.outbox and not ch.timeline
    with pytest.raises(OperationError, match="already on shift"):
        shifts.sign_in(conn, "op.rina", now=t0)
    with pytest.raises(OperationError, match="unknown operator"):
        shifts.sign_in(conn, "op.nobody")
    shifts.sign_in(conn, "spv.ratna", now=t0 + timedelta(minutes=5))
    assert [s.username for s in shifts.on_shift(conn)] == ["op.rina", "spv.ratna"]
    assert [s.username for s in shifts.on_shift(conn, region="3374")] == ["spv.ratna"]

    shifts.write_handover_note(conn, "op.rina", "  Banjir di Jl. Braga, pompa menyala.  ")
    with pytest.raises(OperationError, match="at most"):
        shifts.write_handover_note(conn, "op.rina", "x" * (shifts.MAX_NOTE_CHARS + 1))
    ch = shifts.sign_out(conn, "op.rina", now=NOW)
    assert "handover_id" not in ch.detail  # operators leave no pack
    row = conn.execute("SELECT started_at, ended_at, handover_note FROM shift s JOIN operator o"
                       " ON o.id = s.operator_id WHERE o.username = 'op.rina'").fetchone()
    assert row == (to_db(t0), to_db(NOW), "Banjir di Jl. Braga, pompa menyala.")
    with pytest.raises(OperationError, match="not on shift"):
        shifts.sign_out(conn, "op.rina")
    with pytest.raises(OperationError, match="sign in first"):
        shifts.write_handover_note(conn, "op.rina", "late")
    assert [s.username for s in shifts.on_shift(conn)] == ["spv.ratna"]


def test_handover_pack_contents(conn, world):
    pack = shifts.build_handover_pack(conn, region="3273", now=NOW)
    c = pack.counts
    assert {i["report_id"] for i in pack.open_p12} == {world["p1"], world["breached"]}
    assert pack.open_p12[0]["report_id"] == world["p1"]  # priority 1 first
    assert [i["report_id"] for i in pack.sla_at_risk] == [world["at_risk"]]
    assert [i["report_id"] for i in pack.sla_breached] == [world["breached"]]
    assert [d["report_id"] for d in pack.dispatches_unacknowledged] == [world["p1"]]
    assert (c["open_p12"], c["open_p1"], c["sla_at_risk"], c["sla_breached"],
            c["dispatches_unacknowledged"]) == (2, 1, 1, 1, 1)
    assert (c["outbox_pending"], c["outbox_quarantined"]) == (2, 1)
    assert c["conflicts"] == 0
    assert pack.last_sync is None
    everywhere = shifts.build_handover_pack(conn, now=NOW)
    assert everywhere.counts["open_p12"] == 3  # Semarang's P2 too
    assert shifts.HandoverPack.from_json(pack.to_json()) == pack
    # a pack stored by an earlier version, with a field since dropped, still reads
    old = json.loads(pack.to_json()) | {"conflicts_note": None}
    assert shifts.HandoverPack.from_json(json.dumps(old)) == pack


def test_open_conflicts_are_counted(conn, world):
    with conn:
        conn.executemany("INSERT INTO sync_conflict (id, report_id, field, resolved_at)"
                         " VALUES (?, ?, 'title', ?)",
                         [("a", world["p1"], None), ("b", world["p1"], None),
                          ("c", world["p1"], "2026-11-26 01:00:00.000000")])
        conn.execute("INSERT INTO meta (key, value) VALUES ('last_sync_at', ?)", (to_db(NOW),))
    pack = shifts.build_handover_pack(conn, now=NOW)
    assert pack.counts["conflicts"] == 2
    assert pack.last_sync == NOW.isoformat()


def _refused(conn, hid: str, *attempts: tuple[str, str, str]) -> None:
    """Each (username, as_, message): that signature of the handover is refused, saying so."""
    for username, as_, message in attempts:
        with pytest.raises(OperationError, match=message):
            shifts.sign_handover(conn, username, hid, as_=as_)


def test_handover_sign_off(conn, world):
    shifts.sign_in(conn, "spv.hendra", now=NOW - timedelta(hours=8))
    shifts.sign_in(conn, "op.rina", now=NOW - timedelta(hours=8))
    ch = shifts.sign_out(conn, "spv.hendra", handover_note="Pantau P1 kebakaran.", region="3273",
                         now=NOW)
    hid = ch.detail["handover_id"]
    info = shifts.load_handover(conn, hid)
    assert info.outgoing == "spv.hendra" and info.note == "Pantau P1 kebakaran."
    assert info.pack.counts["open_p12"] == 2 and not info.complete
    assert [h.id for h in shifts.pending_handovers(conn)] == [hid]

    _refused(conn, hid, ("spv.ratna", "incoming", "outgoing supervisor must sign first"),
             ("spv.ratna", "outgoing", "only the outgoing supervisor"),
             ("op.rina", "outgoing", "only a supervisor"))
    shifts.sign_handover(conn, "spv.hendra", hid, as_="outgoing", now=NOW + timedelta(minutes=1))
    _refused(conn, hid, ("spv.hendra", "outgoing", "already signed"),
             ("spv.hendra", "incoming", "someone other"),
             ("spv.ratna", "incoming", "must sign in"))
    # What the outgoing supervisor signed cannot change any more.
    with pytest.raises(DatabaseError, match="cannot change"):
        with conn:
            conn.execute("UPDATE handover SET pack = '{}' WHERE id = ?", (hid,))

    shifts.sign_in(conn, "spv.ratna", now=NOW)
    ch = shifts.sign_handover(conn, "spv.ratna", hid, as_="incoming", now=NOW + timedelta(minutes=2))
    assert ch.detail == {"handover_id": hid, "as": "incoming", "username": "spv.ratna"}
    info = shifts.load_handover(conn, hid)
    assert info.complete and info.incoming == "spv.ratna"
    assert info.outgoing_signed_at == NOW + timedelta(minutes=1)
    assert shifts.pending_handovers(conn) == []
    _refused(conn, hid, ("spv.ratna", "incoming", "already signed"))
    for statement in ("UPDATE handover SET note = 'x' WHERE id = ?",
                      "UPDATE handover SET incoming_signed_at = NULL WHERE id = ?",
                      "DELETE FROM handover WHERE id = ?"):
        with pytest.raises(DatabaseError):
            with conn:
                conn.execute(statement, (hid,))


def test_shift_report_shows_shifts_and_handovers(conn, db, world, tmp_path):
    import openpyxl

    from console.export.model import ExportRequest
    from console.export.service import export_shift_report

    shifts.sign_in(conn, "spv.hendra", now=NOW - timedelta(hours=8))
    shifts.sign_in(conn, "spv.ratna", now=NOW - timedelta(minutes=5))
    hid = shifts.sign_out(conn, "spv.hendra", handover_note="=Pantau P1", now=NOW).detail["handover_id"]
    shifts.sign_handover(conn, "spv.hendra", hid, as_="outgoing", now=NOW)
    shifts.sign_handover(conn, "spv.ratna", hid, as_="incoming", now=NOW + timedelta(minutes=1))
    out = tmp_path / "r.xlsx"
    export_shift_report(db.path, ExportRequest(start=NOW - timedelta(hours=12), end=NOW + timedelta(hours=1),
                                               fmt="xlsx", out=out, now=NOW))
    wb = openpyxl.load_workbook(out)
    shift_rows = list(wb["Shift"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in shift_rows] == ["Hendra (spv.hendra)", "Ratna (spv.ratna)"]
    assert shift_rows[0][4] == "=Pantau P1" and wb["Shift"]["E2"].data_type == "s"
    handovers = list(wb["Serah terima"].iter_rows(min_row=2, values_only=True))
    assert len(handovers) == 1
    at, outgoing, out_signed, incoming, in_signed, note, pack = handovers[0]
    assert (outgoing, incoming, note) == ("Hendra", "Ratna", "=Pantau P1")
    assert out_signed == datetime(2026, 11, 26, 12, 0) and in_signed == datetime(2026, 11, 26, 12, 1)
    assert "P1/P2 terbuka 3" in pack and "konflik 0" in pack


def test_shift_panel_signs_in_out_and_off(qtbot, db, conn, world):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    from console.operations import accounts
    from console.store.executor import DbExecutor
    from console.views.db_bridge import DbBridge
    from console.views.shift_panel import ShiftPanel

    # A signature takes the signer's password, checked against the verifier cached at
    # their last login on this console.
    with conn:
        for name, secret in (("spv.hendra", "sandi-hendra-1"), ("spv.ratna", "sandi-ratna-1")):
            conn.execute("UPDATE operator SET verifier = ?, last_login_at = ? WHERE username = ?",
                         (accounts.make_verifier(secret), to_db(NOW), name))

    def answer_password(secret):
        def answer():
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, QInputDialog) and dialog.objectName() == "sign_password_dialog"
            dialog.setTextValue(secret)
            dialog.accept()
        QTimer.singleShot(0, answer)

    executor = DbExecutor(db)
    bridge = DbBridge(executor)
    try:
        hendra = ShiftPanel(bridge, "spv.hendra")
        qtbot.addWidget(hendra)
        hendra.refresh()
        qtbot.waitUntil(lambda: hendra.sign_in_button.isEnabled(), timeout=5000)
        with qtbot.waitSignal(hendra.changed, timeout=5000):
            hendra.sign_in_button.click()
        qtbot.waitUntil(lambda: hendra.sign_out_button.isEnabled(), timeout=5000)
        assert hendra.staff.rowCount() == 1 and "spv.hendra" in hendra.staff.item(0, 0).text()
        hendra.note.setPlainText("<b>Pompa</b> Jl. Braga menyala")
        with qtbot.waitSignal(hendra.changed, timeout=5000) as signed_out:
            hendra.sign_out_button.click()
        hid = signed_out.args[0].detail["handover_id"]
        qtbot.waitUntil(lambda: hendra.handovers.count() == 1, timeout=5000)
        assert "<b>Pompa</b> Jl. Braga menyala" in hendra.pack.toPlainText()  # text, not markup
        assert "P1/P2 terbuka: 3" in hendra.pack.toPlainText()
        assert hendra.sign_outgoing_button.isEnabled() and not hendra.sign_incoming_button.isEnabled()
        answer_password("sandi-ratna-1")  # someone else's password signs nothing
        hendra.sign_outgoing_button.click()
        qtbot.waitUntil(lambda: "sandi salah" in hendra.status.text()
                        or "wrong password" in hendra.status.text(), timeout=5000)
        assert shifts.load_handover(conn, hid).outgoing_signed_at is None
        answer_password("sandi-hendra-1")
        with qtbot.waitSignal(hendra.changed, timeout=5000):
            hendra.sign_outgoing_button.click()

        ratna = ShiftPanel(bridge, "spv.ratna")
        qtbot.addWidget(ratna)
        ratna.refresh()
        qtbot.waitUntil(lambda: ratna.sign_in_button.isEnabled(), timeout=5000)
        assert not ratna.sign_incoming_button.isEnabled()  # not on shift yet
        with qtbot.waitSignal(ratna.changed, timeout=5000):
            ratna.sign_in_button.click()
        qtbot.waitUntil(lambda: ratna.sign_incoming_button.isEnabled(), timeout=5000)
        answer_password("sandi-ratna-1")
        with qtbot.waitSignal(ratna.changed, timeout=5000):
            ratna.sign_incoming_button.click()
        qtbot.waitUntil(lambda: ratna.handovers.count() == 0, timeout=5000)
        assert shifts.load_handover(conn, hid).complete
    finally:
        bridge.shutdown()
        executor.shutdown()
