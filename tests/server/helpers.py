"""Helpers the server tests share (fixtures are in conftest.py): the databases a test
server runs on, a fresh one per module and backend."""

from __future__ import annotations

import secrets
from pathlib import Path


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
