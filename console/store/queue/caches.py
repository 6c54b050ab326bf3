"""What the queue remembers between requests on one connection: the FTS hits of the
latest search text and the ordered result of the latest small search.

The caches belong to the connection (``conn.caches``, a dict every connection made by
:func:`console.store.db.connect` carries): they die with it and are never consulted for
another connection, whose counters would not mean the same thing. Each entry is keyed by
what it was computed from: the search text (or the filter and sort) and the database's
state as this connection sees it (``PRAGMA data_version`` moves when another connection
commits, ``total_changes`` when this one writes). A connection Posko did not make (a bare
``sqlite3.connect``) gets fresh caches on every call: correct, only slower.
"""

from __future__ import annotations

import sqlite3
import threading

from console.store.queue.search import fts_query, prefix_range, ticket_prefix

#: Bumped by :func:`clear_caches`; entries made before are ignored.
_generation = 0


def _state(conn: sqlite3.Connection) -> tuple:
    return (_generation, conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)


class SearchCache:
    """The pks matching the latest search text.

    Search-as-you-type asks for page after page of the same text. FTS5 reads a term's
    whole doclist quickly but answers "does row X match?" probes very slowly, so the
    hits are read once into a set."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple | None = None  # (key, hits)
        self._few: tuple | None = None  # (key, hits or None)

    def hits(self, conn: sqlite3.Connection, text: str) -> frozenset[int]:
        match = fts_query(text)
        prefix = ticket_prefix(text)
        key = (match, prefix, _state(conn))
        with self._lock:
            entry = self._entry
            if entry is not None and entry[0] == key:
                return entry[1]
        pks = {
            r[0]
            for r in conn.execute("SELECT rowid FROM report_fts WHERE report_fts MATCH ?", (match,))
        }
        if prefix:
            lo, hi = prefix_range(prefix)
            sql = "SELECT pk FROM report WHERE ticket >= ? AND ticket < ?"
            pks.update(r[0] for r in conn.execute(sql, (lo, hi)))
        result = frozenset(pks)
        with self._lock:
            self._entry = (key, result)
        return result

    def cached_hits(self, conn: sqlite3.Connection, text: str) -> frozenset[int] | None:
        """The full hit set if it was read before and is still valid, else None."""
        key = (fts_query(text), ticket_prefix(text), _state(conn))
        with self._lock:
            entry = self._entry
        if entry is not None and entry[0] == key:
            return entry[1]
        return None

    def few_hits(self, conn: sqlite3.Connection, text: str, cap: int) -> frozenset[int] | None:
        """The hits if there are at most ``cap`` of them (reading no more than cap + 1
        from FTS), else None."""
        key = (fts_query(text), ticket_prefix(text), cap, _state(conn))
        with self._lock:
            entry = self._few
            if entry is not None and entry[0] == key:
                return entry[1]
        sql = "SELECT rowid FROM report_fts WHERE report_fts MATCH ? LIMIT ?"
        pks = {r[0] for r in conn.execute(sql, (fts_query(text), cap + 1))}
        prefix = ticket_prefix(text)
        if prefix and len(pks) <= cap:
            lo, hi = prefix_range(prefix)
            sql = "SELECT pk FROM report WHERE ticket >= ? AND ticket < ? LIMIT ?"
            pks.update(r[0] for r in conn.execute(sql, (lo, hi, cap + 1)))
        result = frozenset(pks) if len(pks) <= cap else None
        with self._lock:
            self._few = (key, result)
        return result


class OrderedCache:
    """The ordered result of the latest small search, so scrolling its pages is free.

    Only pages after the first use it: a first page (a new or refreshed query) always
    recomputes. The key is (filter, sort, language, :func:`_state`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple | None = None  # (key, ordered, position by pk)

    def get(self, key: tuple) -> tuple[list, dict] | None:
        with self._lock:
            entry = self._entry
        if entry is not None and entry[0] == key:
            return entry[1], entry[2]
        return None

    def put(self, key: tuple, ordered: list, pos: dict) -> None:
        with self._lock:
            self._entry = (key, ordered, pos)


class QueueCaches:
    """The queue's caches of one connection."""

    def __init__(self) -> None:
        self.search = SearchCache()
        self.ordered = OrderedCache()


def caches_of(conn: sqlite3.Connection) -> QueueCaches:
    """The connection's own queue caches (fresh ones for a connection without ``caches``)."""
    owned = getattr(conn, "caches", None)
    if owned is None:
        return QueueCaches()
    caches = owned.get("queue")
    if caches is None:
        caches = owned["queue"] = QueueCaches()
    return caches


def small_key(conn: sqlite3.Connection, *query: object) -> tuple:
    """The ordered cache's key for a query (filter, sort, language) on this connection."""
    return (*query, _state(conn))


def clear_caches() -> None:
    """Forget every connection's cached search hits and orders (they also expire on any
    database change)."""
    global _generation
    _generation += 1
