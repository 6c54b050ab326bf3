"""Opening, checking and migrating the console's SQLite database.

One place decides what a Posko database file is: SQLite in WAL mode with foreign keys on
and a busy timeout, its schema owned by Alembic. A file that is not ours is refused with a
message that names it and is never touched; so is one written by a newer Posko.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Alembic and SQLAlchemy cost ~1 s to import; the console's start-up
    # path only needs them when a migration is due, so they are imported where used.
    from alembic.config import Config
    from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DB_FILENAME = "posko.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class DatabaseFileError(RuntimeError):
    """The file cannot be used as a Posko database. The message names the file."""


class CorruptDatabase(DatabaseFileError):
    pass


class ForeignDatabase(DatabaseFileError):
    pass


class NewerDatabase(DatabaseFileError):
    pass


def apply_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # NORMAL is durable across application crashes in WAL mode; only a power cut can lose
    # the last transactions, never corrupt the file.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA temp_store=MEMORY")
    # 64 MiB page cache (default 2 MiB): queue filters at 1M reports read scattered rows.
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def alembic_config(connection=None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION_RE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\s]+)['\"]?", re.M)


@cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files' text (no Alembic import)."""
    graph: dict[str, str | None] = {}
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION_RE.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            graph[found["revision"]] = None if down in (None, "None") else down
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migrations must form one line; heads found: {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def make_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        apply_pragmas(dbapi_conn)

    return engine


def _check_header(path: Path) -> None:
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise CorruptDatabase(
            f"{path} is not a SQLite database (damaged or some other kind of file); "
            "Posko will not open or overwrite it."
        )


def _inspect_existing(path: Path) -> str | None:
    """Return the file's Alembic revision; raise if it is not a Posko database we can use.

    Opened read-only through a URI, so a refused file is never modified (not even a WAL
    file appears next to it)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabase(f"{path} cannot be opened as a database: {exc}") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables or "report" not in tables:
            raise ForeignDatabase(
                f"{path} is a SQLite database from another program, not a Posko database; "
                "Posko will not open or overwrite it. Choose another --data-dir."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(f"{path} is damaged and cannot be read: {exc}") from exc
    finally:
        conn.close()
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise NewerDatabase(
            f"{path} was written by a newer version of Posko (schema {revision}); "
            "update Posko to open it. The file was left untouched."
        )
    return revision


@dataclass
class Database:
    path: Path
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine for ORM work and migrations, made on first use."""
        if self._engine is None:
            self._engine = make_engine(self.path)
        return self._engine

    def raw(self) -> sqlite3.Connection:
        """A plain sqlite3 connection with our pragmas, for hot paths (queue, bulk insert)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        apply_pragmas(conn)
        return conn

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def private_database(path: Path) -> None:
    """The database file and SQLite's side files 0600 whatever the umask (it holds personal
    data, Law 27/2022). Made so before SQLite creates it: its side files copy its mode."""
    if not path.exists():
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.chmod(path.with_name(path.name + suffix), 0o600)
        except FileNotFoundError:
            pass


def open_database(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the Posko database at ``path`` and bring it to head.

    Raises a DatabaseFileError subclass, naming the file, for anything we must not touch.
    """
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
    private_database(path)
    current = None
    if path.exists() and path.stat().st_size > 0:
        _check_header(path)
        current = _inspect_existing(path)
    db = Database(path=path)
    if migrate and current != head_revision():
        upgrade(db.engine)
    return db


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
