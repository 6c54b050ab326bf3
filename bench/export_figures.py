"""Shift report export figures.

* ``export.shift_pdf_s_100k``: seconds for the 24-hour shift report PDF on a database of
  100,000 demo reports with about 3,000 in the window (the demo spreads 100,000 reports
  over 5 weeks, ~2,900 a day). Baseline: the naive way, in the same run: ORM-load every
  report through SQLModel, filter and count in Python, and typeset the window's reports as
  a table with one Paragraph per cell.
* ``export.xlsx_rows_per_s``: rows per second writing the XLSX of a 7-day window (~20,000
  reports): from the summarised window to the renamed file, the report list streamed from
  the database as it is written (the note gives the whole export too, reading included).
  Baseline: the same report rows, already in memory, written cell by cell into a normal
  (not write-only) openpyxl workbook.
  The note also gives openpyxl's write-only mode on the same rows, which is what the
  streamed sheet writer (console/export/xlsx_writer.py) replaces.

The 100,000-report database is built once into bench-data/ and reused.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Figure, kept_database

REPORTS = 100_000
WEEKS = 5
#: A fixed "now" so the database, and so the figures, are the same on every run.
NOW = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # 07:00 WIB, a morning handover


def bench_database(progress=print) -> Path:
    return kept_database(f"export-{REPORTS}", REPORTS, label="export ", progress=progress,
                         seed=11, weeks=WEEKS, now=NOW)[0]


def _count(db_path: Path, start: datetime, end: datetime) -> int:
    import sqlite3

    from console.store.timefmt import to_db

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM report WHERE created_at >= ? AND created_at < ?",
                            (to_db(start), to_db(end))).fetchone()[0]


def _ours(db_path: Path, fmt: str, start: datetime, end: datetime, out: Path):
    from console.export.model import ExportRequest
    from console.export.service import export_shift_report

    return export_shift_report(db_path, ExportRequest(start=start, end=end, fmt=fmt, out=out,
                                                      now=NOW, actor="bench"))


def _naive_pdf(db_path: Path, start: datetime, end: datetime, out: Path) -> None:
    """What a first version would do: the ORM for everything, a Paragraph per cell."""
    from collections import Counter

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
    from sqlmodel import Session, create_engine, select

    from console.store.models import Report

    engine = create_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        reports = session.exec(select(Report)).all()
    lo, hi = start.replace(tzinfo=None), end.replace(tzinfo=None)
    window = [r for r in reports if lo <= r.created_at.replace(tzinfo=None) < hi]
    styles = getSampleStyleSheet()
    story = [Paragraph("Laporan Shift", styles["Title"])]
    for counter in (Counter(r.status for r in window), Counter(r.category_code for r in window),
                    Counter(r.channel for r in window)):
        story.append(Table([[Paragraph(str(k), styles["Normal"]), Paragraph(str(v), styles["Normal"])]
                            for k, v in counter.most_common()]))
    rows = [[Paragraph(x, styles["Normal"]) for x in ("Tiket", "Masuk", "Kategori", "Status", "Judul")]]
    for r in window:
        rows.append([Paragraph(str(v), styles["BodyText"]) for v in
                     (r.ticket, r.created_at, r.category_code, r.status, r.title)])
    story.append(Table(rows, repeatRows=1))
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    engine.dispose()


def _report_rows(db_path: Path, start: datetime, end: datetime):
    """The report list rows exactly as the export writes them (masked, typed)."""
    import sqlite3

    from console.export import data
    from console.export.model import ExportRequest

    conn = sqlite3.connect(db_path)
    report = data.collect(conn, ExportRequest(start=start, end=end, fmt="xlsx", out=Path("x")), now=NOW)
    table = report.table("reports")
    rows = [tuple(v.astimezone(report.words.tz).replace(tzinfo=None) if isinstance(v, datetime) else v
                  for v in row) for row in table.iter_rows()]
    conn.close()
    return [c.full_header for c in table.columns], rows


def _openpyxl_rows_per_s(header: list[str], rows: list[tuple], out: Path, write_only: bool) -> float:
    from openpyxl import Workbook

    t0 = time.perf_counter()
    wb = Workbook(write_only=write_only)
    if write_only:
        ws = wb.create_sheet("Laporan")
        ws.append(header)
        for row in rows:
            ws.append(row)
    else:
        ws = wb.active
        for c, h in enumerate(header, 1):
            ws.cell(row=1, column=c, value=h)
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row, 1):
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, as ours
    wb.save(out)
    return len(rows) / (time.perf_counter() - t0)


def export_figures() -> list[Figure]:
    db_path = bench_database()
    end = NOW
    day = end - timedelta(hours=24)
    week = end - timedelta(days=7)
    in_day, in_week = _count(db_path, day, end), _count(db_path, week, end)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        _ours(db_path, "pdf", day, end, tmp / "warm.pdf")  # page cache, fonts, imports
        runs = []
        pages = 0
        for i in range(3):
            t0 = time.perf_counter()
            result = _ours(db_path, "pdf", day, end, tmp / f"shift{i}.pdf")
            runs.append(time.perf_counter() - t0)
            pages = result.pages
        t0 = time.perf_counter()
        _naive_pdf(db_path, day, end, tmp / "naive.pdf")
        naive = time.perf_counter() - t0
        figures.append(Figure(
            "export.shift_pdf_s_100k", statistics.median(runs), "s", baseline=naive,
            note=f"{in_day:,} of {REPORTS:,} reports in the 24-hour window, {pages} pages, median of 3; "
                 "baseline: SQLModel loads all reports, Python filters, a Paragraph per table cell "
                 "(one run). Target <= 5 s.",
        ))

        writes, whole = [], []
        for i in range(3):
            result = _ours(db_path, "xlsx", week, end, tmp / f"week{i}.xlsx")
            writes.append(in_week / result.write_s)
            whole.append(in_week / result.seconds)
        header, rows = _report_rows(db_path, week, end)
        baseline = _openpyxl_rows_per_s(header, rows, tmp / "naive.xlsx", write_only=False)
        write_only = _openpyxl_rows_per_s(header, rows, tmp / "wo.xlsx", write_only=True)
        figures.append(Figure(
            "export.xlsx_rows_per_s", statistics.median(writes), "rows/s", baseline=baseline,
            higher_is_better=True,
            note=f"7-day window, {in_week:,} reports x {len(header)} columns: writing the workbook "
                 "(report list streamed from the database, 14 summary sheets, zip, fsync, rename), "
                 "median of 3; the whole export incl. reading and summarising the window: "
                 f"{statistics.median(whole):,.0f} rows/s. Baseline: the same rows, already in "
                 "memory, into a normal openpyxl workbook cell by cell; openpyxl write-only on "
                 f"them: {write_only:,.0f} rows/s. Target >= 20,000 rows/s.",
        ))
    return figures


FIGURES = [("export.", export_figures)]


if __name__ == "__main__":  # python -m bench.export_figures
    for fig in export_figures():
        print(fig.name, fig.as_json())
