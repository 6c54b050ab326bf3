"""What the queue shows: :class:`QueueFilter` and its SQL (``WHERE`` terms over ``report r``).

A segment of a sort fixes some columns by equality (see :mod:`.order`); ``skip`` names
the filter terms such a segment makes redundant, so they are left out of its SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from console.domain.workflow import OPEN_STATUSES, Status
from console.store import slaclock
from console.store.timefmt import to_db

#: Status values in workflow order; sorting by status follows this order, not the alphabet.
ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
OPEN_STATUS_ORDER: tuple[str, ...] = tuple(s for s in ALL_STATUSES if s in OPEN_STATUSES)
PRIORITIES: tuple[int, ...] = (1, 2, 3, 4)


def _norm_set(values: Iterable | None, kind=str) -> tuple | None:
    if values is None:
        return None
    if isinstance(values, str | int):
        values = (values,)
    return tuple(sorted({kind(v) for v in values}))


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. ``None`` (or empty text) means "no constraint".

    Collections are normalised to sorted tuples, so equal filters compare equal and can
    be used as cache keys. An *empty* collection matches nothing.
    """

    statuses: tuple[str, ...] | None = None
    priorities: tuple[int, ...] | None = None
    categories: tuple[str, ...] | None = None
    #: A region code: the region itself and everything under it (``kota-kec-kel`` codes).
    region_prefix: str | None = None
    channels: tuple[str, ...] | None = None
    created_from: datetime | None = None  # inclusive, aware
    created_to: datetime | None = None  # exclusive, aware
    #: Status open and the SLA deadline passed at ``now`` (``slaclock.overdue_term``, the
    #: SQL form of ``sla.is_overdue``).
    overdue_only: bool = False
    search: str = ""
    #: The "now" of ``overdue_only``; None means the time of the query.
    now: datetime | None = None
    #: Assigned agency codes ("assigned to me" is the operator's agency).
    agencies: tuple[str, ...] | None = None
    #: (min_lat, min_lon, max_lat, max_lon): reports with coordinates inside (the map's
    #: area filter). Reports without coordinates never match.
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "statuses", _norm_set(self.statuses))
        object.__setattr__(self, "priorities", _norm_set(self.priorities, int))
        object.__setattr__(self, "categories", _norm_set(self.categories))
        object.__setattr__(self, "channels", _norm_set(self.channels))
        object.__setattr__(self, "agencies", _norm_set(self.agencies))
        if self.bbox is not None:
            box = tuple(float(v) for v in self.bbox)
            if len(box) != 4 or not (box[0] <= box[2] and box[1] <= box[3]):
                raise ValueError("QueueFilter.bbox must be (min_lat, min_lon, max_lat, max_lon)")
            object.__setattr__(self, "bbox", box)
        object.__setattr__(self, "search", self.search or "")
        if self.region_prefix is not None:
            code = self.region_prefix.strip()
            object.__setattr__(self, "region_prefix", code or None)
        for name in ("created_from", "created_to", "now"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"QueueFilter.{name} must be timezone-aware")
        unknown = set(self.statuses or ()) - set(ALL_STATUSES)
        if unknown:
            raise ValueError(f"unknown status: {sorted(unknown)}")

    @classmethod
    def open_queue(cls, **kw) -> QueueFilter:
        """The default operator queue: every open report."""
        return cls(statuses=OPEN_STATUS_ORDER, **kw)


class Where:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def add_in(self, column: str, values: Sequence) -> None:
        if not values:
            self.parts.append("0")
        elif len(values) == 1:
            self.add(f"{column} = ?", values[0])
        else:
            self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1"


def region_range(code: str) -> tuple[str, str]:
    # Codes are digits and '-', so [code, code + '.') is the code itself and every
    # "code-..." below it, and nothing else ('.' sorts right after '-', before digits).
    return code, code + "."


def base_where(flt: QueueFilter, skip: set[str], now: datetime) -> Where:
    """The filter as SQL over ``report r``, minus the columns a segment already fixes."""
    w = Where()
    if flt.statuses is not None and "status" not in skip:
        w.add_in("r.status", flt.statuses)
    if flt.priorities is not None and "priority" not in skip:
        w.add_in("r.priority", flt.priorities)
    if flt.categories is not None and "category" not in skip:
        w.add_in("r.category_code", flt.categories)
    if flt.channels is not None and "channel" not in skip:
        w.add_in("r.channel", flt.channels)
    if flt.agencies is not None and "agency" not in skip:
        w.add_in("r.assigned_agency", flt.agencies)
    if flt.bbox is not None:
        w.add("r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?",
              flt.bbox[0], flt.bbox[2], flt.bbox[1], flt.bbox[3])
    if flt.region_prefix is not None and "region" not in skip:
        lo, hi = region_range(flt.region_prefix)
        w.add("r.region_code >= ? AND r.region_code < ?", lo, hi)
    if flt.created_from is not None:
        w.add("r.created_at >= ?", to_db(flt.created_from))
    if flt.created_to is not None:
        w.add("r.created_at < ?", to_db(flt.created_to))
    if flt.overdue_only:
        w.add(*slaclock.overdue_term(now))
        if "status" not in skip:
            w.add_in("r.status", OPEN_STATUS_ORDER)
    return w


def status_values(flt: QueueFilter) -> tuple[str, ...] | None:
    """The statuses the filter allows, in workflow order; None for "any"."""
    allowed = None if flt.statuses is None else set(flt.statuses)
    if flt.overdue_only:
        allowed = set(OPEN_STATUS_ORDER) if allowed is None else allowed & set(OPEN_STATUS_ORDER)
    if allowed is None:
        return None
    return tuple(s for s in ALL_STATUSES if s in allowed)


def priority_values(flt: QueueFilter) -> tuple[int, ...]:
    return tuple(p for p in PRIORITIES if flt.priorities is None or p in flt.priorities)



def matches_nothing(flt: QueueFilter) -> bool:
    sets = (flt.statuses, flt.priorities, flt.categories, flt.channels, flt.agencies)
    return any(v is not None and not v for v in sets) or status_values(flt) == ()

