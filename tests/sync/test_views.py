"""The Qt side: status indicator, login through the controller on a qasync loop, the
conflict dialog recording a decision, the quarantine dialog."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_API", "pyside6")
pytest.importorskip("PySide6")

from console.operations import reports  # noqa: E402
from console.sync import conflicts  # noqa: E402
from console.sync.engine import SyncStatus  # noqa: E402
from console.sync.testing.live import PASSWORD  # noqa: E402
from console.views.db_bridge import DbBridge  # noqa: E402
from tests.sync.helpers import new_report, title_conflict  # noqa: E402


def test_status_widget_shows_state_counts_and_progress(qtbot, make_console):
    from console.views.sync_status import SyncController, SyncStatusWidget

    c = make_console(login=False)
    bridge = DbBridge(c.executor)
    controller = SyncController(bridge)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    assert "Perlu masuk" in widget.label.text()
    controller._on_status(SyncStatus(state="offline", pending=3, quarantined=1, conflicts=2,
                                     message="no answer from server", retry_in_s=12.0,
                                     last_success_at="2026-11-28T03:00:00+00:00",
                                     progress=(40, 100), kbit_s=56.0))
    text = widget.label.text()
    for part in ("Luring", "3 tertunda", "1 ditolak", "2 konflik", "28-11 10:00", "56 kbit/s"):
        assert part in text
    assert "Coba lagi dalam 12 detik" in widget.toolTip() and "no answer" in widget.toolTip()
    assert not widget.progress.isHidden() and widget.progress.value() == 40
    controller._on_status(SyncStatus(state="online"))
    assert widget.progress.isHidden() and "Daring" in widget.label.text()
    bridge.shutdown()


def test_login_dialog_logs_in_through_the_controller(qtbot, qloop, live, make_console,
                                                     memory_keyring):
    from console.views.login_dialog import LoginDialog
    from console.views.sync_status import SyncController

    c = make_console(login=False)
    bridge = DbBridge(c.executor)
    controller = SyncController(bridge, idle_interval=30)
    dialog = LoginDialog(controller)
    qtbot.addWidget(dialog)
    dialog.server.setText(live.url)
    dialog.username.setText(c.username)
    dialog.password.setText("salah")
    with qtbot.waitSignal(controller.loginFinished, timeout=10_000) as blocker:
        dialog.submit()
    assert blocker.args[0] is False
    assert dialog.message.text() == "Login ditolak: nama pengguna atau kata sandi salah."
    assert dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(controller.loginFinished, timeout=10_000) as blocker:
        dialog.submit()
    assert blocker.args[0] is True and dialog.result() == dialog.DialogCode.Accepted
    # The server and account are recorded with the database they sync, not per OS user.
    assert c.scalar("SELECT value FROM meta WHERE key = 'sync.username'") == c.username
    assert c.scalar("SELECT value FROM meta WHERE key = 'sync.server_url'") == live.url
    meta = " ".join(v for (v,) in c.sql("SELECT value FROM meta"))
    assert PASSWORD not in meta
    assert len([k for k in memory_keyring.store if k[0] == "posko-sync"]) == 1
    qtbot.waitUntil(lambda: controller.status.state == "online", timeout=10_000)
    qloop.run_until_complete(controller.shutdown())
    bridge.shutdown()


def test_conflict_dialog_records_the_choice(qtbot, make_console):
    from console.views.conflict_dialog import ConflictDialog

    a, b, rid = title_conflict(make_console, "<b>Judul A</b>", "Judul B")
    bridge = DbBridge(b.executor)
    dialog = ConflictDialog(bridge, b.username, rid)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert dialog.table.item(0, 2).text() == "<b>Judul A</b>"  # shown as text, not markup
    dialog.choose_all(conflicts.CLIENT)
    with qtbot.waitSignal(dialog.resolved, timeout=5000) as blocker:
        dialog.save()
    assert rid in blocker.args[0].report_ids
    assert b.scalar("SELECT title FROM report WHERE id = ?", rid) == "Judul B"
    assert b.scalar("SELECT count(*) FROM report_event WHERE report_id = ? AND kind = 'conflict'", rid) == 1
    bridge.shutdown()


def test_quarantine_dialog_lists_and_requeues(qtbot, make_console):
    from console.views.sync_status import QuarantineDialog
    from tests.sync.test_lanes import _note_for_unknown_report

    a = make_console()
    rid = new_report(a)
    a.call(reports.verify, a.username, rid)
    a.call(lambda conn: _note_for_unknown_report(conn, a.username))
    a.sync()
    bridge = DbBridge(a.executor)
    dialog = QuarantineDialog(bridge, a.username)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    # The reason in the operator's language; the server's own words in small print below.
    assert dialog.table.item(0, 3).text() == (
        "Laporan ini tidak ada di server, atau di luar wilayah akun ini.")
    assert "404" in dialog.detail.text() and "does not exist" in dialog.detail.text()
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        dialog.discard_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
    bridge.shutdown()
