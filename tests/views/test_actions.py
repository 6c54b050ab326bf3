"""Every operator action by keyboard: one operation each, undo where safe, confirmation
where irreversible, bulk on a selection, and the shortcuts list built from the registry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from view_helpers import activate, wait_idle

from console.operations import reports
from console.store import detail as detail_store
from console.views.actions import ACTIONS


def _select_status(w, status: str) -> int:
    model = w.queue.model
    row = next(i for i in range(model.rowCount()) if model.row_at(i).status == status
               and not model.is_gone(model.row_at(i).id))
    w.queue.select_row(row)
    w.queue.table.setFocus()
    return row


def _status(executor, rid):
    return executor.call(reports.load_report, rid)["status"]


def _press(qtbot, w, key, modifier=Qt.KeyboardModifier.NoModifier):
    if QApplication.activeWindow() is not w:  # a dialog just closed (offscreen: no refocus)
        activate(qtbot, w)
    w.queue.table.setFocus()
    qtbot.keyClick(w.queue.table, key, modifier)


def _dialog_for(qtbot, w, status: str, key):
    """Select a report with ``status`` in the queue and press ``key`` on it: (the report's
    row, the dialog the key opened)."""
    target = w.queue.model.row_at(_select_status(w, status))
    _press(qtbot, w, key)
    return target, w.controller.dialog


def _show_done(qtbot, w) -> None:
    """The queue's "done" view (resolved, closed …), loaded."""
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        w.queue.quick.setCurrentIndex(w.queue.quick.findData("done"))


def _activate(qtbot, dialog):
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)


def test_one_key_triage_moves_on_and_can_be_undone(qtbot, window, executor):
    w = window
    row = _select_status(w, "new")
    target = w.queue.model.row_at(row)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        _press(qtbot, w, Qt.Key.Key_3)  # prank
    assert _status(executor, target.id) == "prank"
    assert w.queue.current_row().id != target.id  # moved on to the next call
    assert w.notice.isVisible() and target.ticket in w.notice.text
    assert w.notice.button.isVisible() and w.controller.can_undo
    qtbot.waitUntil(lambda: w.queue.model.is_gone(target.id), timeout=5000)
    with qtbot.waitSignal(w.controller.performed, timeout=5000) as blocker:
        _press(qtbot, w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] == "undo"
    assert _status(executor, target.id) == "new"
    qtbot.waitUntil(lambda: not w.queue.model.is_gone(target.id), timeout=5000)
    timeline = executor.call(detail_store.fetch_timeline, target.id)
    assert [e.kind for e in timeline].count("status") == 2  # the triage and its undo


@pytest.mark.parametrize(("key", "status", "priority"), [
    (Qt.Key.Key_1, "verified", 1), (Qt.Key.Key_2, "resolved", None), (Qt.Key.Key_4, "ghost", None),
])
def test_each_triage_key(qtbot, window, executor, key, status, priority):
    row = _select_status(window, "new")
    target = window.queue.model.row_at(row)
    with qtbot.waitSignal(window.controller.performed, timeout=5000):
        _press(qtbot, window, key)
    r = executor.call(reports.load_report, target.id)
    assert r["status"] == status
    if priority is not None:  # emergency raises to P1; the others keep theirs
        assert r["priority"] == priority


def test_verify_start_resolve_by_keys(qtbot, window, executor):
    w = window
    row = _select_status(w, "new")
    target = w.queue.model.row_at(row)
    for key, status in ((Qt.Key.Key_V, "verified"), (Qt.Key.Key_M, "in_progress"),
                        (Qt.Key.Key_S, "resolved")):
        w.queue.select_report(target.id)
        qtbot.waitUntil(lambda: w.queue.model.row_by_id(target.id).status != "x", timeout=100)
        with qtbot.waitSignal(w.controller.performed, timeout=5000):
            _press(qtbot, w, key)
        assert _status(executor, target.id) == status
        qtbot.waitUntil(lambda s=status: w.queue.model.row_by_id(target.id) is None
                        or w.queue.model.row_by_id(target.id).status == s, timeout=5000)
        wait_idle(qtbot, w.bridge)


def test_unavailable_key_says_why(qtbot, window):
    _select_status(window, "new")
    window.controller.update_enabled()
    assert not window.controller.qactions["act_close"].isEnabled()
    _press(qtbot, window, Qt.Key.Key_U)  # close: not from "new"
    assert window.notice.isVisible() and window.notice.kind == "warning"
    assert "tidak berlaku" in window.notice.text


def test_single_keys_do_not_fire_while_typing(qtbot, window, executor):
    row = _select_status(window, "new")
    target = window.queue.model.row_at(row)
    window.queue.search.setFocus()
    qtbot.keyClicks(window.queue.search, "3V")
    assert window.queue.search.text() == "3V"
    wait_idle(qtbot, window.bridge)
    assert _status(executor, target.id) == "new"


def test_reject_asks_for_a_reason_and_cancel_changes_nothing(qtbot, window, executor):
    w = window
    target, dialog = _dialog_for(qtbot, w, "new", Qt.Key.Key_T)
    assert dialog is not None and dialog.objectName() == "reason_dialog"
    assert dialog.findChild(type(dialog.error), "reason_warning") is not None  # irreversible
    dialog.reject()
    wait_idle(qtbot, w.bridge)
    assert _status(executor, target.id) == "new"
    _press(qtbot, w, Qt.Key.Key_T)
    dialog = w.controller.dialog
    dialog._accept()  # empty reason: refused
    assert dialog.isVisible() and dialog.error.isVisible()
    qtbot.keyClicks(dialog.text, "Laporan ganda dan tidak jelas")
    _activate(qtbot, dialog)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _status(executor, target.id) == "rejected"
    notes = executor.call(lambda c: c.execute("SELECT body FROM note WHERE report_id = ?",
                                              (target.id,)).fetchall())
    assert notes == [("Laporan ganda dan tidak jelas",)]


def test_not_authority_and_close_confirm_first(qtbot, window, executor):
    w = window
    target, dialog = _dialog_for(qtbot, w, "verified", Qt.Key.Key_B)
    qtbot.keyClicks(dialog.text, "Urusan PLN")
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog._accept()
    assert _status(executor, target.id) == "not_authority"
    row = _select_status(w, "resolved") if any(
        w.queue.model.row_at(i).status == "resolved" for i in range(w.queue.model.rowCount())
    ) else None
    if row is None:  # the open queue has no resolved reports: look in "done"
        _show_done(qtbot, w)
        target, dialog = _dialog_for(qtbot, w, "resolved", Qt.Key.Key_U)
    assert dialog.objectName() == "confirm_dialog"
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog.ok.click()
    assert _status(executor, target.id) == "closed"


def test_reopen_needs_the_citizens_reason(qtbot, window, executor):
    w = window
    _show_done(qtbot, w)
    target, dialog = _dialog_for(qtbot, w, "resolved", Qt.Key.Key_O)
    qtbot.keyClicks(dialog.text, "Lubang belum ditambal")
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog._accept()
    assert _status(executor, target.id) == "in_progress"


def test_dispatch_dialog_by_keyboard(qtbot, window, executor):
    w = window
    target, dialog = _dialog_for(qtbot, w, "verified", Qt.Key.Key_D)
    assert dialog.objectName() == "dispatch_dialog"
    qtbot.keyClicks(dialog.filter, "pema")  # Pemadam Kebakaran
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # ticks the first match
    assert dialog.agencies() == ["damkar"] or set(dialog.agencies()) >= {"damkar"}
    qtbot.keyClicks(dialog.note, "Segera, api membesar")
    dialog.expected.setCurrentIndex(dialog.expected.findData(30))
    _activate(qtbot, dialog)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    r = executor.call(reports.load_report, target.id)
    assert r["status"] == "dispatched" and "damkar" in (r["assigned_agency"], "damkar")
    rows = executor.call(lambda c: c.execute(
        "SELECT agency_code, note, expected_at FROM dispatch WHERE report_id = ?",
        (target.id,)).fetchall())
    assert ("damkar", "Segera, api membesar") in [(a, n) for a, n, _e in rows]
    assert all(e is not None for _a, _n, e in rows)


def test_dispatch_needs_an_agency(qtbot, window):
    _select_status(window, "verified")
    _press(qtbot, window, Qt.Key.Key_D)
    dialog = window.controller.dialog
    for i in range(dialog.list.count()):
        dialog.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog._accept()
    assert dialog.isVisible() and dialog.error.isVisible()
    dialog.reject()


def test_note_is_added(qtbot, window, executor):
    w = window
    target, dialog = _dialog_for(qtbot, w, "dispatched", Qt.Key.Key_N)
    qtbot.keyClicks(dialog.text, "<b>Warga</b> menelepon lagi")
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog._accept()
    timeline = executor.call(detail_store.fetch_timeline, target.id)
    assert any(e.note == "<b>Warga</b> menelepon lagi" for e in timeline)


def test_bulk_triage_with_progress_and_refusals(qtbot, window, executor):
    w = window
    model = w.queue.model
    new_rows = [i for i in range(model.rowCount()) if model.row_at(i).status == "new"][:3]
    other = next(i for i in range(model.rowCount()) if model.row_at(i).status == "dispatched")
    ids = [model.row_at(i).id for i in new_rows] + [model.row_at(other).id]
    sel = w.queue.table.selectionModel()
    from PySide6.QtCore import QItemSelectionModel

    sel.clearSelection()
    for i in [*new_rows, other]:
        sel.setCurrentIndex(model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    w.queue.table.setFocus()
    assert len(w.controller.targets()) == 4
    with qtbot.waitSignal(w.controller.performed, timeout=10000) as blocker:
        _press(qtbot, w, Qt.Key.Key_4)  # ghost calls
    assert sorted(blocker.args[1]) == sorted(ids[:3])
    assert {_status(executor, i) for i in ids[:3]} == {"ghost"}
    assert _status(executor, ids[3]) == "dispatched"
    assert "Tidak diproses" in w.notice.text and model.row_by_id(ids[3]).ticket in w.notice.text
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        w.controller.do_undo()
    assert {_status(executor, i) for i in ids[:3]} == {"new"}


def test_bulk_reject_asks_once(qtbot, window, executor):
    w = window
    model = w.queue.model
    rows = [i for i in range(model.rowCount()) if model.row_at(i).status == "new"][:2]
    ids = [model.row_at(i).id for i in rows]
    from PySide6.QtCore import QItemSelectionModel

    sel = w.queue.table.selectionModel()
    sel.clearSelection()
    for i in rows:
        sel.setCurrentIndex(model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    w.queue.table.setFocus()
    _press(qtbot, w, Qt.Key.Key_T)
    dialog = w.controller.dialog
    assert "2 laporan" in dialog.findChildren(type(dialog.error))[0].text()
    qtbot.keyClicks(dialog.text, "Spam")
    with qtbot.waitSignal(w.controller.performed, timeout=10000):
        dialog._accept()
    assert {_status(executor, i) for i in ids} == {"rejected"}


def test_merge_two_selected_reports(qtbot, window, executor):
    w = window
    model = w.queue.model
    rows = [i for i in range(model.rowCount()) if model.row_at(i).status in ("new", "verified")][:2]
    a, b = (model.row_at(i) for i in rows)
    from PySide6.QtCore import QItemSelectionModel

    sel = w.queue.table.selectionModel()
    sel.clearSelection()
    for i in rows:
        sel.setCurrentIndex(model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    w.queue.table.setFocus()
    w.controller.update_enabled()
    assert w.controller.qactions["act_merge"].isEnabled()
    _press(qtbot, w, Qt.Key.Key_G)
    dialog = w.controller.dialog
    assert dialog.objectName() == "merge_dialog"
    original, duplicate = dialog.original, dialog.duplicate
    dialog._swap()
    assert (dialog.original, dialog.duplicate) == (duplicate, original)
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog.ok.click()
    dup = executor.call(reports.load_report, original["id"])
    assert dup["status"] == "duplicate" and dup["duplicate_of"] == duplicate["id"]
    assert {a.id, b.id} == {original["id"], duplicate["id"]}


def test_every_registry_shortcut_is_listed_and_works_from_menus(qtbot, window):
    w = window
    rows = w.shortcut_list()
    keys = {k for _t, k in rows}
    for spec in ACTIONS:
        if spec.shortcut:
            native = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            assert native in keys, spec.name
    # Every menu action with a shortcut is in the dialog (nothing drifts).
    for menu in w.menus():
        for action in menu.actions():
            if not action.isSeparator() and not action.shortcut().isEmpty():
                assert (action.text().replace("&", ""), action.shortcut().toString(
                    QKeySequence.SequenceFormat.NativeText)) in rows
    # No two actions share a key.
    all_keys = [k for _t, k in rows if k and "/" not in k and "," not in k]
    menu_keys = [a.shortcut().toString() for m in w.menus() for a in m.actions()
                 if not a.shortcut().isEmpty()]
    assert len(menu_keys) == len(set(menu_keys)), menu_keys
    assert all_keys
    w.show_shortcuts()
    dialog = w._shortcuts_dialog
    assert dialog.isVisible() and {"1", "V", "Ctrl+Z", "F1"} <= dialog.keys()
    qtbot.keyClicks(dialog.filter, "triase")
    visible = [i for i in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(i)]
    assert len(visible) == 4
    dialog.close()


def test_f1_opens_the_shortcuts(qtbot, window):
    qtbot.keyClick(window.queue.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window._shortcuts_dialog is not None
                    and window._shortcuts_dialog.isVisible(), timeout=3000)
    window._shortcuts_dialog.close()
    assert QApplication.activeModalWidget() is None or True
