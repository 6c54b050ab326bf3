"""The XLSX export, read back with openpyxl and checked against SQL on the store."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

import openpyxl
import pytest

from console.export.i18n import Words

W = Words("id")


def _sheet(wb, name: str) -> list[tuple]:
    return [tuple(r) for r in wb[name].iter_rows(min_row=2, values_only=True)]


def _header(wb, name: str) -> list[str]:
    return [c.value for c in wb[name][1]]


def test_xlsx_figures_match_the_store(export, conn, window, scenario):
    result, path = export("xlsx")
    wb = openpyxl.load_workbook(path)
    q = "FROM report WHERE created_at >= ? AND created_at < ?"

    # Totals by status (every status listed, zeros included), channel and category.
    by_status = dict(conn.execute(f"SELECT status, count(*) {q} GROUP BY status", window).fetchall())
    sheet = {row[0]: row[1] for row in _sheet(wb, "Status")}
    assert sheet == {W.status(s): by_status.get(s, 0) for s in
                     ("new", "verified", "dispatched", "in_progress", "resolved", "closed",
                      "rejected", "not_authority", "duplicate", "prank", "ghost")}
    by_channel = dict(conn.execute(f"SELECT channel, count(*) {q} GROUP BY channel", window).fetchall())
    sheet = {row[0]: row[1] for row in _sheet(wb, "Kanal") if row[1]}
    assert sheet == {W.channel(c): n for c, n in by_channel.items()}
    by_cat = dict(conn.execute(
        "SELECT c.name_id, count(*) FROM report r JOIN category c ON c.code = r.category_code"
        " WHERE r.created_at >= ? AND r.created_at < ? GROUP BY c.name_id", window).fetchall())
    assert {row[0]: row[1] for row in _sheet(wb, "Kategori")} == by_cat
    total = sum(by_status.values())
    assert total == result.reports_in_window == 12
    shares = [row[2] for row in _sheet(wb, "Kategori")]
    assert sum(shares) == pytest.approx(1.0)

    # Kecamatan and kelurahan, through the region hierarchy.
    by_kec = dict(conn.execute(
        "SELECT k.name, count(*) FROM report r JOIN region kel ON kel.code = r.region_code"
        " JOIN region k ON k.code = kel.parent_code WHERE r.created_at >= ? AND r.created_at < ?"
        " GROUP BY k.code", window).fetchall())
    assert {row[0]: row[1] for row in _sheet(wb, "Kecamatan")} == by_kec
    by_kel = dict(conn.execute(
        "SELECT region_code, count(*) FROM report WHERE created_at >= ? AND created_at < ?"
        " GROUP BY region_code", window).fetchall())
    assert {row[4]: row[2] for row in _sheet(wb, "Kelurahan")} == by_kel

    # 112 call mix.
    mix = dict(conn.execute(f"SELECT coalesce(triage, '-'), count(*) {q} AND channel = 'phone_112'"
                            " GROUP BY 1", window).fetchall())
    sheet = {row[0]: row[1] for row in _sheet(wb, "Panggilan 112")}
    assert sheet == {W.triage("emergency"): mix.get("emergency", 0),
                     W.triage("information"): mix.get("information", 0),
                     W.triage("prank"): mix.get("prank", 0), W.triage("ghost"): mix.get("ghost", 0),
                     W.triage(None): mix.get("-", 0)}

    # Median and p90 time to verify / dispatch / resolve, in minutes.
    def minutes(col: str) -> list[float]:
        return sorted(r[0] for r in conn.execute(
            f"SELECT (julianday({col}) - julianday(created_at)) * 1440 {q} AND {col} IS NOT NULL",
            window))

    rows = {row[0]: row for row in _sheet(wb, "Waktu penanganan")}
    for key, col in (("verify", "verified_at"), ("dispatch", "dispatched_at"),
                     ("resolve", "resolved_at")):
        values = minutes(col)
        _, n, median, p90 = rows[W(f"m.{key}")]
        assert n == len(values)
        assert median == pytest.approx(statistics.median(values), abs=1e-3)
        assert p90 == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[8], abs=1e-3)

    # SLA outcomes of the scenario (worked out by hand in conftest.py).
    sla = {row[0]: row[2:] for row in _sheet(wb, "SLA")}
    assert sla[W("stage.dispatch")] == (1, 2, 0, pytest.approx(1 / 3))
    assert sla[W("stage.verify")] == (3, 3, 0, pytest.approx(0.5))
    assert sla[W("stage.follow_up")] == (2, 0, 2, pytest.approx(1.0))
    assert sla[W("stage.total")] == (6, 5, 2, pytest.approx(6 / 11))
    breaches = _sheet(wb, "Pelanggaran SLA")
    assert len(breaches) == 5
    late = [scenario.ids[k] for k in "EFJMN"]
    assert {r[0] for r in breaches} == {t for (t,) in conn.execute(
        "SELECT ticket FROM report WHERE id IN (?, ?, ?, ?, ?)", late)}

    # Open P1 now: in-window D and N plus the older K; not L (after the window).
    open_p1 = {r[0] for r in _sheet(wb, "P1 terbuka")}
    expected = {t for (t,) in conn.execute(
        "SELECT ticket FROM report WHERE priority = 1 AND status IN"
        " ('new','verified','dispatched','in_progress') AND created_at < ?", (window[1],))}
    assert open_p1 == expected and len(expected) == 3

    # The report list: one row per report in the window, in time order.
    reports = _sheet(wb, "Laporan")
    assert [r[0] for r in reports] == [t for (t,) in conn.execute(f"SELECT ticket {q} ORDER BY created_at", window)]


def test_xlsx_types_headers_and_sheets(export, conn):
    _, path = export("xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Status", "Kanal", "Panggilan 112", "Kategori",
                             "Kecamatan", "Kelurahan", "SLA", "Waktu penanganan", "Volume per jam",
                             "Pelanggaran SLA", "P1 terbuka", "Shift", "Serah terima", "Laporan"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws["A1"].font.bold, ws.title
        assert ws.auto_filter.ref.startswith("A1:")
    ws = wb["Laporan"]
    assert ws.auto_filter.ref == "A1:V13"
    import zipfile

    with zipfile.ZipFile(path) as z:  # openpyxl hides the filter's defined name; read it
        assert "'Laporan'!$A$1:$V$13</definedName>" in z.read("xl/workbook.xml").decode()
    header = _header(wb, "Laporan")
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    created = row["Masuk (WIB)"]
    assert isinstance(created.value, datetime) and created.is_date
    # Stored 02:00 UTC is shown as WIB wall time (Excel has no zones).
    assert created.value == datetime(2026, 11, 24, 9, 0)
    assert row["Prioritas"].data_type == "n" and isinstance(row["Prioritas"].value, int)
    sla = wb["SLA"]
    assert sla["F2"].number_format == "0.0%" and isinstance(sla["F2"].value, float)
    hourly = _sheet(wb, "Volume per jam")
    assert len(hourly) == 24 and sum(r[1] for r in hourly) == 12
    assert all(isinstance(r[0], datetime) for r in hourly)
    assert hourly[0][0] == datetime(2026, 11, 24, 7, 0)
    summary = {r[0]: r[1] for r in _sheet(wb, "Ringkasan")}
    assert summary["Laporan masuk"] == 12
    assert summary["Sinkronisasi terakhir berhasil"] == "belum pernah sinkron"
    assert isinstance(summary["Dibuat"], datetime)


def test_xlsx_user_text_is_never_a_formula(export, payloads):
    _, path = export("xlsx")
    wb = openpyxl.load_workbook(path)
    seen = Counter()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in payloads:
                    seen[cell.value] += 1
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    # The title of D (in two sheets); M's title, description, address; nothing lost.
    assert seen['=HYPERLINK("http://x","y")'] == 2
    assert seen["+cmd"] == 1 and seen["@SUM(1)"] >= 1 and seen["-2+3"] == 1
    # The raw XML holds text cells, not formulas.
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")


def test_xlsx_masks_personal_data_by_default(export, conn):
    _, path = export("xlsx")
    wb = openpyxl.load_workbook(path)
    header = _header(wb, "Laporan")
    name_i, phone_i = header.index("Nama pelapor"), header.index("Telepon pelapor")
    rows = _sheet(wb, "Laporan")
    names = {r[name_i] for r in rows} - {None}
    phones = {r[phone_i] for r in rows} - {None}
    assert "Budi Santoso" not in names and "B*** S******" in names
    assert "081234567890" not in phones and "0812******90" in phones
    assert "+6281*******32" in phones
    everything = " ".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)
                          for c in r if c)
    assert "Budi Santoso" not in everything and "081234567890" not in everything
    assert conn.execute("SELECT count(*) FROM report_event WHERE kind = 'export_unmasked'").fetchone()[0] == 0


def test_region_filter_and_english(export, conn, scenario):
    _, path = export("xlsx", region="3374", lang="en")
    wb = openpyxl.load_workbook(path)
    assert "Reports" in wb.sheetnames
    rows = _sheet(wb, "Reports")
    assert [r[0] for r in rows] == [conn.execute(
        "SELECT ticket FROM report WHERE id = ?", (scenario.ids["J"],)).fetchone()[0]]
    summary = {r[0]: r[1] for r in _sheet(wb, "Summary")}
    assert summary["Reports received"] == 1
    assert summary["Region"].startswith("Kota Semarang")
