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

    demo = sub.add_parser("demo", help="run a demo central server on 127.0.0.1 with realistic "
                                       "reports and open a console logged in to it")
    _add_common(demo)
    demo.add_argument("--reports", type=int, default=5000,
                      help="how many reports the demo server starts with (default 5000)")
    demo.add_argument("--weeks", type=int, default=6, help="weeks of history (default 6)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.add_argument("--fresh", action="store_true",
                      help="start again: empty the demo's server and desks (only a folder Posko "
                           "made for a demo is cleared)")
    demo.add_argument("--no-gui", action="store_true",
                      help="set up, log in and sync, then stop (the server too); no window")
    demo.add_argument("--desk", choices=["kelurahan"], default=None,
                      help="open a second desk (its own data folder in the demo folder, the "
                           "kelurahan account) against the demo server another `posko demo` runs")

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
    """``posko demo``: a central server on 127.0.0.1 and a console logged in to it
    (console/demo/run.py); ``--desk kelurahan``: a second console against that server."""
    from console.demo import run

    if args.reports < 0:
        return _fail("--reports must be 0 or more")
    if args.desk:
        return run.run_desk(args, _run_gui)
    return run.run_desk1(args, _run_gui)


def _run_gui(db_path: Path, lang: str | None, *,
             login: tuple[str, str, str] | None = None) -> int:
    try:
        from console.views.app import run_console
    except ImportError as exc:  # a server-only install has no Qt
        return _fail(f"the console needs the 'console' extra (PySide6): {exc}")
    return run_console(db_path, lang=lang, login=login)


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
