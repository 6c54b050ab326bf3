"""A console started on a new data folder, as a user starts `posko` for the first time,
has its catalogue (categories, agencies, regions), so the intake has something to pick."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_first_start_on_a_new_folder_has_the_catalogue(tmp_path):
    folder = tmp_path / "baru"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", POSKO_NO_MAP="1",
               POSKO_EXIT_AFTER_FIRST_PAINT="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "POSKO_FIRST_PAINT" in done.stdout
    conn = sqlite3.connect(folder / "posko.sqlite3")
    try:
        categories = conn.execute("SELECT count(*) FROM category").fetchone()[0]
        fire = conn.execute("SELECT name_id FROM category WHERE code = 'kebakaran'").fetchone()
        kelurahan = conn.execute(
            "SELECT count(*) FROM region WHERE level = 'kelurahan'").fetchone()[0]
    finally:
        conn.close()
    assert categories >= 19 and fire == ("Kebakaran",)
    assert kelurahan >= 151  # Kota Bandung alone has 151
