"""Helpers the sync tests share (fixtures are in conftest.py): the test region, a console
as a test drives it (its database, DB worker and sync engine), a report filed at one, two
consoles holding one report, an offline edit and a title conflict made with it, an async
wait on a condition, and an HTTP front of the real server that a test can make answer
wrongly."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEL = "3273-2483-30959"  # Campaka, kecamatan Andir, Kota Bandung
KEL_OTHER = "3273-2483-30960"


@dataclass
class Console:
    """One console: its database file, DB worker and sync engine."""

    path: Path
    database: object
    executor: object
    engine: object
    username: str

    def call(self, fn, *args, **kw):
        return self.executor.call(fn, *args, **kw)

    def sql(self, query: str, *params):
        return self.executor.call(lambda c: c.execute(query, params).fetchall())

    def scalar(self, query: str, *params):
        return self.sql(query, *params)[0][0]

    def sync(self, *, rounds: int = 1):
        for _ in range(rounds):
            report = self.engine.run_cycle()
        return report

    def close(self) -> None:
        self.engine.close()
        self.executor.shutdown()
        self.database.dispose()


def open_console(folder: Path, url: str, username: str, **config_kw) -> Console:
    from console.store.db import open_database
    from console.store.executor import DbExecutor
    from console.store.seed import ensure_reference_data
    from console.sync.engine import SyncConfig, SyncEngine

    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(folder / "posko.sqlite3")
    conn = database.raw()
    ensure_reference_data(conn)
    conn.close()
    executor = DbExecutor(database)
    config_kw.setdefault("min_connect_timeout", 2.0)
    config_kw.setdefault("min_read_timeout", 3.0)
    config = SyncConfig(server_url=url, username=username, blob_dir=folder / "blobs", **config_kw)
    engine = SyncEngine(executor, config)
    return Console(folder, database, executor, engine, username)


def new_report(console: Console, *, region: str = KEL, title: str = "Jalan berlubang", **kw):
    from console.operations.intake import NewReport, create_report

    data = dict(channel="phone", category_code="jalan_rusak", title=title,
                description="Lubang besar dekat halte", lat=-6.917, lon=107.609,
                region_code=region)
    data.update(kw)
    changes = console.call(create_report, console.username, NewReport(**data))
    (rid,) = changes.created
    return rid


def shared_report(make_console) -> tuple:  # noqa: ANN001 - the make_console fixture
    """Two consoles ``a`` and ``b`` of one region that both hold a report ``a`` filed
    (``a`` synced, then ``b``): (a, b, report id)."""
    a = make_console()
    b = make_console()
    rid = new_report(a)
    a.sync()
    b.sync()
    return a, b, rid


def edit(console, rid: str, **fields) -> None:  # noqa: ANN001 - a conftest Console
    """The console's user changes ``fields`` of the report here, as an edit in Detail does:
    one local patch, queued in the outbox until the next sync."""
    from console.operations.reports import _patch_report, load_report
    from console.store.timefmt import utcnow
    from console.store.transaction import write_transaction

    def patch(conn) -> None:  # noqa: ANN001
        with write_transaction(conn):
            _patch_report(conn, load_report(conn, rid), fields, console.username, utcnow())

    console.call(patch)


def title_conflict(make_console, a_title: str, b_title: str) -> tuple:  # noqa: ANN001
    """Two consoles that both changed the title of a shared report offline and synced,
    ``a`` first: ``a_title`` is the server's, ``b`` holds an open conflict on the title.
    (a, b, report id)."""
    a, b, rid = shared_report(make_console)
    edit(a, rid, title=a_title)
    edit(b, rid, title=b_title)
    a.sync()
    b.sync()
    return a, b, rid


async def until(cond: Callable[[], object], timeout: float = 20.0) -> float:
    """Wait on the running loop until ``cond()`` is true; the seconds it took. A test that
    waits longer than ``timeout`` fails."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not cond():
        if loop.time() - start > timeout:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)
    return loop.time() - start


class Front:
    """An HTTP front of the real server on 127.0.0.1 (``url``): each request goes to
    :meth:`answer`, which forwards it; a test's front overrides ``answer`` to spoil the
    answers it chooses. ``close()`` at the end."""

    #: Request headers not passed on (the front sets its own host and length).
    dropped_headers: tuple[str, ...] = ("host", "content-length")

    def __init__(self, target: str) -> None:
        self.target = target
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_a) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in front.dropped_headers}
                status, raw, reply_headers = front.answer(self.command, self.path, body,
                                                          headers)
                self.send_response(status)
                for name, value in reply_headers.items():
                    if value:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_PUT = _forward  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, command: str, path: str, body: bytes | None,
               headers: dict[str, str]) -> tuple[int, bytes, dict[str, str | None]]:
        """(status, body, headers to send but Content-Length) for one request."""
        raise NotImplementedError

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
