"""Every count on screen equals what the database holds, after every operation; quitting
with unsent changes asks first, and keeps them.

Driven as an operator does: keys on the real main window with the real (logged-out) sync
controller attached, as the console app attaches it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from console.store import queue as store

POTHOLE = "Lubang besar di Jl. Garuda dekat halte"
CALL_112 = "Penelepon melaporkan asap dari rumah di Gg. Cibadak"
WASTE = "Sampah menumpuk di TPS Ciroyom tidak diangkut"


def _attach_sync(desk) -> None:
    from console.views.app import _attach_sync as attach

    attach(desk.window, desk.bridge)
    desk.qtbot.waitUntil(lambda: desk.window.sync_status is not None, timeout=5000)


def _shown_pending(desk) -> int | None:
    m = re.search(r"(\d+) tertunda", desk.window.sync_status.label.text())
    return int(m.group(1)) if m else None


def _db_pending(desk) -> int:
    # Changes only: a soft claim travels in the outbox too, but is a hint, not a change.
    return desk.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'"
                       " AND entity != 'claim'")


def _shown_total(desk) -> int | None:
    m = re.search(r"([\d.]+) laporan", desk.window.queue.count_label.text())
    return int(m.group(1).replace(".", "")) if m else None


def _db_total(desk) -> int:
    return desk.executor.call(store.count, desk.window.queue.model.queue_filter)


def _click_row(desk, report_id: str) -> None:
    w = desk.window
    desk.qtbot.waitUntil(lambda: w.queue.model.row_of(report_id) is not None, timeout=10000)
    index = w.queue.model.index(w.queue.model.row_of(report_id), 4)
    desk.qtbot.mouseClick(w.queue.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=w.queue.table.visualRect(index).center())
    desk.qtbot.waitUntil(lambda: desk.current_id() == report_id, timeout=10000)


def test_pending_and_queue_counts_follow_every_operation_logged_out(desk):
    """Never logged in, offline: the seeded work is pending and the status bar says so;
    each action raises the number at once; the queue total is there from the start."""
    _attach_sync(desk)
    assert _db_pending(desk) > 0
    desk.qtbot.waitUntil(lambda: _shown_pending(desk) == _db_pending(desk), timeout=5000)
    desk.qtbot.waitUntil(lambda: _shown_total(desk) == _db_total(desk), timeout=5000)

    before = _db_pending(desk)
    _click_row(desk, desk.seeded[POTHOLE])
    desk.activate()
    desk.key("v")
    desk.qtbot.waitUntil(lambda: _db_pending(desk) == before + 1, timeout=10000)
    desk.qtbot.waitUntil(lambda: _shown_pending(desk) == before + 1, timeout=5000)

    # A triage that closes a call takes it out of the open queue: the total follows.
    total = _db_total(desk)
    _click_row(desk, desk.seeded[CALL_112])
    desk.activate()
    desk.key("3")  # prank call
    desk.qtbot.waitUntil(lambda: _db_total(desk) == total - 1, timeout=10000)
    desk.qtbot.waitUntil(lambda: _shown_total(desk) == total - 1, timeout=5000)
    assert _shown_pending(desk) == _db_pending(desk)


def test_queue_count_is_shown_on_a_second_start_with_a_saved_view(qtbot, tmp_path, desks):
    open_desk, close_desk = (lambda _q, folder, **kw: desks(folder, **kw)), desks.close

    first = open_desk(qtbot, tmp_path / "desk")
    qtbot.waitUntil(lambda: _shown_total(first) == _db_total(first), timeout=5000)
    close_desk(first)  # saves the queue view in the desk's settings
    second = open_desk(qtbot, tmp_path / "desk", seed=False)
    try:
        qtbot.waitUntil(lambda: _shown_total(second) == _db_total(second), timeout=5000)
        assert _db_total(second) == 4
    finally:
        close_desk(second)


def test_quit_with_unsent_changes_asks_and_keeps_them(desk):
    w = desk.window
    w.confirm_quit = True  # as the console app builds its window
    pending = _db_pending(desk)
    desk.activate()
    desk.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: w.quit_prompt is not None and w.quit_prompt.isVisible(),
                         timeout=5000)
    box: QMessageBox = w.quit_prompt
    assert f"{pending} perubahan belum terkirim" in box.text()
    assert "tetap tersimpan" in box.informativeText()
    # Enter by habit keeps the console open.
    box.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=5000)
    desk.qtbot.keyClick(box, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    assert w.isVisible()

    desk.activate()
    desk.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: w.quit_prompt.isVisible(), timeout=5000)
    leave = w.quit_prompt.findChild(type(w.quit_prompt.defaultButton()), "quit_prompt_leave")
    desk.qtbot.mouseClick(leave, Qt.MouseButton.LeftButton)
    desk.qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert _db_pending(desk) == pending  # kept for the next start


def test_quit_without_unsent_changes_does_not_ask(qtbot, tmp_path, desks):
    open_desk, close_desk = (lambda _q, folder, **kw: desks(folder, **kw)), desks.close

    d = open_desk(qtbot, tmp_path / "empty", seed=False)
    try:
        d.window.confirm_quit = True
        d.activate()
        d.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not d.window.isVisible(), timeout=5000)
        assert d.window.quit_prompt is None
    finally:
        close_desk(d)


def test_quit_with_a_half_taken_call_asks_about_the_call_first(qtbot, tmp_path, desks):
    """Ctrl+Q while the intake form holds a call half typed: the form's own question
    comes first and the console stays; once the call is thrown away, Ctrl+Q quits."""
    d = desks(tmp_path / "call", seed=False)  # nothing unsent: no quit prompt after
    try:
        w = d.window
        w.confirm_quit = True
        d.activate()
        d.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: w.intake is not None and w.intake.isVisible(), timeout=5000)
        intake = w.intake
        intake.title.setFocus()
        qtbot.keyClicks(intake.title, "Pohon tumbang di Jl. Cipaganti")

        def question() -> QMessageBox:
            qtbot.waitUntil(lambda: intake.findChild(QMessageBox, "intake_discard") is not None
                            and intake.findChild(QMessageBox, "intake_discard").isVisible(),
                            timeout=5000)
            return intake.findChild(QMessageBox, "intake_discard")

        d.activate()
        d.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box = question()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # by habit: keeps the call
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
        assert w.isVisible() and intake.isVisible()
        assert intake.title.text() == "Pohon tumbang di Jl. Cipaganti"

        d.activate()
        d.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        box = question()
        qtbot.mouseClick(box.findChild(type(box.defaultButton()), "intake_discard_yes"),
                         Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: w.intake is None, timeout=5000)
        assert w.isVisible()  # the quit waits for the operator's next Ctrl+Q
        d.activate()
        d.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
        assert d.scalar("SELECT count(*) FROM report WHERE title LIKE 'Pohon tumbang%'") == 0
    finally:
        desks.close(d)


def test_overdue_badge_follows_an_operation_at_once(desk):
    """A dispatched report past its deadline counts in the status-bar badge; once the
    operator resolves it the badge drops at once, not at the next minute's poll."""
    w = desk.window
    waste = desk.seeded[WASTE]
    desk.write("UPDATE report SET sla_due_at = '2026-01-05 01:00:00.000000' WHERE id = ?", waste)
    w.alerts.check_sla()
    desk.qtbot.waitUntil(lambda: w.alerts.badge.overdue >= 1, timeout=5000)
    before = w.alerts.badge.overdue
    assert "lewat SLA" in w.alerts.badge.text()
    _click_row(desk, waste)
    desk.activate()
    desk.key("s")
    desk.qtbot.waitUntil(lambda: desk.scalar(
        "SELECT status FROM report WHERE id=?", waste) == "resolved", timeout=10000)
    desk.qtbot.waitUntil(lambda: w.alerts.badge.overdue == before - 1, timeout=5000)
