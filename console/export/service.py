"""Exporting a shift report: one function for the console dialog and the headless CLI.

``export_shift_report`` reads everything in one read snapshot of the local database,
renders the chosen format into a temporary file next to the destination, records the
export (and, for unmasked personal data, one ``export_unmasked`` timeline event per
report whose reporter data went out) in one write transaction, and only then renames
the file into place. Fully offline: it needs the local database and nothing else.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.export import data
from console.export.model import ExportRequest, ShiftReport, Table
from console.export.output import ExportCancelled, ExportError, atomic_output, check_destination
from console.store.timefmt import new_id, to_db
from console.store.transaction import write_transaction

#: progress(percent 0..100, stage) with stage one of: read, render, save, done
Progress = Callable[[int, str], None]
CSV_TABLES = ("reports", "status", "category", "kecamatan", "kelurahan", "channel", "call_mix",
              "sla", "durations", "hourly", "daily", "open_p1", "breaches", "shifts",
              "handovers", "summary")
MAX_MAP_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ExportResult:
    path: Path
    fmt: str
    rows: int             # data rows written (all sheets for XLSX); for PDF the reports covered
    pages: int | None
    reports_in_window: int
    unmasked_reports: int
    sha256: str
    export_id: str
    seconds: float       # the whole export
    read_s: float = 0.0  # reading and summarising the window (shared by every format)
    write_s: float = 0.0  # writing the file (incl. streaming the report list), fsync, rename


def _read_map(req: ExportRequest) -> bytes | None:
    if req.map_png is None:
        return None
    if isinstance(req.map_png, bytes | bytearray):
        raw = bytes(req.map_png)
    else:
        try:
            raw = Path(req.map_png).read_bytes()
        except OSError as exc:
            raise ExportError("map", req.lang, detail=exc.strerror or str(exc)) from exc
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > MAX_MAP_BYTES:
        raise ExportError("map", req.lang, detail="PNG ≤ 20 MB")
    return raw


def _draw_map(conn: sqlite3.Connection, req: ExportRequest, report: ShiftReport) -> None:
    """The PDF's map, drawn from the window's reports in the region (same snapshot)."""
    from console.export.map_image import shift_map

    w = report.words
    drawn = shift_map(conn, report.start, report.end, req.region, mbtiles=req.mbtiles,
                      north=w("map.north"))
    if drawn is None:
        return
    report.map_png = drawn.png
    note = w("map.note", drawn=drawn.drawn, legend=w("map.legend"))
    if drawn.without_coords:
        note += " " + w("map.without", n=drawn.without_coords)
    report.map_note = note


def export_shift_report(
    db_path: Path | str,
    req: ExportRequest,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the shift report ``req`` describes; raise ExportError with a clear message.

    ``db_path`` is an existing Posko database (migrated to head by the caller, e.g.
    ``open_database``). Safe to call from a worker thread: it opens its own connection.
    """
    from console.store.db import DatabaseError, connect_file

    t0 = time.perf_counter()
    out = Path(req.out)
    report_progress = progress or (lambda _p, _s: None)
    is_cancelled = cancelled or (lambda: False)
    data.validate_request(req)
    if req.fmt == "csv" and req.table not in CSV_TABLES:
        raise ExportError("table", req.lang, table=req.table, choices=", ".join(CSV_TABLES))
    check_destination(out, req.lang)
    map_png = _read_map(req)
    report_progress(2, "read")

    conn = connect_file(db_path)  # plain, or encrypted with the folder's key
    try:
        now = req.now or datetime.now(UTC)
        try:
            conn.execute("BEGIN")  # one read snapshot for every figure and row
            report = data.collect(conn, req, now=now, map_png=map_png)
            if req.fmt == "pdf" and map_png is None:
                _draw_map(conn, req, report)
        except DatabaseError as exc:
            raise ExportError("database", req.lang, detail=str(exc)) from exc
        if is_cancelled():
            raise ExportCancelled(req.lang)
        report_progress(15, "render")
        t_read = time.perf_counter()

        tables = _tables_for(report, req)
        expected = report.total or 1
        export_id = new_id()
        counts: dict = {"rows": 0, "pages": None, "sha256": ""}

        def tick(rows_done: int) -> None:
            report_progress(15 + int(75 * min(rows_done / expected, 1.0)), "render")
            if is_cancelled():
                raise ExportCancelled(req.lang)

        def record(sha256: str) -> None:
            report_progress(92, "save")
            conn.commit()  # end the read snapshot before writing
            counts["sha256"] = sha256
            _record_export(conn, report, req, tables, export_id, counts["rows"], out.name,
                           sha256, now)

        with atomic_output(out, req.lang, before_replace=record) as f:
            if req.fmt == "pdf":
                from console.export.pdf_writer import write_pdf

                counts["pages"] = write_pdf(report, f, tick=lambda p: report_progress(15 + p, "render"))
                counts["rows"] = report.total  # the reports the document covers
            elif req.fmt == "xlsx":
                from console.export.xlsx_writer import write_xlsx

                counts["rows"] = write_xlsx(report, f, tables=tables, tick=tick,
                                            cancelled=is_cancelled)
            else:
                from console.export.csv_writer import write_csv

                counts["rows"] = write_csv(report, tables[0], f, delimiter=req.csv_delimiter,
                                           tick=tick)
            if is_cancelled():
                raise ExportCancelled(req.lang)
            report_progress(90, "save")
    finally:
        if conn.in_transaction:
            conn.rollback()
        conn.close()
    t_done = time.perf_counter()
    report_progress(100, "done")
    unmasked = len(_written_personal_ids(report, req, tables))
    return ExportResult(
        path=out, fmt=req.fmt, rows=counts["rows"], pages=counts["pages"],
        reports_in_window=report.total, unmasked_reports=unmasked, sha256=counts["sha256"],
        export_id=export_id, seconds=t_done - t0, read_s=t_read - t0, write_s=t_done - t_read,
    )


def _tables_for(report: ShiftReport, req: ExportRequest) -> list[Table]:
    """The tables a format writes: all for PDF (it picks) and XLSX, one for CSV."""
    if req.fmt != "csv":
        return report.tables
    keys = {t.key: t for t in report.tables}
    if req.table not in keys:
        # hourly/daily: a window has one of them
        alt = {"hourly": "daily", "daily": "hourly"}.get(req.table)
        if alt in keys:
            return [keys[alt]]
        raise ExportError("table", req.lang, table=req.table, choices=", ".join(CSV_TABLES))
    return [keys[req.table]]


def _written_personal_ids(report: ShiftReport, req: ExportRequest, tables: list[Table]) -> set[str]:
    if not report.unmasked:
        return set()
    if req.fmt == "pdf":
        written = [t for t in tables if t.in_pdf]
    else:
        written = tables
    ids: set[str] = set()
    for t in written:
        ids |= t.personal_ids
    return ids


def _record_export(conn: sqlite3.Connection, report: ShiftReport, req: ExportRequest,
                   tables: list[Table], export_id: str, rows: int, filename: str,
                   sha256: str, now: datetime) -> None:
    """The export log row and the timeline events, in one transaction."""
    actor = req.actor or "cli"
    ids = _written_personal_ids(report, req, tables)
    with write_transaction(conn):
        conn.execute(
            "INSERT INTO export_log (id, at, actor, kind, format, window_start, window_end,"
            " region_code, unmasked, rows, filename, sha256)"
            " VALUES (?, ?, ?, 'shift_report', ?, ?, ?, ?, ?, ?, ?, ?)",
            (export_id, to_db(now), actor, req.fmt, to_db(report.start), to_db(report.end),
             req.region, int(report.unmasked), rows, filename, sha256))
        if ids:
            detail = json.dumps({"export_id": export_id, "format": req.fmt, "file": filename,
                                 "fields": ["reporter_name", "reporter_phone"]},
                                ensure_ascii=False)
            conn.executemany(
                "INSERT INTO report_event (id, report_id, at, actor, kind, field, detail)"
                " VALUES (?, ?, ?, ?, 'export_unmasked', 'reporter', ?)",
                [(new_id(), rid, to_db(now), actor, detail) for rid in sorted(ids)])


def region_choices(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(code, name, level) of every region, kota first then its kecamatan and kelurahan,
    for the export dialog's region picker (run it on the database worker)."""
    rows = conn.execute("SELECT code, name, level FROM region ORDER BY code").fetchall()
    return [(c, n, lv) for c, n, lv in rows]
