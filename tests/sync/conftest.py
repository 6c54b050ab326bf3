"""Fixtures of the sync tests: a real central server on 127.0.0.1 (one per module), the
fault proxy in front of it, consoles (real SQLite files) and engines, and an in-memory
keyring so no test ever touches the operating system's keyring."""

from __future__ import annotations

import itertools
import os

import pytest

from console.sync.testing.live import PASSWORD, start_live_server
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import KEL, Console, open_console

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
