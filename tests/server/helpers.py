"""Helpers the server tests share (fixtures are in conftest.py): the databases a test
server runs on (a fresh one per module and backend), the server in a thread, the accounts'
places and password, and mutations as a console writes them."""

from __future__ import annotations

import itertools
import secrets
import socket
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx


def plain_pg(url: str) -> str:
    """The URL psycopg itself takes (SQLAlchemy's ``+psycopg`` driver name dropped)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def pg_schema_url(pg_url: str) -> str:
    """A fresh schema inside the session database, so every module starts empty."""
    import psycopg

    schema = f"m_{secrets.token_hex(5)}"
    with psycopg.connect(plain_pg(pg_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{pg_url}?options=-csearch_path%3D{schema}"


def database_url(request, backend: str, folder: Path) -> str:  # noqa: ANN001 - pytest's request
    """A fresh database for ``backend``: a new schema in the session's PostgreSQL database
    (the ``pg_url`` fixture) for "pg", else an SQLite file in ``folder``."""
    if backend == "pg":
        return pg_schema_url(request.getfixturevalue("pg_url"))
    return str(folder / "server.sqlite3")


PG_ENV = "POSKO_TEST_PG_URL"
REQUIRE_ENV = "POSKO_REQUIRE_PG"
PASSWORD = "correct horse battery"
# Kota Bandung: kecamatan Andir (3273-2483) and two of its kelurahan, and another kecamatan.
BANDUNG = "3273"
KEC_A = "3273-2483"
KEL_A1 = "3273-2483-30959"


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
