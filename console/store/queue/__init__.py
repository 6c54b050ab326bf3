"""The report queue: filtering, sorting, full-text search and keyset paging. No Qt.

The views run these functions on the database worker
(``console.store.executor.DbExecutor``) and get the results back through signals. The
package's modules, from the bottom up:

- :mod:`.filters` — :class:`QueueFilter` and its SQL terms;
- :mod:`.search` — search text made safe for FTS5, and the same match in Python;
- :mod:`.rows` — :class:`QueueRow` and reading rows by pk;
- :mod:`.order` — :class:`QueueSort`: the segments of each sort and its Python key;
- :mod:`.walk` — a segment's SQL and the keyset walk over a sort's segments;
- :mod:`.caches` — FTS hits and the latest small search's order, per connection;
- :mod:`.pages` — :func:`fetch_page`: which plan answers a page; :func:`count`;
- :mod:`.live` — one-request helpers for the views (sync states, live updates).

Everything the rest of Posko uses is importable from ``console.store.queue``.
"""

from __future__ import annotations

from console.store.queue.caches import clear_caches
from console.store.queue.filters import ALL_STATUSES, OPEN_STATUS_ORDER, PRIORITIES, QueueFilter
from console.store.queue.live import (
    CurrentRow,
    LiveUpdate,
    Page,
    current_row,
    fetch_view_page,
    live_update,
    match_pks,
)
from console.store.queue.order import (
    DEFAULT_SORT,
    SORT_KEYS,
    QueueCursor,
    QueueSort,
    sort_key_function,
)
from console.store.queue.pages import count, fetch_page, fetch_page_pks
from console.store.queue.rows import QueueRow, fetch_rows_by_pk
from console.store.queue.search import TextMatcher, fts_query, search_terms, ticket_prefix

__all__ = [
    "ALL_STATUSES",
    "DEFAULT_SORT",
    "OPEN_STATUS_ORDER",
    "PRIORITIES",
    "SORT_KEYS",
    "CurrentRow",
    "LiveUpdate",
    "Page",
    "QueueCursor",
    "QueueFilter",
    "QueueRow",
    "QueueSort",
    "TextMatcher",
    "clear_caches",
    "count",
    "current_row",
    "fetch_page",
    "fetch_page_pks",
    "fetch_rows_by_pk",
    "fetch_view_page",
    "fts_query",
    "live_update",
    "match_pks",
    "search_terms",
    "sort_key_function",
    "ticket_prefix",
]
