"""The sort orders: :class:`QueueSort`, its segments and the Python key of the same order.

How a sort becomes cheap index walks
------------------------------------
Every sort order is split into *segments*. A segment fixes one value of a few
low-cardinality columns (priority, status, category, kelurahan, channel, agency) by
equality and orders the rows inside by a *tail* (``created_at``, ``ticket``,
``sla_due_at`` or nothing) and finally ``pk``, all in one direction. With the
equalities leading an existing index and the tail following it, SQLite walks the index
in order and stops after ``limit`` rows: no sort, no temp B-tree. Mixed orders such as
"priority 1 first, newest first inside a priority" therefore need no extra index.

Status filters (the queue almost always shows only open reports) are handled by a
*fan-out*: one ordered sub-query per status value, each walking
``ix_report_status_priority_created`` with equalities, merged by an outer ORDER BY over
at most ``fan-out × limit`` rows. An ``IN (...)`` would make SQLite sort every open
report instead.

NULLs never reach a keyset comparison: a nullable sort column gets its own last segment
(``... IS NULL``, ordered by ``pk``), so reports without an SLA, a region or an agency
come after the others whichever way the column is sorted.

The cursor names the segment and the last row's tail values and ``pk``; it is only
valid for the filter and sort that produced it.

Known slow spot: no index has ``status`` before ``sla_due_at`` or ``ticket``, so sorting
by SLA or by ticket under a status filter (and the overdue filter) sorts each status's
rows: ~70-90 ms a page at 1,000,000 reports, against ~2 ms with an index on
``report(status, sla_due_at)``, which the queries use as soon as it exists.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from console.store.queue.filters import (
    ALL_STATUSES,
    QueueFilter,
    priority_values,
    region_range,
    status_values,
)
from console.store.queue.rows import QueueRow, name_col

#: Sort keys, named after the report column (or the looked-up name) they order by.
SORT_KEYS: tuple[str, ...] = (
    "ticket",
    "priority",
    "sla_due_at",
    "category",
    "region",
    "status",
    "channel",
    "created_at",
    "agency",
)


@dataclass(frozen=True)
class QueueSort:
    """Sort by one key; ties are broken the same way every time (see module doc).

    ``priority`` ascending puts P1 first; inside one priority (and inside one category,
    status, region, channel) the newest report comes first whatever the direction.
    """

    key: str = "priority"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.key!r}; expected one of {SORT_KEYS}")


DEFAULT_SORT = QueueSort()


@dataclass(frozen=True)
class QueueCursor:
    """Where the next page starts: the segment and the last row's (tail..., pk)."""

    segment: tuple
    last: tuple


@dataclass(frozen=True)
class Segment:
    key: tuple
    conds: tuple[tuple[str, tuple], ...]  # equalities / IS NULL fixing this segment
    tail: tuple[str, ...]  # ordered columns before pk; never NULL inside the segment
    desc: bool
    # Alternatives ANDed to the segment, one ordered sub-query each, merged (status fan-out)
    fanout: tuple[tuple[tuple[str, tuple], ...], ...] = ()
    skip: frozenset[str] = field(default_factory=frozenset)


def in_direction(values: Sequence, descending: bool) -> list:
    return list(reversed(values)) if descending else list(values)


def lookup_codes(conn: sqlite3.Connection, table: str, name_col: str) -> list[str]:
    return [r[0] for r in conn.execute(f"SELECT code FROM {table} ORDER BY {name_col}, code")]


def _distinct_channels(conn: sqlite3.Connection) -> list[str]:
    """Distinct channels by a loose index scan: one seek per value, not a full scan."""
    out: list[str] = []
    sql = "SELECT MIN(channel) FROM report WHERE channel > ?"
    value = conn.execute("SELECT MIN(channel) FROM report").fetchone()[0]
    while value is not None:
        out.append(value)
        value = conn.execute(sql, (value,)).fetchone()[0]
    return out


def _status_fanout(statuses: Sequence[str] | None, priorities: Sequence[int] | None):
    """One alternative per (status[, priority]) so each walks the status index in order."""
    if statuses is None:
        return ()
    if priorities is None:
        return tuple(((("r.status = ?", (s,)),)) for s in statuses)
    return tuple(
        (("r.status = ?", (s,)), ("r.priority = ?", (p,))) for s in statuses for p in priorities
    )


def segments(
    conn: sqlite3.Connection, flt: QueueFilter, sort: QueueSort, lang: str
) -> Iterator[Segment]:
    desc = sort.descending
    statuses = status_values(flt)
    key = sort.key
    if key == "priority":
        skip = frozenset({"priority", "status"} if statuses is not None else {"priority"})
        fan = _status_fanout(statuses, None)
        for p in in_direction(priority_values(flt), desc):
            yield Segment((p,), (("r.priority = ?", (p,)),), ("created_at",), True, fan, skip)
    elif key == "created_at":
        if statuses is not None:
            fan = _status_fanout(statuses, priority_values(flt))
            skip = frozenset({"status", "priority"})
        elif flt.priorities is not None:
            fan = tuple(((("r.priority = ?", (p,)),)) for p in priority_values(flt))
            skip = frozenset({"priority"})
        else:
            fan, skip = (), frozenset()
        yield Segment(("*",), (), ("created_at",), desc, fan, skip)
    elif key == "status":
        for s in in_direction(statuses if statuses is not None else ALL_STATUSES, desc):
            for p in priority_values(flt):
                yield Segment(
                    (s, p),
                    (("r.status = ?", (s,)), ("r.priority = ?", (p,))),
                    ("created_at",),
                    True,
                    (),
                    frozenset({"status", "priority"}),
                )
    elif key == "ticket":
        fan = _status_fanout(statuses, None)
        skip = frozenset({"status"} if statuses is not None else ())
        yield Segment(("*",), (), ("ticket",), desc, fan, skip)
    elif key == "sla_due_at":
        fan = _status_fanout(statuses, None)
        skip = frozenset({"status"} if statuses is not None else ())
        yield Segment(
            ("v",), (("r.sla_due_at IS NOT NULL", ()),), ("sla_due_at",), desc, fan, skip
        )
        if not flt.overdue_only:
            yield Segment(("null",), (("r.sla_due_at IS NULL", ()),), (), True, fan, skip)
    elif key == "category":
        codes = lookup_codes(conn, "category", name_col(lang))
        if flt.categories is not None:
            codes = [c for c in codes if c in set(flt.categories)]
        for c in in_direction(codes, desc):
            yield Segment(
                (c,),
                (("r.category_code = ?", (c,)),),
                ("created_at",),
                True,
                (),
                frozenset({"category"}),
            )
    elif key == "region":
        codes = lookup_codes(conn, "region", "name")
        if flt.region_prefix is not None:
            lo, hi = region_range(flt.region_prefix)
            codes = [c for c in codes if lo <= c < hi]
        for c in in_direction(codes, desc):
            yield Segment(
                (c,),
                (("r.region_code = ?", (c,)),),
                ("created_at",),
                True,
                (),
                frozenset({"region"}),
            )
        if flt.region_prefix is None:
            yield Segment(("null",), (("r.region_code IS NULL", ()),), ("created_at",), True)
    elif key == "channel":
        codes = _distinct_channels(conn)
        if flt.channels is not None:
            codes = [c for c in codes if c in set(flt.channels)]
        for c in in_direction(codes, desc):
            yield Segment(
                (c,), (("r.channel = ?", (c,)),), ("created_at",), True, (), frozenset({"channel"})
            )
    elif key == "agency":
        codes = lookup_codes(conn, "agency", name_col(lang))
        if flt.agencies is not None:
            codes = [c for c in codes if c in set(flt.agencies)]
        for c in in_direction(codes, desc):
            yield Segment((c,), (("r.assigned_agency = ?", (c,)),), (), True,
                           (), frozenset({"agency"}))
        if flt.agencies is None:
            yield Segment(("null",), (("r.assigned_agency IS NULL", ()),), (), True)
    else:  # pragma: no cover - QueueSort validates keys
        raise ValueError(key)



def row_segment(key: str, row: tuple) -> tuple:
    _pk, prio, status, cat, region, channel, agency, _created, _ticket, sla = row
    if key == "priority":
        return (prio,)
    if key in ("created_at", "ticket"):
        return ("*",)
    if key == "status":
        return (status, prio)
    if key == "sla_due_at":
        return ("v",) if sla is not None else ("null",)
    if key == "category":
        return (cat,)
    if key == "region":
        return (region,) if region is not None else ("null",)
    if key == "channel":
        return (channel,)
    if key == "agency":
        return (agency,) if agency is not None else ("null",)
    raise ValueError(key)  # pragma: no cover


def _neg_text(text: str) -> tuple:
    """A key that orders strings in reverse (a prefix after its extensions)."""
    return (*(-ord(ch) for ch in text), 1)


def _ts(dt: datetime | None) -> float:
    return dt.timestamp() if dt is not None else 0.0


def sort_key_function(
    conn: sqlite3.Connection, sort: QueueSort, lang: str = "id"
) -> Callable[[QueueRow], tuple]:
    """A Python key giving :class:`QueueRow` objects the order :func:`fetch_page` walks
    them in, for placing a live-inserted row among the loaded ones."""
    desc = sort.descending
    key = sort.key
    ranks: dict = {}
    if key in ("category", "region", "agency"):
        table, col = {
            "category": ("category", name_col(lang)),
            "region": ("region", "name"),
            "agency": ("agency", name_col(lang)),
        }[key]
        codes = in_direction(lookup_codes(conn, table, col), desc)
        ranks = {c: i for i, c in enumerate(codes)}
    elif key == "status":
        ranks = {s: i for i, s in enumerate(in_direction(ALL_STATUSES, desc))}
    none = 1 << 30

    def newest(r: QueueRow) -> tuple:
        return (-_ts(r.created_at), -r.pk)

    if key == "priority":
        return lambda r: ((-r.priority if desc else r.priority), *newest(r))
    if key == "created_at":
        return lambda r: (-_ts(r.created_at), -r.pk) if desc else (_ts(r.created_at), r.pk)
    if key == "ticket":
        return lambda r: (_neg_text(r.ticket), -r.pk) if desc else (tuple(map(ord, r.ticket)), r.pk)
    if key == "sla_due_at":
        def sla(r: QueueRow) -> tuple:
            if r.sla_due_at is None:
                return (1, -r.pk)
            return (0, -_ts(r.sla_due_at), -r.pk) if desc else (0, _ts(r.sla_due_at), r.pk)

        return sla
    if key == "status":
        return lambda r: (ranks.get(r.status, none), r.priority, *newest(r))
    if key == "category":
        return lambda r: (ranks.get(r.category_code, none), *newest(r))
    if key == "region":
        return lambda r: (ranks.get(r.region_code, none) if r.region_code else none + 1, *newest(r))
    if key == "channel":
        def channel(r: QueueRow) -> tuple:
            return (_neg_text(r.channel) if desc else tuple(map(ord, r.channel)), *newest(r))

        return channel
    if key == "agency":
        return lambda r: (
            ranks.get(r.assigned_agency, none) if r.assigned_agency else none + 1, -r.pk)
    raise ValueError(key)  # pragma: no cover - QueueSort validates keys
