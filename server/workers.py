"""``posko server run --workers N``: N uvicorn worker processes on one listening socket.

uvicorn's supervisor spawns the workers (a fresh interpreter each) and restarts one that
dies, a SIGKILL included. A spawned worker cannot be handed the parent's objects, so the
parent puts what it needs in the environment: the Settings as JSON (``SETTINGS_ENV``), the
header timeout of the guarded HTTP protocol, and ``PROMETHEUS_MULTIPROC_DIR``. Each
worker builds its app with ``worker_app()`` (uvicorn's ``factory=True``).

Why this is correct with several processes (issue 14 item 4):
- every write takes the database's global write lock (server/db.py: PostgreSQL's
  ``pg_advisory_xact_lock``), which serialises writers across processes, not threads;
- an upload's chunks are serialised by ``flock`` on a lock file in the shared files folder
  (server/blobs.py; the thread lock there only saves a process's threads a syscall);
- login throttling and Open311 posting limits count in database tables (server/throttle.py);
- what stays per process, and is documented so (docs/deploy.md): the cache and the limit
  of anonymous Open311 reads (server/public_reads.py: N workers allow N times the reads),
  and the password-hash slots (memory per process, by design).
SQLite is refused: one file with one writer gains nothing from more processes but lock
waits, and WAL across processes is only as safe as the file system under it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import fields
from pathlib import Path

from server.netguard import protocol_class
from server.settings import Settings

SETTINGS_ENV = "POSKO_SERVER_SETTINGS"
HEADER_TIMEOUT_ENV = "POSKO_HEADER_TIMEOUT"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Settings a command line can set; the rest keep their defaults in a worker too.
_PASSED = ("db_url", "city", "files_dir", "data_dir", "docs", "header_timeout",
           "body_timeout", "keep_alive_timeout", "max_connections", "metrics_token",
           "password_profile")

# uvicorn imports the HTTP protocol by name in each worker: a module-level class, built
# with the timeout the parent chose.
GuardedProtocol = protocol_class(float(os.environ.get(HEADER_TIMEOUT_ENV, "20")))
GuardedProtocol.__qualname__ = GuardedProtocol.__name__ = "GuardedProtocol"
GuardedProtocol.__module__ = __name__


def settings_to_env(settings: Settings) -> str:
    known = {f.name for f in fields(Settings)}
    out = {}
    for name in _PASSED:
        if name in known:
            value = getattr(settings, name)
            out[name] = str(value) if isinstance(value, Path) else value
    return json.dumps(out)


def worker_app():  # noqa: ANN201
    """The app factory a worker process calls."""
    from server.app import create_app
    from server.netguard import quiet_floods

    quiet_floods()  # the supervisor's own call does not reach a spawned process
    settings = Settings(**json.loads(os.environ[SETTINGS_ENV]))
    return create_app(settings)


def metrics_dir(settings: Settings) -> Path:
    return Path(settings.data_dir or settings.attachments_dir().parent) / "metrics"


def prepare(settings: Settings) -> None:
    """In the supervisor, before any worker starts: migrate once (the workers then find
    the schema at head and do not queue on the write lock to check it), empty the metrics
    folder (samples of a previous run's dead processes would be added to this run's), and
    put the settings where spawned workers find them."""
    from server.open_db import open_database

    open_database(settings.db_url, city=settings.city).dispose()
    folder = metrics_dir(settings)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    os.environ[MULTIPROC_ENV] = str(folder)
    os.environ[SETTINGS_ENV] = settings_to_env(settings)
    os.environ[HEADER_TIMEOUT_ENV] = str(settings.header_timeout)
