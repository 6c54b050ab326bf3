"""``posko sync``: the same engine without the GUI.

    python main.py sync --server https://posko.example --user kel.campaka --once
    echo "$PASSWORD" | python main.py sync --server URL --user NAME --watch --data-dir DIR

The server and the account default to the last login recorded in the data folder's own
database (the console reads the same place), and the token in the OS keyring is the one
of this data folder.

The password comes from standard input (one line; typed at a prompt when stdin is a
terminal and no token is stored) or not at all: then the token stored in the OS keyring by
an earlier login is used. The password itself is never stored.

Exit codes: 0 the outbox is empty and the pull reached the server's head; 1 it could not
get there (offline, server trouble; ``--once`` gives up after ``--max-time`` seconds);
2 usage or login problem; 3 everything else is done but some changes were refused by the
server and wait in quarantine for an operator.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
import time
from pathlib import Path

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_QUARANTINE = 0, 1, 2, 3


def add_sync_parser(subparsers) -> argparse.ArgumentParser:  # noqa: ANN001
    p = subparsers.add_parser("sync", help="sync with the central server without opening the console")
    _fill(p)
    return p


def _fill(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", default=None,
                   help="server address, e.g. https://posko.bandung.go.id (default: the last one used)")
    p.add_argument("--user", default=None, help="account name (default: the last one used)")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true",
                      help="sync until up to date (or --max-time), then exit")
    mode.add_argument("--watch", action="store_true", help="keep syncing until interrupted")
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="folder of the local database (default: the per-user data folder)")
    p.add_argument("--max-time", type=float, default=600.0,
                   help="--once: give up after this many seconds (default 600)")
    p.add_argument("--interval", type=float, default=60.0,
                   help="--watch: seconds between syncs when up to date (default 60)")
    p.add_argument("--no-attachments", action="store_true", help="skip photos and files")
    p.add_argument("--ca-bundle", type=Path, default=None,
                   help="CA certificate file for a server with a private certificate authority "
                        "(recorded for the data folder: the console there uses it too)")
    p.add_argument("--allow-http", action="store_true",
                   help="allow plain http:// to a server on another computer, for this data "
                        "folder (a test network only: passwords cross it unencrypted)")
    p.add_argument("--quiet", action="store_true", help="print only errors")


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"posko sync: {message}", file=sys.stderr, flush=True)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"posko sync: {message}", file=sys.stderr, flush=True)
    return code


def _password(has_token: bool) -> str | None:
    if sys.stdin is None or sys.stdin.closed:
        return None
    if sys.stdin.isatty():
        if has_token:
            return None
        return getpass.getpass("Password: ")
    line = sys.stdin.readline()
    return line.rstrip("\r\n") or None


def run(args: argparse.Namespace) -> int:
    from console import paths
    from console.store.db import DatabaseFileError, open_database
    from console.store.folder_lock import FolderInUse, hold_data_folder

    data_dir = getattr(args, "data_dir", None) or paths.default_data_dir()
    try:
        # A file that is not ours is refused before a lock file appears next to it.
        open_database(paths.database_path(data_dir), migrate=False).dispose()
        # Like a console, a sync run holds the folder: two engines on one outbox would
        # push the same changes twice and race for the pull cursor.
        hold = hold_data_folder(data_dir, "posko sync")
    except (DatabaseFileError, FolderInUse) as exc:
        return _fail(str(exc))
    try:
        return _run_held(args, data_dir)
    finally:
        hold.release()


def _run_held(args: argparse.Namespace, data_dir: Path) -> int:
    from console import paths
    from console.operations import accounts
    from console.store.db import DatabaseFileError, open_database
    from console.store.executor import DbExecutor
    from console.store.seed import ensure_reference_data
    from console.sync import link_policy, state
    from console.sync.engine import SyncConfig, SyncEngine
    from console.sync.errors import AuthRequired, Cancelled, SyncError
    from console.sync.link_policy import InsecureLink

    try:
        database = open_database(paths.database_path(data_dir))
    except DatabaseFileError as exc:
        return _fail(str(exc))
    conn = database.raw()
    try:
        ensure_reference_data(conn)
        server = args.server or state.get_meta(conn, state.SERVER_URL)
        user = args.user or state.get_meta(conn, state.USERNAME)
        if args.allow_http or args.ca_bundle:
            if args.ca_bundle and not args.ca_bundle.is_file():
                database.dispose()
                return _fail(f"no CA bundle at {args.ca_bundle}")
            link_policy.save(conn, allow_http=True if args.allow_http else None,
                             ca_bundle=args.ca_bundle)
    finally:
        conn.close()
    if not server or not user:
        database.dispose()
        return _fail("give --server and --user (no earlier login is recorded in this database)")
    executor = DbExecutor(database)
    try:
        engine = SyncEngine(executor, SyncConfig(
            server_url=server, username=user,
            attachments=not args.no_attachments))
    except ValueError as exc:
        executor.shutdown()
        database.dispose()
        return _fail(str(exc))
    stop = threading.Event()

    def _stop(_signum=None, _frame=None) -> None:  # noqa: ANN001
        # The running cycle stops at its next safe point (a committed batch or page, or
        # a page being received: within about a second), not after the whole round.
        stop.set()
        engine.cancel()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    deadline = time.monotonic() + args.max_time if args.once else None
    timer = threading.Timer(args.max_time, _stop) if args.once else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        password = _password(engine.transport.token is not None)
        if password is None and engine.transport.token is None:
            return _fail(f"not logged in as {user}: give the password on standard input")
        while password is not None:
            try:
                account = engine.login(password)
                # Cached in the data folder like a console login, so the officer can take
                # over the console there offline (console/operations/accounts.py).
                executor.call(accounts.remember_login, account, server,
                              accounts.make_verifier(password))
                _say(args, f"logged in as {account.get('username')} ({account.get('role')})")
                break
            except AuthRequired as exc:
                return _fail(str(exc))
            except InsecureLink as exc:
                return _fail(str(exc))
            except SyncError as exc:
                delay = engine.retry_delay(exc)
                if deadline is not None and time.monotonic() + delay > deadline:
                    return _fail(f"could not log in: {exc}", EXIT_INCOMPLETE)
                _say(args, f"{exc}; retrying in {delay:.1f} s")
                if stop.wait(delay):
                    return EXIT_INCOMPLETE
        engine.backoff.reset()
        result = EXIT_INCOMPLETE
        while not stop.is_set():
            try:
                report = engine.run_cycle()
            except Cancelled:
                why = (f"gave up after {args.max_time:.0f} s" if deadline is not None
                       and time.monotonic() >= deadline else "stopped")
                return _fail(f"{why}; everything sent or received so far is kept, the rest "
                             "goes with the next sync", EXIT_INCOMPLETE)
            except AuthRequired as exc:
                return _fail(f"{exc} (pipe the password into `posko sync`)")
            except InsecureLink as exc:
                return _fail(str(exc))
            except SyncError as exc:
                # The engine's rule, as in the console: after progress the wait starts
                # again from the base delay; only failures without progress escalate.
                delay = engine.retry_delay(exc)
                if deadline is not None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return _fail(f"gave up after {args.max_time:.0f} s: {exc}", EXIT_INCOMPLETE)
                    delay = min(delay, remaining)
                _say(args, f"{exc}; retrying in {delay:.1f} s"
                           f" (failure {engine.backoff.failures} in a row)")
                stop.wait(delay)
                result = EXIT_INCOMPLETE
                continue
            status = engine.status
            _say(args, f"pushed {report.pushed}, pulled {report.pulled}, conflicts {report.conflicts};"
                       f" {status.pending} waiting, {status.quarantined} in quarantine;"
                       f" cursor {status.cursor}/{status.head}")
            if report.complete:
                result = EXIT_QUARANTINE if status.quarantined else EXIT_OK
                if args.once:
                    return result
                stop.wait(args.interval)
            else:
                result = EXIT_INCOMPLETE
                if deadline is not None and time.monotonic() > deadline:
                    return _fail(f"not up to date after {args.max_time:.0f} s", EXIT_INCOMPLETE)
        return result
    finally:
        if timer is not None:
            timer.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        engine.close()
        executor.shutdown()
        database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.sync.cli")
    _fill(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
