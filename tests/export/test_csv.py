"""The CSV export: UTF-8 with BOM, parsed back with csv, formula injection neutralised."""

from __future__ import annotations

import csv
import io

from console.export.i18n import Words


def _read(path, delimiter=","):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_report_list_matches_the_store(export, conn, window):
    result, path = export("csv")
    rows = _read(path)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Tiket", "Masuk (WIB)", "Kanal"]
    tickets = [t for (t,) in conn.execute(
        "SELECT ticket FROM report WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
        window)]
    assert [r[0] for r in body] == tickets
    assert result.rows == len(tickets) == 12
    first = dict(zip(header, body[0], strict=True))
    assert first["Masuk (WIB)"] == "2026-11-24 09:00"  # 02:00 UTC in WIB
    assert first["Prioritas"] == "4"


def test_csv_neutralises_formulas(export, payloads):
    _, path = export("csv")
    cells = [c for row in _read(path)[1:] for c in row]
    for payload in payloads:
        assert payload not in cells, payload
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
    assert "'+cmd" in cells and "'-2+3" in cells
    # Masked names and phones are text too: "@SUM(1)" masks to "@******", still neutralised.
    assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in cells), \
        [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_masked_by_default(export):
    _, path = export("csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "Budi Santoso" not in text and "081234567890" not in text
    assert "B*** S******" in text and "0812******90" in text


def test_csv_other_table_and_separator(export, conn, window):
    _, path = export("csv", table="status", csv_delimiter=";", lang="en")
    rows = _read(path, ";")
    assert rows[0] == ["Status", "Count", "Share (%)"]
    counts = dict(conn.execute("SELECT status, count(*) FROM report WHERE created_at >= ?"
                               " AND created_at < ? GROUP BY status", window).fetchall())
    w = Words("en")
    got = {r[0]: int(r[1]) for r in rows[1:]}
    assert got[w.status("new")] == counts["new"]
    assert sum(got.values()) == 12
    assert rows[1][2] == f"{counts['new'] / 12 * 100:.1f}"
