"""Opening, checking and migrating the console's SQLite database.

One place decides what a Posko database file is: SQLite in WAL mode with foreign keys on
and a busy timeout, its schema owned by Alembic. A file that is not ours is refused with a
message that names it and is never touched; so is one written by a newer Posko.

Encrypted at rest (issue 12): a console's database is a SQLCipher file whose key lives in
the operating system's keyring, per data folder (``console/store/dbkey.py``). Every
connection — ``Database.raw()``, the SQLAlchemy engine, Alembic, exports — is made by
``connect`` here, which gives SQLCipher the key before anything else. A plain database
from an earlier Posko is encrypted on its first migrating open
(``console/store/encrypt.py``). Plain stays plain: a demo folder's database (fictional
people, inspected by ``posko demo``), and any database while no keyring is usable (a key
that dies with the process would lock the data away; Posko warns once instead).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlcipher3 import dbapi2 as sqlcipher

from console.store import dbkey

if TYPE_CHECKING:  # Alembic and SQLAlchemy cost ~1 s to import; the console's start-up
    # path only needs them when a migration is due, so they are imported where used.
    from alembic.config import Config
    from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
DB_FILENAME = "posko.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
DEMO_MARKER = ".posko-demo"  # a folder `posko demo` made; its database stays plain
FILE_MODE = 0o600  # the database and (SQLite copies the mode) its -wal/-shm files

#: Exceptions of either driver: a plain database is read through ``sqlite3``, an
#: encrypted one through ``sqlcipher3``, whose classes are its own.
Error = (sqlite3.Error, sqlcipher.Error)
DatabaseError = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OperationalError = (sqlite3.OperationalError, sqlcipher.OperationalError)
IntegrityError = (sqlite3.IntegrityError, sqlcipher.IntegrityError)


class DatabaseFileError(RuntimeError):
    """The file cannot be used as a Posko database. The message names the file."""


class CorruptDatabase(DatabaseFileError):
    pass


class ForeignDatabase(DatabaseFileError):
    pass


class NewerDatabase(DatabaseFileError):
    pass


class KeyNotAvailable(CorruptDatabase):
    """Not a plain SQLite file, and no key in the keyring: encrypted elsewhere, or damaged."""


class WrongKey(CorruptDatabase):
    """The keyring's key for this folder does not open the file (or the file is damaged)."""


class PlainConnection(sqlite3.Connection):
    """``sqlite3``'s connection with ``caches``: what hot-path readers (the queue's search,
    console/store/queue/caches.py) remember between requests on this connection. Owned
    by the connection, the caches die with it and are never shared with another."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.caches: dict = {}


class CipherConnection(sqlcipher.Connection):
    """``sqlcipher3``'s connection with ``caches`` (see :class:`PlainConnection`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.caches: dict = {}


def connect(path: Path | str, key: str | None = None, *, uri: bool = False,
            check_same_thread: bool = False) -> sqlite3.Connection:
    """A DB-API connection to ``path``: ``sqlite3`` for a plain file, ``sqlcipher3`` keyed
    with ``key`` (64 hex digits, a raw key: no passphrase derivation per connection)
    before any other statement."""
    timeout = BUSY_TIMEOUT_MS / 1000
    if key is None:
        return sqlite3.connect(path, timeout=timeout, uri=uri,
                               check_same_thread=check_same_thread, factory=PlainConnection)
    conn = sqlcipher.connect(str(path), timeout=timeout, uri=uri,
                             check_same_thread=check_same_thread, factory=CipherConnection)
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    return conn


def is_plain(path: Path) -> bool:
    """True if ``path`` starts with SQLite's own header (an unencrypted database)."""
    with path.open("rb") as f:
        return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def key_for_file(path: Path) -> str | None:
    """The key that opens the existing file ``path``: None for a plain file; raises
    KeyNotAvailable when the file is not plain and the keyring has no key for it."""
    path = Path(path)
    if is_plain(path):
        return None
    try:
        key = dbkey.get_key(path.parent)
        why = "the key for this data folder is not in this computer's keyring"
    except dbkey.KeyringUnavailable as exc:
        key = None
        why = f"this computer's keyring cannot be used ({exc}), so its key cannot be read"
    if key is None:
        raise KeyNotAvailable(
            f"{path} is not a plain SQLite database. If it is an encrypted Posko database, "
            f"{why} (it was encrypted on another computer or in a folder of another name, "
            "or the keyring entry was removed); otherwise it is damaged or some other kind "
            "of file. Posko will not open or overwrite it."
        )
    return key


def connect_file(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with our pragmas to an existing Posko database, plain or encrypted
    (its key from the keyring), for code that reads the file itself (exports, tools)."""
    path = Path(path)
    key = key_for_file(path)
    if read_only:
        conn = connect(f"file:{path}?mode=ro", key, uri=True)
    else:
        conn = connect(path, key)
    apply_pragmas(conn)
    return conn


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


#: The console's migrations in order, oldest first; the last is the head a database is
#: brought to. Written here (the start-up path must not import Alembic, ~1 s) and checked
#: against Alembic's own view of migrations/versions by tests/store/test_migrations.py:
#: a new migration fails that test until it is added here.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")


def head_revision() -> str:
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    return set(REVISIONS)


def make_engine(path: Path, key: str | None = None) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import URL
    from sqlalchemy.pool import QueuePool

    if key is None:
        url = URL.create("sqlite", database=str(path))
    else:
        # SQLAlchemy's SQLCipher dialect sends `PRAGMA key` first on every connection
        # (before the listener below), and maps sqlcipher3's errors to its own.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key}'", database=str(path))
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                           poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        apply_pragmas(dbapi_conn)

    return engine


def _inspect_existing(path: Path, key: str | None) -> str | None:
    """Return the file's Alembic revision; raise if it is not a Posko database we can use.

    Opened read-only through a URI, so a refused file is never modified (not even a WAL
    file appears next to it)."""
    try:
        conn = connect(f"file:{path}?mode=ro", key, uri=True)
    except Error as exc:
        raise CorruptDatabase(f"{path} cannot be opened as a database: {exc}") from exc
    try:
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        except DatabaseError as exc:
            if key is None:
                raise
            raise WrongKey(
                f"{path} cannot be read with the key for this data folder in this "
                "computer's keyring (a key of another database, or the file is damaged); "
                "Posko will not open or overwrite it."
            ) from exc
        tables = {r[0] for r in rows}
        if not tables:
            return None
        if "alembic_version" not in tables or "report" not in tables:
            raise ForeignDatabase(
                f"{path} is a SQLite database from another program, not a Posko database; "
                "Posko will not open or overwrite it. Choose another --data-dir."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except DatabaseError as exc:
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
    key: str | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine for ORM work and migrations, made on first use."""
        if self._engine is None:
            self._engine = make_engine(self.path, self.key)
        return self._engine

    def raw(self) -> sqlite3.Connection:
        """A DB-API connection with our pragmas, for hot paths (queue, bulk insert):
        ``sqlite3``'s, or ``sqlcipher3``'s already keyed (the same interface)."""
        conn = connect(self.path, self.key)
        apply_pragmas(conn)
        return conn

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def wants_encryption(path: Path) -> bool:
    """Every database is encrypted but a demo folder's (see the module docstring)."""
    return not (path.parent / DEMO_MARKER).exists()


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




def open_database(path: Path | str, *, migrate: bool = True,
                  encrypt: bool | None = None) -> Database:
    """Open (creating if needed) the Posko database at ``path`` and bring it to head.

    With ``migrate`` a new file is created encrypted and a plain one is encrypted first
    (``encrypt``: None decides by ``wants_encryption``; either way only with a usable
    keyring). An encrypted file is opened encrypted whatever ``encrypt`` says.

    Raises a DatabaseFileError subclass, naming the file, for anything we must not touch.
    """
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
    private_database(path)
    if encrypt is None:
        encrypt = wants_encryption(path)
    current = None
    key = None
    if path.exists() and path.stat().st_size > 0:
        key = key_for_file(path)
        current = _inspect_existing(path, key)
        if key is None and migrate and encrypt:
            key = dbkey.ensure_key(path.parent)
            if key is not None:
                from console.store.encrypt import encrypt_plain_database

                if not encrypt_plain_database(path, key):
                    key = None  # the plain original is kept, intact; tried again next time
    elif migrate:
        if encrypt:
            key = dbkey.ensure_key(path.parent)
        _create_private(path)
    db = Database(path=path, key=key)
    if migrate and current != head_revision():
        upgrade(db.engine)
    return db


def _create_private(path: Path) -> None:
    """An empty file readable by its owner only; SQLite gives -wal/-shm the same mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
