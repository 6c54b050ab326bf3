"""Encrypting a plain database from an earlier Posko, without ever risking it.

``sqlcipher_export`` copies the plain file into a new encrypted file next to it
(``posko.sqlite3.encrypting``, mode 0600). The copy is verified — every page decrypts
(``quick_check``), the same schema, the same number of rows in every table, the same
Alembic revision — flushed to disk, and only then renamed over the original in one
atomic step; the original's -wal/-shm files go with it. Until that rename the plain
original is untouched and stays the database; if anything fails the partial copy is
removed and the console goes on with the plain file (and tries again at the next start).

The caller holds the data folder (one program per folder), so nothing writes the file
while it is copied; a write transaction held during the copy makes sure of it.

"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from console.store.db import BUSY_TIMEOUT_MS, FILE_MODE, connect

log = logging.getLogger("posko.store")

SUFFIX = ".encrypting"


class EncryptionFailed(RuntimeError):
    pass


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def _remove(path: Path) -> None:
    for p in (path, *_sidecars(path)):
        p.unlink(missing_ok=True)


def _fsync(path: Path, *, directory: bool = False) -> None:
    if directory and os.name == "nt":
        return  # Windows cannot open a directory to flush it; its rename is journaled
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_encrypted(plain: sqlcipher.Connection, target: Path, key: str) -> None:
    """Copy the database open in ``plain`` (attached as ``encrypted``, in a transaction)
    into the empty file ``target``, encrypted."""
    plain.execute("SELECT sqlcipher_export('encrypted')")
    version = plain.execute("PRAGMA main.user_version").fetchone()[0]
    plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")


def _facts(conn) -> dict:  # noqa: ANN001 - either driver's connection
    schema = conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    counts = {}
    for _type, name, sql in schema:
        if _type == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL"):
            counts[name] = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return {"schema": schema, "counts": counts, "revision": revision}


def verify(plain_facts: dict, target: Path, key: str) -> None:
    conn = connect(target, key)
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise EncryptionFailed(f"the encrypted copy fails its check: {check[:3]}")
        if _facts(conn) != plain_facts:
            raise EncryptionFailed("the encrypted copy differs from the original")
        # WAL is recorded in the file's header; set it before the copy becomes the database.
        if conn.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
            raise EncryptionFailed("the encrypted copy cannot use WAL")
    finally:
        conn.close()


def encrypt_plain_database(path: Path, key: str) -> bool:
    """Replace the plain database ``path`` by an encrypted copy; True when done.

    False (logged) when it could not be done: the plain original is then as it was."""
    path = Path(path)
    target = path.with_name(path.name + SUFFIX)
    _remove(target)  # a copy an interrupted earlier attempt left behind
    plain = sqlcipher.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        plain.isolation_level = None
        plain.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(fd)
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key}'\"", (str(target),))
        try:
            plain.execute("BEGIN IMMEDIATE")  # no other writer while the copy is made
            try:
                facts = _facts(plain)
                export_encrypted(plain, target, key)
                plain.execute("COMMIT")
            except BaseException:
                plain.execute("ROLLBACK")
                raise
        finally:
            plain.execute("DETACH DATABASE encrypted")
        verify(facts, target, key)
        _fsync(target)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the original stays
        plain.close()
        _remove(target)
        log.error("could not encrypt %s, it stays plain for now: %s", path, exc)
        return False
    plain.close()  # the last connection: SQLite checkpoints and removes the plain -wal
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        _remove(target)
        log.error("could not encrypt %s, it stays plain for now: another program has it "
                  "open", path)
        return False
    os.replace(target, path)
    for side in _sidecars(path):
        side.unlink(missing_ok=True)
    _fsync(path.parent, directory=True)
    log.info("encrypted %s (key in the keyring)", path)
    return True
