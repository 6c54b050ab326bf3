"""Console start-up figures: process start to the first painted main window."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Figure, big_database

ROOT = Path(__file__).resolve().parent.parent


def _first_paint_seconds(data_dir: Path) -> float:
    env = dict(os.environ, POSKO_EXIT_AFTER_FIRST_PAINT="1", QT_QPA_PLATFORM="offscreen",
               QTWEBENGINE_DISABLE_SANDBOX="1")
    with tempfile.TemporaryDirectory() as cfg:
        env["XDG_CONFIG_HOME"] = cfg  # a first start: no saved window layout
        t0 = time.time()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
            env=env, capture_output=True, text=True, timeout=120,
        )
    for line in proc.stdout.splitlines():
        if line.startswith("POSKO_FIRST_PAINT "):
            return float(line.split()[1]) - t0
    raise RuntimeError(f"the console did not report its first paint:\n{proc.stdout}\n{proc.stderr}")


def cold_start() -> list[Figure]:
    db_path = big_database()
    _first_paint_seconds(db_path.parent)  # warm the OS page cache once, like a second start
    runs = [_first_paint_seconds(db_path.parent) for _ in range(3)]
    with tempfile.TemporaryDirectory() as empty:
        from console.store.db import open_database

        open_database(Path(empty) / "posko.sqlite3").dispose()
        empty_runs = [_first_paint_seconds(Path(empty)) for _ in range(3)]
    return [Figure(
        "app.cold_start_s_1m", statistics.median(runs), "s", baseline=statistics.median(empty_runs),
        note="baseline: the same console on an empty database, so the ratio shows what 1M rows cost "
             "(1.0 = nothing)",
    )]


FIGURES = [("app.cold_start_s_1m", cold_start)]
