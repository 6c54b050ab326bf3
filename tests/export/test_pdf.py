"""The PDF export, read back with pypdf and checked against SQL on the store."""

from __future__ import annotations

import io
import uuid

import pypdf
import pytest

from console.export.i18n import Words
from console.store.timefmt import to_db


def _pages(path) -> list[list[str]]:
    reader = pypdf.PdfReader(path)
    return [[line.strip() for line in page.extract_text().splitlines() if line.strip()]
            for page in reader.pages]


def _follows(lines: list[str], label: str, *values: str) -> bool:
    """label is directly followed by values (one table row as pypdf extracts it)."""
    for i, line in enumerate(lines):
        if line == label and lines[i + 1:i + 1 + len(values)] == list(values):
            return True
    return False


def test_pdf_figures_and_page_furniture(export, conn, window):
    result, path = export("pdf")
    pages = _pages(path)
    assert result.pages == len(pages) >= 2
    lines = [line for page in pages for line in page]
    assert lines[0] == "Laporan Shift"
    assert "24 Nov 2026 07:00 – 25 Nov 2026 07:00 WIB" in lines
    for n, page in enumerate(pages, 1):
        assert f"Halaman {n} dari {len(pages)}" in page  # every page numbered
        assert any(line.startswith("Dibuat: ") for line in page)
    assert _follows(lines, "Sinkronisasi terakhir berhasil", "belum pernah sinkron")
    assert _follows(lines, "Data per", "30 Nov 2026 10:00:00 (basis data lokal)")
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_conflict'").fetchone()
    assert _follows(lines, "Konflik sinkronisasi terbuka",
                    "0" if has_table else "0 (sinkronisasi belum tersambung)")
    assert _follows(lines, "Data pribadi pelapor", "disamarkan")
    w = Words("id")
    total = conn.execute("SELECT count(*) FROM report WHERE created_at >= ? AND created_at < ?",
                         window).fetchone()[0]
    assert _follows(lines, str(total), "Laporan masuk")
    for status, n in conn.execute("SELECT status, count(*) FROM report WHERE created_at >= ?"
                                  " AND created_at < ? GROUP BY status", window):
        assert _follows(lines, w.status(status), str(n), w.pct(n / total)), status
    for channel, n in conn.execute("SELECT channel, count(*) FROM report WHERE created_at >= ?"
                                   " AND created_at < ? GROUP BY channel", window):
        assert _follows(lines, w.channel(channel), str(n)), channel
    assert _follows(lines, w("stage.total"), "6", "5", "2", "54,5%")
    assert _follows(lines, w("stage.dispatch"), "5 menit", "1", "2", "0", "33,3%")
    # Open P1 tickets (the older K included) and the SLA breaches by ticket.
    for (ticket,) in conn.execute(
            "SELECT ticket FROM report WHERE priority = 1 AND created_at < ? AND status IN"
            " ('new','verified','dispatched','in_progress')", (window[1],)):
        assert ticket in lines
    # Charts are drawn (their titles and axis labels are text).
    assert "Volume laporan per jam (WIB)" in lines and "Kepatuhan SLA per tahap" in lines
    # User text shows literally: the formula-looking title, masked reporters.
    text = "".join(lines)  # wrapped cells come out as several lines
    assert '=HYPERLINK("http://x","y")' in text
    assert "Budi Santoso" not in text and "081234567890" not in text
    assert "B*** S****** ·0812******90" in text


def test_pdf_in_english_with_last_sync(export, conn):
    with conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('last_sync_at', '2026-11-30 01:15:00.000000')")
    _, path = export("pdf", lang="en")
    lines = [line for page in _pages(path) for line in page]
    assert lines[0] == "Shift Report"
    assert "Page 1 of " + str(len(_pages(path))) in lines
    assert _follows(lines, "Last successful sync", "30 Nov 2026 08:15:00 WIB")
    assert "Belum terverifikasi" not in lines and "New (unverified)" in lines


def test_pdf_long_tables_repeat_their_header(export, conn, scenario):
    start = scenario.start
    with conn:
        for i in range(90):
            conn.execute(
                "INSERT INTO report (id, ticket, channel, category_code, priority, status, title,"
                " description, region_code, created_at, updated_at, revision) VALUES"
                " (?, ?, 'phone', 'kecelakaan', 1, 'new', ?, '', ?, ?, ?, 1)",
                (str(uuid.uuid4()), f"P1-{i:04d}", f"Kecelakaan <b>{i}</b> & <i>x", scenario.bandung_kel[0],
                 to_db(start), to_db(start)))
    _, path = export("pdf")
    pages = _pages(path)
    with_p1_header = [i for i, page in enumerate(pages)
                      if _follows(page, "Tiket", "Masuk", "(WIB)", "Kategori")]
    assert len(with_p1_header) >= 2, "the open-P1 table runs over pages with its header"
    text = "".join(line for page in pages for line in page)
    assert "P1-0089" in text and "<b>89</b> & <i>x" in text  # escaped, not markup


def test_pdf_map_only_when_given(export, tmp_path):
    from PIL import Image

    def images(path) -> int:
        reader = pypdf.PdfReader(path)
        return sum(len(page.images) for page in reader.pages)

    _, plain = export("pdf", name="plain.pdf")
    assert images(plain) == 0
    assert "Peta sebaran laporan" not in "\n".join(line for p in _pages(plain) for line in p)
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 120, 200)).save(buf, "PNG")
    _, with_map = export("pdf", name="map.pdf", map_png=buf.getvalue())
    assert images(with_map) == 1
    assert "Peta sebaran laporan" in "\n".join(line for p in _pages(with_map) for line in p)
    png = tmp_path / "peta.png"
    png.write_bytes(buf.getvalue())
    _, from_file = export("pdf", name="map2.pdf", map_png=png)
    assert images(from_file) == 1


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_empty_window_and_region_without_reports(export, scenario, fmt):
    import csv

    import openpyxl

    later = scenario.end.replace(year=2027)
    cases = [dict(start=later, end=later.replace(day=later.day + 1)),
             dict(region=scenario.empty_kel)]
    for i, kw in enumerate(cases):
        result, path = export(fmt, name=f"empty{i}.{fmt}", **kw)
        assert result.reports_in_window == 0 and path.exists()
        if fmt == "pdf":
            lines = [line for page in _pages(path) for line in page]
            assert "Tidak ada laporan pada periode dan wilayah ini." in lines
            assert _follows(lines, "0", "Laporan masuk")
        elif fmt == "xlsx":
            wb = openpyxl.load_workbook(path)
            assert wb["Laporan"].max_row == 1
            assert {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}[
                "Laporan masuk"] == 0
        else:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            assert len(rows) == 1 and rows[0][0] == "Tiket"
