"""``posko server backup`` and ``posko server restore``: the database and the attachment
files in one tar archive.

Inside the archive:

- ``posko-backup.json``: what it holds (backend, schema revision, row counts, blob count);
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server
  keeps writing) or ``database.pgdump`` (``pg_dump -Fc``, one snapshot);
- ``files/…``: the attachment folder's complete blobs and thumbnails (partial uploads are
  left out: their consoles resume from offset 0, as after any lost partial file).

The database is copied first, the files second: a blob is marked complete in the database
only after its file is in place (server/routes/attachments.py) and is never changed after,
so every blob the copied database knows is already on disk when the files are copied.

A backup is written to a temporary file next to ``--out``, fsynced, then renamed over it:
a full disk or an unwritable folder fails with a clear message and leaves any previous
backup of that name as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from server.settings import Settings, private_dir

MANIFEST = "posko-backup.json"
FORMAT = 1
#: Tables whose row counts the manifest records (and a restore drill compares).
KEY_TABLES = ("report", "note", "dispatch", "attachment", "blob", "history", "account",
              "conflict", "applied_mutation", "counter")


class BackupError(Exception):
    pass


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.db_url[len("sqlite:///"):].split("?")[0])


def _pg_env(settings: Settings) -> dict:
    """libpq's environment for pg_dump/pg_restore: the password never on a command line
    (other users can read those in ps)."""
    url = make_url(settings.db_url)
    env = {**os.environ, "PGDATABASE": url.database or "", "PGHOST": url.host or "",
           "PGPORT": str(url.port or 5432), "PGUSER": url.username or ""}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # libpq reads these from the URL's query too (…?host=/run/postgresql: the Unix socket)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("sslmode", "PGSSLMODE"),
                     ("sslrootcert", "PGSSLROOTCERT"), ("passfile", "PGPASSFILE"),
                     ("options", "PGOPTIONS")):  # options: -csearch_path=… in the tests
        if key in url.query:
            value = url.query[key]
            env[var] = str(value if isinstance(value, str) else value[0])
    return {k: v for k, v in env.items() if v != ""}


def _counts(settings: Settings) -> dict[str, int]:
    from server.db import Database, current_revision

    db = Database(settings.db_url)
    try:
        names = set(inspect(db.engine).get_table_names())
        with db.read() as conn:
            counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                      for t in KEY_TABLES if t in names}
        counts["_revision"] = current_revision(db.engine)  # type: ignore[assignment]
        return counts
    finally:
        db.dispose()


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{cmd[0]} is not installed (PostgreSQL's client tools; on "
                          "Debian/Ubuntu: apt install postgresql-client)") from None
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-800:]}")


def _dump_database(settings: Settings, into: Path) -> str:
    if settings.is_sqlite:
        source = _sqlite_path(settings)
        if not source.is_file():
            raise BackupError(f"no database file at {source}")
        target = into / "database.sqlite3"
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            # pages=1024 a step: the server's writers get the file between steps
            src.backup(dst, pages=1024)
        finally:
            dst.close()
            src.close()
        return target.name
    target = into / "database.pgdump"
    _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(target)],
         _pg_env(settings), "pg_dump")
    return target.name


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(settings: Settings, out: Path) -> dict:
    """Write the backup archive to ``out``; returns its manifest."""
    out = Path(out).expanduser().resolve()
    if not out.parent.is_dir():
        raise BackupError(f"cannot write the backup: no folder {out.parent}")
    files = settings.attachments_dir()
    tmp = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        tmp = Path(name)
        with tempfile.TemporaryDirectory(prefix="posko-backup-") as work, \
                os.fdopen(fd, "wb") as raw:
            work = Path(work)
            counts = _counts(settings)  # before the dump: the dump holds at least these
            db_member = _dump_database(settings, work)
            blobs = sorted(p for p in files.rglob("*") if p.is_file()
                           and p.relative_to(files).parts[0] != "partial") \
                if files.is_dir() else []
            manifest = {"format": FORMAT, "backend": "sqlite" if settings.is_sqlite
                        else "postgresql", "created": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                    time.gmtime()),
                        "schema_revision": counts.pop("_revision"), "rows_at_start": counts,
                        "database": db_member, "files": len(blobs), "city": settings.city}
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            with tarfile.open(fileobj=raw, mode="w") as tar:
                tar.add(work / MANIFEST, arcname=MANIFEST)
                tar.add(work / db_member, arcname=db_member)
                for p in blobs:
                    tar.add(p, arcname="files/" + p.relative_to(files).as_posix())
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, 0o600)  # personal data
        os.replace(tmp, out)
        tmp = None
        _fsync_dir(out.parent)
        return manifest
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BackupError(f"cannot write the backup {out}: {reason}; any earlier backup of "
                          "that name is unchanged") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


# --- restore ---------------------------------------------------------------------------

def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"not a Posko server backup (no {MANIFEST} inside)")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not one this server "
                          f"reads ({FORMAT})")
    return manifest


def _database_has_data(settings: Settings) -> bool:
    if settings.is_sqlite:
        path = _sqlite_path(settings)
        if not path.exists() or path.stat().st_size == 0:
            return False
    from server.db import Database

    db = Database(settings.db_url)
    try:
        return bool(inspect(db.engine).get_table_names())
    finally:
        db.dispose()


def restore(settings: Settings, source: Path, *, force: bool = False) -> dict:
    """Put a backup's database and files in place of this server's. The server must be
    stopped. Refuses a database that already has tables unless ``force``; the files folder
    it replaces is kept aside as ``<files>.before-restore-<time>``."""
    source = Path(source).expanduser()
    try:
        tar = tarfile.open(source, mode="r")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read the backup {source}: {exc}") from None
    with tar, tempfile.TemporaryDirectory(prefix="posko-restore-") as work:
        work = Path(work)
        manifest = _read_manifest(tar)
        want = "sqlite" if settings.is_sqlite else "postgresql"
        if manifest["backend"] != want:
            raise BackupError(f"this backup holds a {manifest['backend']} database; the target "
                              f"is {want} (restore into the same kind of database)")
        if _database_has_data(settings) and not force:
            raise BackupError("the target database is not empty; give --force to replace it "
                              "(stop the server first)")
        # "data": no absolute paths, no links out of the folder, no device files
        tar.extractall(work, filter="data")
        dump = work / manifest["database"]
        if settings.is_sqlite:
            target = _sqlite_path(settings)
            private_dir(target.parent)
            staged = target.with_name(target.name + ".restoring")
            shutil.copyfile(dump, staged)
            os.chmod(staged, 0o600)
            for suffix in ("-wal", "-shm", "-journal"):  # the old file's, not the copy's
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                  "--exit-on-error", "--single-transaction", "-d", _pg_env(settings)["PGDATABASE"],
                  str(dump)], _pg_env(settings), "pg_restore")
        files = settings.attachments_dir()
        restored = work / "files"
        if files.exists() and any(files.iterdir()):
            files.rename(files.with_name(f"{files.name}.before-restore-{int(time.time())}"))
        elif files.exists():
            files.rmdir()
        private_dir(files.parent)
        if restored.is_dir():
            shutil.move(str(restored), files)
        private_dir(files)
    # an older backup into a newer server: bring its schema to this server's head now
    from server.open_db import open_database

    open_database(settings.db_url, city=settings.city).dispose()
    return manifest
