"""The console's one write transaction: ``BEGIN IMMEDIATE … COMMIT``, rolled back on any
exception, never nested.

IMMEDIATE takes SQLite's write lock up front, so a concurrent writer (the sync engine on
its own connection or in another process) makes the second one wait on busy_timeout at
BEGIN instead of failing half-way with SQLITE_BUSY on its first write. Nesting is refused
rather than flattened: an inner block that believed it committed would be rolled back by
an outer failure (operations, sync steps and exports each own their transaction). Only
a step that is meant to be part of a larger whole (seeding reference data) joins the
caller's transaction, with :func:`joined_transaction`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    if conn.in_transaction:
        raise RuntimeError("write transactions do not nest; finish the open one first")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def joined_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The caller's open transaction if there is one (its COMMIT or ROLLBACK decides for
    this block too), else a :func:`write_transaction` of its own."""
    if conn.in_transaction:
        yield conn
    else:
        with write_transaction(conn):
            yield conn
