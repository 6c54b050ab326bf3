"""``posko server …`` subcommands: run, add-user, add-api-key, openapi, and the account
and API-key administration of server/admin.py (list-users, disable-user, …).

Wired into the top-level CLI (console/cli.py) by ``add_server_parser(sub)`` and
``run(args)``; also runnable alone as ``python -m server …``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

DEFAULT_DB = "posko-server.sqlite3"


def add_server_parser(subparsers) -> argparse.ArgumentParser:  # noqa: ANN001
    server = subparsers.add_parser("server", help="the central server (run, accounts, API keys)")
    _fill(server)
    return server


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None,
                   help="SQLite file or postgresql://user@host:port/database "
                        f"(default: {DEFAULT_DB} in --data-dir)")
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="folder for the server's SQLite file and attachments when --db is not "
                        "given (default: the per-user data folder's 'server' subfolder)")
    p.add_argument("--city", default="bandung", choices=["bandung", "semarang"],
                   help="city whose regions a new database is seeded with (default: bandung)")


def _fill(server: argparse.ArgumentParser) -> None:
    sub = server.add_subparsers(dest="server_command", required=True)
    run_p = sub.add_parser("run", help="serve the sync API and Open311")
    _db_option(run_p)
    run_p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run_p.add_argument("--port", type=int, default=8311, help="port (default 8311)")
    run_p.add_argument("--files", type=Path, default=None,
                       help="folder for attachment files (default: next to the SQLite file; "
                            "with PostgreSQL, 'files' in --data-dir)")
    run_p.add_argument("--header-timeout", type=float, default=20.0, metavar="S",
                       help="close a connection whose request headers take longer (default 20)")
    run_p.add_argument("--body-timeout", type=float, default=60.0, metavar="S",
                       help="answer 408 to a request body slower than this many seconds plus "
                            "one per KiB (default 60)")
    run_p.add_argument("--keep-alive-timeout", type=int, default=30, metavar="S",
                       help="close an idle keep-alive connection after this long (default 30)")
    run_p.add_argument("--max-connections", type=int, default=1000, metavar="N",
                       help="connections and requests at once; more answer 503 (default 1000; "
                            "keep the open-files limit, ulimit -n, above it)")
    run_p.add_argument("--docs", action="store_true",
                       help="serve the interactive API pages /docs and /redoc (off by default)")
    run_p.add_argument("--certfile", type=Path, default=None,
                       help="TLS certificate (PEM, with its chain): serve https:// directly")
    run_p.add_argument("--keyfile", type=Path, default=None,
                       help="the certificate's private key (PEM)")
    run_p.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])
    run_p.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes (PostgreSQL only; default 1). A killed worker "
                            "is restarted; see docs/deploy.md")
    run_p.add_argument("--log-format", default="text", choices=["text", "json"],
                       help="json: one JSON object a line on stderr, no client addresses "
                            "or personal data (default text)")
    run_p.add_argument("--proxy-headers", action="store_true",
                       help="behind a reverse proxy on this machine: take the client address "
                            "(login and Open311 limits, the public page's) from its "
                            "X-Forwarded-For, trusted from 127.0.0.1 and ::1 only")
    run_p.add_argument("--metrics-token", default=None, metavar="TOKEN",
                       help="let a Prometheus on another machine scrape /metrics with "
                            "'Authorization: Bearer TOKEN' (default: loopback only)")
    from server.sensors import cli as sensors_cli

    sensors_cli.add_run_options(run_p)

    user = sub.add_parser("add-user", help="create an account (password read from stdin)")
    user.add_argument("name", help="username")
    user.add_argument("--role", required=True,
                      choices=["operator", "kelurahan", "supervisor", "admin"])
    user.add_argument("--region", action="append", default=[], metavar="CODE",
                      help="region code the account serves (repeatable); none = whole city "
                           "(not allowed for kelurahan)")
    user.add_argument("--display-name", default=None)
    _db_option(user)

    key = sub.add_parser("add-api-key", help="create an Open311 API key; prints it last")
    key.add_argument("name", help="who the key is for (the citizen app's name)")
    _db_option(key)

    from server import admin

    admin.add_parsers(sub, _db_option)
    sensors_cli.add_parsers(sub, _db_option)

    mig = sub.add_parser("migrate", help="bring the database schema to this version's head "
                                         "(also done by run; for upgrade drills and scripts)")
    _db_option(mig)

    bk = sub.add_parser("backup", help="copy the database and attachment files into one "
                                       "archive (safe while the server runs)")
    bk.add_argument("--out", type=Path, required=True, help="archive to write (replaced "
                    "only once the new one is complete)")
    bk.add_argument("--files", type=Path, default=None, help="attachment folder, if the "
                    "server runs with --files")
    _db_option(bk)
    rs = sub.add_parser("restore", help="put a backup in place (stop the server first)")
    rs.add_argument("--from", dest="source", type=Path, required=True, help="the archive")
    rs.add_argument("--force", action="store_true", help="replace a database that is not "
                    "empty (the files folder it replaces is kept aside)")
    rs.add_argument("--files", type=Path, default=None, help="attachment folder, if the "
                    "server runs with --files")
    _db_option(rs)

    spec = sub.add_parser("openapi", help="print the OpenAPI document (docs/openapi.json)")
    spec.add_argument("--out", type=Path, default=None, help="write to this file instead")


def _default_data_dir() -> Path:
    from server.settings import default_data_dir

    return default_data_dir()


def settings_from_args(args: argparse.Namespace):  # noqa: ANN201
    """The Settings a command line asks for (ValueError for a bad one). The data folder
    holds the SQLite file when --db is not given, and the attachment files unless --files
    (or an explicit SQLite --db, whose files sit next to it) says otherwise."""
    from server.settings import Settings, private_dir

    data_dir = getattr(args, "data_dir", None) or _default_data_dir()
    if args.db is None:
        private_dir(data_dir)
        args.db = str(data_dir / DEFAULT_DB)
    return Settings(db_url=args.db, city=args.city, files_dir=getattr(args, "files", None),
                    data_dir=data_dir, docs=getattr(args, "docs", False),
                    metrics_token=getattr(args, "metrics_token", None),
                    **{k: getattr(args, k) for k in ("header_timeout", "body_timeout",
                                                     "keep_alive_timeout", "max_connections")
                       if hasattr(args, k)})


def _fail(message: str) -> int:
    print(f"posko server: {message}", file=sys.stderr)
    return 2


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("the passwords differ")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def openapi_text() -> str:
    from server.app import create_app

    return json.dumps(create_app(connect=False).openapi(), indent=2, sort_keys=False,
                      ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    cmd = args.server_command
    if cmd == "openapi":
        text = openapi_text()
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0

    from sqlalchemy.exc import OperationalError

    try:
        settings = settings_from_args(args)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        if cmd == "run":
            return _serve(settings, args)
        if cmd in ("backup", "restore"):
            return _backup_or_restore(settings, args)
        if cmd == "migrate":
            from server.db import Database, current_revision, head_revision
            from server.open_db import open_database

            probe = Database(settings.db_url)
            try:
                before = current_revision(probe.engine)
            finally:
                probe.dispose()
            open_database(settings.db_url, city=settings.city).dispose()
            print(f"database schema at {head_revision()} (was {before or 'empty'})")
            return 0
        from server import admin, auth
        from server.open_db import open_database

        db = open_database(settings.db_url, city=settings.city)
        try:
            if cmd == "add-user":
                try:
                    password = _read_password()
                    account_id = auth.create_account(
                        db, args.name, args.role, password, regions=args.region,
                        display_name=args.display_name)
                except (ValueError, auth.AccountError) as exc:
                    return _fail(str(exc))
                scope = ", ".join(args.region) or "whole city"
                print(f"account {args.name} ({args.role}, {scope}) created: {account_id}")
                return 0
            if cmd in admin.COMMANDS:
                try:
                    return admin.run(db, args, _read_password)
                except (ValueError, admin.AdminError) as exc:
                    return _fail(str(exc))
            from server.sensors import cli as sensors_cli
            from server.sensors.registry import SensorError

            if cmd in sensors_cli.COMMANDS:
                try:
                    return sensors_cli.run(db, args, _city_code(settings.city))
                except SensorError as exc:
                    return _fail(str(exc))
            if cmd == "add-api-key":
                try:
                    key = auth.create_api_key(db, args.name)
                except auth.AccountError as exc:
                    return _fail(str(exc))
                print(f"Open311 API key for {args.name.strip()} (shown once): {key}")
                return 0
        finally:
            db.dispose()
    except OperationalError as exc:
        return _fail(f"cannot use the database {args.db}: {str(exc.orig).strip()}")
    return _fail(f"unknown command {cmd!r}")


def _backup_or_restore(settings, args: argparse.Namespace) -> int:  # noqa: ANN001
    from server import backup

    try:
        if args.server_command == "backup":
            m = backup.backup(settings, args.out)
            print(f"backup written to {args.out}: {m['backend']} database at "
                  f"{m['schema_revision']}, {m['files']} files")
        else:
            m = backup.restore(settings, args.source, force=args.force)
            print(f"restored the backup of {m['created']} ({m['backend']}, "
                  f"{m['files']} files) into {_shown_url(settings.db_url)}")
    except backup.BackupError as exc:
        return _fail(str(exc))
    return 0


def _serve(settings, args: argparse.Namespace) -> int:  # noqa: ANN001
    import uvicorn

    from server.app import create_app

    tls = {}
    if args.certfile or args.keyfile:
        if not (args.certfile and args.keyfile):
            return _fail("give both --certfile and --keyfile")
        for f in (args.certfile, args.keyfile):
            if not f.is_file():
                return _fail(f"no such file: {f}")
        tls = {"ssl_certfile": str(args.certfile), "ssl_keyfile": str(args.keyfile)}
    elif args.host not in ("127.0.0.1", "::1", "localhost"):
        print("posko server: WARNING: serving plain HTTP on a network address; passwords and "
              "tokens cross it unencrypted. Give --certfile/--keyfile, or put a TLS reverse "
              "proxy in front (README: 'TLS').", file=sys.stderr, flush=True)
    from server.sensors import cli as sensors_cli

    try:
        mqtt = sensors_cli.mqtt_settings(args)
    except (ValueError, OSError) as exc:
        return _fail(str(exc))
    from server.logs import log_config
    from server.netguard import protocol_class, quiet_floods

    workers = getattr(args, "workers", 1)
    options: dict = {}
    logs = log_config(getattr(args, "log_format", "text"), args.log_level)
    if logs is not None:
        import logging.config

        logging.config.dictConfig(logs)  # now: the start-up lines are JSON too
        options.update(log_config=logs, access_log=False)
    if workers < 1:
        return _fail("--workers must be 1 or more")
    if workers > 1:
        if settings.is_sqlite:
            return _fail("--workers needs PostgreSQL (--db postgresql://…): a SQLite file has "
                         "one writer, so more processes only queue for it")
        from server import workers as multi

        multi.prepare(settings)
        target, http = "server.workers:worker_app", "server.workers:GuardedProtocol"
        options.update(factory=True, workers=workers)
        url = _shown_url(settings.db_url)
    else:
        target = create_app(settings)
        http = protocol_class(settings.header_timeout)
        url = target.state.ctx.db.engine.url.render_as_string(hide_password=True)
    sensors = None
    if mqtt is not None:  # in this process only: one MQTT client per run, however many workers
        from server.sensors.service import SensorService

        sensors = SensorService.open(settings, mqtt,
                                     ctx=target.state.ctx if workers == 1 else None)
        sensors.start()
    scheme = "https" if tls else "http"
    print(f"Posko server for {settings.city} on {scheme}://{args.host}:{args.port} "
          f"(database: {url}; workers: {workers})", flush=True)
    quiet_floods()
    uvicorn.run(target, host=args.host, port=args.port, log_level=args.log_level, **tls,
                **options, http=http, loop="asyncio",
                # a reply on a 64 kbit/s link can sit in buffers longer than the default
                # 5 s; keeping connections open saves a TCP+TLS handshake per batch
                timeout_keep_alive=settings.keep_alive_timeout,
                limit_concurrency=settings.max_connections,
                h11_max_incomplete_event_size=32 * 1024,
                # off unless asked: a client could otherwise pick its own address
                proxy_headers=getattr(args, "proxy_headers", False),
                forwarded_allow_ips="127.0.0.1,::1", server_header=False)
    if sensors is not None:  # uvicorn returned: stop reading the broker, write what is queued
        sensors.stop()
    return 0


def _city_code(city: str) -> str:
    from console.store.regions import city as city_def

    return city_def(city).kemendagri


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m server")
    _fill(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))
