"""Command line: no arguments opens the console; subcommands for the rest.

Each subcommand takes ``--data-dir`` (default: the per-user data dir from platformdirs).
Heavy imports (Qt, the server stack) happen inside the command that needs them, so
``posko demo --no-gui`` and the server never load a desktop toolkit.
"""

from __future__ import annotations

import argparse
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
    from console.demo.folder import DemoFolderRefused, check_demo_folder, claim, reset
    from console.store.db import DatabaseFileError
    from console.store.folder_lock import FolderInUse, hold_data_folder

    if args.reports < 0:
        return _fail("--reports must be 0 or more")
    data_dir = Path(args.data_dir or paths.default_demo_dir())
    try:
        # Checked before anything is written: a refused folder gets no marker, no lock file.
        folder = check_demo_folder(data_dir, fresh=args.fresh)
        hold = hold_data_folder(data_dir, "posko demo")
    except (DemoFolderRefused, FolderInUse) as exc:
        return _fail(str(exc))
    try:
        claim(folder)
        if args.fresh and not folder.is_new:
            reset(folder)
        db_path = folder.database
        print(f"Posko demo database: {db_path}", flush=True)
        try:
            already = _seed_if_empty(db_path, args)
        except DatabaseFileError as exc:
            return _fail(str(exc))
        if already:
            print(f"Using the existing demo data ({already:,} reports); "
                  "--fresh starts again.", flush=True)
        _demo_logins(db_path)
        print(f"Other commands use it with --data-dir {data_dir}, for example:\n"
              f"  posko export shift --data-dir {data_dir} --from {_yesterday()} --out shift.pdf",
              flush=True)
        if args.no_gui:
            return 0
        return _run_gui(db_path, args.lang)
    finally:
        hold.release()


def _demo_logins(db_path: Path) -> None:
    """A demo has no server to log in to: its officers take duty ("Siapa yang bertugas?"
    at start) with the demo password; the console is read-only until one does."""
    from console.operations import accounts
    from console.store.db import open_database

    db = open_database(db_path)
    try:
        conn = db.raw()
        try:
            accounts.enable_demo_logins(conn)
            names = [a.username for a in accounts.known_accounts(conn)]
        finally:
            conn.close()
    finally:
        db.dispose()
    if names:
        print(f"Demo officers ({', '.join(names[:4])}, …) take duty with the password "
              f"{accounts.DEMO_PASSWORD!r}.", flush=True)


def _yesterday() -> str:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    return (datetime.now(ZoneInfo("Asia/Jakarta")).date() - timedelta(days=1)).isoformat()


def _seed_if_empty(db_path: Path, args: argparse.Namespace) -> int:
    """Seed a demo database that has no reports yet; return how many it already had."""
    from console.demo.bulk import seed_demo
    from console.demo.folder import mark_database
    from console.store.db import open_database

    db = open_database(db_path)
    try:
        conn = db.raw()
        try:
            mark_database(conn)
            already = conn.execute("SELECT count(*) FROM report").fetchone()[0]
        finally:
            conn.close()
    finally:
        db.dispose()
    if already == 0 and args.reports:
        stats = seed_demo(db_path, reports=args.reports, seed=args.seed, weeks=args.weeks)
        print(_format_stats(stats), flush=True)
    return already


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
