"""Frictions that cost minutes in a shift (issue 10, finding 9), driven by keys and clicks
on the real main window: one timeline entry per action, with seconds; tooltips show
report text literally; F1 lists every shortcut the window has; a notice never moves
the queue's rows; the Sinkron column stays on screen; intake starts with the desk's
usual channel and marks and re-checks its required fields."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QFormLayout, QPushButton

from console.views.labels import WIB

POTHOLE = "Lubang besar di Jl. Garuda dekat halte"  # new, via SMS
WATER = "Air PDAM tidak mengalir tiga hari di RW 04"  # verified
HOSTILE_NOTE = "Warga kirim foto <img src=x onerror=alert(1)> lewat WA"


def _confirm(desk, dialog) -> None:
    with desk.qtbot.waitSignal(desk.window.controller.performed, timeout=5000):
        desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    desk.wait_idle()


def _timeline(desk) -> list:
    tree = desk.window.detail.timeline
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def _wait_timeline(desk, n: int) -> list:
    desk.qtbot.waitUntil(lambda: len(_timeline(desk)) == n, timeout=5000)
    return _timeline(desk)


# ---------------------------------------------------------------------------- timeline


def test_four_actions_make_four_timeline_entries_with_seconds(desk):
    rid = desk.open(POTHOLE)
    assert len(_wait_timeline(desk, 1)) == 1  # created
    desk.act(Qt.Key.Key_V)  # verify
    dialog = desk.dialog(Qt.Key.Key_D)  # dispatch to the category's agency
    assert dialog.agencies()
    _confirm(desk, dialog)
    desk.act(Qt.Key.Key_M)  # start
    desk.act(Qt.Key.Key_S)  # resolve

    items = _wait_timeline(desk, 5)
    texts = [i.text(2) for i in items]
    assert texts[1].startswith("Status: Belum terverifikasi → Terverifikasi")
    assert "Didisposisikan" in texts[2] and "Disposisi ke" in texts[2]
    assert texts[3].startswith("Status: Didisposisikan → Ditindaklanjuti")
    assert texts[4].startswith("Status: Ditindaklanjuti → Selesai")
    # Every field-level change stays in the database and under its entry.
    events = desk.scalar("SELECT count(*) FROM report_event WHERE report_id = ?", rid)
    assert events > 5
    operations = desk.scalar("SELECT count(DISTINCT at || actor) FROM report_event "
                             "WHERE report_id = ?", rid)
    assert operations == len(items) == 5
    assert any("Batas SLA" in items[1].child(c).text(2) for c in range(items[1].childCount()))
    # Seconds on screen, in WIB; UTC in storage.
    for item in items:
        assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", item.text(0)), item.text(0)
    stored = desk.scalar("SELECT at FROM report_event WHERE report_id = ? AND kind = 'created'",
                         rid)
    local = datetime.fromisoformat(stored + "+00:00").astimezone(WIB)
    assert items[0].text(0) == local.strftime("%d-%m-%Y %H:%M:%S")
    tabs = desk.window.detail.tabs
    assert tabs.tabText(tabs.indexOf(desk.window.detail.timeline)) == "Linimasa (5)"


def test_a_note_with_html_shows_literally_in_its_tooltip(desk):
    rid = desk.open(WATER)
    before = len(_timeline(desk))
    dialog = desk.dialog(Qt.Key.Key_N)
    desk.key(HOSTILE_NOTE)
    _confirm(desk, dialog)
    items = _wait_timeline(desk, before + 1)
    assert desk.sql("SELECT body FROM note WHERE report_id = ?", rid) == [(HOSTILE_NOTE,)]
    item = items[-1]
    assert item.text(2) == f"Catatan: {HOSTILE_NOTE}"
    tip = item.toolTip(2)
    # Qt would render "<img …>" as an image; the tooltip carries it escaped instead.
    assert "<img" not in tip and "&lt;img src=x onerror=alert(1)&gt;" in tip
    shown = QTextDocument()
    shown.setHtml(tip)  # what the tooltip renders: the note as written
    assert shown.toPlainText() == f"Catatan: {HOSTILE_NOTE}"


def test_queue_tooltips_show_a_hostile_title_literally(desk):
    from console.views.queue_model import COLUMN_KEYS

    hostile = "<b>Banjir</b> di gang <img src=x onerror=alert(1)>"
    dialog = _intake(desk)
    _type(desk, dialog.category.lineEdit(), "Jalan Rusak")
    _type(desk, dialog.title, hostile)
    rid = _save(desk, dialog)
    model = desk.window.queue.model
    desk.qtbot.waitUntil(lambda: model.row_of(rid) is not None, timeout=5000)
    tip = model.data(model.index(model.row_of(rid), COLUMN_KEYS.index("ticket")),
                     Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;b&gt;Banjir&lt;/b&gt;" in tip
    shown = QTextDocument()
    shown.setHtml(tip)
    assert shown.toPlainText() == hostile == desk.scalar(
        "SELECT title FROM report WHERE id = ?", rid)
    plain = model.data(model.index(model.row_of(desk.seeded[WATER]), COLUMN_KEYS.index("ticket")),
                       Qt.ItemDataRole.ToolTipRole)
    assert plain == WATER  # plain text stays as it is


# -------------------------------------------------------------------------------- F1


def test_f1_lists_every_shortcut_of_the_window_including_sync(desk):
    from console.views.sync_status import SyncController

    desk.window.attach_sync(SyncController(desk.bridge, desk.window))  # as run_console does
    desk.activate()
    desk.key(Qt.Key.Key_F1)
    desk.qtbot.waitUntil(lambda: desk.window._shortcuts_dialog is not None
                         and desk.window._shortcuts_dialog.isVisible(), timeout=3000)
    dialog = desk.window._shortcuts_dialog
    keys = dialog.keys()
    assert {"F5", "Ctrl+L", "Ctrl+Shift+K", "Ctrl+Shift+Q", "F1", "Ctrl+N", "Ctrl+Q"} <= keys
    shown = {(dialog.table.item(i, 1).text(), dialog.table.item(i, 2).text())
             for i in range(dialog.table.rowCount())}
    actions = [a for a in desk.window.findChildren(QAction) if not a.shortcut().isEmpty()]
    assert len(actions) > 30
    for action in actions:
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert any(text == action.text().replace("&", "") and key in k.split(", ")
                   for text, k in shown), (action.objectName(), key)
    sync_rows = [i for i in range(dialog.table.rowCount())
                 if dialog.table.item(i, 2).text() == "F5"]
    assert dialog.table.item(sync_rows[0], 0).text() == "Sinkronisasi"
    dialog.close()


# ------------------------------------------------------------------------ notice bar


def test_a_notice_does_not_move_the_queue_rows(desk):
    w = desk.window
    table = w.queue.table
    desk.qtbot.waitUntil(lambda: table.visualRect(w.queue.model.index(0, 0)).height() > 0,
                         timeout=3000)

    def first_row_on_screen() -> QPoint:
        return table.viewport().mapTo(w, table.visualRect(w.queue.model.index(0, 0)).topLeft())

    before = first_row_on_screen()
    assert not w.notice.isVisible()
    w.notice.show_message("Laporan BDG-1 diverifikasi. " * 12, "success",
                          action="Batalkan (Ctrl+Z)", on_action=lambda: None)
    QApplication.processEvents()
    assert w.notice.isVisible()
    assert first_row_on_screen() == before
    w.notice.dismiss()
    QApplication.processEvents()
    assert first_row_on_screen() == before
    # A real action's notice (with its undo button) does not move them either.
    desk.open(POTHOLE)
    before = first_row_on_screen()
    desk.act(Qt.Key.Key_V)
    assert w.notice.isVisible() and "diverifikasi" in w.notice.text
    assert first_row_on_screen() == before


# ---------------------------------------------------------------------------- intake


def _intake(desk):
    desk.activate()
    desk.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    desk.qtbot.waitUntil(lambda: desk.window.intake is not None
                         and desk.window.intake.isVisible(), timeout=3000)
    dialog = desk.window.intake
    dialog.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    desk.wait_idle()  # the desk's usual channel arrives from the database
    return dialog


def _type(desk, widget, text: str) -> None:
    widget.setFocus()
    desk.qtbot.keyClicks(widget, text)


def _save(desk, dialog) -> str:
    with desk.qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier,
                 widget=dialog.focusWidget())
    desk.wait_idle()
    return blocker.args[0]


def _channel(desk, rid: str) -> str:
    return desk.scalar("SELECT channel FROM report WHERE id = ?", rid)


def test_intake_starts_with_the_desks_usual_channel_never_silently_112(desk):
    dialog = _intake(desk)
    # A command-center operator's desk, nothing remembered: the phone line, not 112.
    assert dialog.channel.currentData() == "phone"
    assert dialog.channel.currentText() == "Telepon"
    assert not dialog.triage.isVisible()
    _type(desk, dialog.category.lineEdit(), "Jalan Rusak")
    _type(desk, dialog.title, "Lubang di depan SD Garuda")
    rid = _save(desk, dialog)
    assert _channel(desk, rid) == "phone"
    assert desk.scalar("SELECT priority FROM report WHERE id = ?", rid) != 1

    # The 112 choice is one keystroke away (Alt+1); taking a 112 call does not make
    # 112 this desk's default.
    dialog = _intake(desk)
    desk.key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # a mnemonic: clicks shortly
    desk.qtbot.waitUntil(lambda: dialog.channel.currentData() == "phone_112", timeout=3000)
    assert dialog.triage.isVisible()
    _type(desk, dialog.category.lineEdit(), "Kebakaran")
    _type(desk, dialog.title, "Asap dari gudang di Jl. Garuda")
    assert _channel(desk, _save(desk, dialog)) == "phone_112"
    dialog = _intake(desk)
    assert dialog.channel.currentData() == "phone"

    # Walk-ins at this desk: the next report starts as a walk-in.
    dialog.channel.setFocus()
    desk.qtbot.keyClicks(dialog.channel, "Datang")
    assert dialog.channel.currentData() == "walk_in"
    _type(desk, dialog.category.lineEdit(), "Sampah")
    _type(desk, dialog.title, "Warga melapor sampah di bantaran sungai")
    assert _channel(desk, _save(desk, dialog)) == "walk_in"
    dialog = _intake(desk)
    assert dialog.channel.currentData() == "walk_in"
    dialog.reject()
    assert desk.scalar("SELECT value FROM meta WHERE key = 'desk.last_channel'") == "walk_in"


def test_a_112_desk_is_one_set_up_as_such(desk):
    dialog = _intake(desk)
    desk.key(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    desk.qtbot.waitUntil(lambda: dialog.channel.currentData() == "phone_112", timeout=3000)
    desk.key(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # make it this desk's default
    desk.qtbot.waitUntil(dialog.desk_default.isChecked, timeout=3000)
    _type(desk, dialog.category.lineEdit(), "Kebakaran")
    _type(desk, dialog.title, "Kebakaran rumah di Gg. Cibadak")
    _save(desk, dialog)
    assert desk.scalar("SELECT value FROM meta WHERE key = 'desk.intake_channel'") == "phone_112"
    dialog = _intake(desk)
    assert dialog.channel.currentData() == "phone_112" and dialog.triage.isVisible()
    dialog.reject()


def test_kelurahan_desk_starts_with_walk_in(qtbot, tmp_path, desks):
    open_desk, close_desk = (lambda _q, folder, **kw: desks(folder, **kw)), desks.close

    from console.views.operator import OperatorContext

    d = open_desk(qtbot, tmp_path / "kelurahan", seed=False,
                  operator=OperatorContext(username="staf.campaka", role="kelurahan"))
    try:
        dialog = _intake(d)
        assert dialog.channel.currentData() == "walk_in"
        assert dialog.channel.currentText() == "Datang langsung"
        dialog.reject()
    finally:
        close_desk(d)


def test_required_fields_are_marked_and_their_errors_clear_when_fixed(desk):
    dialog = _intake(desk)
    category_label = dialog.findChild(QFormLayout).labelForField(dialog.category)
    title_label = dialog.findChild(QFormLayout).labelForField(dialog.title)
    assert category_label.text().endswith("*") and title_label.text().endswith("*")
    assert dialog.title.accessibleDescription() == "wajib diisi"
    assert dialog.required_legend.text() == "* wajib diisi"
    before = desk.scalar("SELECT count(*) FROM report")

    desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save, empty
    assert dialog.error.isVisible() and dialog.error.text() == "Pilih kategori dari daftar."
    assert QApplication.focusWidget() in (dialog.category, dialog.category.lineEdit())
    desk.qtbot.keyClicks(dialog.category.lineEdit(), "Jalan Rusak")
    assert not dialog.error.isVisible(), "the error about the category must go once it is right"

    desk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.error.isVisible() and dialog.error.text() == "Judul wajib diisi."
    assert QApplication.focusWidget() is dialog.title
    desk.qtbot.keyClicks(dialog.title, "L")
    assert not dialog.error.isVisible()
    desk.qtbot.keyClicks(dialog.title, "ubang di Jl. Garuda")
    assert desk.scalar("SELECT count(*) FROM report") == before  # nothing saved yet
    rid = _save(desk, dialog)
    assert desk.scalar("SELECT title FROM report WHERE id = ?", rid) == "Lubang di Jl. Garuda"


def test_esc_on_a_half_taken_call_asks_before_the_call_is_lost(desk):
    """A stray Esc (or Batal, or the close button) on a form with a call half typed asks
    first; "Lanjutkan mengisi" is the default, so Esc or Enter in the question keeps the
    form. Only "Buang" throws it away. An empty form closes at once."""
    before = desk.scalar("SELECT count(*) FROM report")
    outbox = desk.scalar("SELECT count(*) FROM outbox")
    dialog = _intake(desk)
    _type(desk, dialog.title, "Banjir setinggi lutut di Gg. Sukaasih")
    _type(desk, dialog.description, "Penelepon: air masuk ke rumah, ada lansia")

    def question():  # noqa: ANN202 - the QMessageBox
        desk.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None
                             and QApplication.activeModalWidget().objectName()
                             == "intake_discard", timeout=3000)
        return QApplication.activeModalWidget()

    for answer in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        desk.key(Qt.Key.Key_Escape, widget=dialog.title)
        box = question()
        assert box.windowTitle() == "Buang laporan ini?"
        assert "belum disimpan" in box.text()
        assert {b.text() for b in box.buttons()} == {"&Buang", "&Lanjutkan mengisi"}
        desk.key(answer, widget=box)  # Esc, then Enter: both keep the form
        desk.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=3000)
        assert dialog.isVisible() and desk.window.intake is dialog
        assert dialog.title.text() == "Banjir setinggi lutut di Gg. Sukaasih"
        assert dialog.description.toPlainText() == "Penelepon: air masuk ke rumah, ada lansia"

    # Batal, then Buang: the form is gone and nothing was written.
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Batal")
    desk.qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    box = question()
    desk.qtbot.mouseClick(box.findChild(QPushButton, "intake_discard_yes"),
                          Qt.MouseButton.LeftButton)
    desk.qtbot.waitUntil(lambda: desk.window.intake is None, timeout=3000)
    assert not dialog.isVisible()
    desk.wait_idle()
    assert desk.scalar("SELECT count(*) FROM report") == before
    assert desk.scalar("SELECT count(*) FROM outbox") == outbox

    # Nothing typed: Esc closes at once, no question.
    dialog = _intake(desk)
    desk.key(Qt.Key.Key_Escape, widget=dialog.title)
    desk.qtbot.waitUntil(lambda: desk.window.intake is None, timeout=3000)
    assert QApplication.activeModalWidget() is None


# --------------------------------------------------------------------- queue columns

LONG_TITLE = ("Jalan amblas sepanjang dua puluh meter di Jl. Pajajaran dekat persimpangan "
              "Jl. Cicendo, kendaraan roda empat tidak bisa lewat dan warga minta segera "
              "ditangani sebelum hujan deras malam ini")


def test_a_long_title_elides_and_sinkron_stays_on_screen(desk):
    from console.views.queue_model import COLUMN_KEYS
    from console.views.queue_panel import TITLE_MIN_WIDTH

    dialog = _intake(desk)
    _type(desk, dialog.category.lineEdit(), "Jalan Rusak")
    _type(desk, dialog.title, LONG_TITLE)
    rid = _save(desk, dialog)
    w = desk.window
    table, header = w.queue.table, w.queue.table.horizontalHeader()
    desk.qtbot.waitUntil(lambda: w.queue.model.row_of(rid) is not None, timeout=5000)
    assert (w.width(), w.height()) == (1366, 768)  # the default window size
    title, sync = COLUMN_KEYS.index("title"), COLUMN_KEYS.index("sync")

    def on_screen(col: int) -> bool:
        left = header.sectionViewportPosition(col)
        return not table.isColumnHidden(col) and left >= 0 and \
            left + header.sectionSize(col) <= table.viewport().width()

    def check() -> None:
        QApplication.processEvents()
        assert all(on_screen(c) for c in (sync, COLUMN_KEYS.index("ticket"),
                                          COLUMN_KEYS.index("priority"),
                                          COLUMN_KEYS.index("sla"), COLUMN_KEYS.index("age")))
        assert table.horizontalScrollBar().maximum() == 0  # no scrolling sideways
        shown = table.model().data(table.model().index(w.queue.model.row_of(rid), title))
        assert shown == LONG_TITLE  # the whole title, elided by the view, in the tooltip
        assert table.fontMetrics().horizontalAdvance(LONG_TITLE) > header.sectionSize(title)

    check()
    assert header.sectionSize(title) >= TITLE_MIN_WIDTH
    assert all(not table.isColumnHidden(c) for c in range(len(COLUMN_KEYS)))
    # A narrower window drops columns Detail shows rather than push Sinkron off.
    w.resize(1024, 700)
    desk.qtbot.waitUntil(lambda: w.queue.width() < 750, timeout=3000)
    check()

    def dropped() -> int:
        return sum(table.isColumnHidden(c) for c in range(len(COLUMN_KEYS)))

    narrow = dropped()
    assert narrow >= 1 and not table.isColumnHidden(COLUMN_KEYS.index("status"))
    # Wider again (the window, and the queue dock): columns come back.
    w.resize(1366, 768)
    desk.qtbot.waitUntil(lambda: w.width() == 1366, timeout=3000)
    w.resizeDocks([w.dock_queue], [871], Qt.Orientation.Horizontal)
    desk.qtbot.waitUntil(lambda: dropped() < narrow, timeout=3000)
    check()
