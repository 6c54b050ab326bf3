"""The headless sync killed with SIGKILL at random points, twenty times, then resumed:
nothing lost, nothing duplicated, and the database file is intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.operations import reports
from console.operations.intake import NewReport, create_report
from console.store.db import open_database
from console.store.seed import ensure_reference_data
from console.sync.testing.live import PASSWORD
from console.sync.testing.memkeyring import child_env
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import KEL
from tests.sync.test_exactly_once import _bulk_reports, _server_ids, sync_until_complete

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


def _child(proxy_url: str, user: str, data_dir: Path, *, max_time: float = 120,
           quiet: bool = True) -> subprocess.Popen:
    # The child shares this test's keyring: the database key (and nothing else it needs).
    env = dict(os.environ, **child_env(data_dir.parent), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "console.sync.cli", "--server", proxy_url, "--user", user, "--once",
         "--data-dir", str(data_dir), *(["--quiet"] if quiet else []),
         "--max-time", str(max_time)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    proc.stdin.write((PASSWORD + "\n").encode())
    proc.stdin.close()
    return proc


@pytest.mark.slow
def test_sigkill_twenty_times_then_resume(live, make_console, tmp_path):
    rng = random.Random(20261128)
    source = make_console(role="operator", regions=())
    from_server = source.call(_bulk_reports, source.username, 300)
    sync_until_complete(source)

    user = "kel-killed"
    live.add_user(user, "kelurahan", [KEL])
    data_dir = tmp_path / "killed"
    db = open_database(data_dir / "posko.sqlite3")
    local: list[str] = []

    def operator_works(n: int) -> None:
        """The office keeps working between (and despite) the interrupted syncs."""
        conn = db.raw()
        ensure_reference_data(conn)
        for _ in range(n):
            data = NewReport(channel="walk_in", category_code="jalan_rusak",
                             title=f"Jalan rusak {len(local)}", region_code=KEL)
            (rid,) = create_report(conn, "petugas", data).created
            if len(local) % 2 == 0:
                reports.verify(conn, "petugas", rid)
            local.append(rid)
        conn.close()

    operator_works(100)
    shape = LinkShape(rate_bps=400_000, latency_s=0.005)
    with ProxyThread("127.0.0.1", live.port, shape, seed=3) as proxy:
        finished_early = 0
        for _ in range(KILLS):
            # Kill at a point of the run's own progress (after its 1st, 2nd or 3rd
            # response), not after a wall-clock delay: a fast machine finishes a short
            # run before any fixed delay, a slow one never gets past the login.
            base, after = proxy.stats.responses, rng.randint(1, 3)
            proc = _child(proxy.url, user, data_dir)
            give_up = time.monotonic() + 30
            while (proc.poll() is None and proxy.stats.responses - base < after
                   and time.monotonic() < give_up):
                time.sleep(0.002)
            if proc.poll() is not None:
                finished_early += 1  # it got to the end before the kill: also fine
            else:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            operator_works(5)
            from_server += source.call(_bulk_reports, source.username, 10)
            sync_until_complete(source)
        proc = _child(proxy.url, user, data_dir)
        proc.wait(120)
        err = proc.stderr.read().decode()
        assert proc.returncode == 0, err
        assert finished_early < KILLS // 2, "too few runs were killed mid-way"
        print(f"{finished_early} of {KILLS} runs finished before the kill")

    # The server records the account that pushed (kel-killed), not the name the office
    # wrote locally ("petugas").
    on_server = _server_ids(live, user)
    assert sorted(on_server) == sorted(local)  # every local report, once
    from server.models import AppliedMutation, History, Report

    with live.ctx.db.read() as sconn:
        am = AppliedMutation.__table__
        # One create per report, once; a verification older than the undo window may have
        # been coalesced into its create (console/sync/coalesce.py), never sent twice.
        assert sconn.execute(select(func.count()).select_from(am).where(
            am.c.entity_id.in_(local), am.c.message.like("report % created"))).scalar() == len(local)
        assert sconn.execute(select(func.count()).select_from(am).where(
            am.c.entity_id.in_(local), am.c.entity != "claim")).scalar() <= len(local) * 3 // 2
        # Either way the history holds each verification once.
        h = History.__table__
        assert sconn.execute(select(func.count()).select_from(h).where(
            h.c.report_id.in_(local), h.c.field == "status")).scalar() == len(local) // 2
        r = Report.__table__
        verified = sconn.execute(select(func.count()).select_from(r).where(
            r.c.id.in_(local), r.c.status == "verified")).scalar()
    assert verified == len(local) // 2

    conn = db.raw()
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        ids = {r[0] for r in conn.execute("SELECT id FROM report")}
        assert set(from_server) | set(local) <= ids
        assert conn.execute("SELECT count(*) FROM report").fetchone()[0] == len(ids)
        cursor, head = (conn.execute("SELECT value FROM meta WHERE key = ?", (k,)).fetchone()[0]
                        for k in ("sync.cursor", "sync.head"))
        assert cursor == head
    finally:
        conn.close()
        db.dispose()
