"""``posko demo`` as a newcomer runs it: the real command in a real process (offscreen).
Its server answers on 127.0.0.1 while it runs, a second desk in another process finds it
and logs in, and Ctrl+C or SIGTERM stops the demo cleanly — the server with it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from console.demo.sensors import SENSOR_REPORTS
from console.sync.testing.memkeyring import child_env
from tests.demo.demo_helpers import port_refuses

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), POSKO_NO_MAP="1",
                PYTHONUNBUFFERED="1", **child_env(tempfile.mkdtemp(prefix="posko-keyring-")))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
@pytest.mark.slow
def test_the_demo_process_serves_while_it_runs_and_a_signal_stops_it_all(tmp_path, sig):
    folder = tmp_path / "demo"
    out_path = tmp_path / "demo.out"
    with out_path.open("w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "demo", "--fresh",
                                 "--data-dir", str(folder), "--reports", "40"], cwd=ROOT,
                                env=_env(), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while "Desk 1 is logged in" not in out_path.read_text():
            assert proc.poll() is None, out_path.read_text()
            assert time.monotonic() < deadline, out_path.read_text()
            time.sleep(0.2)
        text = out_path.read_text()
        url = re.search(r"Demo server \(Kota Bandung\): (http://127\.0\.0\.1:\d+)", text)[1]
        assert "'posko-demo'" in text
        port = int(url.rsplit(":", 1)[1])
        assert httpx.get(f"{url}/v1/health", timeout=5).status_code == 200
        # The second desk's command, from another process, finds and joins it.
        desk2 = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--desk",
                                "kelurahan", "--data-dir", str(folder), "--no-gui"],
                               cwd=ROOT, env=_env(), capture_output=True, text=True,
                               timeout=120, stdin=subprocess.DEVNULL)
        assert desk2.returncode == 0, desk2.stderr
        assert f"logged in to {url} as kel.campaka" in desk2.stdout
        time.sleep(1.0)  # the window has started its loop
        proc.send_signal(sig)
        assert proc.wait(30) == 0, out_path.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert "Demo server stopped." in out_path.read_text()
    assert port_refuses(port)
    assert not (folder / "server" / "demo-server.json").exists()


def _loopback_only_namespace() -> bool:
    """True if this machine can run a command in a network namespace of its own (no
    network but loopback): `unshare -n` and `ip` to bring loopback up."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    try:
        return subprocess.run(["unshare", "-n", "ip", "link", "set", "lo", "up"],
                              capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _loopback_only_namespace(), reason="needs `unshare -n` (root or user "
                    "namespaces) and `ip`")
@pytest.mark.slow
def test_the_demo_works_with_the_network_unplugged(tmp_path):
    """No network interface but loopback, as on a laptop with the cable out: the demo's
    server, login and sync still work (they only ever use 127.0.0.1)."""
    folder = tmp_path / "demo"
    command = " ".join(shlex.quote(a) for a in (
        sys.executable, str(ROOT / "main.py"), "demo", "--no-gui", "--fresh", "--data-dir",
        str(folder), "--reports", "50"))
    run = subprocess.run(["unshare", "-n", "sh", "-c",
                          f"ip link set lo up && ip -o link | grep -vc ' lo:' ; exec {command}"],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "0"  # no interface but loopback in there
    assert f"Desk 1 is logged in as op.rina (operator) and synced: {50 + SENSOR_REPORTS} reports." in run.stdout
    assert "Demo server stopped." in run.stdout
