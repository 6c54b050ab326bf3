"""Fixtures every test package shares: a fresh WAL database per test, with the reference
data (agencies, categories, regions) a real install starts with."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


@pytest.fixture
def db(tmp_path):
    from console.store.db import open_database
    from console.store.seed import ensure_reference_data

    database = open_database(tmp_path / "posko.sqlite3")
    conn = database.raw()
    ensure_reference_data(conn)
    conn.close()
    yield database
    database.dispose()


@pytest.fixture
def conn(db):
    connection = db.raw()
    yield connection
    connection.close()
