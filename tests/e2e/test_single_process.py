"""One console process per data folder, driven as a user starts Posko: real processes of
``python main.py`` (offscreen), a real data folder, the OS lock.

A second console, ``posko demo`` and ``posko sync`` on a folder a console holds are
refused with the holder's PID and change nothing; a holder killed with SIGKILL does not
block the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90  # a console's first start migrates a new database; loaded CI is slow

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1",
               POSKO_NO_MAP="1", PYTHONPATH=str(ROOT))
    env.pop("POSKO_EXIT_AFTER_FIRST_PAINT", None)
    return env


def _posko(*args: str, env: dict | None = None, timeout: float = START_TIMEOUT_S
           ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          env=env or _env(), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _holder_pid(folder: Path) -> int | None:
    try:
        return json.loads((folder / "posko.lock").read_text()).get("pid")
    except (OSError, ValueError):
        return None


@pytest.fixture
def console_process(tmp_path):
    """A real console (``python main.py --data-dir X``) running on a new data folder."""
    folder = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder)],
                            cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        # The lock is taken before the database is opened; wait until the database is
        # there too, so the console is past its start-up writes.
        while not (_holder_pid(folder) == proc.pid and (folder / "posko.sqlite3").exists()):
            assert proc.poll() is None, f"the console exited early: {proc.communicate()}"
            assert time.monotonic() < deadline, "the console did not start"
            time.sleep(0.1)
        yield folder, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


@pytest.mark.slow
def test_second_console_demo_and_sync_are_refused_naming_the_holder(console_process):
    folder, holder = console_process
    db_inode = (folder / "posko.sqlite3").stat().st_ino

    second = _posko("--data-dir", str(folder))
    assert second.returncode == 3
    # The refusal the message box shows, in Indonesian, also goes to stderr.
    assert f"PID {holder.pid}" in second.stderr
    assert "Dipakai oleh" in second.stderr and str(folder) in second.stderr

    demo = _posko("demo", "--data-dir", str(folder), "--fresh", "--no-gui")
    assert demo.returncode == 2
    assert str(folder) in demo.stderr

    sync = _posko("sync", "--data-dir", str(folder), "--once", "--server",
                  "http://127.0.0.1:9", "--user", "op.ani")
    assert sync.returncode == 2
    assert f"PID {holder.pid}" in sync.stderr

    assert holder.poll() is None, "the first console must keep running"
    # Nothing replaced the holder's database or marked its folder as a demo's.
    assert (folder / "posko.sqlite3").stat().st_ino == db_inode
    assert not (folder / ".posko-demo").exists()
    assert _holder_pid(folder) == holder.pid


def test_a_killed_console_does_not_block_the_next_start(console_process):
    folder, holder = console_process
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert _holder_pid(folder) == holder.pid  # its details stay behind in the lock file...

    env = _env()
    env["POSKO_EXIT_AFTER_FIRST_PAINT"] = "1"
    again = _posko("--data-dir", str(folder), env=env)
    # ...but the OS released its lock: the next console starts and paints its queue.
    assert again.returncode == 0, again.stderr
    assert "POSKO_FIRST_PAINT" in again.stdout
    assert "Dipakai oleh" not in again.stderr
