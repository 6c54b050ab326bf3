"""The intake form (keyboard only, bounds refused, duplicates offered) and the alerts
(new P1 flashes with tray/sound fallbacks until acknowledged; SLA badge and escalation)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from view_helpers import wait_idle

from console.domain.geo import CITY_BOUNDS
from console.operations import reports
from console.operations.base import OpChanges
from console.operations.intake import NewReport, create_report
from console.store import alerts as alert_store
from console.views import alerts as alerts_module
from console.views.intake_dialog import parse_coordinates


def _open_intake(qtbot, w):
    qtbot.keyClick(w.queue.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.intake is not None and w.intake.isVisible(), timeout=3000)
    dialog = w.intake
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog


def _type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_parse_coordinates():
    assert parse_coordinates("-6.914, 107.609") == (-6.914, 107.609)
    assert parse_coordinates(" -6,914 ; 107,609 ") == (-6.914, 107.609)
    assert parse_coordinates("") is None
    with pytest.raises(ValueError):
        parse_coordinates("Jl. Braga")


def test_intake_by_keyboard_only(qtbot, window, executor):
    w = window
    dialog = _open_intake(qtbot, w)
    assert dialog.focusWidget() is dialog.channel
    assert dialog.channel.currentData() != "phone_112"  # never 112 unless a 112 desk
    qtbot.keyClick(dialog.channel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.channel.currentData() == "phone_112", timeout=3000)
    # Walk the form with Tab only, typing into each field.
    order = []
    widget = dialog.focusWidget()
    for _ in range(12):
        order.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = dialog.focusWidget()
    assert order[:4] == ["intake_channel", "intake_triage", "intake_reporter_name",
                         "intake_reporter_phone"]
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone_112"))
    _type_into(qtbot, dialog.reporter_name, "Siti Aminah")
    _type_into(qtbot, dialog.reporter_phone, "081298765432")
    _type_into(qtbot, dialog.category.lineEdit(), "Kebakaran")
    _type_into(qtbot, dialog.title, "Rumah terbakar <b>besar</b>")
    _type_into(qtbot, dialog.kelurahan.lineEdit(), "Dago")
    _type_into(qtbot, dialog.address, "Jl. Dago No. 5")
    _type_into(qtbot, dialog.coords, "-6.8935, 107.6130")
    dialog.triage.setCurrentIndex(dialog.triage.findData("emergency"))
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    rid = blocker.args[0]
    r = executor.call(reports.load_report, rid)
    assert (r["channel"], r["category_code"], r["region_code"]) == ("phone_112", "kebakaran",
                                                                    "3273-10-1")
    assert r["title"] == "Rumah terbakar <b>besar</b>" and r["triage"] == "emergency"
    assert r["priority"] == 1 and r["lat"] == -6.8935 and r["reporter_phone"] == "081298765432"
    assert w.intake is None
    assert "dicatat" in w.notice.text
    # It shows up in the queue (P1, newest: top) without a reload, and is selected.
    qtbot.waitUntil(lambda: w.queue.model.row_of(rid) == 0, timeout=5000)
    qtbot.waitUntil(lambda: w.detail.current_id == rid, timeout=5000)


@pytest.mark.parametrize(("coords", "message"), [
    ("-6.2, 106.8", "di luar Kota Bandung"),  # Jakarta, with a Bandung kelurahan
    ("95, 107.6", "tidak ada di bumi"),
    ("107.6, -6.9", "tertukar"),
    ("bukan angka", "tidak terbaca"),
])
def test_coordinates_outside_the_city_are_refused(qtbot, window, executor, coords, message):
    dialog = _open_intake(qtbot, window)
    before = executor.call(lambda c: c.execute("SELECT count(*) FROM report").fetchone()[0])
    dialog.category.setCurrentIndex(dialog.category.findData("banjir"))
    _type_into(qtbot, dialog.title, "Banjir")
    dialog.kelurahan.setCurrentIndex(dialog.kelurahan.findData("3273-10-1"))
    _type_into(qtbot, dialog.coords, coords)
    dialog.save()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert message in dialog.error.text()
    wait_idle(qtbot, window.bridge)
    after = executor.call(lambda c: c.execute("SELECT count(*) FROM report").fetchone()[0])
    assert after == before
    dialog.discard()


def test_point_outside_every_city_without_kelurahan(qtbot, window):
    dialog = _open_intake(qtbot, window)
    dialog.category.setCurrentIndex(dialog.category.findData("banjir"))
    _type_into(qtbot, dialog.title, "Banjir")
    _type_into(qtbot, dialog.coords, "-7.8, 110.36")  # Yogyakarta
    dialog.save()
    assert "wilayah kota yang dilayani" in dialog.error.text()
    dialog.discard()


def test_required_fields_and_kelurahan_from_address(qtbot, window):
    dialog = _open_intake(qtbot, window)
    dialog.save()
    assert "kategori" in dialog.error.text().lower()
    dialog.category.setCurrentIndex(dialog.category.findData("jalan"))
    dialog.save()
    assert "Judul" in dialog.error.text()
    _type_into(qtbot, dialog.address, "Gg. Mawar, Lebak Siliwangi")
    dialog._address_done()
    assert dialog.kelurahan.currentData() == "3273-10-2"
    assert "dari alamat" in dialog.location_hint.text()
    dialog.discard()


def test_intake_offers_duplicates_and_saves_as_one(qtbot, window, executor):
    w = window
    data = NewReport(channel="phone_112", category_code="kebakaran", title="Gudang terbakar",
                     lat=-6.8935, lon=107.6130, region_code="3273-10-1")
    (original,) = executor.call(create_report, "op", data, bounds=CITY_BOUNDS["bandung"]).created
    dialog = _open_intake(qtbot, w)
    dialog.category.setCurrentIndex(dialog.category.findData("kebakaran"))
    _type_into(qtbot, dialog.title, "Asap dari gudang")
    with qtbot.waitSignal(dialog.dups.model().rowsInserted, timeout=5000):
        _type_into(qtbot, dialog.coords, "-6.8936, 107.6131")
    assert dialog.dups.isVisible() and dialog.save_dup_button.isVisible()
    assert dialog.dups.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole).id == original
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        dialog.save_as_duplicate()
    r = executor.call(reports.load_report, blocker.args[0])
    assert r["status"] == "duplicate" and r["duplicate_of"] == original


# ------------------------------------------------------------------------------ alerts


def test_startup_flashes_recent_unhandled_p1(qtbot, window, executor):
    since = datetime.now(UTC) - timedelta(hours=alerts_module.STARTUP_FLASH_HOURS)
    expected = {r.id for r in executor.call(alert_store.recent_p1, since)}
    shown = {i for i in expected if window.queue.model.row_of(i) is not None}
    qtbot.waitUntil(lambda: shown <= window.queue.model.flashing, timeout=5000)


def test_new_p1_from_sync_raises_an_alert_until_acknowledged(qtbot, window, executor):
    w = window
    data = NewReport(channel="phone_112", category_code="kebakaran", title="Kebakaran pasar",
                     priority=1)
    changes = executor.call(create_report, "other-console", data)
    (rid,) = changes.created
    w.alerts.log.clear()
    with qtbot.waitSignal(w.alerts.alerted, timeout=5000) as blocker:
        w.bus.broadcast(OpChanges(kind="sync", report_ids=frozenset({rid}),
                                  created=frozenset({rid}), source="sync"))
    assert blocker.args == ["p1", [rid]]
    kinds = [k for k, _ in w.alerts.log]
    assert "p1" in kinds and ("beep" in kinds or "sound" in kinds)  # offscreen: the beep
    qtbot.waitUntil(lambda: rid in w.queue.model.flashing, timeout=5000)
    assert w.notice.kind == "error" and "Kebakaran pasar" in w.notice.text
    # The same report again: no second alarm.
    w.alerts.log.clear()
    w.bus.broadcast(OpChanges.of_ids([rid], source="sync"))
    wait_idle(qtbot, w.bridge)
    assert not w.alerts.log
    # F8 jumps to it, A acknowledges it.
    w.alerts.acknowledge(w.queue.model.flashing - {rid})  # the ones flashing since start-up
    qtbot.keyClick(w.queue.table, Qt.Key.Key_F8)
    assert w.queue.current_row().id == rid
    w.queue.table.setFocus()
    qtbot.keyClick(w.queue.table, Qt.Key.Key_A)
    assert rid not in w.queue.model.flashing


def test_local_intake_and_non_p1_do_not_alarm(qtbot, window, executor):
    w = window
    data = NewReport(channel="app", category_code="jalan", title="Lubang", priority=3)
    changes = executor.call(create_report, "op", data)
    w.alerts.log.clear()
    w.bus.broadcast(replace(changes, source="sync"))
    data = NewReport(channel="phone_112", category_code="kebakaran", title="Api", priority=1)
    w.bus.broadcast(executor.call(create_report, "op", data))
    wait_idle(qtbot, w.bridge)
    qtbot.wait(50)
    assert not w.alerts.log


def test_an_action_acknowledges_the_alert(qtbot, window, executor):
    w = window
    data = NewReport(channel="phone_112", category_code="kebakaran", title="Api", priority=1)
    (rid,) = executor.call(create_report, "x", data).created
    with qtbot.waitSignal(w.alerts.alerted, timeout=5000):
        w.bus.broadcast(OpChanges(kind="sync", report_ids=frozenset({rid}),
                                  created=frozenset({rid}), source="sync"))
    qtbot.waitUntil(lambda: w.queue.model.row_of(rid) is not None, timeout=5000)
    w.queue.select_report(rid)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        w.controller.do_verify()
    assert rid not in w.queue.model.flashing


def test_sla_badge_and_breach_escalation(qtbot, window, executor):
    w = window
    now = datetime.now(UTC)
    summary = executor.call(alert_store.sla_summary, now, None)
    qtbot.waitUntil(lambda: w.alerts.badge.overdue == summary.overdue, timeout=5000)
    assert summary.overdue > 0 and "lewat SLA" in w.alerts.badge.text()
    # A P1 whose deadline passes between two checks escalates.
    rid = "00000000-0000-4000-8000-000000000018"
    executor.call(lambda c: (c.execute(
        "UPDATE report SET sla_due_at = ?, status = 'new', priority = 1 WHERE id = ?",
        ((now - timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S.%f"), rid)), c.commit()))
    w.alerts._last_sla_check = now - timedelta(seconds=30)
    w.alerts.log.clear()
    with qtbot.waitSignal(w.alerts.alerted, timeout=5000) as blocker:
        w.alerts.check_sla()
    assert blocker.args[0] == "sla" and rid in blocker.args[1]
    assert any(k == "sla" for k, _ in w.alerts.log)
    assert "melewati batas SLA" in w.notice.text
    # Clicking the badge shows the overdue queue.
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        w.alerts.badge.click()
    assert w.queue.model.queue_filter.overdue_only


def test_alert_sounds_exist_and_are_small():
    import wave

    paths = alerts_module.ensure_sounds()
    for path in paths.values():
        with wave.open(str(path)) as wav:
            assert wav.getnchannels() == 1 and wav.getframerate() == 22050
        assert path.stat().st_size < 64_000
