"""Issue 11: a report worked offline goes to the server as one coalesced change; when the
server refuses it, the operator opens the refused changes (Ctrl+Shift+Q) and reads what
it held — the ticket and every status it passed through — not a bare "changed report".
The real main window, a real data folder, the real server on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.store.timefmt import to_db, utcnow
from console.sync.testing.live import PASSWORD

TITLE = "Sampah menumpuk di TPS Ciroyom tidak diangkut"  # seeded: verified, then dispatched
KEL = "3273-2483-30959"


def test_a_refused_coalesced_change_shows_its_ticket_and_status_path(desk, live, qtbot,
                                                                      qloop):
    from console.views.sync_status import SyncController

    live.add_user("kel.ciroyom", "kelurahan", [KEL])
    rid = desk.seeded[TITLE]
    ticket = desk.scalar("SELECT ticket FROM report WHERE id = ?", rid)
    # The office worked hours ago, offline; meanwhile the city retired this category.
    desk.write("UPDATE outbox SET created_at = ?", to_db(utcnow() - timedelta(hours=3)))
    desk.write("UPDATE outbox SET payload = json_set(payload, '$.fields.category_code', "
               "'dihapus') WHERE entity_id = ? AND op = 'create'", rid)
    controller = SyncController(desk.bridge, desk.window, idle_interval=30)
    desk.window.attach_sync(controller)
    try:
        _see_refused(desk, live, qtbot, rid, ticket)
    finally:
        qloop.run_until_complete(controller.shutdown())


def _see_refused(desk, live, qtbot, rid: str, ticket: str) -> None:
    with qtbot.waitSignal(desk.window.sync.loginFinished, timeout=15000) as blocker:
        desk.window.sync.login(live.url, "kel.ciroyom", PASSWORD)
    assert blocker.args[0] is True, blocker.args
    desk.window.sync.sync_now()
    qtbot.waitUntil(lambda: desk.scalar(
        "SELECT count(*) FROM outbox WHERE state = 'quarantined' AND entity = 'report' AND"
        " entity_id = ?", rid) == 1, timeout=30000)
    qtbot.waitUntil(lambda: not desk.window.sync.status.busy, timeout=30000)
    # Its create, verification and dispatch went as one change, refused once.
    assert desk.scalar("SELECT count(*) FROM outbox WHERE entity = 'report' AND"
                       " entity_id = ?", rid) == 1

    seen: dict[str, str] = {}
    timer = QTimer()
    timer.setInterval(50)

    def poll() -> None:  # once the dialog is up (its exec() blocks the key press)
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "quarantine_dialog" or "done" in seen:
            return
        seen["done"] = "yes"
        timer.stop()
        try:
            qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1, timeout=5000)
            rows = [[dialog.table.item(r, c).text() for c in range(4)]
                    for r in range(dialog.table.rowCount())]
            (row,) = [r for r in rows if r[1] == "Laporan baru"]
            seen.update(ticket=row[0], summary=row[2], reason=row[3])
        finally:
            dialog.reject()

    timer.timeout.connect(poll)
    timer.start()
    desk.activate()
    desk.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
             widget=desk.window.queue.table)
    qtbot.waitUntil(lambda: "done" in seen, timeout=15000)
    assert seen["ticket"] == ticket
    assert "Belum terverifikasi → Terverifikasi → Didisposisikan" in seen["summary"], seen
    assert seen["reason"]  # the server's reason, in the operator's language
