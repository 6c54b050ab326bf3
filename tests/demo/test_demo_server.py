"""``posko demo`` runs the real system: a central server on 127.0.0.1 inside the demo's
process, holding the demo reports and three accounts, and a desk logged in to it and
synced; a second desk (``--desk kelurahan``) logs in to the same server and sees only its
kelurahan. Driven through the functions behind the command (console/demo/run.py), with
the window replaced by a check that runs while the demo is up."""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from console.demo import run
from console.demo import sensors as demo_sensors
from console.demo import server as demo_server
from console.demo.sensors import SENSOR_REPORTS
from console.sync.testing.live import start_live_server
from tests.demo.demo_helpers import port_refuses


def _args(folder: Path, **kw) -> argparse.Namespace:
    base = dict(data_dir=folder, lang=None, reports=120, weeks=2, seed=1, fresh=False,
                no_gui=False, desk=None)
    base.update(kw)
    return argparse.Namespace(**base)


def _count(db_path: Path, where: str = "1", *params) -> int:
    with closing(sqlite3.connect(db_path)) as conn:  # a demo folder's database is plain
        return conn.execute(f"SELECT count(*) FROM report WHERE {where}", params).fetchone()[0]


def _table(db_path: Path, table: str) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _meta(db_path: Path, key: str) -> str | None:
    with closing(sqlite3.connect(db_path)) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _children() -> list[str]:
    """Child processes of this process (Linux /proc), so none can be left behind."""
    me = str(__import__("os").getpid())
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            out.append(stat.parent.name)
    return out


@pytest.fixture
def started(monkeypatch):
    """Records the DemoServer the demo starts (on any free port: tests run side by side)."""
    got: list[demo_server.DemoServer] = []
    original = demo_server.start_demo_server

    def start(folder, app=None, *, port=None):  # noqa: ANN001, ANN202
        server = original(folder, app, port=0)
        got.append(server)
        return server

    monkeypatch.setattr(demo_server, "start_demo_server", start)
    return got


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.slow
def test_demo_serves_on_loopback_while_it_runs_and_both_desks_sync(tmp_path, started):
    folder = tmp_path / "demo"
    children_before = set(_children())
    seen: dict = {}

    def window(db_path: Path, lang, *, login):  # noqa: ANN001 - stands in for the console
        url, user, password = login
        (server,) = started
        seen["server"] = server
        # Loopback only: the listening socket is bound to 127.0.0.1, nothing else.
        bound = {s.getsockname()[0] for srv in server.server.servers for s in srv.sockets}
        assert bound == {"127.0.0.1"}
        assert url == f"http://127.0.0.1:{server.port}"
        assert (user, password) == ("op.rina", demo_server.PASSWORD)
        # The three printed accounts log in with the printed password.
        for acc in demo_server.ACCOUNTS:
            r = httpx.post(f"{url}/v1/auth/login", timeout=10,
                           json={"username": acc.username, "password": password})
            assert r.status_code == 200, (acc.username, r.text)
            assert r.json()["account"]["role"] == acc.role
        # Desk 1 holds what the server holds, pulled by a real sync, as the operator.
        on_server = demo_server.report_count(server.db)
        assert on_server == 120 + SENSOR_REPORTS  # the river gauge's danger report
        assert _count(db_path) == on_server
        # The city's gauges: the river at Campaka over its danger mark made one P1 sensor
        # report; the desk has every gauge of the city and the river's day of readings.
        assert _count(db_path, "channel = 'sensor' AND priority = 1") == 1
        assert _table(db_path, "sensor") == len(demo_sensors.GAUGES)
        assert _table(db_path, "sensor_point") > 0
        assert _meta(db_path, "sync.server_url") == url
        assert _meta(db_path, "sync.username") == "op.rina"
        assert threading.current_thread() is threading.main_thread()
        # Desk 2, another desk's command while desk 1 runs: the kelurahan account, its
        # own data folder, and only its kelurahan's reports.
        assert run.run_desk(_args(folder, desk="kelurahan", no_gui=True), window) == 0
        desk2 = folder / "desk-kelurahan" / "posko.sqlite3"
        (kel,) = demo_server.KELURAHAN.regions
        with server.db.read() as conn:
            from sqlalchemy import text

            in_kel = conn.execute(text("SELECT count(*) FROM report WHERE region_code = :k"),
                                  {"k": kel}).scalar()
        assert in_kel > 0
        assert _count(desk2) == in_kel
        assert _count(desk2, "region_code != ?", kel) == 0
        # The kelurahan desk sees its own river gauge (and its report), not the city's.
        assert _count(desk2, "channel = 'sensor'") == 1
        assert _table(desk2, "sensor") == 1
        assert _meta(desk2, "sync.username") == "kel.campaka"
        return 0

    assert run.run_desk1(_args(folder), window) == 0
    server = seen["server"]
    # Stopping the demo stopped its server: port closed, thread gone, no child process.
    assert port_refuses(server.port)
    assert not server.thread.is_alive()
    assert not (folder / "server" / demo_server.INFO_FILE).exists()
    assert set(_children()) <= children_before


def test_second_desk_without_a_running_demo_is_a_clear_error(tmp_path, capsys, started):
    folder = tmp_path / "demo"
    assert run.run_desk1(_args(folder, reports=5, no_gui=True), None) == 0
    capsys.readouterr()
    assert run.run_desk(_args(folder, desk="kelurahan", no_gui=True), None) == 2
    err = capsys.readouterr().err
    assert "no demo server is running" in err and f"posko demo --data-dir {folder}" in err
    assert not (folder / "desk-kelurahan").exists()

    # A demo killed outright (SIGKILL) leaves its address behind: nothing answers there.
    info = folder / "server" / demo_server.INFO_FILE
    info.write_text(f'{{"url": "{started[0].url}", "pid": 1}}', encoding="utf-8")
    assert run.run_desk(_args(folder, desk="kelurahan", no_gui=True), None) == 2
    assert "does not answer" in capsys.readouterr().err
    # Its process gone, its address is not trusted even if something answers there now.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    other = start_live_server(tmp_path / "another-server")  # answers /v1/health
    try:
        info.write_text(f'{{"url": "{other.url}", "pid": {dead.pid}}}', encoding="utf-8")
        assert run.run_desk(_args(folder, desk="kelurahan", no_gui=True), None) == 2
    finally:
        other.stop()
    assert f"(PID {dead.pid}) is gone" in capsys.readouterr().err
    assert not (folder / "desk-kelurahan").exists()

    empty = tmp_path / "never-ran"
    assert run.run_desk(_args(empty, desk="kelurahan", no_gui=True), None) == 2
    assert "no demo server is running" in capsys.readouterr().err
    assert not empty.exists()


@pytest.mark.slow
def test_fresh_starts_the_server_again_too(tmp_path, started, capsys):
    folder = tmp_path / "demo"
    assert run.run_desk1(_args(folder, reports=40, no_gui=True), None) == 0
    out = capsys.readouterr().out
    assert "posko-demo" in out and "op.rina" in out and "spv.hendra" in out
    assert "kel.campaka" in out and "http://127.0.0.1:" in out
    assert run.run_desk1(_args(folder, reports=15, no_gui=True, fresh=True), None) == 0
    assert _count(folder / "posko.sqlite3") == 15 + SENSOR_REPORTS
    app = demo_server.open_server_app(folder)
    try:
        assert demo_server.report_count(app.state.ctx.db) == 15 + SENSOR_REPORTS
    finally:
        app.state.ctx.db.dispose()


def test_the_demo_gauges_keep_reporting_while_the_demo_runs(tmp_path):
    # Each report_once is what the running demo does every minute: a reading per gauge,
    # through the server's ingest (thresholds, the bell), never a second report.
    app = demo_server.open_server_app(tmp_path)
    ctx = app.state.ctx
    try:
        demo_sensors.seed_day(ctx)
        assert demo_server.report_count(ctx.db) == 1
        gauges = demo_sensors.LiveGauges(ctx)
        assert gauges.report_once() == len(demo_sensors.GAUGES)
        # A minute later (the live step), explicit: two calls can fall in one millisecond.
        later = int(time.time() * 1000) + demo_sensors.LIVE_STEP_S * 1000
        assert gauges.report_once(later) == len(demo_sensors.GAUGES)
        assert gauges.report_once(later) == 0  # the same reading again is not stored twice
        assert demo_server.report_count(ctx.db) == 1  # the river is still the one incident
    finally:
        ctx.db.dispose()
