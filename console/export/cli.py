"""``posko export shift``: the shift report from the command line, fully offline.

    python main.py export shift --data-dir DIR --from 2026-11-28T07:00 --to 2026-11-29T07:00 \
        [--region 3273] --format pdf|xlsx|csv --out laporan.pdf [--lang id|en] \
        [--unmask --as spv.hendra] [--table reports] [--csv-sep ';'] [--mbtiles peta.mbtiles]

Times without a zone are read as WIB (Asia/Jakarta, or ``--tz``); a bare date means its
00:00. Exit status 0 on success, 2 with a one-line message on anything else; no partial
file is left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

FORMATS = ("pdf", "xlsx", "csv")


def add_export_parser(subparsers, add_common: Callable[[argparse.ArgumentParser], None] | None = None
                      ) -> argparse.ArgumentParser:
    """Add ``export`` (with its ``shift`` subcommand) to a subparsers object.

    ``add_common`` adds the options every Posko subcommand shares (--data-dir, --lang);
    without it they are added here with argparse.SUPPRESS defaults, so a value given
    before the subcommand is kept."""
    export = subparsers.add_parser("export", help="export shift reports (PDF, XLSX, CSV)")
    kinds = export.add_subparsers(dest="export_kind", required=True, metavar="{shift}")
    shift = kinds.add_parser(
        "shift", help="the shift report for a time window and region",
        description="Write the shift report for a time window and region from the local "
                    "database (no network needed).")
    if add_common is not None:
        add_common(shift)
    else:
        shift.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                           help="folder holding posko.sqlite3 (default: the per-user data folder)")
        shift.add_argument("--lang", choices=["id", "en"], default=argparse.SUPPRESS,
                           help="document language: id (default) or en")
    shift.add_argument("--from", dest="start", required=True,
                       help="window start, ISO 8601 (without a zone: WIB)")
    shift.add_argument("--to", dest="end", default=None,
                       help="window end, exclusive (default: 24 hours after --from)")
    shift.add_argument("--region", default=None,
                       help="region code: a kota (3273), kecamatan or kelurahan and everything below")
    shift.add_argument("--format", dest="fmt", choices=FORMATS, default=None,
                       help="pdf, xlsx or csv (default: from the --out extension)")
    shift.add_argument("--out", type=Path, required=True, help="file to write")
    shift.add_argument("--unmask", action="store_true",
                       help="include reporters' names and phone numbers (supervisor/admin only; "
                            "recorded in each report's timeline)")
    shift.add_argument("--as", dest="actor", default=None, metavar="USER",
                       help="account exporting (needed for --unmask); its password is read "
                            "from standard input and checked against the accounts that "
                            "logged in on this data folder")
    shift.add_argument("--table", default="reports",
                       help="CSV only: which table (default: reports; e.g. status, category, sla)")
    shift.add_argument("--csv-sep", default=",", help="CSV separator (default ','; ';' for Excel "
                                                      "with Indonesian regional settings)")
    shift.add_argument("--mbtiles", type=Path, default=None,
                       help="PDF: base map (MBTiles) under the map of the window's reports; "
                            "without it the reports and region boundaries are drawn alone")
    shift.add_argument("--map", dest="map_png", type=Path, default=None,
                       help="PDF: use this PNG as the map instead of drawing one from the data")
    shift.add_argument("--tz", default="Asia/Jakarta", help="zone for times shown and for "
                                                            "--from/--to without a zone")
    shift.set_defaults(func=run)
    return export


def parse_time(text: str, tz: str) -> datetime:
    """ISO 8601 date or date-time; a missing zone means ``tz``."""
    text = text.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            value = datetime(d.year, d.month, d.day)
        else:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {text!r} (e.g. 2026-11-28T07:00)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value


def _read_password(username: str) -> str | None:
    if sys.stdin is None or sys.stdin.closed:
        return None
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Password for {username}: ") or None
    return sys.stdin.readline().rstrip("\r\n") or None


def _prove_actor(db_path: Path, username: str, lang: str) -> str | None:
    """``--as`` names who exports, and who may unmask: a name alone proves nothing, so the
    account's password is checked against the verifier cached at its last login on this
    data folder (console/operations/accounts.py). Returns the refusal, or None."""
    from console.operations import accounts
    from console.store.db import open_database

    password = _read_password(username)
    if not password:
        return (f"--as {username}: ketik kata sandi akun itu di input standar" if lang == "id"
                else f"--as {username}: give that account's password on standard input")
    db = open_database(db_path)
    conn = db.raw()
    try:
        accounts.verify(conn, username, password)
    except accounts.WrongPassword:
        return (f"kata sandi salah untuk {username}, atau akun itu belum pernah masuk di "
                "folder data ini" if lang == "id" else
                f"wrong password for {username}, or that account never logged in on this "
                "data folder")
    finally:
        conn.close()
        db.dispose()
    return None


def run(args: argparse.Namespace) -> int:
    from console import paths
    from console.export.model import ExportRequest
    from console.export.output import ExportError
    from console.export.service import export_shift_report
    from console.store.db import DatabaseFileError, open_database

    lang = getattr(args, "lang", None) or "id"
    data_dir = getattr(args, "data_dir", None) or paths.default_data_dir()
    db_path = paths.database_path(data_dir)

    def fail(message: str) -> int:
        print(f"posko export: {message}", file=sys.stderr)
        return 2

    try:
        start = parse_time(args.start, args.tz)
        end = parse_time(args.end, args.tz) if args.end else start + timedelta(hours=24)
    except ValueError as exc:
        return fail(str(exc))
    fmt = args.fmt or args.out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        return fail(ExportError("format", lang, fmt=fmt or "?").message(lang))
    if not db_path.is_file():
        message = (f"tidak ada basis data Posko di {data_dir}" if lang == "id"
                   else f"no Posko database in {data_dir}")
        demo = paths.default_demo_dir()
        if getattr(args, "data_dir", None) is None and paths.database_path(demo).is_file():
            # After `make demo` a newcomer's first export looks here; the demo is elsewhere.
            message += (f"; data demo ada di {demo}: tambahkan --data-dir {demo}" if lang == "id"
                        else f"; the demo data is in {demo}: add --data-dir {demo}")
        return fail(message)
    try:
        open_database(db_path).dispose()  # refuses foreign files; brings the schema to head
    except DatabaseFileError as exc:
        return fail(str(exc))
    if args.actor:
        problem = _prove_actor(db_path, args.actor, lang)
        if problem:
            return fail(problem)
    req = ExportRequest(start=start, end=end, fmt=fmt, out=args.out, region=args.region,
                        lang=lang, unmask=args.unmask, actor=args.actor, table=args.table,
                        csv_delimiter=args.csv_sep, map_png=args.map_png,
                        mbtiles=args.mbtiles, tz=args.tz)
    try:
        result = export_shift_report(db_path, req)
    except ExportError as exc:
        return fail(str(exc))
    what = (f"{result.pages} halaman" if lang == "id" else f"{result.pages} pages") \
        if result.pages is not None else (f"{result.rows} baris" if lang == "id" else f"{result.rows} rows")
    print(f"{result.path}  ({what}, {result.reports_in_window} "
          f"{'laporan dalam periode' if lang == 'id' else 'reports in the window'}, "
          f"sha256 {result.sha256[:16]}…, {result.seconds:.1f} s)")
    if result.unmasked_reports:
        print(("Data pribadi tidak disamarkan untuk {n} laporan; dicatat di linimasa." if lang == "id"
               else "Personal data unmasked for {n} reports; recorded in their timelines.")
              .format(n=result.unmasked_reports))
    return 0
