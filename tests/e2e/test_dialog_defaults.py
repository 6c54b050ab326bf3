"""Irreversible dialogs default to the safe choice (issue 10, finding 6): in Tutup laporan,
Tolak, Bukan kewenangan and Gabungkan, plain Enter never performs the action — Batal is
the default — while Ctrl+Enter (what F1 lists as "Konfirmasi dialog") does. Every
action dialog's title names its ticket(s). Driven by keys on the real main window."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

WASTE = "Sampah menumpuk di TPS Ciroyom tidak diangkut"  # dispatched
POTHOLE = "Lubang besar di Jl. Garuda dekat halte"  # new
WATER = "Air PDAM tidak mengalir tiga hari di RW 04"  # verified


def _ticket(desk, rid: str) -> str:
    return desk.scalar("SELECT ticket FROM report WHERE id = ?", rid)


def _status(desk, rid: str) -> str:
    return desk.scalar("SELECT status FROM report WHERE id = ?", rid)


def test_enter_in_close_dialog_cancels_and_ctrl_enter_closes(desk):
    rid = desk.open(WASTE)
    desk.act(Qt.Key.Key_M)  # mulai ditangani
    desk.act(Qt.Key.Key_S)  # selesaikan
    assert _status(desk, rid) == "resolved"

    dialog = desk.dialog(Qt.Key.Key_U)
    assert dialog.objectName() == "confirm_dialog"
    assert _ticket(desk, rid) in dialog.windowTitle()
    assert dialog.windowTitle().startswith("Tutup laporan")
    # Batal has the focus and is the default button; the operator sees how to confirm.
    assert dialog.focusWidget() is dialog.cancel and dialog.cancel.isDefault()
    assert not dialog.ok.isDefault()
    assert "Ctrl+Enter" in dialog.hint.text()
    desk.key(Qt.Key.Key_Return)  # habit: Enter
    desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    desk.wait_idle()
    assert _status(desk, rid) == "resolved"
    assert desk.scalar("SELECT count(*) FROM report_event WHERE report_id = ? "
                       "AND field = 'status' AND new_value = 'closed'", rid) == 0

    # Enter on the focused action button does nothing either; Ctrl+Enter closes.
    desk.activate()
    dialog = desk.dialog(Qt.Key.Key_U)
    dialog.ok.setFocus()
    desk.key(Qt.Key.Key_Return, widget=dialog.ok)
    assert dialog.isVisible() and _status(desk, rid) == "resolved"
    with desk.qtbot.waitSignal(desk.window.controller.performed, timeout=5000):
        desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, widget=dialog.ok)
    assert _status(desk, rid) == "closed"
    assert _ticket(desk, rid) in desk.window.notice.text


def test_reject_keeps_the_typed_reason_on_enter_and_rejects_on_ctrl_enter(desk):
    rid = desk.open(POTHOLE)
    dialog = desk.dialog(Qt.Key.Key_T)
    assert dialog.windowTitle() == f"Tolak laporan {_ticket(desk, rid)}"
    desk.key("Lokasi di luar wilayah kota")
    desk.key(Qt.Key.Key_Tab)  # to the action button
    assert QApplication.focusWidget() is dialog.ok
    desk.key(Qt.Key.Key_Return)
    assert dialog.isVisible(), "Enter on Tolak must not reject"
    assert dialog.value() == "Lokasi di luar wilayah kota"
    assert _status(desk, rid) == "new"
    with desk.qtbot.waitSignal(desk.window.controller.performed, timeout=5000):
        desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _status(desk, rid) == "rejected"
    assert desk.sql("SELECT body FROM note WHERE report_id = ?", rid) == [
        ("Lokasi di luar wilayah kota",)]


def test_not_authority_dialog_defaults_to_cancel(desk):
    rid = desk.open(WATER)
    dialog = desk.dialog(Qt.Key.Key_B)
    assert _ticket(desk, rid) in dialog.windowTitle()
    assert dialog.cancel.isDefault() and not dialog.ok.autoDefault()
    desk.key(Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert _status(desk, rid) == "verified"


def test_merge_dialog_enter_does_not_merge_and_title_names_both(desk):
    a, b = desk.seeded[POTHOLE], desk.seeded[WATER]
    desk.open(POTHOLE)
    model = desk.window.queue.model
    selection = desk.window.queue.table.selectionModel()
    selection.select(model.index(model.row_of(b), 0),
                     QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    desk.window.controller.update_enabled()
    dialog = desk.dialog(Qt.Key.Key_G)
    assert dialog.objectName() == "merge_dialog"
    title = dialog.windowTitle()
    assert _ticket(desk, a) in title and _ticket(desk, b) in title
    assert title == f"Gabungkan {dialog.duplicate['ticket']} ke {dialog.original['ticket']}"
    dialog.swap.click()
    assert dialog.windowTitle() == (
        f"Gabungkan {dialog.duplicate['ticket']} ke {dialog.original['ticket']}")
    dialog.cancel.setFocus()
    desk.key(Qt.Key.Key_Return, widget=dialog.cancel)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    desk.wait_idle()
    assert dict(desk.sql("SELECT id, status FROM report WHERE id IN (?, ?)", a, b)) == {
        a: "new", b: "verified"}
    assert desk.scalar("SELECT count(*) FROM report_event WHERE kind = 'merge'") == 0


def test_note_and_dispatch_dialog_titles_name_the_ticket(desk):
    rid = desk.open(WATER)
    ticket = _ticket(desk, rid)
    dialog = desk.dialog(Qt.Key.Key_N)
    assert dialog.windowTitle() == f"Tambah catatan {ticket}"
    desk.key(Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    desk.activate()
    dialog = desk.dialog(Qt.Key.Key_D)
    assert dialog.objectName() == "dispatch_dialog"
    assert dialog.windowTitle() == f"Disposisi {ticket}"
    desk.key(Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert _status(desk, rid) == "verified"


def test_ctrl_enter_confirms_with_the_consoles_indonesian_qt_translation(qtbot, tmp_path, desks):
    """run_console installs Qt's Indonesian translation (Return is "Enter" there); the
    Ctrl+Enter of every dialog must still fire, not turn into two equal, ambiguous keys."""
    open_desk, close_desk = (lambda _q, folder, **kw: desks(folder, **kw)), desks.close

    from console.views.app import install_translator

    app = QApplication.instance()
    translators = install_translator(app, "id")
    d = open_desk(qtbot, tmp_path / "id-desk")
    try:
        assert translators, "the console's Qt translation (qt_id.qm) is installed"
        rid = d.open(POTHOLE)
        d.dialog(Qt.Key.Key_T)  # the reject dialog, its reason box focused
        d.key("Jalan sudah diperbaiki warga")
        with d.qtbot.waitSignal(d.window.controller.performed, timeout=5000):
            d.key(Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)  # the keypad Enter
        assert _status(d, rid) == "rejected"
        d.activate()
        d.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        d.qtbot.waitUntil(lambda: d.window.intake is not None and d.window.intake.isVisible(),
                          timeout=3000)
        intake = d.window.intake
        intake.activateWindow()
        d.qtbot.waitUntil(lambda: QApplication.activeWindow() is intake, timeout=3000)
        intake.category.lineEdit().setFocus()
        d.key("Jalan Rusak")
        intake.title.setFocus()
        d.key("Lubang baru di Jl. Garuda")
        with d.qtbot.waitSignal(intake.saved, timeout=5000):
            d.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert d.scalar("SELECT count(*) FROM report WHERE title = 'Lubang baru di Jl. Garuda'") == 1
    finally:
        close_desk(d)
        for t in translators:
            app.removeTranslator(t)
