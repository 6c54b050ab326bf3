"""End-to-end fixtures: the real main window on a real data folder, driven as an operator
drives it (key presses and clicks, pytest-qt offscreen), and a real central server on
127.0.0.1 where sync is involved.

A :class:`Desk` (tests/e2e/helpers.py) is one console: its data folder, database, worker, bridge and window.
Tests assert what the operator sees (``desk.window``…) *and* what the database holds
(``desk.sql`` / ``desk.scalar``), and for synced scenarios what the server holds
(``live.ctx.db``)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from tests.e2e.helpers import Desk, Page, close_desk, open_desk


@pytest.fixture(autouse=True)
def _no_map(monkeypatch):
    """The map placeholder unless a test asks for the web engine (it is slow to start)."""
    monkeypatch.setenv("POSKO_NO_MAP", "1")


@pytest.fixture
def mapdesk(qtbot, tmp_path):
    """A desk with the live offline map in its dock, as run_console attaches it
    (console/views/app.py _attach_offline_map), with its first markers painted;
    ``mapdesk.page`` queries the page (webengine tests only)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from console.views.map_panel import MapPanel

    desk = open_desk(qtbot, tmp_path / "desk")
    w = desk.window
    panel = MapPanel(w, bridge=desk.bridge, settings=w.settings, lang="id",
                     cache_dir=desk.folder, autostart=False)
    w.attach_map(panel)
    events: list = []
    panel.ready.connect(lambda: events.append("ready"))
    panel.painted.connect(lambda kind, *_a: events.append(kind))
    panel.start()
    qtbot.waitUntil(lambda: "ready" in events and "load" in events, timeout=30_000)
    desk.page = Page(qtbot, panel)
    desk.panel = panel
    yield desk
    close_desk(desk)
    # Now, while the app lives, and the page before its profile (as _dispose_window does
    # at exit): a web page left for the garbage collector aborts a later test.
    if panel.page is not None:
        panel.page.deleteLater()
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


_names = itertools.count(1)


@pytest.fixture
def desk(qtbot, tmp_path):
    """A fresh console on a fresh data folder with three realistic reports."""
    d = open_desk(qtbot, tmp_path / f"desk{next(_names)}-{os.getpid()}")
    yield d
    close_desk(d)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A real central server on 127.0.0.1 (one per test module)."""
    from console.sync.testing.live import start_live_server

    server = start_live_server(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own: consoles seeded before their first login number their
    tickets alike (station code PSK), so a module's shared ``live`` server would refuse the
    second console's seeded reports as duplicate tickets."""
    from console.sync.testing.live import start_live_server

    srv = start_live_server(tmp_path / "own-server")
    yield srv
    srv.stop()


@pytest.fixture
def desks(qtbot):
    """Open more desks (``desks(folder, seed=False, ...)`` → :class:`Desk`), e.g. the
    same folder a second time; each is closed at the end unless the test did. Tests use
    this rather than importing conftest (module names clash across test folders)."""
    opened: list[Desk] = []

    def make(folder: Path, **kw) -> Desk:
        d = open_desk(qtbot, folder, **kw)
        opened.append(d)
        return d

    make.close = close_desk  # type: ignore[attr-defined]
    yield make
    for d in opened:
        if not getattr(d, "_closed", False):
            close_desk(d)


@pytest.fixture
def running_qloop(qapp):
    """The qasync loop, marked running while the test spins Qt's event loop (qtbot waits),
    as run_console's app.exec() runs it: a sync service must outlive its first cycle
    (otherwise its next await finds "no running event loop"), and a window with a live
    web engine cannot be driven by QApplication.exec() in a test. Tests using it cannot
    call run_until_complete (use ``qloop`` for that)."""
    import asyncio
    import contextlib

    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    with contextlib.suppress(RuntimeError):
        loop.close()
    asyncio.set_event_loop(None)
