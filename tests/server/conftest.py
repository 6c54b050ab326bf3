"""Fixtures of the server tests: a real server on 127.0.0.1 over real HTTP.

``live`` starts uvicorn in a background thread on a free port, once per test module and
backend: a fresh SQLite file, and - when ``POSKO_TEST_PG_URL`` is set - a fresh schema in
a throwaway PostgreSQL database made for this session (``posko_test_<random>``, dropped at
the end). Without ``POSKO_TEST_PG_URL`` the PostgreSQL runs skip, saying why; with
``POSKO_REQUIRE_PG=1`` an unreachable PostgreSQL fails them instead.
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from console.domain.tickets import station_code
from tests.server.helpers import database_url, plain_pg

PG_ENV = "POSKO_TEST_PG_URL"
REQUIRE_ENV = "POSKO_REQUIRE_PG"
PASSWORD = "correct horse battery"
# Kota Bandung: kecamatan Andir (3273-2483) and two of its kelurahan, and another kecamatan.
BANDUNG = "3273"
KEC_A = "3273-2483"
KEL_A1 = "3273-2483-30959"


def pytest_collection_modifyitems(config, items) -> None:
    """Without POSKO_TEST_PG_URL, mark the PostgreSQL runs skipped up front (one folded
    line per file in the summary instead of one per test)."""
    if os.environ.get(PG_ENV) or os.environ.get(REQUIRE_ENV) == "1":
        return
    skip = pytest.mark.skip(reason=f"{PG_ENV} is not set; the PostgreSQL variant of the server "
                                   "tests is skipped (set it, e.g. "
                                   "postgresql://postgres@127.0.0.1:5432/test)")
    here = os.path.dirname(__file__)
    for item in items:
        if "postgres" in item.keywords and str(item.fspath).startswith(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_url():
    """URL of a fresh throwaway PostgreSQL database for this test session."""
    url = os.environ.get(PG_ENV)
    required = os.environ.get(REQUIRE_ENV) == "1"
    if not url:
        if required:
            pytest.fail(f"{REQUIRE_ENV}=1 but {PG_ENV} is not set")
        pytest.skip(f"{PG_ENV} is not set; the PostgreSQL variant of the server tests is "
                    f"skipped (set it, e.g. postgresql://postgres@127.0.0.1:5432/test)")
    import psycopg

    name = f"posko_test_{secrets.token_hex(6)}"
    try:
        admin = psycopg.connect(plain_pg(url), autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        message = f"PostgreSQL at {PG_ENV}={url} is unreachable: {exc}"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    admin.execute(f'CREATE DATABASE "{name}"')
    base = plain_pg(url).rsplit("/", 1)[0]
    try:
        yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Live:
    base_url: str
    settings: Any
    app: Any
    backend: str
    clients: list = field(default_factory=list)

    @property
    def ctx(self):
        return self.app.state.ctx

    def client(self, token: str | None = None, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        c = httpx.Client(base_url=self.base_url, headers=headers, timeout=30, **kw)
        self.clients.append(c)
        return c

    def account(self, role: str = "operator", regions: list[str] | None = None,
                name: str | None = None) -> httpx.Client:
        """A new account, logged in: an httpx client carrying its token."""
        from server import auth

        name = name or f"{role}-{secrets.token_hex(4)}"
        auth.create_account(self.ctx.db, name, role, PASSWORD, regions=regions,
                            profile="fast")
        r = self.client().post("/v1/auth/login", json={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        c = self.client(r.json()["token"])
        c.username = name
        c.station = station_code(name, r.json()["account"]["id"])
        return c

    def other_desk(self, c: httpx.Client) -> httpx.Client:
        """Another login of ``c``'s account (a second console): the change feed leaves out
        what a session pushed itself, so a test reading back its own pushes uses this."""
        r = self.client().post("/v1/auth/login", json={"username": c.username,
                                                        "password": PASSWORD})
        assert r.status_code == 200, r.text
        other = self.client(r.json()["token"])
        other.username = c.username
        return other


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def start_server(settings) -> tuple[Any, Any, threading.Thread, str]:
    from server.app import create_app
    from server.inprocess import serve_in_thread

    app = create_app(settings)
    sock = _free_socket()
    port = sock.getsockname()[1]
    # Keep-alive longer than any pause in a test on a loaded machine: uvicorn's 5 s
    # default let the server close an idle connection just as the test client reused it
    # (a connection reset, seen in CI with two suites sharing two cores).
    server, thread = serve_in_thread(app, sock, name="test server", keep_alive=120)
    return app, server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def live(request, backend, tmp_path_factory):
    from server.settings import Settings

    folder = tmp_path_factory.mktemp(f"server-{backend}")
    db_url = database_url(request, backend, folder)
    # Every test client sends from 127.0.0.1: the per-address Open311 limit is raised for
    # the shared server; test_open311_limits.py tightens the limits it tests.
    settings = Settings(db_url=db_url, files_dir=folder / "files", password_profile="fast",
                        max_attachment_bytes=1024 * 1024, max_chunk_bytes=256 * 1024,
                        open311_posts_per_address=1000)
    app, server, thread, base_url = start_server(settings)
    live = Live(base_url, settings, app, backend)
    try:
        yield live
    finally:
        for c in live.clients:
            c.close()
        server.should_exit = True
        thread.join(15)
        app.state.ctx.db.dispose()


# --- helpers the tests share ---------------------------------------------------------------

def uid() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def report_fields(region: str | None = KEL_A1, **over) -> dict:
    """A report as a console's intake writes it (console/operations/intake.py)."""
    rid = over.pop("id", None) or uid()
    fields = {
        "id": rid, "ticket": f"TST-{secrets.token_hex(5)}", "channel": "phone",
        "category_code": "jalan_rusak", "priority": 3, "status": "new", "triage": None,
        "title": "Jalan berlubang di Jl. Cihampelas", "description": "Lubang besar dekat halte",
        "reporter_name": "Ibu Sari", "reporter_phone": "081234567890",
        "lat": -6.9, "lon": 107.6, "address": "Jl. Cihampelas No. 10",
        "region_code": region, "created_at": "2026-11-28 10:00:00.000000",
        "updated_at": "2026-11-28 10:00:00.000000", "sla_due_at": None, "revision": 1,
        "created_by": "op1",
    }
    fields.update(over)
    return fields


_TICKET_NUMBERS = itertools.count(1)


def own_ticket(client: httpx.Client) -> str:
    """A ticket in the pushing account's own station (console/domain/tickets.py): the
    server keeps it; any other is replaced by a server-made number. Never the same twice."""
    return f"{client.station}-261128-{next(_TICKET_NUMBERS):05d}"


def create_mut(region: str | None = KEL_A1, **over) -> dict:
    f = report_fields(region, **over)
    return {"id": uid(), "entity": "report", "entity_id": f["id"], "op": "create",
            "fields": f, "actor": "op1", "at": now_iso(), "base_revision": None, "meta": {}}


def patch_mut(report_id: str, base: int, **fields) -> dict:
    return {"id": uid(), "entity": "report", "entity_id": report_id, "op": "patch",
            "fields": fields, "actor": "op1", "at": now_iso(), "base_revision": base,
            "meta": {}}


def note_mut(report_id: str, body: str = "Petugas sudah di lokasi") -> dict:
    return {"id": uid(), "entity": "note", "entity_id": uid(), "op": "note",
            "fields": {"report_id": report_id, "body": body}, "actor": "op1", "at": now_iso(),
            "base_revision": None, "meta": {}}


def push(client: httpx.Client, *mutations: dict) -> list[dict]:
    r = client.post("/v1/push", json={"mutations": list(mutations)})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def pull_all(client: httpx.Client, cursor: int = 0, limit: int = 500) -> tuple[dict, int]:
    """Every table row after ``cursor`` as {table: [dict rows]}, and the final cursor."""
    out: dict[str, list[dict]] = {}
    while True:
        r = client.get("/v1/pull", params={"cursor": cursor, "limit": limit})
        assert r.status_code == 200, r.text
        page = r.json()
        for name, table in page["tables"].items():
            cols = table["cols"]
            for row in table["rows"]:
                out.setdefault(name, []).append(dict(zip(cols, row + [None] * (len(cols) - len(row)), strict=True)))
        cursor = page["next_cursor"]
        if not page["more"]:
            return out, cursor


def head(client: httpx.Client) -> int:
    r = client.get("/v1/pull", params={"cursor": 0, "limit": 1})
    assert r.status_code == 200, r.text
    return r.json()["head"]


@pytest.fixture(scope="module")
def op(live):
    """An operator account (city-wide) on this module's server."""
    return live.account("operator")
