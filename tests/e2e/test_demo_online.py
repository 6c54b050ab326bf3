"""`make demo` runs the real thing (issue 13, item 4): the demo's window is logged in to
the demo's own central server on 127.0.0.1, its status bar says online and synced, and
its queue shows the reports the server holds. Driven through the function behind
``posko demo`` (console/demo/run.py); the window is made as run_console makes it (the
sync controller attached, the demo's login handed to it, the qasync loop running),
offscreen."""

from __future__ import annotations

import argparse
import asyncio
import re
import time

import pytest
import shiboken6
from sqlalchemy import bindparam, text

from console.demo import run
from console.demo import server as demo_server
from console.demo.sensors import SENSOR_REPORTS
from console.store import queue as queue_store
from tests.e2e.helpers import close_desk, open_desk


def _until(qloop, predicate, timeout: float = 30.0, shown=lambda: "") -> None:  # noqa: ANN001
    """Run the qasync loop (as run_console does) until ``predicate()`` holds."""
    async def poll() -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            assert time.monotonic() < deadline, f"timed out; {shown()}"
            await asyncio.sleep(0.05)

    qloop.run_until_complete(poll())


@pytest.mark.slow
def test_the_demo_window_is_online_synced_and_shows_the_servers_reports(qtbot, qloop,
                                                                         tmp_path, monkeypatch):
    from console.views.sync_status import SyncController

    original = demo_server.start_demo_server
    servers: list = []

    def start(folder, app=None, port=None):  # noqa: ANN001, ANN202, ARG001
        servers.append(original(folder, app, port=0))  # any free port: tests run side by side
        return servers[-1]

    monkeypatch.setattr(demo_server, "start_demo_server", start)
    folder = tmp_path / "demo"
    args = argparse.Namespace(data_dir=folder, lang="id", reports=150, weeks=2, seed=3,
                              fresh=True, no_gui=False, desk=None)
    seen: dict = {}

    def window(db_path, lang, *, login):  # noqa: ANN001 - what run_console does with login
        assert db_path.parent == folder and lang == "id"
        desk = open_desk(qtbot, folder, seed=False, operator=None)
        controller = SyncController(desk.bridge, None, idle_interval=30)
        desk.window.attach_sync(controller)
        try:
            controller.login(*login)
            w = desk.window
            status = lambda: controller.status  # noqa: E731
            _until(qloop, lambda: w.operator.username == "op.rina"
                   and status().code == "up_to_date" and not status().busy, shown=status)
            assert status().state == "online"
            label = w.sync_status.label
            _until(qloop, lambda: re.search(r"^Daring · 0 tertunda · sinkron \d\d-\d\d \d\d:\d\d",
                                            label.text()) is not None, timeout=10,
                   shown=label.text)
            assert "Data sudah mutakhir" in w.sync_status.toolTip()
            # The queue shows the server's reports: what the server holds, nothing else.
            (server,) = servers
            assert login[0] == server.url and server.url.startswith("http://127.0.0.1:")
            on_server = demo_server.report_count(server.db)
            assert on_server == 150 + SENSOR_REPORTS
            assert desk.scalar("SELECT count(*) FROM report") == on_server
            with server.db.read() as conn:
                ids = {r[0] for r in conn.execute(text("SELECT id FROM report"))}
            assert {r[0] for r in desk.sql("SELECT id FROM report")} == ids
            # The queue lists them under its filter (the open ones, by default).
            flt = w.queue.model.queue_filter
            shown = desk.executor.call(queue_store.count, flt)
            assert 0 < shown <= on_server
            if flt.statuses is not None:
                with server.db.read() as conn:
                    assert conn.execute(text(
                        "SELECT count(*) FROM report WHERE status IN :s").bindparams(
                        bindparam("s", expanding=True)), {"s": list(flt.statuses)}
                    ).scalar() == shown
            _until(qloop, lambda: w.queue.count == shown, timeout=10,
                   shown=lambda: w.queue.count)
            assert w.queue.model.rowCount() > 0
            seen["label"] = label.text()
            seen["operator"] = w.operator_label.text()
        finally:
            qloop.run_until_complete(controller.shutdown())
            if shiboken6.isValid(desk.window):
                close_desk(desk)
        return 0

    assert run.run_desk1(args, window) == 0
    assert seen["operator"].startswith("Rina Suryana · op.rina (operator)")
