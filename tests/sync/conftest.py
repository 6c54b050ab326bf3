"""Fixtures of the sync tests: a real central server on 127.0.0.1 (one per module), the
fault proxy in front of it, consoles (real SQLite files) and engines, and an in-memory
keyring so no test ever touches the operating system's keyring."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from console.sync.testing.live import PASSWORD, start_live_server
from console.sync.testing.proxy import LinkShape, ProxyThread

KEL = "3273-2483-30959"  # Campaka, kecamatan Andir, Kota Bandung
KEL_OTHER = "3273-2483-30960"
_names = itertools.count(1)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = start_live_server(tmp_path_factory.mktemp("server"),
                               max_attachment_bytes=8 * 1024 * 1024, max_chunk_bytes=512 * 1024)
    yield server
    server.stop()


@pytest.fixture
def proxy(live):
    p = ProxyThread("127.0.0.1", live.port, LinkShape(), seed=7)
    yield p
    p.stop()


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


@pytest.fixture
def make_console(tmp_path, live):
    made: list[Console] = []

    def make(url: str | None = None, *, role: str = "kelurahan", regions=(KEL,), login=True,
             name: str | None = None, **config_kw) -> Console:
        name = name or f"kel{next(_names)}-{os.getpid()}"
        live.add_user(name, role, list(regions) if regions else None)
        console = open_console(tmp_path / name, url or live.url, name, **config_kw)
        if login:
            console.engine.login(PASSWORD)
        made.append(console)
        return console

    yield make
    for c in made:
        c.close()


def new_report(console: Console, *, region: str = KEL, title: str = "Jalan berlubang", **kw):
    from console.operations.intake import NewReport, create_report

    data = dict(channel="phone", category_code="jalan_rusak", title=title,
                description="Lubang besar dekat halte", lat=-6.917, lon=107.609,
                region_code=region)
    data.update(kw)
    changes = console.call(create_report, console.username, NewReport(**data))
    (rid,) = changes.created
    return rid
