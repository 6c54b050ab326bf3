"""Filters, saved views and search in the queue; the detail panel's timeline, dispatch
history, attachments, masked contact and similar reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from view_helpers import activate, make_window, wait_idle

from console.domain.geo import CITY_BOUNDS
from console.operations import reports
from console.operations.intake import NewReport, create_report
from console.store import queue as store
from console.views.filters_panel import FiltersPanel
from console.views.operator import OperatorContext

SCRIPT_TITLE = "<script>alert(1)</script><b>x</b>"


def _rows(w):
    m = w.queue.model
    return [m.row_at(i) for i in range(m.rowCount())]


def _reload(qtbot, w, change):
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        change()


def test_each_filter_narrows_the_queue(qtbot, window, executor):
    w, f = window, window.queue.filters
    _reload(qtbot, w, lambda: w.queue.quick.setCurrentIndex(w.queue.quick.findData("all")))
    _reload(qtbot, w, lambda: f.prio_buttons[1].setChecked(True))
    assert {r.priority for r in _rows(w)} == {1}
    assert w.queue.filters_button.text() == "Saringan (1)"
    _reload(qtbot, w, lambda: f.categories.set_checked(["banjir"]) or f.categories.changed.emit())
    assert {r.category_code for r in _rows(w)} == {"banjir"}
    assert f.categories.summary() == "Banjir"
    index = f.region.findData("3273-10-1")
    _reload(qtbot, w, lambda: (f.region.setCurrentIndex(index), f.region.activated.emit(index)))
    assert {r.region_code for r in _rows(w)} == {"3273-10-1"}
    flt = w.queue.model.queue_filter
    assert (flt.priorities, flt.categories, flt.region_prefix) == ((1,), ("banjir",), "3273-10-1")
    expected = executor.call(store.count, flt)
    qtbot.waitUntil(lambda: w.queue.count == expected, timeout=5000)  # counted after the paint
    _reload(qtbot, w, f.clear)
    assert w.queue.model.queue_filter == store.QueueFilter(search="")


def test_channel_date_overdue_and_mine(qtbot, window):
    w, f = window, window.queue.filters
    _reload(qtbot, w, lambda: w.queue.quick.setCurrentIndex(w.queue.quick.findData("all")))
    _reload(qtbot, w, lambda: f.channels.set_checked(["sms"]) or f.channels.changed.emit())
    assert {r.channel for r in _rows(w)} == {"sms"}
    _reload(qtbot, w, lambda: f.date.setCurrentIndex(f.date.findData("24h")))
    since = datetime.now(UTC) - timedelta(hours=24, minutes=2)
    assert all(r.created_at >= since for r in _rows(w))
    _reload(qtbot, w, lambda: f.overdue.setChecked(True))
    now = datetime.now(UTC)
    assert all(r.sla_due_at < now and r.status in store.OPEN_STATUS_ORDER for r in _rows(w))
    assert not f.mine.isEnabled()  # no agency set for this operator
    w.queue.set_operator(OperatorContext(username="u", agency="damkar"))
    _reload(qtbot, w, f.clear)
    _reload(qtbot, w, lambda: f.mine.setChecked(True))
    assert {r.assigned_agency for r in _rows(w)} == {"damkar"}


def test_date_range_spec():
    kw = FiltersPanel.filter_kwargs({"date": "range", "date_from": "2026-11-20",
                                     "date_to": "2026-11-21"})
    assert kw["created_from"] == datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 00:00 WIB
    assert kw["created_to"] == datetime(2026, 11, 21, 17, 0, tzinfo=UTC)
    now = datetime(2026, 11, 28, 10, 30, 45, tzinfo=UTC)
    assert FiltersPanel.filter_kwargs({"date": "24h"}, now=now)["created_from"] == \
        datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    assert FiltersPanel.filter_kwargs({"mine": True}) == {}  # no agency: no constraint


def test_saved_views_round_trip(qtbot, window, ui_settings, bridge, db):
    w = window
    _reload(qtbot, w, lambda: w.queue.filters.prio_buttons[2].setChecked(True))
    w.queue.search.setText("Laporan")
    _reload(qtbot, w, w.queue._search_now)
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        w.queue.model.sort(0, Qt.SortOrder.DescendingOrder)
    w.queue.save_view("P2 cari")
    assert w.queue.views.currentText() == "★ P2 cari"
    _reload(qtbot, w, w.queue.filters.clear)
    w.queue.search.clear()
    _reload(qtbot, w, w.queue._search_now)
    index = w.queue.views.findText("★ P2 cari")
    _reload(qtbot, w, lambda: w.queue._view_chosen(index))
    flt = w.queue.model.queue_filter
    assert flt.priorities == (2,) and flt.search == "Laporan"
    assert w.queue.model.queue_sort == store.QueueSort("ticket", True)
    # Built-in: the 112 view.
    index = w.queue.views.findText("112 belum ditriase")
    _reload(qtbot, w, lambda: w.queue._view_chosen(index))
    flt = w.queue.model.queue_filter
    assert flt.statuses == ("new",) and flt.channels == ("phone_112",)
    # The last view comes back in a new window.
    w.close()
    second = make_window(qtbot, bridge, db, ui_settings)
    try:
        assert second.queue.model.queue_filter.channels == ("phone_112",)
    finally:
        second.close()


@pytest.mark.parametrize("text", ["'\"", "NEAR(", "a AND", "*", "'; DROP TABLE report;--",
                                  "\\", "%_", "(", "x" * 300])
def test_search_box_never_raises(qtbot, window, text):
    w = window
    failures = []
    w.queue.model.loadFailed.connect(failures.append)
    w.queue.search.setText(text)
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        w.queue._search_now()
    wait_idle(qtbot, w.bridge)
    assert not failures


def test_search_as_you_type(qtbot, window):
    w = window
    with qtbot.waitSignal(w.queue.model.firstPageLoaded, timeout=5000):
        w.queue.search.setText("BDG-2611-00018")
    assert [r.pk for r in _rows(w)] == [18]


# ----------------------------------------------------------------------- detail panel


def _show(qtbot, w, report_id):
    wait_idle(qtbot, w.bridge)
    w.open_report(report_id)
    qtbot.waitUntil(lambda: w.detail.current_id == report_id, timeout=5000)
    wait_idle(qtbot, w.bridge)


def test_detail_timeline_dispatches_and_plain_text(qtbot, window, executor):
    w = window
    rid = "00000000-0000-4000-8000-000000000018"  # the hostile title, status new
    executor.call(reports.add_note, "op", rid, "<i>tidak miring</i>")
    executor.call(reports.verify, "op", rid)
    executor.call(reports.dispatch, "op", rid, ["damkar", "pupr"], note="Cepat")
    _show(qtbot, w, rid)
    d = w.detail
    assert d.title.text() == SCRIPT_TITLE and d.title.textFormat() == Qt.TextFormat.PlainText
    for label in d.findChildren(QLabel):
        if "<" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    texts = [d.timeline.topLevelItem(i).text(2) for i in range(d.timeline.topLevelItemCount())]
    assert "Catatan: <i>tidak miring</i>" in texts
    assert any(t.startswith("Status: Belum terverifikasi → Terverifikasi") for t in texts)
    assert any("Pemadam Kebakaran" in t and "Cepat" in t for t in texts)
    assert d.dispatches.topLevelItemCount() == 2
    assert {d.dispatches.topLevelItem(i).text(0) for i in range(2)} == {"Pemadam Kebakaran",
                                                                       "Dinas PUPR"}
    assert d.tabs.tabText(d.tabs.indexOf(d.dispatches)) == "Disposisi (2)"
    assert "Didisposisikan" in d.meta.text()


def test_contact_is_masked_unless_the_role_allows(qtbot, window, executor):
    w = window
    rid = "00000000-0000-4000-8000-000000000018"
    executor.call(lambda c: (c.execute(
        "UPDATE report SET reporter_phone = '081234567890' WHERE id = ?", (rid,)), c.commit()))
    _show(qtbot, w, rid)
    text = w.detail.fields["reporter"].text()
    assert "Budi" not in text and "081234567890" not in text and "0812****7890" in text
    w.set_operator(OperatorContext(username="spv", role="supervisor"))
    assert w.detail.fields["reporter"].text() == "Budi Santoso · 081234567890"
    assert "disamarkan" not in w.operator_label.text()
    w.set_operator(OperatorContext(username="x", role="godmode"))  # unknown: masked
    assert "Budi" not in w.detail.fields["reporter"].text()


def test_role_comes_from_the_account_never_from_settings(ui_settings):
    """The role is the logged-in account's (issue 10, finding 2): a setting cannot unmask."""
    from console.operations.accounts import KnownAccount

    ui_settings.setValue("operator/role", "supervisor")
    ui_settings.setValue("operator/agency", "damkar")
    spv = KnownAccount("spv.sari", "Sari", "supervisor", ("3273",), None, None, True)
    ctx = OperatorContext.from_account(spv, OperatorContext.desk_agency(ui_settings))
    assert ctx.can_unmask and ctx.actor == "spv.sari" and ctx.agency == "damkar"
    assert not OperatorContext.from_account({"username": "x", "role": "nonsense"}).can_unmask
    nobody = OperatorContext.nobody(OperatorContext.desk_agency(ui_settings))
    assert not nobody.on_duty and not nobody.can_unmask and nobody.actor == ""


def test_attachments_list(qtbot, window, executor, tmp_path):
    from PySide6.QtGui import QImage

    rid = "00000000-0000-4000-8000-000000000018"
    image = tmp_path / "foto.png"
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.red)
    img.save(str(image))
    executor.call(lambda c: (c.executemany(
        "INSERT INTO attachment (id, report_id, filename, mime, size, sha256, created_at, "
        "has_thumbnail, local_path) VALUES (?, ?, ?, ?, ?, ?, '2026-11-28 00:00:00.000000', "
        "0, ?)", [("a1", rid, "foto.png", "image/png", 2048, "0" * 64, str(image)),
                  ("a2", rid, "<b>video</b>.mp4", "video/mp4", 5 * 1024 * 1024, "1" * 64,
                   None)]), c.commit()))
    _show(qtbot, window, rid)
    lst = window.detail.attachments
    assert lst.count() == 2
    qtbot.waitUntil(lambda: not lst.item(0).icon().isNull(), timeout=5000)
    assert "belum diunduh" in lst.item(1).text() and "<b>video</b>.mp4" in lst.item(1).text()


def test_similar_reports_and_merge_from_the_detail(qtbot, window, executor):
    w = window
    near = (-6.8935, 107.6130)

    def new(title, minutes):
        data = NewReport(channel="phone", category_code="banjir", title=title,
                         lat=near[0] + minutes * 1e-5, lon=near[1], region_code="3273-10-1")
        now = datetime.now(UTC) - timedelta(minutes=60 - minutes)
        return next(iter(executor.call(create_report, "op", data,
                                       bounds=CITY_BOUNDS["bandung"], now=now).created))

    first = new("Banjir di Jl. Dago", 0)
    second = new("Jl. Dago banjir selutut", 10)
    _show(qtbot, w, second)
    d = w.detail
    assert d.similar.topLevelItemCount() >= 1
    assert d.similar.topLevelItem(0).text(1) == executor.call(reports.load_report, first)["ticket"]
    assert d.tabs.tabText(d.tabs.indexOf(d.similar_page)).startswith("Mirip (")
    assert d.selected_candidate().id == first
    w.detail.tabs.setCurrentWidget(d.similar_page)
    d.similar.setFocus()
    activate(qtbot, w)
    d.similar.setFocus()
    w.controller.update_enabled()
    assert w.controller.qactions["act_merge"].isEnabled()
    w.controller.do_merge()
    dialog = w.controller.dialog
    assert dialog.original["id"] == first  # the older one stays
    with qtbot.waitSignal(w.controller.performed, timeout=5000):
        dialog.ok.click()
    assert executor.call(reports.load_report, second)["duplicate_of"] == first
    # The original's timeline shows the duplicate's events, tagged with its ticket.
    _show(qtbot, w, first)
    texts = [d.timeline.topLevelItem(i).text(2) for i in range(d.timeline.topLevelItemCount())]
    dup_ticket = executor.call(reports.load_report, second)["ticket"]
    assert any(t.startswith(f"[{dup_ticket}]") for t in texts)
    assert any("digabung ke sini" in t for t in texts)
    assert d.link.isVisible()
