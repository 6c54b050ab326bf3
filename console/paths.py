"""Where Posko keeps its files. One function per place, so nobody guesses paths."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from platformdirs import user_data_dir

from console.store.db import DB_FILENAME, DEMO_MARKER
from console.store.dbkey import ID_FILE
from console.store.folder_lock import LOCK_FILENAME

#: What Posko itself writes into a data folder: the database (and SQLite's side files), the
#: process lock, the demo marker, the map's tile cache and synced attachments. `posko demo`
#: treats anything else in a folder as someone else's and refuses to touch it, so a new
#: file the console starts writing into its folder must be named here.
CONSOLE_FILES = (
    DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", f"{DB_FILENAME}-journal",
    LOCK_FILENAME, DEMO_MARKER, ID_FILE, f"{ID_FILE}.tmp",
    "tile-cache.mbtiles", "tile-cache.mbtiles-wal", "tile-cache.mbtiles-shm",
    "tile-cache.mbtiles-journal",
    "blobs",
)


def resource(*parts: str) -> Path:
    """A file Posko ships (``fonts/…``, ``sounds/…``, ``translations/…``): package data
    of ``posko_resources`` (the top-level ``resources/`` folder), found through
    importlib.resources in a checkout, an installed wheel or a bundle alike."""
    # One part at a time: in a PyInstaller bundle files() is a MultiplexedPath, whose
    # joinpath takes a single name on Python 3.11.
    found = files("posko_resources")
    for part in parts:
        found = found.joinpath(part)
    return Path(str(found))


def default_data_dir() -> Path:
    return Path(user_data_dir("posko", "Posko"))


def default_demo_dir() -> Path:
    return default_data_dir() / "demo"


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME
