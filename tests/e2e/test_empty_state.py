"""A console on an empty database says where reports come from, in the real main window:
log in to the central server (Ctrl+L) or try the demo (``posko demo``). The guidance is
for a database without reports, not for a filter without matches, and goes as soon as a
report exists."""

from __future__ import annotations

from tests.e2e.helpers import close_desk, open_desk


def test_empty_database_shows_where_reports_come_from(qtbot, tmp_path):
    """Plain ``posko`` on a new data folder: the queue is empty, and the operator is told
    to log in to the central server or try the demo; the guidance goes once a report is
    there."""
    from console.operations.intake import NewReport, create_report

    desk = open_desk(qtbot, tmp_path / "fresh", seed=False)
    try:
        state = desk.window.empty_state
        qtbot.waitUntil(state.isVisible, timeout=5000)
        assert desk.scalar("SELECT count(*) FROM report") == 0
        assert "Ctrl+L" in state.body.text() and "posko demo" in state.body.text()
        assert state.title.text() == "Belum ada laporan di basis data ini"
        assert state.geometry().intersects(desk.window.queue.table.viewport().rect())

        desk.window.runner.run(create_report, "op.ani", NewReport(
            channel="walk_in", category_code="lampu_jalan",
            title="Lampu jalan mati di depan masjid Al-Ikhlas",
            description="Tiga lampu PJU di Jl. Garuda mati sejak Sabtu, jalan gelap sekali.",
            region_code="3273-2483-30959"))
        qtbot.waitUntil(lambda: not state.isVisible(), timeout=5000)
        assert desk.scalar("SELECT count(*) FROM report") == 1
        qtbot.waitUntil(lambda: desk.window.queue.model.rowCount() == 1, timeout=5000)
    finally:
        close_desk(desk)


def test_a_filter_that_matches_nothing_is_not_an_empty_database(desk, qtbot):
    """The guidance is for a database without reports, not for a search without matches."""
    from PySide6.QtCore import Qt

    desk.activate()
    state = desk.window.empty_state
    desk.key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(desk.window.queue.search.hasFocus, timeout=3000)
    with qtbot.waitSignal(state.checked, timeout=5000) as answer:
        desk.key("zzzz tidak ada laporan seperti ini")
        desk.key(Qt.Key.Key_Return)
    assert answer.args == [False]
    # No match is listed; the open report may stay pinned on top (it is outside the
    # filter), and whether its row is back yet when the count answers is a race.
    model = desk.window.queue.model
    assert all(model.is_pinned(model.row_at(i).id) for i in range(model.rowCount()))
    assert not state.isVisible()
