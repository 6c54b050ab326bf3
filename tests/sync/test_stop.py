"""Issue 11, finding 7: `posko sync --once --max-time` and SIGTERM stop a running round at
its next safe point, within seconds, keeping what was committed; the next run goes on.

A real `posko sync` process, the real server, a 64 kbit/s link through the shaping proxy.
The bounds are the link's (a page at 64 kbit/s takes seconds; the backlog takes far
longer than any bound here), not the machine's speed."""

from __future__ import annotations

import signal
import subprocess
import time

import pytest

from console.store.db import open_database
from console.sync.testing.memkeyring import adopt_child_keys
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import KEL
from tests.sync.test_bad_link import _seed_server
from tests.sync.test_kill import _child


def _cursor(data_dir) -> int:
    adopt_child_keys(data_dir.parent)  # the child made the (encrypted) database
    db = open_database(data_dir / "posko.sqlite3")
    try:
        conn = db.raw()
        row = conn.execute("SELECT value FROM meta WHERE key = 'sync.cursor'").fetchone()
        conn.close()
        return int(row[0]) if row else 0
    finally:
        db.dispose()


def _wait(proc: subprocess.Popen, limit: float) -> float:
    t0 = time.monotonic()
    try:
        proc.wait(limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(f"the sync did not stop within {limit:.0f} s") from None
    return time.monotonic() - t0


@pytest.mark.slow
def test_max_time_and_sigterm_stop_at_the_next_safe_point(live, make_console, tmp_path):
    server_ids = _seed_server(make_console, 1500)  # ~200 kB of changes: ~25 s at 64 kbit/s
    live.add_user("kel-stop", "kelurahan", [KEL])
    data_dir = tmp_path / "stop"
    shape = LinkShape(rate_bps=64_000, latency_s=0.25)
    with ProxyThread("127.0.0.1", live.port, shape, seed=4) as proxy:
        # --max-time 4: the old engine checked it only between rounds (15 s ran 85 s).
        started = time.monotonic()
        proc = _child(proxy.url, "kel-stop", data_dir, max_time=4)
        _wait(proc, 30)
        took = time.monotonic() - started  # includes the interpreter's start
        err = proc.stderr.read().decode()
        assert proc.returncode == 1, err
        assert "gave up after 4 s" in err, err
        assert took < 4 + 6, took  # within a few seconds of the limit
        first = _cursor(data_dir)

        # SIGTERM once the run has received something of the backlog.
        proc = _child(proxy.url, "kel-stop", data_dir, max_time=300)
        base = proxy.stats.bytes_down
        give_up = time.monotonic() + 60
        while proxy.stats.bytes_down - base < 20_000 and time.monotonic() < give_up:
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        took = _wait(proc, 20)
        err = proc.stderr.read().decode()
        assert proc.returncode == 1 and "stopped" in err, err
        assert took < 5, took
        assert _cursor(data_dir) >= first  # what was applied stays applied

    # The next run, on a good link, finishes the catch-up: nothing was lost on the way.
    proc = _child(live.url, "kel-stop", data_dir, max_time=120)
    _wait(proc, 120)
    assert proc.returncode == 0, proc.stderr.read().decode()
    adopt_child_keys(data_dir.parent)
    db = open_database(data_dir / "posko.sqlite3")
    try:
        conn = db.raw()
        ids = {r[0] for r in conn.execute("SELECT id FROM report")}
        conn.close()
    finally:
        db.dispose()
    assert server_ids <= ids
