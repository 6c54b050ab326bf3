"""Command line: no arguments opens the console; subcommands for the rest.

Each subcommand takes ``--data-dir`` (default: the per-user data dir from platformdirs).
Heavy imports (Qt, the server stack) happen inside the command that needs them, so
``posko demo --no-gui`` and the server never load a desktop toolkit.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from console import paths


def _add_common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Subcommands repeat the options with SUPPRESS so `posko --data-dir X demo` and
    # `posko demo --data-dir X` both work (a subparser default would overwrite the first).
    default = None if top else argparse.SUPPRESS
    p.add_argument("--data-dir", type=Path, default=default,
                   help="folder for the local database (default: the per-user data folder)")
    p.add_argument("--lang", choices=["id", "en"], default=default,
                   help="interface language: id (Bahasa Indonesia, default) or en")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posko", description="Posko: offline-first operator console for command centers"
    )
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command")

    gui = sub.add_parser("gui", help="open the console (the default)")
    _add_common(gui)

    demo = sub.add_parser("demo", help="seed a demo database with realistic reports and open it")
    _add_common(demo)
    demo.add_argument("--reports", type=int, default=5000, help="how many reports (default 5000)")
    demo.add_argument("--weeks", type=int, default=6, help="weeks of history (default 6)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.add_argument("--fresh", action="store_true",
                      help="start from an empty demo database (only a folder Posko made for a demo is cleared)")
    demo.add_argument("--no-gui", action="store_true", help="seed only; do not open the console")

    from console.export.cli import add_export_parser
    from console.sync.cli import add_sync_parser
    from server.cli import add_server_parser

    add_export_parser(sub, add_common=_add_common)
    add_sync_parser(sub)

    add_server_parser(sub)
    return parser


def _fail(message: str) -> int:
    print(f"posko: {message}", file=sys.stderr)
    return 2


def cmd_demo(args: argparse.Namespace) -> int:
    from console.demo.bulk import seed_demo
    from console.store.db import DatabaseFileError

    data_dir = args.data_dir or paths.default_demo_dir()
    db_path = paths.database_path(data_dir)
    marker = Path(data_dir) / paths.DEMO_MARKER
    if args.fresh and db_path.exists():
        if not marker.exists():
            return _fail(
                f"{data_dir} holds a database that Posko did not create for a demo; "
                "refusing to clear it. Use another --data-dir."
            )
        shutil.rmtree(data_dir)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    marker.touch()
    print(f"Posko demo database: {db_path}", flush=True)
    if args.reports < 0:
        return _fail("--reports must be 0 or more")
    try:
        already = _report_count(db_path)
        if already == 0 and args.reports:
            stats = seed_demo(db_path, reports=args.reports, seed=args.seed, weeks=args.weeks)
            print(_format_stats(stats), flush=True)
        else:
            print(f"Using the existing demo data ({already} reports).", flush=True)
    except DatabaseFileError as exc:
        return _fail(str(exc))
    if args.no_gui:
        return 0
    return _run_gui(db_path, args.lang)


def _report_count(db_path: Path) -> int:
    from console.store.db import open_database

    if not db_path.exists():
        return 0
    db = open_database(db_path)
    try:
        with db.raw() as conn:
            return conn.execute("SELECT count(*) FROM report").fetchone()[0]
    finally:
        db.dispose()


def _format_stats(stats: dict) -> str:
    return (f"Seeded {stats.get('reports', 0):,} reports ({stats.get('events', 0):,} timeline events, "
            f"{stats.get('dispatches', 0):,} dispatches) in {stats.get('seconds', 0):.1f} s.")


def _run_gui(db_path: Path, lang: str | None) -> int:
    try:
        from console.views.app import run_console
    except ImportError as exc:  # a server-only install has no Qt
        return _fail(f"the console needs the 'console' extra (PySide6): {exc}")
    return run_console(db_path, lang=lang)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "sync":
        from console.sync.cli import run as run_sync

        return run_sync(args)
    if args.command == "export":
        return args.func(args)
    if args.command == "server":
        from server.cli import run as run_server

        return run_server(args)
    data_dir = args.data_dir or paths.default_data_dir()
    return _run_gui(paths.database_path(data_dir), args.lang)
