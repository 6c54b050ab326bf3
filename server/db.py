"""Engine, transactions and migrations for the server database (SQLite or PostgreSQL).

Two kinds of transaction, and nothing else touches the database:

- ``Database.write()``: every writing transaction. It first takes the global write lock
  (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``pg_advisory_xact_lock``), so writers commit
  one after another in the order they allocated change sequence numbers. Without that a
  puller could see seq 11 committed while seq 10 is still in flight and move its cursor
  past 10 forever.
  On PostgreSQL it runs at READ COMMITTED whatever the database's default is: each
  statement must see what the previous lock holder committed (at REPEATABLE READ the
  snapshot would predate the lock and the change counter would be read stale).
- ``Database.read()``: one consistent snapshot (SQLite: a deferred read transaction in
  WAL mode; PostgreSQL: REPEATABLE READ), so a pull that reads several tables sees every
  table as of the same instant.

A write that allocated change seqs says so (``server/bell.py`` ``note_changes``);
``write()`` then wakes the long polls: NOTIFY inside the transaction on PostgreSQL (other
server processes hear it at commit), and this process's bell right after the commit.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

from server.bell import CHANNEL, PENDING, Bell
from server.settings import normalise_db_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000
#: The pg_advisory_xact_lock key of the global write lock ("POSKO" in ASCII).
WRITE_LOCK_KEY = 0x504F534B4F


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection) -> None:
    # pysqlite must not issue its own BEGIN; the "begin" listener below does it.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    # hide_parameters: a database error's text (logged by server/errors.py and push.py)
    # would otherwise carry the statement's values - reporter names, phones, descriptions.
    url = normalise_db_url(url)
    if url.startswith("sqlite"):
        file = url[len("sqlite:///"):].split("?")[0] if url.startswith("sqlite:///") else ""
        if file and file != ":memory:":
            _private_sqlite(Path(file))
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=8, max_overflow=16, hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):  # noqa: ANN001
            _sqlite_pragmas(dbapi_conn)

        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            write = conn.get_execution_options().get("posko_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_size=8, max_overflow=16, pool_pre_ping=False,
                             hide_parameters=True)
    raise ValueError(f"unsupported database URL {url!r}: use a SQLite file or postgresql://")


#: SQLSTATE classes and codes of errors that pass: retry the transaction later.
#: 08 connection, 53 insufficient resources, 40 transaction rollback (serialization
#: failure, deadlock), 57014 statement timeout / cancel, 57P0x shutdown, 55P03 lock timeout.
_TRANSIENT_CLASSES = ("08", "40", "53")
_TRANSIENT_CODES = frozenset({"57014", "57P01", "57P02", "57P03", "55P03"})


def _private_sqlite(path: Path) -> None:
    """The folder 0700 if we make it; the file (and SQLite's side files, which copy its
    mode) 0600, created so before SQLite creates it with the umask's mode."""
    from server.settings import private_dir, private_file

    if not path.parent.exists():
        private_dir(path.parent)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        private_file(path.with_name(path.name + suffix))


def is_transient(exc: BaseException) -> bool:
    """Whether a database error is the moment's (a lost connection, a timeout, a
    serialization failure, a locked SQLite file), not the request's: the same
    request may succeed later, so it must not be answered as a refusal."""
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code:
        return code[:2] in _TRANSIENT_CLASSES or code in _TRANSIENT_CODES
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return "locked" in text or "busy" in text
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a SQLite-only install
        return False
    # An OperationalError without a SQLSTATE: the connection broke before an answer.
    return isinstance(orig, psycopg.OperationalError)


class Database:
    def __init__(self, url: str) -> None:
        self.url = normalise_db_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        #: Wakes long polls (server/bell.py); on PostgreSQL the app starts its Listener.
        self.bell = Bell()
        self.listener = None  # server/bell.py Listener, when an app serves this database

    @contextmanager
    def write(self, *, global_lock: bool = True) -> Iterator[Connection]:
        """A transaction holding the global write lock; commits on success.
        ``global_lock=False`` (PostgreSQL only; SQLite has one writer anyway): for writes
        that allocate no change sequence number and touch no synced table, such as the
        attempt counters of server/throttle.py."""
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = conn.execution_options(posko_write=True)
            else:
                conn = conn.execution_options(isolation_level="READ COMMITTED")
            conn.info.pop(PENDING, None)  # the pooled connection's dict outlives a checkout
            with conn.begin():
                if not self.is_sqlite and global_lock:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
                try:
                    yield conn
                    rings = conn.info.pop(PENDING, None)
                    if rings and not self.is_sqlite:
                        # Delivered at commit, to every process listening (and never for
                        # a transaction that rolls back).
                        for ring in rings:
                            conn.execute(text("SELECT pg_notify(:c, :p)"),
                                         {"c": CHANNEL, "p": ring.payload()})
                except BaseException:
                    conn.info.pop(PENDING, None)
                    raise
            if rings:
                self.bell.ring(rings)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction on one consistent snapshot."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if not self.is_sqlite:
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield conn

    def dispose(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        self.engine.dispose()


# --- migrations ---------------------------------------------------------------------

def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (under the write lock, so two servers starting on
    one PostgreSQL database do not migrate it twice)."""
    with db.write() as conn:
        command.upgrade(alembic_config(conn), revision)
