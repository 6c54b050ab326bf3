"""A page of the queue: which plan answers it, and the count of the filter.

Paging is KEYSET, never OFFSET: a page starts right after the last row of the page
before, so the 1,000th page of a million-row table costs what the first does. Without a
search a page is an index walk (:mod:`.walk`). Whatever the search, the rows come in the
chosen sort order:

- at most :data:`SMALL_SEARCH` hits (read with ``LIMIT``): they are filtered in SQL and
  ordered in Python with the same segments, so cursors mean the same thing;
- more: the sort's index walk runs as usual and each row read is matched in Python by
  :class:`~.search.TextMatcher` (FTS5 answers "does row X match" probes very slowly),
  which is quick while matches are dense among the walked rows;
- when that walk spends :data:`BROAD_WALK_KSTEPS` (a deterministic work budget, see
  :class:`~.walk.WorkBudget`) without filling the page, every FTS hit is read once into a
  cached set, narrowed to the filter's statuses, and sorted like a small search.

The choice depends only on the data (and SQLite's version), never on how fast or busy
the machine is: the same database gives the same plan, and the same timings' shape, on
an operator's old laptop and on the bench machine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from console.store import slaclock
from console.store.queue.caches import caches_of, small_key
from console.store.queue.filters import (
    OPEN_STATUS_ORDER,
    QueueFilter,
    base_where,
    matches_nothing,
    status_values,
)
from console.store.queue.order import (
    DEFAULT_SORT,
    ORDER_COLUMNS,
    QueueCursor,
    QueueSort,
    inner_picker,
    segment_picker,
    segments,
)
from console.store.queue.rows import QueueRow, fetch_rows_by_pk
from console.store.queue.search import FTS_COLUMNS, TextMatcher, fts_query, search_where
from console.store.queue.walk import OverBudget, WorkBudget, walk_segments
from console.store.timefmt import utcnow

#: A search with at most this many candidates is filtered and sorted in Python.
SMALL_SEARCH = 4000
#: A broader search first walks the sort's indexes keeping hits, for this much work at
#: most (thousands of SQLite instructions; a row matched in Python counts as
#: MATCH_ROW_KSTEPS): about what reading and ordering the smallest broad hit set
#: (SMALL_SEARCH hits) costs instead, ~70. Measured on a 100,000-report demo database
#: (CPU time): 1,000 instructions ~0.11 ms, a row matched by TextMatcher ~3 µs, so 100
#: is ~11 ms there. The bench's broad searches walk for 20-80; a category or channel sort
#: under a status filter (no index serves both) would walk ~900 (~110 ms) where reading
#: and sorting the hits costs ~60.
BROAD_WALK_KSTEPS = 100
MATCH_ROW_KSTEPS = 0.025
#: ...then sorts its hits in Python if (after narrowing to the filter's statuses, read from
#: the status index when there are at most STATUS_INTERSECT_CAP of them) this many remain.
LARGE_SEARCH = 50_000
STATUS_INTERSECT_CAP = 100_000


def _order_candidates(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    candidates: Iterable[int],
    lang: str,
    now: datetime,
) -> tuple[list[tuple[tuple, tuple]], dict[tuple, int]]:
    """Filter and order a small candidate set with the same segments the index walk
    uses, evaluated in Python; returns [(segment key, (tail..., pk))] and segment ranks."""
    segs = list(segments(conn, flt, sort, lang))
    rank = {seg.key: i for i, seg in enumerate(segs)}
    inner_of = [inner_picker(seg) for seg in segs]
    segment_of = segment_picker(sort)
    base = base_where(flt, set(), now)
    # CROSS JOIN keeps json_each as the outer loop: one rowid seek per candidate (left to
    # itself the planner may walk a whole status index and test each row against the list).
    rows = conn.execute(
        f"SELECT {', '.join('r.' + c for c in ORDER_COLUMNS)} "
        "FROM json_each(?) AS j CROSS JOIN report AS r ON r.pk = j.value "
        f"WHERE {base.sql()}",
        [json.dumps(sorted(candidates)), *base.params],
    ).fetchall()
    # Bucketed by segment and each bucket sorted as plain tuples: the order of
    # order.sort_key_function, at C speed for up to LARGE_SEARCH rows.
    buckets: dict[int, list[tuple]] = {}
    for row in rows:
        i = rank.get(segment_of(row))
        if i is None:  # a value the sort has no segment for: the walk never reads it
            continue
        buckets.setdefault(i, []).append(inner_of[i](row))
    ordered: list[tuple[tuple, tuple]] = []
    for i in sorted(buckets):
        seg = segs[i]
        ordered.extend((seg.key, v) for v in sorted(buckets[i], reverse=seg.desc))
    return ordered, {seg.key: (i, seg.desc) for i, seg in enumerate(segs)}


def _page_of(ordered: list, start: int, limit: int) -> tuple[list[int], QueueCursor | None]:
    page = ordered[start : start + limit]
    cursor = QueueCursor(*page[-1]) if len(page) == limit else None
    return [v[-1] for _, v in page], cursor


def _small_page_cached(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    after: QueueCursor,
    limit: int,
    lang: str,
) -> tuple[list[int], QueueCursor | None] | None:
    """The next page from the ordered result of the previous one, if it is still valid."""
    cached = caches_of(conn).ordered.get(small_key(conn, flt, sort, lang))
    if cached is None:
        return None
    ordered, pos = cached
    start = pos.get(after.last[-1], -1) + 1
    if start == 0 or ordered[start - 1] != (after.segment, tuple(after.last)):
        return None
    return _page_of(ordered, start, limit)


def _small_page(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    after: QueueCursor | None,
    limit: int,
    candidates: Iterable[int],
    lang: str,
    now: datetime,
) -> tuple[list[int], QueueCursor | None]:
    """A page of a small candidate set in exact order; cursors mean the same as in the
    index walk, so a query may switch between the two from one page to the next."""
    ordered, ranks = _order_candidates(conn, flt, sort, candidates, lang, now)
    pos = {v[-1]: i for i, (_, v) in enumerate(ordered)}
    caches_of(conn).ordered.put(small_key(conn, flt, sort, lang), ordered, pos)
    start = 0
    if after is not None:
        if after.segment not in ranks:
            return [], None
        c_rank, desc = ranks[after.segment]
        c_last = tuple(after.last)
        start = len(ordered)
        for i, (seg_key, v) in enumerate(ordered):
            r = ranks[seg_key][0]
            if r > c_rank or (r == c_rank and (v < c_last if desc else v > c_last)):
                start = i
                break
    return _page_of(ordered, start, limit)


def _status_pks(conn: sqlite3.Connection, statuses: Sequence[str], cap: int) -> set[int] | None:
    """The pks with these statuses, from the status index alone; None if more than cap."""
    marks = ",".join("?" * len(statuses))
    sql = f"SELECT pk FROM report WHERE status IN ({marks}) LIMIT ?"
    pks = {r[0] for r in conn.execute(sql, (*statuses, cap + 1))}
    return pks if len(pks) <= cap else None



def fetch_page(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort = DEFAULT_SORT,
    after: QueueCursor | None = None,
    limit: int = 100,
    *,
    lang: str = "id",
) -> tuple[list[QueueRow], QueueCursor | None]:
    """One page of the queue and the cursor of the next page (None at the end).

    ``lang`` picks the category/agency name column ("id" or "en") and the name order
    used when sorting by category or agency."""
    pks, cursor = fetch_page_pks(conn, flt, sort, after, limit, lang=lang)
    return fetch_rows_by_pk(conn, pks, lang=lang), cursor


def fetch_page_pks(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort = DEFAULT_SORT,
    after: QueueCursor | None = None,
    limit: int = 100,
    *,
    lang: str = "id",
) -> tuple[list[int], QueueCursor | None]:
    """Like :func:`fetch_page` but only the pks, in order (what the paging itself costs)."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    if matches_nothing(flt):
        return [], None
    now = flt.now or utcnow()
    if fts_query(flt.search) is None:
        return walk_segments(conn, flt, sort, after, limit, lang, now, None, (), None)
    if after is not None:
        page = _small_page_cached(conn, flt, sort, after, limit, lang)
        if page is not None:
            return page
    search_cache = caches_of(conn).search
    few = search_cache.few_hits(conn, flt.search, SMALL_SEARCH)
    if few is not None:
        return _small_page(conn, flt, sort, after, limit, few, lang, now)
    # A broad search: walk the sort's indexes keeping the rows that match, which is
    # quick while matches are dense among the walked rows. Rows are matched in Python
    # until the full FTS hit set has been read once (then by set membership). When the
    # walk spends its work budget, the (status-narrowed) hits are sorted instead.
    hits = search_cache.cached_hits(conn, flt.search)
    if hits is None:
        matcher = TextMatcher(flt.search)
        try:
            return walk_segments(
                conn, flt, sort, after, limit, lang, now,
                lambda row: matcher(*row[-4:]), FTS_COLUMNS,
                WorkBudget(BROAD_WALK_KSTEPS, MATCH_ROW_KSTEPS),
            )  # fmt: skip
        except OverBudget:
            hits = search_cache.hits(conn, flt.search)
    else:
        try:
            return walk_segments(
                conn, flt, sort, after, limit, lang, now,
                lambda row: row[-1] in hits, (), WorkBudget(BROAD_WALK_KSTEPS),
            )  # fmt: skip
        except OverBudget:
            pass
    candidates: Iterable[int] = hits
    statuses = status_values(flt)
    if statuses is not None:
        with_status = _status_pks(conn, statuses, STATUS_INTERSECT_CAP)
        if with_status is not None:
            candidates = hits & with_status
    if len(candidates) <= LARGE_SEARCH:
        return _small_page(conn, flt, sort, after, limit, candidates, lang, now)
    return walk_segments(conn, flt, sort, after, limit, lang, now,
                         lambda row: row[-1] in hits, (), None)



_NO_INDEX_COLUMNS = ("r.channel", "r.category_code", "r.assigned_agency", "r.region_code",
                     "r.priority", "r.created_at")


def count(conn: sqlite3.Connection, flt: QueueFilter) -> int:
    """How many reports the filter matches (for the queue's count label).

    When the filter allows only open statuses (the operator's queue, a few thousand rows
    even at a million reports) it is counted one status at a time on the status index:
    the other columns' terms get a unary ``+`` so SQLite cannot prefer, say, the channel
    index and read every 112 call ever made to find three open ones."""
    if matches_nothing(flt):
        return 0
    now = flt.now or utcnow()
    search = search_where(flt.search)
    statuses = status_values(flt)
    if statuses is not None and set(statuses) <= set(OPEN_STATUS_ORDER):
        w = base_where(flt, {"status"}, now)
        if flt.overdue_only:  # base_where added its own open-status term: drop it
            w = base_where(replace(flt, overdue_only=False, statuses=None), {"status"}, now)
            w.add(*slaclock.overdue_term(now))
        parts = [("+" + p) if p.startswith(_NO_INDEX_COLUMNS) else p for p in w.parts]
        if search is not None:
            parts += search.parts
        params = w.params + (search.params if search is not None else [])
        sql = f"SELECT count(*) FROM report r WHERE r.status = ? AND {' AND '.join(parts) or '1'}"
        return sum(conn.execute(sql, [status, *params]).fetchone()[0] for status in statuses)
    w = base_where(flt, set(), now)
    if search is not None:
        w.parts += search.parts
        w.params += search.params
    return conn.execute(f"SELECT count(*) FROM report r WHERE {w.sql()}", w.params).fetchone()[0]
