"""The op bus and live refresh: an operation (or a sync pull) repaints only the rows that
changed, inserts new matching reports in sort order, keeps selection and scroll, and the
detail panel follows. Queue model tests run without widgets."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from view_helpers import make_window, wait_idle

from console.operations import reports
from console.operations.base import OpChanges
from console.store import queue as store
from console.views.op_bus import OpBus, OpRunner
from console.views.queue_model import COLUMN_KEYS, GoneRole, QueueModel

OPEN = store.QueueFilter.open_queue()


@pytest.fixture
def bus(qapp):
    b = OpBus()
    yield b
    b.deleteLater()


@pytest.fixture
def model(qtbot, bridge, bus):
    m = QueueModel(bridge, page_size=40, flt=OPEN)
    bus.changed.connect(m.apply_changes)
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
    return m


def test_the_bus_carries_opchanges_only(bus):
    c = OpChanges(kind="verify", report_ids=frozenset({"a"}))
    assert c.report_ids == {"a"} and c.kind == "verify" and c.source == "local"
    c = OpChanges(kind="sync", report_ids=frozenset({"b", "c"}), created=frozenset({"c"}),
                  source="sync")
    assert c.all_ids == {"b", "c"} and c.created == {"c"} and c.source == "sync"
    assert OpChanges.of_ids(["x", "y"], source="sync").report_ids == {"x", "y"}
    assert OpChanges(kind="", created=frozenset({"z"})).all_ids == {"z"}
    assert bus.broadcast(c) is c
    with pytest.raises(ValueError):
        OpChanges(kind="sync", source="elsewhere")
    for shape in (["x"], "z", {"report_ids": ["b"]}, 42):
        with pytest.raises(TypeError):
            bus.broadcast(shape)


def test_broadcast_from_another_thread_arrives_on_the_gui_thread(qtbot, bus):
    got = []
    bus.changed.connect(lambda c: got.append((c, threading.current_thread())))
    t = threading.Thread(target=lambda: bus.broadcast(OpChanges.of_ids(["r1"], source="sync")))
    with qtbot.waitSignal(bus.changed, timeout=3000):
        t.start()
    t.join()
    assert got[0][0].report_ids == {"r1"} and got[0][0].source == "sync"
    assert got[0][1] is threading.main_thread()


def test_an_operation_repaints_only_its_row(qtbot, model, bridge, bus, executor):
    runner = OpRunner(bridge, bus)
    row = next(i for i in range(model.rowCount()) if model.row_at(i).status == "verified")
    target = model.row_at(row)
    seen, inserted, resets = [], [], []
    model.dataChanged.connect(lambda tl, br, roles=(): seen.append((tl.row(), br.row())))
    model.rowsInserted.connect(lambda *a: inserted.append(a))
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.liveUpdated, timeout=5000):
        runner.run(reports.dispatch, "op", target.id, ["damkar"],
                   expected_revision=target.revision)
    assert seen == [(row, row)] and not inserted and not resets
    updated = model.row_at(row)
    assert updated.status == "dispatched" and updated.revision == target.revision + 1
    assert model.sync_state(target.id) == "pending"  # the outbox holds the change
    col = COLUMN_KEYS.index("sync")
    assert "tertunda" in model.data(model.index(row, col))


def test_a_row_leaving_the_filter_greys_out_then_is_pruned(qtbot, bridge, bus, executor):
    m = QueueModel(bridge, page_size=40, flt=store.QueueFilter(statuses=["new"]))
    bus.changed.connect(m.apply_changes)
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
    target = m.row_at(0)
    executor.call(reports.triage, "op", target.id, "prank")
    with qtbot.waitSignal(m.liveUpdated, timeout=5000):
        bus.broadcast(OpChanges.of_ids([target.id]))
    assert m.row_at(0).id == target.id and m.is_gone(target.id)
    assert m.data(m.index(0, 0), GoneRole) is True
    assert m.data(m.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert m.prune_gone(60) == 0  # not yet: the undo window
    n = m.rowCount()
    assert m.prune_gone(0, keep=[target.id]) == 0  # the current row is kept
    assert m.prune_gone(0) == 1 and m.rowCount() == n - 1 and m.row_of(target.id) is None


def test_new_reports_are_inserted_in_sort_order(qtbot, model, bridge, bus, executor):
    from console.operations.intake import NewReport, create_report

    changes = executor.call(create_report, "op", NewReport(
        channel="phone", category_code="jalan", title="Lubang baru", priority=1))
    before = [model.row_at(i).id for i in range(model.rowCount())]
    with qtbot.waitSignal(model.liveUpdated, timeout=5000) as blocker:
        bus.broadcast(replace(changes, source="sync"))
    assert blocker.args == [0, 1]
    (new_id,) = changes.created
    # Default sort: P1 first, newest first inside a priority -> the very top.
    assert model.row_at(0).id == new_id
    assert [model.row_at(i).id for i in range(1, model.rowCount())] == before
    # A report sorting after the loaded rows waits for its page instead.
    changes = executor.call(create_report, "op", NewReport(
        channel="phone", category_code="jalan", title="Lampu", priority=4))
    with qtbot.waitSignal(model.liveUpdated, timeout=5000) as blocker:
        bus.broadcast(replace(changes, source="sync"))
    assert blocker.args == [0, 0] and model.row_of(next(iter(changes.created))) is None


def test_a_non_matching_new_report_is_not_inserted(qtbot, bridge, bus, executor):
    from console.operations.intake import NewReport, create_report

    m = QueueModel(bridge, page_size=500, flt=store.QueueFilter(statuses=["closed"]))
    bus.changed.connect(m.apply_changes)
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
    n = m.rowCount()
    changes = executor.call(create_report, "op", NewReport(
        channel="phone", category_code="jalan", title="Baru"))
    with qtbot.waitSignal(m.liveUpdated, timeout=5000) as blocker:
        bus.broadcast(changes)
    assert blocker.args == [0, 0] and m.rowCount() == n


def test_flash_and_acknowledge(qtbot, model):
    rid = model.row_at(2).id
    model.flash([rid])
    assert rid in model.flashing
    first = model.data(model.index(2, 0), Qt.ItemDataRole.BackgroundRole).color()
    # It blinks: the background changes by itself (waited for, not slept past the blink).
    qtbot.waitUntil(lambda: model.data(model.index(2, 0),
                                       Qt.ItemDataRole.BackgroundRole).color() != first,
                    timeout=5000)
    assert model.acknowledge([rid]) == {rid} and not model.flashing


def test_window_keeps_selection_and_scroll_on_live_updates(qtbot, bridge, db, ui_settings,
                                                           executor):
    w = make_window(qtbot, bridge, db, ui_settings)
    try:
        table = w.queue.table
        while w.queue.model.canFetchMore():
            with qtbot.waitSignal(w.queue.model.pageLoaded, timeout=5000):
                w.queue.model.fetchMore()
        w.queue.select_row(30)
        bar = table.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)
        scroll = bar.value()
        selected = w.queue.current_row().id
        target = w.queue.model.row_at(31)
        executor.call(reports.add_note, "other", target.id, "dari konsol lain")
        executor.call(lambda conn: (conn.execute(
            "UPDATE report SET priority = 1, revision = revision + 1 WHERE id = ?",
            (target.id,)), conn.commit()))
        with qtbot.waitSignal(w.queue.model.liveUpdated, timeout=5000):
            w.bus.broadcast(OpChanges.of_ids([target.id], source="sync"))
        assert w.queue.current_row().id == selected and bar.value() == scroll
        assert w.queue.model.row_at(31).priority == 1
        assert w.queue.model.data(w.queue.model.index(31, 0),
                                  Qt.ItemDataRole.BackgroundRole) is not None  # highlighted
        # The detail panel shows the selected report; a change to it reloads it and says so.
        qtbot.waitUntil(lambda: w.detail.current_id == selected, timeout=5000)
        executor.call(reports.add_note, "other", selected, "catatan baru")
        with qtbot.waitSignal(w.detail.loaded, timeout=5000):
            w.bus.broadcast(OpChanges.of_ids([selected], source="sync"))
        assert w.detail.banner.isVisible() and "diubah" in w.detail.banner.text()
        assert any("catatan baru" in w.detail.timeline.topLevelItem(i).text(2)
                   for i in range(w.detail.timeline.topLevelItemCount()))
        wait_idle(qtbot, bridge)
    finally:
        w.close()


def test_stale_action_shows_the_change_instead_of_overwriting(qtbot, bridge, db, ui_settings,
                                                             executor):
    w = make_window(qtbot, bridge, db, ui_settings)
    try:
        row = next(i for i in range(w.queue.model.rowCount())
                   if w.queue.model.row_at(i).status == "new")
        w.queue.select_row(row)
        target = w.queue.model.row_at(row)
        # Someone else verifies it; this console has not heard yet.
        executor.call(reports.verify, "other", target.id)
        with qtbot.waitSignal(w.queue.model.liveUpdated, timeout=5000):
            w.controller.do_triage_prank()
        assert w.notice.isVisible() and w.notice.kind == "warning"
        assert "baru saja diubah" in w.notice.text
        fresh = w.queue.model.row_by_id(target.id)
        assert fresh.status == "verified" and fresh.revision == target.revision + 1
        assert executor.call(reports.load_report, target.id)["status"] == "verified"
    finally:
        w.close()
