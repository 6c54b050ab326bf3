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

Known slow spot: no index has ``status`` before ``ticket``, so sorting by ticket under a
status filter sorts each status's rows (~70-90 ms a page at 1,000,000 reports). Sorting
by SLA under a status filter (and the overdue filter) walks ``ix_report_status_sla``
(migration 0005).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import total_ordering
from operator import itemgetter

from console.store.queue.filters import (
    ALL_STATUSES,
    PRIORITIES,
    QueueFilter,
    region_range,
    status_values,
)
from console.store.queue.rows import QueueRow, name_col
from console.store.timefmt import to_db

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


# ------------------------------------------------------------------------ the sort table


@dataclass(frozen=True)
class Level:
    """A report column a sort fixes by equality, one segment per value."""

    column: str
    #: The filter term a segment of this level makes redundant (``base_where``'s skip).
    term: str
    #: Every value in ascending sort order (looked-up names order codes).
    values: Callable[[sqlite3.Connection, str], Sequence]
    #: The values the filter allows (None: any), kept in the order of ``values``.
    allowed: Callable[[QueueFilter], Callable[[object], bool] | None]


def _names(table: str, localised: bool) -> Callable[[sqlite3.Connection, str], list[str]]:
    def codes(conn: sqlite3.Connection, lang: str) -> list[str]:
        return lookup_codes(conn, table, name_col(lang) if localised else "name")

    return codes


def _in(values: Sequence | None) -> Callable[[object], bool] | None:
    return None if values is None else set(values).__contains__


def _in_region(flt: QueueFilter) -> Callable[[object], bool] | None:
    if flt.region_prefix is None:
        return None
    lo, hi = region_range(flt.region_prefix)
    return lambda code: lo <= code < hi


PRIORITY = Level("priority", "priority", lambda conn, lang: PRIORITIES,
                 lambda flt: _in(flt.priorities))
STATUS = Level("status", "status", lambda conn, lang: ALL_STATUSES,
               lambda flt: _in(status_values(flt)))
CATEGORY = Level("category_code", "category", _names("category", True),
                 lambda flt: _in(flt.categories))
REGION = Level("region_code", "region", _names("region", False), _in_region)
CHANNEL = Level("channel", "channel", lambda conn, lang: distinct_channels(conn),
                lambda flt: _in(flt.channels))
AGENCY = Level("assigned_agency", "agency", _names("agency", True),
               lambda flt: _in(flt.agencies))

#: Filter terms that exclude NULLs of a nullable sort column (so no NULL segment).
_NULLS_EXCLUDED: dict[str, Callable[[QueueFilter], bool]] = {
    "region_code": lambda flt: flt.region_prefix is not None,
    "assigned_agency": lambda flt: flt.agencies is not None,
    "sla_due_at": lambda flt: flt.overdue_only,
}


@dataclass(frozen=True)
class SortSpec:
    """How one sort key orders the reports: the single description from which the
    walk's SQL segments, the small searches' Python ordering and the views' sort key
    (:func:`sort_key_function`) all derive.

    Rows are ordered by ``levels`` (outermost first; each level's values in sort order,
    reversed for a descending sort unless the level is fixed ascending), then inside a
    segment by ``tail`` and ``pk``: in the sort's direction when ``inner_follows``, else
    newest first. NULLs of ``nullable`` get one last segment, newest first.
    """

    levels: tuple[tuple[Level, bool], ...]  # (level, follows the sort's direction)
    tail: str | None
    inner_follows: bool
    nullable: str | None = None
    #: Status fan-out: index prefixes tried in order; the first whose leading column the
    #: filter constrains is fanned out (an unconstrained second column takes every value).
    fanout: tuple[tuple[Level, ...], ...] = ()


# Each entry's segments walk an index of console/store/models.py in order (named here).
SORTS: dict[str, SortSpec] = {
    # The unique index on report.ticket.
    "ticket": SortSpec((), "ticket", True, fanout=((STATUS,),)),
    # ix_report_created; under a status filter ix_report_status_priority_created needs
    # both equalities to stay in created_at order, else ix_report_priority_created.
    "created_at": SortSpec((), "created_at", True, fanout=((STATUS, PRIORITY), (PRIORITY,))),
    # ix_report_priority_created, or ix_report_status_priority_created per status.
    "priority": SortSpec(((PRIORITY, True),), "created_at", False, fanout=((STATUS,),)),
    # ix_report_sla_due, or ix_report_status_sla per status.
    "sla_due_at": SortSpec((), "sla_due_at", True, nullable="sla_due_at", fanout=((STATUS,),)),
    # ix_report_status_priority_created; inside a status, priority 1 first whichever way
    # the statuses run.
    "status": SortSpec(((STATUS, True), (PRIORITY, False)), "created_at", False),
    # ix_report_category_created, ix_report_region_created, ix_report_channel_created.
    "category": SortSpec(((CATEGORY, True),), "created_at", False),
    "region": SortSpec(((REGION, True),), "created_at", False, nullable="region_code"),
    "channel": SortSpec(((CHANNEL, True),), "created_at", False),
    # ix_report_agency has no created_at: newest by pk (its last column) instead.
    "agency": SortSpec(((AGENCY, True),), None, False, nullable="assigned_agency"),
}
assert set(SORTS) == set(SORT_KEYS)

#: The segment key of a sort without levels, and of a nullable column's NULL segment.
ALL, NULLS = ("*",), (None,)


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


def distinct_channels(conn: sqlite3.Connection) -> list[str]:
    """Distinct channels by a loose index scan: one seek per value, not a full scan."""
    out: list[str] = []
    sql = "SELECT MIN(channel) FROM report WHERE channel > ?"
    value = conn.execute("SELECT MIN(channel) FROM report").fetchone()[0]
    while value is not None:
        out.append(value)
        value = conn.execute(sql, (value,)).fetchone()[0]
    return out


def _level_values(level: Level, conn: sqlite3.Connection, flt: QueueFilter, lang: str) -> list:
    keep = level.allowed(flt)
    values = level.values(conn, lang)
    return list(values) if keep is None else [v for v in values if keep(v)]


def _fanout(spec: SortSpec, conn: sqlite3.Connection, flt: QueueFilter, lang: str):
    """(alternatives, skipped terms): one alternative per value combination of the first
    index prefix whose leading column the filter constrains, so each alternative walks
    that index with equalities and stays in tail order."""
    for prefix in spec.fanout:
        if prefix[0].allowed(flt) is None:
            continue
        combos: list[tuple] = [()]
        for level in prefix:
            values = _level_values(level, conn, flt, lang)
            combos = [(*c, (f"r.{level.column} = ?", (v,))) for c in combos for v in values]
        return tuple(combos), frozenset(level.term for level in prefix)
    return (), frozenset()


def segments(
    conn: sqlite3.Connection, flt: QueueFilter, sort: QueueSort, lang: str
) -> Iterator[Segment]:
    """The sort's segments in order, narrowed to the values the filter allows."""
    spec = SORTS[sort.key]
    desc = sort.descending
    inner_desc = desc if spec.inner_follows else True
    fan, fan_skip = _fanout(spec, conn, flt, lang)
    tail = (spec.tail,) if spec.tail else ()
    combos: list[tuple] = [()]
    for level, follows in spec.levels:
        values = in_direction(_level_values(level, conn, flt, lang), desc and follows)
        combos = [(*c, v) for c in combos for v in values]
    level_skip = frozenset(level.term for level, _ in spec.levels)
    not_null = ()
    if spec.nullable and spec.nullable == spec.tail:  # NULLs cannot be keyset-compared
        not_null = ((f"r.{spec.nullable} IS NOT NULL", ()),)
    for combo in combos:
        conds = tuple((f"r.{level.column} = ?", (v,))
                      for (level, _), v in zip(spec.levels, combo, strict=True))
        yield Segment(combo or ALL, conds + not_null, tail, inner_desc, fan,
                      fan_skip | level_skip)
    if spec.nullable and not _NULLS_EXCLUDED[spec.nullable](flt):
        yield Segment(NULLS, ((f"r.{spec.nullable} IS NULL", ()),),
                      tuple(c for c in tail if c != spec.nullable), True, fan, fan_skip)


# ------------------------------------------------------- the same order, in Python


#: The report columns a row's place in any sort depends on, as the small searches read
#: them (stored form: times as UTC text, ordered like the index walk compares them).
ORDER_COLUMNS = ("priority", "status", "category_code", "region_code", "channel",
                 "assigned_agency", "created_at", "ticket", "sla_due_at", "pk")
_AT = {c: i for i, c in enumerate(ORDER_COLUMNS)}


def _picker(columns: Sequence[str]) -> Callable[[Sequence], tuple]:
    """A function taking these columns of an ORDER_COLUMNS row as a tuple (itemgetter:
    the small searches place thousands of rows)."""
    if len(columns) == 1:
        at = _AT[columns[0]]
        return lambda row: (row[at],)
    return itemgetter(*(_AT[c] for c in columns))


def segment_picker(sort: QueueSort) -> Callable[[Sequence], tuple]:
    """The key of the segment an ORDER_COLUMNS row falls in."""
    spec = SORTS[sort.key]
    levels = _picker([level.column for level, _ in spec.levels]) if spec.levels else None
    null_at = _AT[spec.nullable] if spec.nullable else None

    def segment(row: Sequence) -> tuple:
        if null_at is not None and row[null_at] is None:
            return NULLS
        return levels(row) if levels is not None else ALL

    return segment


def inner_picker(segment: Segment) -> Callable[[Sequence], tuple]:
    """An ORDER_COLUMNS row's (tail..., pk) in ``segment``: its order there, its cursor."""
    return _picker((*segment.tail, "pk"))


@total_ordering
class _Reversed:
    """Orders a segment's (tail..., pk) tuples backwards (a descending segment)."""

    __slots__ = ("inner",)

    def __init__(self, inner: tuple) -> None:
        self.inner = inner

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.inner == other.inner

    def __lt__(self, other: _Reversed) -> bool:
        return other.inner < self.inner

    __hash__ = None  # type: ignore[assignment]


def _stored(row: QueueRow) -> tuple:
    """A queue row as an ORDER_COLUMNS row (times as the database stores them)."""
    return (row.priority, row.status, row.category_code, row.region_code, row.channel,
            row.assigned_agency, to_db(row.created_at), row.ticket, to_db(row.sla_due_at),
            row.pk)


def sort_key_function(
    conn: sqlite3.Connection, sort: QueueSort, lang: str = "id"
) -> Callable[[QueueRow], tuple]:
    """A Python key giving :class:`QueueRow` objects the order :func:`fetch_page` walks
    them in, for placing a live-inserted row among the loaded ones: the rank of the
    row's segment among all of the sort's segments, then its (tail..., pk) in the
    segment's direction. A row in no segment (an unknown code) goes last."""
    segs = list(segments(conn, QueueFilter(), sort, lang))
    rank = {seg.key: (i, seg.desc, inner_picker(seg)) for i, seg in enumerate(segs)}
    segment_of = segment_picker(sort)

    def key(row: QueueRow) -> tuple:
        values = _stored(row)
        found = rank.get(segment_of(values))
        if found is None:
            return (len(segs), _Reversed((row.pk,)))
        i, desc, inner_of = found
        inner = inner_of(values)
        return (i, _Reversed(inner) if desc else inner)

    return key
