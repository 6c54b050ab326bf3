"""Console start-up figures: process start to the first painted main window."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, Figure, big_database, kept_database

#: The Linux bundle `make bundle` builds (POSKO_BUNDLE names another bundle folder).
BUNDLE_EXE = Path(os.environ.get("POSKO_BUNDLE") or ROOT / "dist" / "posko") / "posko"
BUNDLE_REPORTS = 100_000


def _first_paint_seconds(data_dir: Path, command: list[str] | None = None,
                         base_env: dict[str, str] | None = None) -> float:
    env = dict(os.environ if base_env is None else base_env, POSKO_EXIT_AFTER_FIRST_PAINT="1",
               QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    command = command or [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory() as cfg:
        env["XDG_CONFIG_HOME"] = cfg  # a first start: no saved window layout
        t0 = time.time()
        proc = subprocess.run(
            [*command, "--data-dir", str(data_dir)],
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


def _database_100k() -> Path:
    """A 100,000-report demo database (the issue's bundle target), built once and kept in
    bench-data/ next to the 1M one."""
    return kept_database(f"reports-{BUNDLE_REPORTS}", BUNDLE_REPORTS, seed=11, weeks=26)[0]


def bundle_cold_start() -> list[Figure]:
    """The bundled console (dist/posko/posko, no Python installed) from process start to
    the first painted window on a 100,000-report database; baseline: the same start from
    the virtualenv (`python main.py`). Skipped, saying so, when no bundle is built."""
    if not BUNDLE_EXE.is_file():
        print(f"  app.bundle_cold_start_s skipped: no bundle at {BUNDLE_EXE} (make bundle)")
        return []
    folder = _database_100k().parent
    # The same keyring-less start for both (the bench never uses the real keyring), and the
    # bundle with a clean environment: no PYTHONPATH or virtualenv on its path.
    nokey = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    clean = {k: v for k, v in nokey.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    bundle, venv = [], []
    for i in range(4):  # alternating rounds; the first of each warms the OS page cache
        b = _first_paint_seconds(folder, [str(BUNDLE_EXE)], clean)
        v = _first_paint_seconds(folder, None, nokey)
        if i:
            bundle.append(b)
            venv.append(v)
    return [Figure(
        "app.bundle_cold_start_s", statistics.median(bundle), "s",
        baseline=statistics.median(venv),
        note=f"bundle ({BUNDLE_EXE.parent}) to first painted window on {BUNDLE_REPORTS:,} "
             "reports, median of 3; baseline: the same start from the virtualenv "
             "(python main.py); target <= 3 s",
    )]


FIGURES = [("app.cold_start_s_1m", cold_start), ("app.bundle_cold_start_s", bundle_cold_start)]
