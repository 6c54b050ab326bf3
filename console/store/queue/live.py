"""What the views ask the worker for in one request: a page with its rows' sync states,
the changes after reports changed (live updates), and the row of the report opened."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from console.store.outbox import unsynced_states
from console.store.queue.filters import QueueFilter, base_where, matches_nothing
from console.store.queue.order import DEFAULT_SORT, QueueCursor, QueueSort, sort_key_function
from console.store.queue.pages import fetch_page
from console.store.queue.rows import QueueRow, fetch_rows_by_pk
from console.store.queue.search import search_where
from console.store.timefmt import utcnow


def match_pks(conn: sqlite3.Connection, flt: QueueFilter, pks: Iterable[int]) -> set[int]:
    """Which of ``pks`` the filter matches now (search included)."""
    pks = [int(p) for p in pks]
    if not pks or matches_nothing(flt):
        return set()
    w = base_where(flt, set(), flt.now or utcnow())
    search = search_where(flt.search)
    if search is not None:
        w.parts += search.parts
        w.params += search.params
    sql = (
        "SELECT r.pk FROM json_each(?) AS j CROSS JOIN report AS r ON r.pk = j.value "
        f"WHERE {w.sql()}"
    )
    return {r[0] for r in conn.execute(sql, [json.dumps(pks), *w.params])}



@dataclass
class Page:
    """A queue page for the views: rows, the next cursor and the rows' sync states."""

    rows: list[QueueRow]
    cursor: QueueCursor | None
    sync: dict[str, str]


def fetch_view_page(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort = DEFAULT_SORT,
    after: QueueCursor | None = None,
    limit: int = 100,
    *,
    lang: str = "id",
) -> Page:
    """:func:`fetch_page` plus the sync state of each row (one request for the view)."""
    rows, cursor = fetch_page(conn, flt, sort, after, limit, lang=lang)
    return Page(rows, cursor, unsynced_states(conn, (r.id for r in rows)))


@dataclass
class LiveUpdate:
    """What the queue model needs after reports changed (see :func:`live_update`)."""

    rows: list[QueueRow]  # fresh copies of the changed rows the model shows
    still_matching: set[int]  # pks among ``rows`` the filter still matches
    new_rows: list[QueueRow]  # changed reports the model does not show that now match
    sync: dict[str, str]  # sync states of all of the above
    sort_key: Callable[[QueueRow], tuple]


def live_update(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    shown_pks: Iterable[int],
    other_ids: Iterable[str],
    *,
    lang: str = "id",
) -> LiveUpdate:
    """Re-read the shown rows that changed and find changed (or new) reports that the
    filter matches but the model does not show yet. One request on the worker."""
    shown_pks = list(shown_pks)
    rows = fetch_rows_by_pk(conn, shown_pks, lang=lang)
    still = match_pks(conn, flt, shown_pks)
    other_ids = list(dict.fromkeys(other_ids))
    new_rows: list[QueueRow] = []
    if other_ids:
        other_pks = [r[0] for r in conn.execute(
            "SELECT pk FROM report WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(other_ids),))]
        matching = match_pks(conn, flt, other_pks)
        new_rows = fetch_rows_by_pk(conn, [p for p in other_pks if p in matching], lang=lang)
    sync = unsynced_states(conn, [r.id for r in rows] + [r.id for r in new_rows])
    return LiveUpdate(rows, still, new_rows, sync, sort_key_function(conn, sort, lang))


@dataclass
class CurrentRow:
    """The queue row of the report the operator opened, for the queue to follow it: its
    row, whether the filter matches it (else it is pinned at the top), its sync state."""

    row: QueueRow | None
    matches: bool
    sync: dict[str, str]
    sort_key: Callable[[QueueRow], tuple]


def current_row(conn: sqlite3.Connection, flt: QueueFilter, sort: QueueSort, report_id: str,
                *, lang: str = "id") -> CurrentRow:
    """One request on the worker: the row of ``report_id`` whatever the filter says."""
    found = conn.execute("SELECT pk FROM report WHERE id = ?", (report_id,)).fetchone()
    rows = fetch_rows_by_pk(conn, [found[0]], lang=lang) if found else []
    row = rows[0] if rows else None
    matches = bool(row) and row.pk in match_pks(conn, flt, [row.pk])
    return CurrentRow(row, matches, unsynced_states(conn, [report_id]) if row else {},
                      sort_key_function(conn, sort, lang))
