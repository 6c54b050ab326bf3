"""``posko demo``: the real system on one computer — a central server on 127.0.0.1 with
the demo data and accounts (console/demo/server.py), and a console logged in to it.

Desk 1 (``posko demo``, ``make demo``) owns the demo folder: its console database sits
at the top (as before, so ``--data-dir`` of the other commands still points at it), the
server's data in ``server/``. The server runs inside this process and stops with it.

Desk 2 (``posko demo --desk kelurahan``, ``make demo-desk2``) is another process with its
own data folder, ``desk-kelurahan/`` in the demo folder, logged in as the kelurahan
account against desk 1's running server. Two desks, one server: what a newcomer needs to
watch a report filed at one desk reach the other.

Each desk logs in like an officer (the token goes to the OS keyring of its data folder,
the account is cached with a verifier of its password) and syncs until it is up to date
before the window opens, so the window shows the server's reports at once; the window
then logs in again through its own sync controller, which keeps the token in memory when
the machine has no usable keyring, and shows the link online and synced.

Qt-free until the window opens.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from console import paths

from . import sensors as demo_sensors
from . import server as demo_server
from .folder import DESKS
from .server import DemoAccount


def _fail(message: str) -> int:
    print(f"posko: {message}", file=sys.stderr)
    return 2


def _say(message: str) -> None:
    print(message, flush=True)


def _prepare_database(db_path: Path) -> tuple[int, str | None]:
    """Open (create, migrate) the desk's database and mark it demo data; returns how many
    reports it holds and the server it syncs with."""
    from console.demo.folder import mark_database
    from console.store.db import open_database
    from console.sync import state

    db = open_database(db_path)
    try:
        conn = db.raw()
        try:
            mark_database(conn)
            reports = conn.execute("SELECT count(*) FROM report").fetchone()[0]
            return reports, state.get_meta(conn, state.SERVER_URL)
        finally:
            conn.close()
    finally:
        db.dispose()


def sync_desk(db_path: Path, url: str, logins: Sequence[DemoAccount], *,
              max_time: float = 300.0) -> int:
    """Log the desk in as each of ``logins`` in turn (each is cached in the data folder, so
    it can take duty there later; the last one is on duty and syncs), then sync until up
    to date. Returns the desk's report count."""
    from console.operations import accounts
    from console.store.db import open_database
    from console.store.executor import DbExecutor
    from console.store.seed import ensure_reference_data
    from console.sync.engine import SyncConfig, SyncEngine
    from console.sync.errors import SyncError

    database = open_database(db_path)
    conn = database.raw()
    try:
        ensure_reference_data(conn)
    finally:
        conn.close()
    executor = DbExecutor(database)
    engines: list[SyncEngine] = []
    try:
        verifier = accounts.make_verifier(demo_server.PASSWORD)
        for acc in logins:
            engine = SyncEngine(executor, SyncConfig(server_url=url, username=acc.username))
            engines.append(engine)
            account = engine.login(demo_server.PASSWORD)
            executor.call(accounts.remember_login, account, url, verifier)
        engine = engines[-1]
        deadline = time.monotonic() + max_time
        while True:
            try:
                if engine.run_cycle().complete:
                    break
            except SyncError as exc:  # loopback: only a server still starting, say
                if time.monotonic() > deadline:
                    raise
                time.sleep(min(engine.retry_delay(exc), 2.0))
            if time.monotonic() > deadline:
                raise TimeoutError(f"the desk was not up to date after {max_time:.0f} s")
        return executor.call(lambda c: c.execute("SELECT count(*) FROM report").fetchone()[0])
    finally:
        for engine in engines:
            engine.close()
        executor.shutdown()
        database.dispose()


def _print_accounts(url: str) -> None:
    _say(f"Demo server (Kota Bandung): {url}  (127.0.0.1 only; it stops with this demo)")
    _say(f"Demo accounts, all with the password {demo_server.PASSWORD!r}:")
    for acc in demo_server.ACCOUNTS:
        _say(acc.line())


def _hold(folder_path: Path, fresh: bool, command: str):  # noqa: ANN202
    from console.demo.folder import check_demo_folder, claim
    from console.store.folder_lock import hold_data_folder

    # Checked before anything is written: a refused folder gets no marker, no lock file.
    folder = check_demo_folder(folder_path, fresh=fresh)
    hold = hold_data_folder(folder_path, command)
    claim(folder)
    return folder, hold


def run_desk1(args: argparse.Namespace, run_gui: Callable[..., int]) -> int:
    from console.demo.folder import DemoFolderRefused, reset
    from console.store.db import DatabaseFileError
    from console.store.folder_lock import FolderInUse

    data_dir = Path(args.data_dir or paths.default_demo_dir())
    try:
        folder, hold = _hold(data_dir, args.fresh, "posko demo")
    except (DemoFolderRefused, FolderInUse) as exc:
        return _fail(str(exc))
    try:
        if args.fresh and not folder.is_new:
            try:
                reset(folder)
            except (DemoFolderRefused, FolderInUse) as exc:
                return _fail(str(exc))
        db_path = folder.database
        _say(f"Posko demo database: {db_path}")
        try:
            local, bound = _prepare_database(db_path)
        except DatabaseFileError as exc:
            return _fail(str(exc))
        if local and not bound:
            return _fail(f"{data_dir} holds a demo from an older Posko, without a central "
                         "server; `posko demo --fresh` makes it again with one")
        app = demo_server.open_server_app(data_dir)
        db = app.state.ctx.db
        already = demo_server.report_count(db)
        if already:
            _say(f"Using the existing demo data ({already:,} reports); --fresh starts again.")
        elif args.reports:
            stats = demo_server.seed_server(db, args.reports, seed=args.seed, weeks=args.weeks)
            _say(f"Seeded the server with {stats['reports']:,} reports "
                 f"({stats['dispatches']:,} dispatches) in {stats['seconds']:.1f} s.")
            readings = demo_sensors.seed_day(app.state.ctx)
            _say(f"City sensors: {len(demo_sensors.GAUGES)} gauges, {readings:,} readings of "
                 "the last day; the river gauge at Campaka is over its danger mark.")
        demo_server.ensure_accounts(db)
        demo_sensors.register(db)
        server = demo_server.start_demo_server(data_dir, app)
        gauges = demo_sensors.LiveGauges(app.state.ctx).start()
        try:
            _print_accounts(server.url)
            op = demo_server.OPERATOR
            count = sync_desk(db_path, server.url, [demo_server.SUPERVISOR, op])
            _say(f"Desk 1 is logged in as {op.username} ({op.role}) and synced: "
                 f"{count:,} reports.")
            _say("A second desk (the kelurahan office, its own data folder), in another "
                 "terminal while this demo runs:\n"
                 f"  posko demo --desk kelurahan{_dir_option(args)}"
                 + ("" if args.data_dir else "   (or: make demo-desk2)"))
            _say(f"Other commands use desk 1's data with --data-dir {data_dir}, for example:\n"
                 f"  posko export shift --data-dir {data_dir} --from {_yesterday()} "
                 "--out shift.pdf")
            if args.no_gui:
                return 0
            return run_gui(db_path, args.lang, login=(server.url, op.username,
                                                       demo_server.PASSWORD))
        finally:
            gauges.stop()
            server.stop()
            _say("Demo server stopped.")
    finally:
        hold.release()


def run_desk(args: argparse.Namespace, run_gui: Callable[..., int]) -> int:
    """A further desk (``--desk kelurahan``) against desk 1's running server."""
    from console.demo.folder import DemoFolderRefused, reset
    from console.store.db import DatabaseFileError
    from console.store.folder_lock import FolderInUse

    demo_dir = Path(args.data_dir or paths.default_demo_dir())
    try:
        url = demo_server.running_server_url(demo_dir)
    except demo_server.NoDemoServer as exc:
        return _fail(str(exc))
    desk_dir = demo_dir / DESKS[args.desk]
    try:
        folder, hold = _hold(desk_dir, args.fresh, f"posko demo --desk {args.desk}")
    except (DemoFolderRefused, FolderInUse) as exc:
        return _fail(str(exc))
    try:
        if args.fresh and not folder.is_new:
            reset(folder)
        db_path = folder.database
        _say(f"Posko demo desk 2 database: {db_path}")
        try:
            _prepare_database(db_path)
        except DatabaseFileError as exc:
            return _fail(str(exc))
        acc = demo_server.KELURAHAN
        count = sync_desk(db_path, url, [acc])
        _say(f"Desk 2 is logged in to {url} as {acc.username} ({acc.role}, "
             f"{acc.desk.split(' (')[0]}) and synced: {count:,} reports of its kelurahan.")
        if args.no_gui:
            return 0
        return run_gui(db_path, args.lang, login=(url, acc.username, demo_server.PASSWORD))
    finally:
        hold.release()


def _dir_option(args: argparse.Namespace) -> str:
    return f" --data-dir {args.data_dir}" if args.data_dir else ""


def _yesterday() -> str:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    return (datetime.now(ZoneInfo("Asia/Jakarta")).date() - timedelta(days=1)).isoformat()
