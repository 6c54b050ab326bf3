"""Fixtures every test package shares: a fresh WAL database per test, with the reference
data (agencies, categories, regions) a real install starts with."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Software rendering, no GPU process: what a headless test machine can run.
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")

#: Where `make test` looks for PostgreSQL when POSKO_TEST_PG_URL is not set (set it to
#: an empty value to skip the PostgreSQL tests even though a server answers there).
PG_DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _default_postgres() -> None:
    """Run the PostgreSQL variants whenever a server answers at the default local URL, so
    a developer's `make test` covers what CI covers without knowing the variable."""
    if "POSKO_TEST_PG_URL" in os.environ:
        return
    try:
        import psycopg

        psycopg.connect(PG_DEFAULT_URL.replace("+psycopg", ""), connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - none there (or no driver): those tests skip, saying why
        return
    os.environ["POSKO_TEST_PG_URL"] = PG_DEFAULT_URL


_default_postgres()


#: Tests that start QtWebEngine in the test process. `make test` runs them in a pytest
#: process of their own: after a few web pages have come and gone, a later test that
#: blocks on child processes (tests/e2e/test_single_process.py) has been seen to crash
#: the interpreter in Qt's event processing — an artefact of many windows and engines in
#: one long process, which the console (one window, one engine) never builds.
# What the console does before its QApplication exists (posko:// registered with
# QtWebEngine, the PySide6 check) happens before pytest-qt makes the tests' one.
from console.views.bootstrap import bootstrap  # noqa: E402

bootstrap()

WEBENGINE_TESTS = ("tests/map/", "tests/e2e/test_map_live.py", "tests/e2e/test_sensor_live.py")


def pytest_collection_modifyitems(config, items):  # noqa: ARG001 - pytest hook
    for item in items:
        if any(part in item.nodeid for part in WEBENGINE_TESTS):
            item.add_marker(pytest.mark.webengine)


@pytest.fixture(scope="session", autouse=True)
def gc_on_the_gui_thread(qapp):
    """As run_console does: cyclic garbage (Qt wrappers of closed windows included) is
    collected on the GUI thread, never by a sync or watch thread that happens to allocate
    (console/views/main_thread_gc.py; it crashed a later test's event processing)."""
    from console.views.main_thread_gc import MainThreadGC

    collector = MainThreadGC(qapp)
    yield collector


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keyring: the operating system's keyring is never
    touched, and databases are encrypted (their key stored here) as on a real install."""
    import keyring

    from console.sync.testing.memkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True, scope="session")
def _private_settings(tmp_path_factory):
    """Any QSettings("Posko", "Posko") a test creates lives in a temp dir, never the
    user's own."""
    from PySide6.QtCore import QSettings

    root = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, root)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, root)


@pytest.fixture
def ui_settings(tmp_path):
    """The settings a window or panel under test is given: an INI file under tmp_path."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def db_fill():
    """What a fresh ``db`` holds before the test: the reference data a real install starts
    with. A folder's conftest overrides this fixture to give ``db`` other contents."""
    from console.store.seed import ensure_reference_data

    return ensure_reference_data


@pytest.fixture
def db(tmp_path, db_fill):
    from console.store.db import open_database

    database = open_database(tmp_path / "posko.sqlite3")
    conn = database.raw()
    db_fill(conn)
    conn.close()
    yield database
    database.dispose()


@pytest.fixture
def executor(db):
    """The console's one database worker on this test's ``db`` (a folder's conftest may
    give ``db`` other contents; this uses whichever is in scope)."""
    from console.store.executor import DbExecutor

    ex = DbExecutor(db)
    yield ex
    ex.shutdown()


@pytest.fixture
def bridge(qapp, executor):
    """The Qt side of the worker (results delivered as signals on the GUI thread)."""
    from console.views.db_bridge import DbBridge

    b = DbBridge(executor)
    yield b
    b.shutdown()
    b.deleteLater()


@pytest.fixture
def conn(db):
    connection = db.raw()
    yield connection
    connection.close()


@pytest.fixture
def qloop(qapp):
    """The qasync loop run_console runs the sync controller on (tests spin Qt's loop
    with qtbot waits; the controller's coroutines run on it)."""
    import asyncio
    import contextlib

    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    with contextlib.suppress(RuntimeError):
        loop.close()
    asyncio.set_event_loop(None)
