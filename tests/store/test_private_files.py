"""The console's data folder and database are its user's alone (issue 12 L4): 0700 and
0600 whatever the umask (personal data, Law 27/2022)."""

from __future__ import annotations

import os
import stat

from console.store.db import open_database
from console.store.folder_lock import hold_data_folder


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_data_folder_and_database_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "posko"
        hold = hold_data_folder(folder)
        try:
            db = open_database(folder / "posko.sqlite3")
            conn = db.raw()
            conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
            conn.execute("INSERT INTO t VALUES (1)")
            conn.commit()
            assert _mode(folder) == 0o700
            files = [f for f in folder.iterdir() if f.is_file()]
            assert any(f.name.endswith("-wal") for f in files), files
            for f in files:
                assert _mode(f) == 0o600, f
            conn.close()
            db.dispose()
            # A database folder made by open_database alone.
            db2 = open_database(tmp_path / "other" / "posko.sqlite3")
            assert _mode(tmp_path / "other") == 0o700
            assert _mode(tmp_path / "other" / "posko.sqlite3") == 0o600
            db2.dispose()
        finally:
            hold.release()
    finally:
        os.umask(old)
