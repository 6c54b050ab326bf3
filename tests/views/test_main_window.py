"""The main window: docks, persisted layout, menus and shortcuts, language, safe text."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

from console.store import queue as store
from console.views import app as app_module
from console.views.app import install_translator, run_console
from console.views.labels import status_label
from console.views.main_window import MainWindow

SCRIPT_TITLE = "<script>alert(1)</script><b>x</b>"  # set on report 18 by conftest.populate


def make_window(qtbot, bridge, db, settings) -> MainWindow:
    window = MainWindow(bridge, db.path, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.queue.model.firstPageLoaded, timeout=5000):
        window.show()
        window.start()
    return window


@pytest.fixture
def window(qtbot, bridge, db, ui_settings):
    w = make_window(qtbot, bridge, db, ui_settings)
    yield w
    w.close()


@pytest.fixture
def english(qapp):
    translators = install_translator(qapp, "en")
    assert translators, "posko_en.qm did not load"
    yield
    for t in translators:
        qapp.removeTranslator(t)


def test_title_docks_and_status_bar(window, db):
    assert "Posko" in window.windowTitle() and db.path.name in window.windowTitle()
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    assert set(docks) == {"dock_queue", "dock_map", "dock_detail"}
    for dock in docks.values():
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetMovable
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetFloatable
        assert dock.isVisible()
    assert [d.windowTitle() for d in window.docks] == ["Antrean", "Peta", "Detail"]
    assert str(db.path) == window.path_label.text()


def test_count_label_is_computed_asynchronously(qtbot, window, executor):
    qtbot.waitUntil(lambda: window.queue.count is not None, timeout=5000)
    expected = executor.call(store.count, store.QueueFilter.open_queue())
    assert window.queue.count == expected
    assert window.queue.count_label.text() == f"{expected} laporan"
    all_index = window.queue.quick.findData("all")
    with qtbot.waitSignal(window.queue.countChanged, timeout=5000) as blocker:
        window.queue.quick.setCurrentIndex(all_index)
    assert blocker.args == [executor.call(store.count, store.QueueFilter())]


def test_layout_persists_across_windows(qtbot, bridge, db, ui_settings):
    first = make_window(qtbot, bridge, db, ui_settings)
    first.dock_map.hide()
    first.dock_detail.setFloating(True)
    first.resize(720, 520)  # within the 800x600 offscreen screen
    first.close()  # saves
    assert ui_settings.value("ui/windowState")

    second = make_window(qtbot, bridge, db, ui_settings)
    try:
        assert not second.dock_map.isVisible()
        assert second.dock_detail.isFloating()
        assert second.size().width() == 720
        second.reset_layout()
        assert second.dock_map.isVisible() and not second.dock_detail.isFloating()
    finally:
        second.close()


def test_detail_shows_html_as_plain_text(qtbot, window):
    panel = window.detail
    window.queue.search.setText("script")
    model = window.queue.model

    def hit():
        rows = (model.row_at(i) for i in range(model.rowCount()))
        return next((r for r in rows if r.title == SCRIPT_TITLE), None)

    qtbot.waitUntil(lambda: hit() is not None, timeout=5000)
    window.queue.select_report(hit().id)  # the operator opens the hit
    qtbot.waitUntil(
        lambda: panel.detail is not None and panel.detail["title"] == SCRIPT_TITLE, timeout=5000
    )
    assert panel.title.text() == SCRIPT_TITLE
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    for label in panel.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert panel.description.toPlainText() == "<i>not italic</i>"
    assert "Budi" not in panel.fields["reporter"].text()  # personal data masked


def test_ctrl_f_focuses_search_and_shortcuts_are_listed(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.queue.table.setFocus()
    assert not window.queue.search.hasFocus()
    qtbot.keyClick(window.queue.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.queue.search.hasFocus, timeout=3000)
    keys = dict((k, t) for t, k in window.shortcut_list())
    for key in ("Ctrl+Q", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+F", "Ctrl+R", "F1"):
        assert key in keys, key
    window.show_shortcuts()
    assert window._shortcuts_dialog.isVisible()
    window._shortcuts_dialog.close()


def test_keyboard_moves_the_selection_and_the_detail_follows(qtbot, window):
    table = window.queue.table
    table.setFocus()
    qtbot.waitUntil(lambda: window.detail.detail is not None, timeout=5000)
    first = window.detail.detail["id"]
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.waitUntil(lambda: window.detail.detail["id"] != first, timeout=5000)
    assert window.detail.detail["id"] == window.queue.model.row_at(1).id


def test_first_paint_is_reported(qtbot, bridge, db, ui_settings):
    w = MainWindow(bridge, db.path, settings=ui_settings)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.firstPagePainted, timeout=5000) as blocker:
        w.show()
        w.start()
    assert blocker.args[0] > 0 and w.queue.model.rowCount() > 0
    w.close()


def test_english_translation_changes_menus(qtbot, english, bridge, db, ui_settings):
    w = make_window(qtbot, bridge, db, ui_settings)
    try:
        assert w.menu_file.title() == "&File"
        assert w.menu_view.title() == "&View"
        assert w.dock_queue.windowTitle() == "Queue"
        from console.views.queue_model import COLUMN_KEYS

        region = COLUMN_KEYS.index("region")
        assert w.queue.model.headerData(region, Qt.Orientation.Horizontal) == "Kelurahan"
        assert status_label("new") == "New (unverified)"
    finally:
        w.close()


def test_indonesian_is_the_default(window):
    assert window.menu_file.title() == "&Berkas"
    assert app_module.choose_language(None) == "id"
    assert app_module.choose_language("en") == "en"
    assert app_module.choose_language("fr") == "id"


def test_a_foreign_database_is_refused_untouched(qapp, tmp_path, monkeypatch):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes(x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    shown = []
    monkeypatch.setattr(app_module, "_show_error", lambda *a: shown.append(a))
    assert run_console(path) == app_module.EXIT_DATABASE_ERROR
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]
    assert shown and str(path) in shown[0][2]


def test_first_paint_is_reported_for_an_empty_queue(qtbot, tmp_path, ui_settings):
    from console.store.db import open_database
    from console.store.executor import DbExecutor
    from console.views.db_bridge import DbBridge

    empty = open_database(tmp_path / "empty" / "posko.sqlite3")
    executor = DbExecutor(empty)
    bridge = DbBridge(executor)
    try:
        w = MainWindow(bridge, empty.path, settings=ui_settings)
        qtbot.addWidget(w)
        with qtbot.waitSignal(w.firstPagePainted, timeout=5000):
            w.show()
            w.start()
        assert w.queue.model.rowCount() == 0
        w.close()
    finally:
        bridge.shutdown()
        executor.shutdown()
        empty.dispose()


def test_file_menu_opens_the_shift_report_export_and_the_shift_dialog(qtbot, window):
    """Berkas → Ekspor laporan shift (Ctrl+Shift+E) and Shift dan serah terima
    (Ctrl+Shift+H) open their dialogs; closing them leaves the window working."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from console.views.operator import OperatorContext

    seen = []

    def close_modal():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName() if dialog else None)
        if isinstance(dialog, QDialog):
            dialog.reject()

    # Nobody on duty: no export (its log names who exported), and the window says why.
    window.act_export.trigger()
    assert QApplication.activeModalWidget() is None
    assert "masuk dulu" in window.notice.label.text()
    window.set_operator(OperatorContext(username="spv.uji", role="supervisor"))
    for action in (window.act_export, window.act_shift):
        # The dialog runs its own event loop: poll until it is up, however long it takes.
        poll = QTimer(interval=20)

        def when_up(poll: QTimer = poll) -> None:
            if QApplication.activeModalWidget() is not None:
                poll.stop()
                close_modal()

        poll.timeout.connect(when_up)
        poll.start()
        action.trigger()
        poll.stop()
    assert seen == ["export_dialog", "shift_dialog"]
    assert window.act_export.shortcut().toString() == "Ctrl+Shift+E"
