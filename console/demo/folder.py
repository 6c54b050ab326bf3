"""Which folders ``posko demo`` may use: only one it made itself, holding nothing else.

The rule, in one place:

- a folder that does not exist, or is empty, becomes a demo folder: demo creates it and
  leaves the ``.posko-demo`` marker;
- a folder with the marker, holding only what Posko writes into a data folder
  (``paths.CONSOLE_FILES``) and the demo's own subfolders (its server's data, the second
  desk's folder: ``DEMO_SUBFOLDERS``), and whose database (if any) carries the demo mark
  in its ``meta`` table, is reused, or with ``--fresh`` emptied (server and desks too)
  and seeded again;
- anything else is refused, naming the folder and what is in the way, before anything is
  written (no marker, no database, no lock file).

The database mark matters as much as the marker file: a marker can be copied or left by
an older Posko, but only ``posko demo`` marks a database as demo data, so a real
console's database (its local reports and outbox) is never opened or deleted by demo.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console import paths
from console.store.folder_lock import LOCK_FILENAME

DEMO_META_KEY = "demo.created_at"
#: Subfolders a demo folder may hold besides a console's files: the demo server's data
#: and the data folders of further desks (console/demo/server.py, run.py).
SERVER_DIR = "server"
DESKS = {"kelurahan": "desk-kelurahan"}
DEMO_SUBFOLDERS = (SERVER_DIR, *DESKS.values())
_SHOWN = 6  # names listed in a refusal before "and N more"


class DemoFolderRefused(RuntimeError):
    """``posko demo`` will not use this folder; the message names it and what is in it."""


@dataclass(frozen=True)
class DemoFolder:
    path: Path
    is_new: bool  # nothing there yet: demo creates it and leaves its marker

    @property
    def database(self) -> Path:
        return paths.database_path(self.path)


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    more = len(names) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _refuse(folder: Path, why: str) -> DemoFolderRefused:
    return DemoFolderRefused(
        f"{folder} {why}. `posko demo` only uses a folder it made itself; nothing was "
        "changed. Give --data-dir a new or empty folder.")


def _database_facts(db_path: Path) -> dict:
    """What the database says about itself; {} when it cannot be read.

    ``immutable=1``: not even SQLite's -wal/-shm side files appear, so a refused folder is
    left exactly as it was. A WAL a crashed console left is not read; the demo mark is
    checkpointed into the main file when demo seeds, so the answer stays right."""
    from console.store.db import DatabaseFileError, Error, connect, key_for_file

    try:  # a console's database is encrypted: read with its key, if this keyring has it
        key = key_for_file(db_path)
        conn = connect(f"{db_path.resolve().as_uri()}?mode=ro&immutable=1", key, uri=True)
    except DatabaseFileError:
        return {"encrypted": True}
    except Error:
        return {}
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        facts: dict = {"tables": tables}
        if "meta" in tables:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            facts["demo"] = meta.get(DEMO_META_KEY)
            facts["server"] = meta.get("sync.server_url")
        if "report" in tables:
            facts["reports"] = conn.execute("SELECT count(*) FROM report").fetchone()[0]
        if "outbox" in tables:
            facts["outbox"] = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        return facts
    except Error:
        return {}
    finally:
        conn.close()


def check_demo_folder(folder: Path | str, *, fresh: bool) -> DemoFolder:
    """Decide whether demo may use ``folder``; raise DemoFolderRefused if not. Writes
    nothing (a demo database is read through a read-only connection)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise _refuse(folder, "is a file, not a folder")
    entries = sorted(os.listdir(folder)) if folder.exists() else []
    if not entries:
        return DemoFolder(folder, is_new=True)
    if paths.DEMO_MARKER not in entries:
        raise _refuse(folder, f"was not made by `posko demo` and holds {_listing(entries)}")
    foreign = [name for name in entries
               if name not in paths.CONSOLE_FILES and name not in DEMO_SUBFOLDERS]
    if foreign:
        raise _refuse(folder, f"holds files `posko demo` did not make: {_listing(foreign)}")
    db_path = paths.database_path(folder)
    if db_path.exists():
        facts = _database_facts(db_path)
        if not facts.get("demo"):
            reports, outbox = facts.get("reports"), facts.get("outbox")
            what = ("a database that is not demo data"
                    + (" (encrypted: a console's)" if facts.get("encrypted") else "")
                    + (f" ({reports} reports, {outbox} changes in its outbox)"
                       if reports is not None else "")
                    + "; demo never opens or deletes a console's database"
                    + " (if it is an old demo, remove the folder yourself)")
            raise _refuse(folder, f"holds {what}")
        if fresh and facts.get("server") and facts.get("outbox"):
            raise _refuse(folder, (
                f"holds demo data with {facts['outbox']} changes not yet sent to "
                f"{facts['server']}; --fresh would lose them (sync first, or remove the "
                "folder yourself)"))
    return DemoFolder(folder, is_new=False)


def claim(folder: DemoFolder) -> None:
    """Leave the marker in a folder demo has just created (call while holding it)."""
    if folder.is_new:
        (folder.path / paths.DEMO_MARKER).write_text(
            "Made by `posko demo`; `posko demo --fresh` may empty this folder.\n",
            encoding="utf-8")


def reset(folder: DemoFolder) -> None:
    """Empty a checked demo folder, keeping its marker and the lock this process holds:
    the console's files, the demo server's data and the other desks' folders (a desk
    still open is refused first: its data would vanish under it)."""
    from console.store.folder_lock import FolderInUse, hold_data_folder

    for name in DESKS.values():
        desk = folder.path / name
        if not desk.is_dir():
            continue
        try:
            hold = hold_data_folder(desk, "posko demo --fresh")
        except FolderInUse as exc:
            raise DemoFolderRefused(
                f"{folder.path} has a second desk still open ({exc}); close it before "
                "--fresh") from None
        hold.release()
        shutil.rmtree(desk)
    if (folder.path / SERVER_DIR).is_dir():
        shutil.rmtree(folder.path / SERVER_DIR)
    for name in paths.CONSOLE_FILES:
        if name in (paths.DEMO_MARKER, LOCK_FILENAME):
            continue
        target = folder.path / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()


def mark_database(conn: sqlite3.Connection) -> None:
    """Mark an open database as demo data (what lets a later ``--fresh`` delete it)."""
    with conn:
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                     (DEMO_META_KEY, datetime.now(UTC).isoformat(timespec="seconds")))
