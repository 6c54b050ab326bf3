"""Fixtures of the server tests: a real server on 127.0.0.1 over real HTTP.

``live`` starts uvicorn in a background thread on a free port, once per test module and
backend: a fresh SQLite file, and - when ``POSKO_TEST_PG_URL`` is set - a fresh schema in
a throwaway PostgreSQL database made for this session (``posko_test_<random>``, dropped at
the end). Without ``POSKO_TEST_PG_URL`` the PostgreSQL runs skip, saying why; with
``POSKO_REQUIRE_PG=1`` an unreachable PostgreSQL fails them instead.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from console.domain.tickets import station_code
from tests.server.helpers import (
    PASSWORD,
    PG_ENV,
    REQUIRE_ENV,
    database_url,
    plain_pg,
    start_server,
)


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


@pytest.fixture(scope="module")
def op(live):
    """An operator account (city-wide) on this module's server."""
    return live.account("operator")
