"""The search caches: FTS hits and the ordered result of the latest small search."""

from __future__ import annotations

import sqlite3
import threading

from console.store.queue.search import fts_query, prefix_range, ticket_prefix


class SearchCache:
    """The pks matching the latest search text on one connection.

    Search-as-you-type asks for page after page of the same text. FTS5 reads a term's
    whole doclist quickly but answers "does row X match?" probes very slowly, so the
    hits are read once into a set. The entry is reused only for the same connection,
    text and database state (``data_version`` moves when another connection commits,
    ``total_changes`` when this one writes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple | None = None  # (conn, key, hits)
        self._few: tuple | None = None  # (conn, key, hits or None)

    def hits(self, conn: sqlite3.Connection, text: str) -> frozenset[int]:
        match = fts_query(text)
        prefix = ticket_prefix(text)
        state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        key = (match, prefix, state)
        with self._lock:
            entry = self._entry
            if entry is not None and entry[0] is conn and entry[1] == key:
                return entry[2]
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
            self._entry = (conn, key, result)
        return result

    def cached_hits(self, conn: sqlite3.Connection, text: str) -> frozenset[int] | None:
        """The full hit set if it was read before and is still valid, else None."""
        state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        key = (fts_query(text), ticket_prefix(text), state)
        with self._lock:
            entry = self._entry
        if entry is not None and entry[0] is conn and entry[1] == key:
            return entry[2]
        return None

    def few_hits(self, conn: sqlite3.Connection, text: str, cap: int) -> frozenset[int] | None:
        """The hits if there are at most ``cap`` of them (reading no more than cap + 1
        from FTS), else None."""
        state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        key = ("few", fts_query(text), ticket_prefix(text), cap, state)
        with self._lock:
            entry = self._few
            if entry is not None and entry[0] is conn and entry[1] == key:
                return entry[2]
        sql = "SELECT rowid FROM report_fts WHERE report_fts MATCH ? LIMIT ?"
        pks = {r[0] for r in conn.execute(sql, (fts_query(text), cap + 1))}
        prefix = ticket_prefix(text)
        if prefix and len(pks) <= cap:
            lo, hi = prefix_range(prefix)
            sql = "SELECT pk FROM report WHERE ticket >= ? AND ticket < ? LIMIT ?"
            pks.update(r[0] for r in conn.execute(sql, (lo, hi, cap + 1)))
        result = frozenset(pks) if len(pks) <= cap else None
        with self._lock:
            self._few = (conn, key, result)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entry = None
            self._few = None


search_cache = SearchCache()


class OrderedCache:
    """The ordered result of the latest small search, so scrolling its pages is free.

    Only pages after the first use it: a first page (a new or refreshed query) always
    recomputes. Keyed like :class:`SearchCache`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple | None = None  # (conn, key, ordered, position by pk)

    def get(self, conn: sqlite3.Connection, key: tuple):
        with self._lock:
            entry = self._entry
        if entry is not None and entry[0] is conn and entry[1] == key:
            return entry[2], entry[3]
        return None

    def put(self, conn: sqlite3.Connection, key: tuple, ordered: list, pos: dict) -> None:
        with self._lock:
            self._entry = (conn, key, ordered, pos)

    def clear(self) -> None:
        with self._lock:
            self._entry = None


ordered_cache = OrderedCache()


def clear_caches() -> None:
    """Forget cached search hits and orders (they also expire on any database change)."""
    search_cache.clear()
    ordered_cache.clear()
