"""The one serialized worker that runs database work for the console.

Every read and write the UI asks for goes through a single thread, in order, so the Qt
event loop never waits on SQLite and two operations never interleave (the same idea as
Anki's collection executor). Qt-free: views wrap the returned futures in signals
(console/views/db_bridge.py), tests and headless commands just call ``.result()``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from console.store.db import Database

T = TypeVar("T")


class DbExecutor:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="posko-db")
        self._local = threading.local()
        self._closed = False

    def _conn(self) -> sqlite3.Connection:
        # The worker thread owns one raw connection for its whole life.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.db.raw()
            self._local.conn = conn
        return conn

    def submit(self, fn: Callable[..., T], *args, **kwargs) -> Future[T]:
        """Run ``fn(conn, *args, **kwargs)`` on the worker with its sqlite3 connection."""
        return self._pool.submit(lambda: fn(self._conn(), *args, **kwargs))

    def call(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Blocking convenience for headless code and tests."""
        return self.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        def _close(conn: sqlite3.Connection) -> None:
            conn.close()
            self._local.conn = None

        if self._closed:  # a second shutdown (window close, then the app's) does nothing
            return
        self._closed = True
        self._pool.submit(lambda: _close(self._conn())).result()
        self._pool.shutdown(wait=True)
