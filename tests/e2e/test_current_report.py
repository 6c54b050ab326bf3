"""One current report: the report Detail shows is the one every key, button and menu acts
on; the queue selection follows it (pinned at the top when outside the filter).

Each test drives the real main window with key presses as an operator does and checks
what the operator sees and what the database holds afterwards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

WATER = "Air PDAM tidak mengalir tiga hari di RW 04"
POTHOLE = "Lubang besar di Jl. Garuda dekat halte"
CALL_112 = "Penelepon melaporkan asap dari rumah di Gg. Cibadak"
KEL = "3273-2483-30959"  # Campaka, Andir (the desk fixture's kelurahan)


def _search(desk, text: str) -> None:
    """Type in the queue's search box and wait for the filtered first page."""
    w = desk.window
    w.focus_search()
    with desk.qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=10000):
        desk.qtbot.keyClicks(w.queue.search, text)
        desk.qtbot.keyClick(w.queue.search, Qt.Key.Key_Return)


def _click_row(desk, report_id: str) -> None:
    """Click the report's row in the queue, as an operator does."""
    w = desk.window
    desk.qtbot.waitUntil(lambda: w.queue.model.row_of(report_id) is not None, timeout=10000)
    index = w.queue.model.index(w.queue.model.row_of(report_id), 4)
    w.queue.table.scrollTo(index)
    rect = w.queue.table.visualRect(index)
    desk.qtbot.mouseClick(w.queue.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())


def _current_row_id(desk) -> str | None:
    row = desk.window.queue.current_row()
    return row.id if row else None


def _wait_current(desk, report_id: str) -> None:
    """Detail shows the report and the queue's highlighted row is that report."""
    desk.qtbot.waitUntil(lambda: desk.current_id() == report_id, timeout=10000)
    desk.qtbot.waitUntil(lambda: _current_row_id(desk) == report_id, timeout=10000)


def _open_intake(desk, channel: str, category: str):  # noqa: ANN202 - the IntakeDialog
    """Ctrl+N; the intake dialog shown with the channel, category and KEL chosen."""
    w = desk.window
    desk.activate()
    desk.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: w.intake is not None and w.intake.isVisible(), timeout=5000)
    dialog = w.intake
    dialog.channel.setCurrentIndex(dialog.channel.findData(channel))
    dialog.category.setCurrentIndex(dialog.category.findData(category))
    dialog.kelurahan.setCurrentIndex(dialog.kelurahan.findData(KEL))
    return dialog


def _intake_112_call(desk, title: str) -> str:
    """Ctrl+N, fill a 112 fire call with the keyboard, save with Ctrl+Enter."""
    dialog = _open_intake(desk, "phone_112", "kebakaran")
    desk.qtbot.keyClicks(dialog.title, title)
    desk.qtbot.keyClicks(dialog.description,
                         "Warga melihat api dari dapur rumah makan, dua orang terjebak di lantai "
                         "dua menurut penelepon.")
    desk.qtbot.keyClicks(dialog.coords, "-6.9105, 107.5921")
    dialog.activateWindow()  # shortcuts need the active window (offscreen too)
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    with desk.qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        desk.qtbot.keyClick(dialog.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return saved.args[0]


def test_new_112_call_is_current_and_key_1_triages_it_not_the_old_row(desk):
    """The reported scene: the queue filtered to one unrelated WhatsApp complaint, a 112
    call taken with Ctrl+N, saved, then 1 pressed at once."""
    water = desk.seeded[WATER]
    _search(desk, "PDAM")
    _click_row(desk, water)
    _wait_current(desk, water)
    before = desk.sql("SELECT priority, status, revision FROM report WHERE id=?", water)

    new_id = _intake_112_call(desk, "Kebakaran rumah makan di Jl. Garuda, dua orang terjebak")
    # Pressed straight away: either the new call is the target or nothing is (loading),
    # never the WhatsApp complaint still highlighted a moment ago.
    desk.activate()
    desk.key("1")
    _wait_current(desk, new_id)
    assert desk.window.queue.model.is_pinned(new_id)  # outside the "PDAM" search
    assert desk.window.queue.model.row_at(0).id == new_id
    assert desk.window.detail.detail["ticket"] in desk.window.queue.model.data(
        desk.window.queue.model.index(0, 0))
    if desk.scalar("SELECT triage FROM report WHERE id=?", new_id) is None:
        desk.activate()
        desk.key("1")  # the first press came while the new call was still loading
    desk.qtbot.waitUntil(
        lambda: desk.scalar("SELECT triage FROM report WHERE id=?", new_id) == "emergency",
        timeout=10000)
    assert desk.scalar("SELECT priority FROM report WHERE id=?", new_id) == 1
    assert desk.sql("SELECT priority, status, revision FROM report WHERE id=?", water) == before
    # An emergency stays current: D dispatches this call, not the row after it.
    _wait_current(desk, new_id)
    desk.qtbot.waitUntil(lambda: desk.window.detail.detail["status"] == "verified",
                         timeout=10000)  # Detail shows the triaged call
    desk.activate()
    desk.key("d")
    desk.qtbot.waitUntil(lambda: desk.window.controller.dialog is not None, timeout=5000)
    ticket = desk.scalar("SELECT ticket FROM report WHERE id=?", new_id)
    assert ticket in desk.window.controller.dialog.windowTitle()
    desk.window.controller.dialog.reject()
    assert desk.scalar("SELECT count(*) FROM report_event WHERE report_id=? AND kind='triaged'",
                       water) == 0


def test_marker_click_makes_the_report_current_and_n_notes_it(desk):
    w = desk.window
    pothole, water = desk.seeded[POTHOLE], desk.seeded[WATER]
    _click_row(desk, water)
    _wait_current(desk, water)
    w.map.reportClicked.emit(pothole)  # what the map page sends for a marker click
    _wait_current(desk, pothole)
    desk.activate()
    desk.key("n")
    desk.qtbot.waitUntil(lambda: w.controller.dialog is not None, timeout=5000)
    dialog = w.controller.dialog
    ticket = desk.scalar("SELECT ticket FROM report WHERE id=?", pothole)
    assert ticket in dialog.windowTitle() + " " + " ".join(
        lbl.text() for lbl in dialog.findChildren(type(w.path_label)))
    desk.qtbot.keyClicks(dialog.text, "Petugas PUPR sudah dihubungi via HT")
    dialog.accept()
    desk.qtbot.waitUntil(lambda: desk.scalar(
        "SELECT count(*) FROM note WHERE report_id=?", pothole) == 1, timeout=10000)
    assert desk.scalar("SELECT count(*) FROM note WHERE report_id=?", water) == 0


def test_filter_change_keeps_the_open_report_current_and_pinned(desk):
    """The operator opens a report, then narrows the queue so it falls outside: Detail and
    every key stay on it, and the queue shows it pinned at the top."""
    w = desk.window
    pothole = desk.seeded[POTHOLE]
    _click_row(desk, pothole)
    _wait_current(desk, pothole)
    _search(desk, "PDAM")
    _wait_current(desk, pothole)
    assert w.queue.model.is_pinned(pothole)
    desk.activate()
    desk.key("v")  # verify
    desk.qtbot.waitUntil(lambda: desk.scalar(
        "SELECT status FROM report WHERE id=?", pothole) == "verified", timeout=10000)
    assert desk.scalar("SELECT status FROM report WHERE id=?", desk.seeded[WATER]) == "verified"
    # Moving on in the queue drops the pin; Detail follows the new row.
    desk.activate()
    desk.key(Qt.Key.Key_Down)
    desk.qtbot.waitUntil(lambda: desk.current_id() == desk.seeded[WATER], timeout=10000)
    assert not w.queue.model.is_pinned(pothole)
    assert w.queue.model.row_of(pothole) is None


def test_arrow_keys_move_the_current_report_and_detail_buttons_act_on_it(desk):
    w = desk.window
    desk.activate()
    first = _current_row_id(desk)
    desk.qtbot.waitUntil(lambda: desk.current_id() == first, timeout=10000)
    desk.key(Qt.Key.Key_Down)
    second = _current_row_id(desk)
    assert second != first
    desk.qtbot.waitUntil(lambda: desk.current_id() == second, timeout=10000)
    note = w.controller.qactions["act_note"]
    note.trigger()  # the Detail panel's "Catatan" button is this action
    desk.qtbot.waitUntil(lambda: w.controller.dialog is not None, timeout=5000)
    ticket = desk.scalar("SELECT ticket FROM report WHERE id=?", second)
    dialog = w.controller.dialog
    texts = dialog.windowTitle() + " ".join(
        lbl.text() for lbl in dialog.findChildren(type(w.path_label)))
    assert ticket in texts
    dialog.reject()


def test_saving_a_duplicate_makes_the_new_report_current(desk):
    pothole = desk.seeded[POTHOLE]
    water = desk.seeded[WATER]
    _click_row(desk, water)
    _wait_current(desk, water)
    dialog = _open_intake(desk, "sms", "jalan_rusak")
    desk.qtbot.keyClicks(dialog.title, "Lubang di Jl. Garuda depan halte makin besar")
    desk.qtbot.keyClicks(dialog.coords, "-6.912, 107.598")
    desk.qtbot.waitUntil(lambda: dialog.dups.topLevelItemCount() > 0, timeout=10000)
    for i in range(dialog.dups.topLevelItemCount()):
        item = dialog.dups.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole).id == pothole:
            dialog.dups.setCurrentItem(item)
    with desk.qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        desk.qtbot.mouseClick(dialog.save_dup_button, Qt.MouseButton.LeftButton)
    dup = saved.args[0]
    _wait_current(desk, dup)
    assert desk.scalar("SELECT duplicate_of FROM report WHERE id=?", dup) is not None
    desk.activate()
    desk.key("s")  # resolve: does not apply to a merged duplicate — and never to the old row
    desk.wait_idle()
    assert desk.scalar("SELECT status FROM report WHERE id=?", water) == "verified"


def test_changed_by_another_officer_only_when_someone_else_changed_it(desk):
    """A sync that merely confirms the officer's own change says nothing; a change by
    another account (as a pull applies it) is announced on the open report."""
    from console.operations import reports as report_ops
    from console.operations.base import OpChanges

    w = desk.window
    pothole = desk.seeded[POTHOLE]
    _click_row(desk, pothole)
    _wait_current(desk, pothole)
    desk.activate()
    desk.key("v")  # op.ani's own change
    desk.qtbot.waitUntil(lambda: desk.scalar(
        "SELECT status FROM report WHERE id=?", pothole) == "verified", timeout=10000)
    # The puller's bookkeeping event for it (actor "server"), then the pusher's
    # confirmation of that change, as the sync engine broadcasts it.
    desk.write("INSERT INTO report_event (id, report_id, at, actor, kind, detail) VALUES "
               "(?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'), 'server', 'sync', '{}')",
               "11111111-2222-4333-8444-555555555555", pothole)
    with desk.qtbot.waitSignal(w.detail.loaded, timeout=10000):
        w.bus.broadcast(OpChanges(kind="sync_push", report_ids=frozenset({pothole}),
                                  timeline=False, outbox=True, source="sync"))
    assert not w.detail.banner.isVisible()

    rev = desk.scalar("SELECT revision FROM report WHERE id=?", pothole)
    desk.executor.call(report_ops.add_note, "op.budi", pothole,
                       "Dinas PUPR: tim tambal jalan dijadwalkan besok pagi.")
    assert desk.scalar("SELECT revision FROM report WHERE id=?", pothole) >= rev
    with desk.qtbot.waitSignal(w.detail.loaded, timeout=10000):
        w.bus.broadcast(OpChanges(kind="sync", report_ids=frozenset({pothole}), source="sync"))
    assert w.detail.banner.isVisible()
    assert "petugas lain" in w.detail.banner.text()
