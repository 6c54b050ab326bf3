"""QueueModel without widgets: async pages, fetchMore, refresh of single rows, stale drops."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.labels import format_duration
from console.views.queue_model import COLUMN_KEYS, OVERDUE_COLOR, QueueModel

ALL = store.QueueFilter()


def _count(executor, flt=ALL) -> int:
    return executor.call(store.count, flt)


@pytest.fixture
def model(qtbot, bridge):
    m = QueueModel(bridge, page_size=50, flt=ALL)
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
    return m


def test_first_page_loads_asynchronously(qtbot, bridge):
    m = QueueModel(bridge, page_size=50, flt=ALL)
    assert m.rowCount() == 0 and not m.canFetchMore()
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
        assert m.rowCount() == 0  # nothing arrives synchronously
    assert m.rowCount() == 50
    assert m.columnCount() == len(COLUMN_KEYS) == 11
    assert m.canFetchMore()


def test_fetch_more_appends_the_next_keyset_page(qtbot, model, executor):
    first = [model.row_at(i).pk for i in range(model.rowCount())]
    with qtbot.waitSignal(model.rowsInserted, timeout=5000) as blocker:
        model.fetchMore()
        assert not model.canFetchMore()  # one request at a time
    assert blocker.args[1:] == [50, 99]
    assert model.rowCount() == 100
    # Load everything: exactly the filter's rows, each once, in the store's order.
    while model.canFetchMore():
        with qtbot.waitSignal(model.pageLoaded, timeout=5000):
            model.fetchMore()
    pks = [model.row_at(i).pk for i in range(model.rowCount())]
    assert pks[:50] == first
    assert len(pks) == len(set(pks)) == _count(executor)
    expected, cursor = [], None
    while True:
        page, cursor = executor.call(store.fetch_page, ALL, store.DEFAULT_SORT, cursor, 77)
        expected += [r.pk for r in page]
        if cursor is None:
            break
    assert pks == expected


def test_refresh_rows_changes_only_that_row(qtbot, model, executor):
    row = 7
    target = model.row_at(row)
    before = model.rowCount()

    def change(conn):
        conn.execute(
            "UPDATE report SET status = 'dispatched', assigned_agency = 'damkar', "
            "revision = revision + 1 WHERE id = ?",
            (target.id,),
        )
        conn.commit()

    executor.call(change)
    seen = []
    model.dataChanged.connect(
        lambda tl, br, roles=(): seen.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    # Unknown ids and rows the model does not show are ignored.
    model.refresh_rows([target.id, "no-such-id"])
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(row, 0, row, len(COLUMN_KEYS) - 1)]
    assert not resets and model.rowCount() == before
    updated = model.row_at(row)
    assert updated.status == "dispatched" and updated.revision == target.revision + 1
    status_col = COLUMN_KEYS.index("status")
    assert model.data(model.index(row, status_col)) == "Didisposisikan"


def test_a_newer_filter_wins_over_a_slower_older_one(qtbot, bridge, executor):
    m = QueueModel(bridge, page_size=20, flt=ALL)
    gate = threading.Event()
    executor.submit(lambda conn: gate.wait(5))  # hold the worker so both requests queue
    m.set_filter(store.QueueFilter(statuses=["closed"]))
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.set_filter(store.QueueFilter(statuses=["new"]))
        gate.set()
    qtbot.wait(50)
    statuses = {m.row_at(i).status for i in range(m.rowCount())}
    assert statuses == {"new"}


def test_bridge_drops_superseded_results(qtbot, bridge, executor):
    gate = threading.Event()
    got = []
    bridge.submit(lambda conn: gate.wait(5), channel="x")
    bridge.submit(lambda conn: "old", channel="c", on_result=got.append)
    last = bridge.submit(lambda conn: "new", channel="c", on_result=got.append)
    gate.set()
    qtbot.waitUntil(lambda: bridge.pending() == 0, timeout=5000)
    assert got == ["new"] and not bridge.is_current(last)
    errors = []
    with qtbot.waitSignal(bridge.failed, timeout=5000):
        bridge.submit(lambda conn: 1 / 0, on_error=errors.append)
    assert isinstance(errors[0], ZeroDivisionError)


def test_results_arrive_on_the_gui_thread(qtbot, bridge):
    threads = []
    bridge.submit(lambda conn: threading.current_thread(), on_result=threads.append)
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not threading.current_thread()  # ran on the worker
    gui = []
    bridge.submit(lambda conn: None, on_result=lambda _r: gui.append(threading.current_thread()))
    qtbot.waitUntil(lambda: bool(gui), timeout=5000)
    assert gui[0] is threading.current_thread()


def test_sorting_by_a_header_reloads_in_that_order(qtbot, model, executor):
    col = COLUMN_KEYS.index("age")
    with qtbot.waitSignal(model.firstPageLoaded, timeout=5000):
        model.sort(col, Qt.SortOrder.AscendingOrder)  # youngest first
    created = [model.row_at(i).created_at for i in range(model.rowCount())]
    assert created == sorted(created, reverse=True)
    assert model.queue_sort == store.QueueSort("created_at", descending=True)
    assert model.sort_column() == (col, Qt.SortOrder.AscendingOrder)
    # Every column sorts without error.
    for i, key in enumerate(COLUMN_KEYS):
        if key in ("sync", "title"):  # not sort keys: ignored
            model.sort(i, Qt.SortOrder.DescendingOrder)
            assert not model.loading
            continue
        with qtbot.waitSignal(model.firstPageLoaded, timeout=5000):
            model.sort(i, Qt.SortOrder.DescendingOrder)
        assert model.rowCount() == 50


def test_display_labels_colours_and_times(qtbot, bridge):
    # conftest.populate dates its reports back from the real time: so does this clock (a
    # fixed date found no overdue report once the calendar moved past it).
    now = datetime.now(UTC)
    m = QueueModel(bridge, page_size=300, flt=ALL, clock=lambda: now)
    with qtbot.waitSignal(m.firstPageLoaded, timeout=5000):
        m.reload()
    col = {k: i for i, k in enumerate(COLUMN_KEYS)}
    rows = [m.row_at(i) for i in range(m.rowCount())]
    i = next(i for i, r in enumerate(rows) if r.pk == 18)
    assert m.data(m.index(i, col["priority"])) == "P1 Darurat"
    assert not m.data(m.index(i, col["priority"]), Qt.ItemDataRole.DecorationRole).isNull()
    assert m.data(m.index(i, col["status"])) == "Belum terverifikasi"
    assert m.data(m.index(i, col["channel"])) == "SMS"
    assert m.data(m.index(i, col["title"])) == rows[i].title  # shown as written
    assert m.headerData(col["title"], Qt.Orientation.Horizontal) == "Judul"
    assert m.headerData(col["region"], Qt.Orientation.Horizontal) == "Kelurahan"
    overdue = next(
        i for i, r in enumerate(rows) if r.status in store.OPEN_STATUS_ORDER and r.sla_due_at < now
    )
    brush = m.data(m.index(overdue, col["sla"]), Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == OVERDUE_COLOR
    assert m.data(m.index(overdue, col["sla"])).startswith("-")
    assert "WIB" in m.data(m.index(overdue, col["age"]), Qt.ItemDataRole.ToolTipRole)


def test_format_duration():
    assert format_duration(timedelta(hours=2, minutes=10, seconds=59)) == "2j 10m"
    assert format_duration(-timedelta(days=1, hours=3, minutes=5)) == "-1h 3j"
    assert format_duration(timedelta(minutes=45)) == "45m"


def test_bridge_refuses_work_after_shutdown(qapp, executor):
    b = DbBridge(executor)
    b.shutdown()
    with pytest.raises(RuntimeError):
        b.submit(lambda conn: 1)


def test_a_page_that_arrives_after_its_model_was_deleted_is_dropped(qtbot, bridge, executor):
    """A window closed while its queue page was being read: the page's callback (a lambda
    holding the model) is not run on the deleted model, and nothing raises."""
    from PySide6.QtCore import QCoreApplication, QEvent

    m = QueueModel(bridge, page_size=20, flt=ALL)
    gate = threading.Event()
    executor.submit(lambda conn: gate.wait(5))  # hold the worker: the next page waits
    m.reload()
    m.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gate.set()
    qtbot.waitUntil(lambda: bridge.pending() == 0, timeout=5000)  # delivered, and dropped
