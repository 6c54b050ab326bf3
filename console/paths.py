"""Where Posko keeps its files. One function per place, so nobody guesses paths."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from console.store.db import DB_FILENAME

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"
DEMO_MARKER = ".posko-demo"


def default_data_dir() -> Path:
    return Path(user_data_dir("posko", "Posko"))


def default_demo_dir() -> Path:
    return default_data_dir() / "demo"


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME
