"""The report queue: filtering, sorting, full-text search and keyset paging.

No Qt here. The views run these functions on the database worker
(``console.store.executor.DbExecutor``) and get the results back through signals.

Paging is KEYSET, never OFFSET: a page starts right after the last row of the page
before, so the 1,000th page of a million-row table costs what the first does.

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

Search
------
User text never reaches FTS5 or SQL as syntax. :func:`fts_query` reduces it to plain
letter/number tokens (the same split as the ``unicode61`` tokenizer), quotes each
whitespace-separated word as an FTS5 phrase and marks the last one as a prefix, so
quotes, ``NEAR(``, ``AND``, ``-``, ``*``, ``^``, ``:``, parentheses or ``'; DROP ...--``
are just characters that are not searched for. A ticket-looking term also matches the
ticket column by prefix. Whatever the search, the rows come in the chosen sort order:

- at most :data:`SMALL_SEARCH` hits (read with ``LIMIT``): they are filtered in SQL and
  ordered in Python with the same segments, so cursors mean the same thing;
- more: the sort's index walk runs as usual and each row read is matched in Python by
  :class:`TextMatcher` (FTS5 answers "does row X match" probes very slowly), which is
  quick while matches are dense among the walked rows;
- when that walk exceeds :data:`BROAD_WALK_BUDGET_S`, every FTS hit is read once into a
  cached set, narrowed to the filter's statuses, and sorted like a small search.

Known slow spot: no index has ``status`` before ``sla_due_at`` or ``ticket``, so sorting
by SLA or by ticket under a status filter (and the overdue filter) sorts each status's
rows: ~70-90 ms a page at 1,000,000 reports, against ~2 ms with an index on
``report(status, sla_due_at)``, which the queries use as soon as it exists.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple

from console.domain.sla import SlaClock
from console.domain.workflow import OPEN_STATUSES, Status
from console.store import slaclock
from console.store.outbox import unsynced_states
from console.store.timefmt import from_db, to_db, utcnow

__all__ = [
    "ALL_STATUSES",
    "DEFAULT_SORT",
    "OPEN_STATUS_ORDER",
    "PRIORITIES",
    "SMALL_SEARCH",
    "SORT_KEYS",
    "TextMatcher",
    "QueueCursor",
    "QueueFilter",
    "QueueRow",
    "QueueSort",
    "clear_caches",
    "count",
    "fetch_page",
    "fetch_page_pks",
    "fetch_rows_by_pk",
    "fetch_view_page",
    "fts_query",
    "live_update",
    "match_pks",
    "sort_key_function",
    "search_terms",
    "ticket_prefix",
]

#: Status values in workflow order; sorting by status follows this order, not the alphabet.
ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
OPEN_STATUS_ORDER: tuple[str, ...] = tuple(s for s in ALL_STATUSES if s in OPEN_STATUSES)
PRIORITIES: tuple[int, ...] = (1, 2, 3, 4)

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

#: A search with at most this many candidates is filtered and sorted in Python.
SMALL_SEARCH = 4000
#: A broader search first walks the sort's indexes keeping hits, for this long at most...
BROAD_WALK_BUDGET_S = 0.030
#: ...then sorts its hits in Python if (after narrowing to the filter's statuses, read from
#: the status index when there are at most STATUS_INTERSECT_CAP of them) this many remain.
LARGE_SEARCH = 50_000
STATUS_INTERSECT_CAP = 100_000


# ---------------------------------------------------------------------------- public types


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


class QueueRow(NamedTuple):
    pk: int
    id: str
    ticket: str
    priority: int
    sla_due_at: datetime | None
    category_code: str
    category_name: str | None
    region_code: str | None
    region_name: str | None  # the kelurahan (or whatever level the report is filed at)
    status: str
    channel: str
    created_at: datetime
    assigned_agency: str | None
    agency_name: str | None
    revision: int
    title: str
    #: The running SLA clock (``console.domain.sla``), None when no deadline runs.
    sla: SlaClock | None = None


# ------------------------------------------------------------------------------- search


_WORD = re.compile(r"[^\W_]+")
_TICKETISH = re.compile(r"^[A-Za-z]{0,8}[-/]?\d[\w\-/]*$")


def search_terms(text: str) -> list[list[str]]:
    """Whitespace-separated words of ``text``, each as its letter/number tokens.

    Mirrors the ``unicode61`` tokenizer: anything that is not a letter or digit
    separates tokens and is never passed on. Words without tokens are dropped."""
    text = unicodedata.normalize("NFC", text or "")
    words = []
    for chunk in text.split():
        tokens = _WORD.findall(chunk)
        if tokens:
            words.append(tokens)
    return words


def _quote(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for user text, or None when nothing is searchable.

    Each word becomes a quoted phrase (so ``BDG-2511-0001`` matches the ticket's tokens
    in order); the words are ANDed; the last word is a prefix unless its last token is a
    single character (a one-letter prefix would read most of the index)."""
    words = search_terms(text)
    if not words:
        return None
    parts = [_quote(" ".join(tokens)) for tokens in words]
    if len(words[-1][-1]) >= 2:
        parts[-1] += "*"
    return " ".join(parts)


def ticket_prefix(text: str) -> str | None:
    """If the search text is one ticket-looking word (letters, then digits, dashes), the
    upper-cased prefix to match the ticket column with; else None."""
    text = (text or "").strip()
    if not text or " " in text or len(text) < 3 or not _TICKETISH.match(text):
        return None
    if sum(ch.isdigit() for ch in text) < 2:
        return None
    return text.upper()


def _prefix_range(prefix: str) -> tuple[str, str]:
    """[lo, hi) bounds selecting exactly the strings that start with ``prefix``."""
    return prefix, prefix + "\U0010ffff"


def _fold(text: str) -> str:
    """Case and diacritics folded like ``unicode61 remove_diacritics 2``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


#: The report columns the FTS index covers, in its order.
FTS_COLUMNS = ("ticket", "title", "description", "address")


class TextMatcher:
    """Decides in Python what :func:`fts_query` (plus the ticket prefix) would match, for
    one row's FTS columns: every word's tokens appear consecutively in one column, the
    last token of the last word as a prefix. Used to filter rows an index walk reads
    without asking FTS5 about each (it answers single-row probes very slowly).

    A substring test of the folded text rejects most rows before any tokenizing."""

    def __init__(self, text: str) -> None:
        words = search_terms(text)
        self.phrases = [[_fold(t) for t in tokens] for tokens in words]
        self.prefix = bool(words) and len(words[-1][-1]) >= 2
        self.ticket_prefix = ticket_prefix(text)
        self._needles = [t for phrase in self.phrases for t in phrase]

    def _has(self, tokens: list[str], phrase: list[str], prefix: bool) -> bool:
        k = len(phrase)
        for i in range(len(tokens) - k + 1):
            if tokens[i : i + k - 1] == phrase[:-1]:
                last = tokens[i + k - 1]
                if last == phrase[-1] or (prefix and last.startswith(phrase[-1])):
                    return True
        return False

    def __call__(self, ticket: str, title: str, description: str, address: str | None) -> bool:
        if not self.phrases:
            return False
        if self.ticket_prefix and ticket.startswith(self.ticket_prefix):
            return True
        folded = [_fold(v) if v else "" for v in (ticket, title, description, address)]
        joined = "\n".join(folded)
        if not all(n in joined for n in self._needles):
            return False
        columns = [_WORD.findall(v) for v in folded]
        last = len(self.phrases) - 1
        return all(
            any(self._has(tokens, phrase, self.prefix and i == last) for tokens in columns)
            for i, phrase in enumerate(self.phrases)
        )


# ------------------------------------------------------------------------------ filters


class _Where:
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


def _region_range(code: str) -> tuple[str, str]:
    # Codes are digits and '-', so [code, code + '.') is the code itself and every
    # "code-..." below it, and nothing else ('.' sorts right after '-', before digits).
    return code, code + "."


def _base_where(flt: QueueFilter, skip: set[str], now: datetime) -> _Where:
    """The filter as SQL over ``report r``, minus the columns a segment already fixes."""
    w = _Where()
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
        lo, hi = _region_range(flt.region_prefix)
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


def _status_values(flt: QueueFilter) -> tuple[str, ...] | None:
    """The statuses the filter allows, in workflow order; None for "any"."""
    allowed = None if flt.statuses is None else set(flt.statuses)
    if flt.overdue_only:
        allowed = set(OPEN_STATUS_ORDER) if allowed is None else allowed & set(OPEN_STATUS_ORDER)
    if allowed is None:
        return None
    return tuple(s for s in ALL_STATUSES if s in allowed)


def _priority_values(flt: QueueFilter) -> tuple[int, ...]:
    return tuple(p for p in PRIORITIES if flt.priorities is None or p in flt.priorities)


# ----------------------------------------------------------------------------- segments


@dataclass(frozen=True)
class _Segment:
    key: tuple
    conds: tuple[tuple[str, tuple], ...]  # equalities / IS NULL fixing this segment
    tail: tuple[str, ...]  # ordered columns before pk; never NULL inside the segment
    desc: bool
    # Alternatives ANDed to the segment, one ordered sub-query each, merged (status fan-out)
    fanout: tuple[tuple[tuple[str, tuple], ...], ...] = ()
    skip: frozenset[str] = field(default_factory=frozenset)


def _ordered(values: Sequence, descending: bool) -> list:
    return list(reversed(values)) if descending else list(values)


def _lookup_codes(conn: sqlite3.Connection, table: str, name_col: str) -> list[str]:
    return [r[0] for r in conn.execute(f"SELECT code FROM {table} ORDER BY {name_col}, code")]


def _name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_id"


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


def _segments(
    conn: sqlite3.Connection, flt: QueueFilter, sort: QueueSort, lang: str
) -> Iterator[_Segment]:
    desc = sort.descending
    statuses = _status_values(flt)
    key = sort.key
    if key == "priority":
        skip = frozenset({"priority", "status"} if statuses is not None else {"priority"})
        fan = _status_fanout(statuses, None)
        for p in _ordered(_priority_values(flt), desc):
            yield _Segment((p,), (("r.priority = ?", (p,)),), ("created_at",), True, fan, skip)
    elif key == "created_at":
        if statuses is not None:
            fan = _status_fanout(statuses, _priority_values(flt))
            skip = frozenset({"status", "priority"})
        elif flt.priorities is not None:
            fan = tuple(((("r.priority = ?", (p,)),)) for p in _priority_values(flt))
            skip = frozenset({"priority"})
        else:
            fan, skip = (), frozenset()
        yield _Segment(("*",), (), ("created_at",), desc, fan, skip)
    elif key == "status":
        for s in _ordered(statuses if statuses is not None else ALL_STATUSES, desc):
            for p in _priority_values(flt):
                yield _Segment(
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
        yield _Segment(("*",), (), ("ticket",), desc, fan, skip)
    elif key == "sla_due_at":
        fan = _status_fanout(statuses, None)
        skip = frozenset({"status"} if statuses is not None else ())
        yield _Segment(
            ("v",), (("r.sla_due_at IS NOT NULL", ()),), ("sla_due_at",), desc, fan, skip
        )
        if not flt.overdue_only:
            yield _Segment(("null",), (("r.sla_due_at IS NULL", ()),), (), True, fan, skip)
    elif key == "category":
        codes = _lookup_codes(conn, "category", _name_col(lang))
        if flt.categories is not None:
            codes = [c for c in codes if c in set(flt.categories)]
        for c in _ordered(codes, desc):
            yield _Segment(
                (c,),
                (("r.category_code = ?", (c,)),),
                ("created_at",),
                True,
                (),
                frozenset({"category"}),
            )
    elif key == "region":
        codes = _lookup_codes(conn, "region", "name")
        if flt.region_prefix is not None:
            lo, hi = _region_range(flt.region_prefix)
            codes = [c for c in codes if lo <= c < hi]
        for c in _ordered(codes, desc):
            yield _Segment(
                (c,),
                (("r.region_code = ?", (c,)),),
                ("created_at",),
                True,
                (),
                frozenset({"region"}),
            )
        if flt.region_prefix is None:
            yield _Segment(("null",), (("r.region_code IS NULL", ()),), ("created_at",), True)
    elif key == "channel":
        codes = _distinct_channels(conn)
        if flt.channels is not None:
            codes = [c for c in codes if c in set(flt.channels)]
        for c in _ordered(codes, desc):
            yield _Segment(
                (c,), (("r.channel = ?", (c,)),), ("created_at",), True, (), frozenset({"channel"})
            )
    elif key == "agency":
        codes = _lookup_codes(conn, "agency", _name_col(lang))
        if flt.agencies is not None:
            codes = [c for c in codes if c in set(flt.agencies)]
        for c in _ordered(codes, desc):
            yield _Segment((c,), (("r.assigned_agency = ?", (c,)),), (), True,
                           (), frozenset({"agency"}))
        if flt.agencies is None:
            yield _Segment(("null",), (("r.assigned_agency IS NULL", ()),), (), True)
    else:  # pragma: no cover - QueueSort validates keys
        raise ValueError(key)


def _bound(tail: Sequence[str], desc: bool, last: Sequence) -> tuple[str, list]:
    """SQL for "strictly after ``last`` = (tail..., pk)" in the segment's direction."""
    op, op_eq = ("<", "<=") if desc else (">", ">=")
    if not tail:
        return f"r.pk {op} ?", [last[0]]
    col = f"r.{tail[0]}"
    value, pk = last[0], last[1]
    # The leading range lets SQLite start the index walk at the cursor.
    return (
        f"{col} {op_eq} ? AND ({col} {op} ? OR r.pk {op} ?)",
        [value, value, pk],
    )


def _segment_sql(
    seg: _Segment, base: _Where, last: Sequence | None, limit: int, extra: Sequence[str] = ()
) -> tuple[str, list]:
    """SQL for the segment's next ``limit`` rows (``-1``: all), as (tail..., pk) tuples
    (followed by the ``extra`` columns, for a segment without fan-out)."""
    direction = "DESC" if seg.desc else "ASC"
    cols = [f"r.{c}" for c in seg.tail] + ["r.pk"]
    if extra and len(seg.fanout) > 1:
        raise ValueError("extra columns need a segment without fan-out")
    order = ", ".join(f"{c} {direction}" for c in cols)
    conds = [c for c, _ in seg.conds] + [base.sql()]
    params: list = [p for _, ps in seg.conds for p in ps] + list(base.params)
    if last is not None:
        sql, ps = _bound(seg.tail, seg.desc, last)
        conds.append(sql)
        params += ps
    if len(seg.fanout) == 1:
        conds = [c for c, _ in seg.fanout[0]] + conds
        params = [p for _, ps in seg.fanout[0] for p in ps] + params
    if len(seg.fanout) <= 1:
        select = ", ".join(cols + [f"r.{c}" for c in extra])
        sql = f"SELECT {select} FROM report r WHERE {' AND '.join(conds)} ORDER BY {order} LIMIT ?"
        return sql, params + [limit]
    # One ordered walk per alternative; the outer ORDER BY merges at most fan-out × limit.
    aliases = [f"k{i}" for i in range(len(seg.tail))] + ["pk"]
    inner_select = ", ".join(f"{c} AS {a}" for c, a in zip(cols, aliases, strict=True))
    parts, all_params = [], []
    for alt in seg.fanout:
        alt_conds = [c for c, _ in alt] + conds
        alt_params = [p for _, ps in alt for p in ps] + params
        parts.append(
            f"SELECT * FROM (SELECT {inner_select} FROM report r "
            f"WHERE {' AND '.join(alt_conds)} ORDER BY {order} LIMIT ?)"
        )
        all_params += alt_params + [limit]
    outer_order = ", ".join(f"{a} {direction}" for a in aliases)
    return " UNION ALL ".join(parts) + f" ORDER BY {outer_order} LIMIT ?", all_params + [limit]


class _OverBudget(Exception):
    """A broad search walked too many rows without filling the page."""


def _walk_filtered(
    conn: sqlite3.Connection,
    seg: _Segment,
    base: _Where,
    last: Sequence | None,
    keep: Callable[[tuple], bool],
    extra: Sequence[str],
    deadline: float | None,
) -> Iterator[tuple]:
    """The segment's rows in order, read lazily, keeping those ``keep`` accepts; each row
    is (tail..., pk, extra...) for ``keep`` and yielded as (tail..., pk).

    Each fan-out alternative is an ordered index walk read step by step; they are merged
    here, so reading stops as soon as the page is full. Past ``deadline``
    (``time.monotonic()``) it raises :class:`_OverBudget`."""
    width = len(seg.tail) + 1
    cursors = []
    try:
        for alt in seg.fanout or ((),):
            one = _Segment(seg.key, tuple(alt) + seg.conds, seg.tail, seg.desc)
            sql, params = _segment_sql(one, base, last, -1, extra)
            cursors.append(conn.execute(sql, params))
        if len(cursors) == 1:
            stream = cursors[0]
        else:
            stream = heapq.merge(*cursors, key=lambda row: row[:width], reverse=seg.desc)
        for n, row in enumerate(stream, 1):
            if keep(row):
                yield tuple(row[:width])
            if deadline is not None and n % 64 == 1 and time.monotonic() > deadline:
                raise _OverBudget
    finally:
        for cur in cursors:
            cur.close()


# -------------------------------------------------------------------------------- search


def _search_where(text: str) -> _Where | None:
    """The search as one SQL condition over ``report r``; None when there is no search."""
    match = fts_query(text)
    if match is None:
        return None
    w = _Where()
    cond = "r.pk IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)"
    params: list = [match]
    prefix = ticket_prefix(text)
    if prefix:
        lo, hi = _prefix_range(prefix)
        cond = f"({cond} OR (r.ticket >= ? AND r.ticket < ?))"
        params += [lo, hi]
    w.add(cond, *params)
    return w


class _SearchCache:
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
            lo, hi = _prefix_range(prefix)
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
            lo, hi = _prefix_range(prefix)
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


_search_cache = _SearchCache()


def _row_segment(key: str, row: tuple) -> tuple:
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


class _OrderedCache:
    """The ordered result of the latest small search, so scrolling its pages is free.

    Only pages after the first use it: a first page (a new or refreshed query) always
    recomputes. Keyed like :class:`_SearchCache`."""

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


_ordered_cache = _OrderedCache()


def clear_caches() -> None:
    """Forget cached search hits and orders (they also expire on any database change)."""
    _search_cache.clear()
    _ordered_cache.clear()


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
    segments = list(_segments(conn, flt, sort, lang))
    rank = {seg.key: i for i, seg in enumerate(segments)}
    base = _base_where(flt, set(), now)
    # CROSS JOIN keeps json_each as the outer loop: one rowid seek per candidate (left to
    # itself the planner may walk a whole status index and test each row against the list).
    rows = conn.execute(
        "SELECT r.pk, r.priority, r.status, r.category_code, r.region_code, r.channel, "
        "r.assigned_agency, r.created_at, r.ticket, r.sla_due_at "
        "FROM json_each(?) AS j CROSS JOIN report AS r ON r.pk = j.value "
        f"WHERE {base.sql()}",
        [json.dumps(sorted(candidates)), *base.params],
    ).fetchall()
    buckets: dict[int, list[tuple]] = {}
    for row in rows:
        i = rank.get(_row_segment(sort.key, row))
        if i is None:
            continue
        values = {"created_at": row[7], "ticket": row[8], "sla_due_at": row[9]}
        tail = segments[i].tail
        buckets.setdefault(i, []).append(tuple(values[c] for c in tail) + (row[0],))
    ordered: list[tuple[tuple, tuple]] = []
    for i in sorted(buckets):
        seg = segments[i]
        ordered.extend((seg.key, v) for v in sorted(buckets[i], reverse=seg.desc))
    return ordered, {seg.key: (i, seg.desc) for i, seg in enumerate(segments)}


def _small_key(conn: sqlite3.Connection, flt, sort, lang) -> tuple:
    state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    return (flt, sort, lang, state)


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
    cached = _ordered_cache.get(conn, _small_key(conn, flt, sort, lang))
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
    _ordered_cache.put(conn, _small_key(conn, flt, sort, lang), ordered, pos)
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


# -------------------------------------------------------------------------------- pages


_ROW_SQL = """
SELECT r.pk, r.id, r.ticket, r.priority, r.sla_due_at, r.category_code, c.{name},
       r.region_code, g.name, r.status, r.channel, r.created_at, r.assigned_agency, a.{name},
       r.revision, r.title, {category_columns}
FROM report r
LEFT JOIN category c ON c.code = r.category_code
LEFT JOIN region g ON g.code = r.region_code
LEFT JOIN agency a ON a.code = r.assigned_agency
WHERE r.pk IN (SELECT value FROM json_each(?))
"""


def _make_row(t: tuple) -> QueueRow:
    return QueueRow(
        t[0],
        t[1],
        t[2],
        t[3],
        from_db(t[4]),
        t[5],
        t[6],
        t[7],
        t[8],
        t[9],
        t[10],
        from_db(t[11]),
        t[12],
        t[13],
        t[14],
        t[15],
        slaclock.clock_of(slaclock.category_def(t[16:25]), t[10], t[9], from_db(t[4]), t[3]),
    )


def fetch_rows_by_pk(
    conn: sqlite3.Connection, pks: Iterable[int], *, lang: str = "id"
) -> list[QueueRow]:
    """The queue rows of these reports, in the order of ``pks`` (missing ones left out)."""
    pks = [int(p) for p in pks]
    if not pks:
        return []
    sql = _ROW_SQL.format(name=_name_col(lang), category_columns=slaclock.CATEGORY_COLUMNS)
    by_pk = {t[0]: t for t in conn.execute(sql, (json.dumps(pks),))}
    return [_make_row(by_pk[p]) for p in pks if p in by_pk]


def _matches_nothing(flt: QueueFilter) -> bool:
    sets = (flt.statuses, flt.priorities, flt.categories, flt.channels, flt.agencies)
    return any(v is not None and not v for v in sets) or _status_values(flt) == ()


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
    if _matches_nothing(flt):
        return [], None
    now = flt.now or utcnow()
    if fts_query(flt.search) is None:
        return _walk(conn, flt, sort, after, limit, lang, now, None, (), None)
    if after is not None:
        page = _small_page_cached(conn, flt, sort, after, limit, lang)
        if page is not None:
            return page
    few = _search_cache.few_hits(conn, flt.search, SMALL_SEARCH)
    if few is not None:
        return _small_page(conn, flt, sort, after, limit, few, lang, now)
    # A broad search: walk the sort's indexes keeping the rows that match, which is
    # quick while matches are dense among the walked rows. Rows are matched in Python
    # until the full FTS hit set has been read once (then by set membership). When the
    # walk runs over a time budget, the (status-narrowed) hits are sorted instead.
    hits = _search_cache.cached_hits(conn, flt.search)
    if hits is None:
        matcher = TextMatcher(flt.search)
        try:
            deadline = time.monotonic() + BROAD_WALK_BUDGET_S
            return _walk(
                conn, flt, sort, after, limit, lang, now,
                lambda row: matcher(*row[-4:]), FTS_COLUMNS, deadline,
            )  # fmt: skip
        except _OverBudget:
            hits = _search_cache.hits(conn, flt.search)
    else:
        try:
            deadline = time.monotonic() + BROAD_WALK_BUDGET_S
            return _walk(
                conn, flt, sort, after, limit, lang, now,
                lambda row: row[-1] in hits, (), deadline,
            )  # fmt: skip
        except _OverBudget:
            pass
    candidates: Iterable[int] = hits
    statuses = _status_values(flt)
    if statuses is not None:
        with_status = _status_pks(conn, statuses, STATUS_INTERSECT_CAP)
        if with_status is not None:
            candidates = hits & with_status
    if len(candidates) <= LARGE_SEARCH:
        return _small_page(conn, flt, sort, after, limit, candidates, lang, now)
    return _walk(conn, flt, sort, after, limit, lang, now, lambda row: row[-1] in hits, (), None)


def _walk(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    after: QueueCursor | None,
    limit: int,
    lang: str,
    now: datetime,
    keep: Callable[[tuple], bool] | None,
    extra: Sequence[str],
    deadline: float | None,
) -> tuple[list[int], QueueCursor | None]:
    """The index walk: segment after segment from the cursor on until the page is full,
    keeping the rows ``keep`` accepts (all when None)."""
    got: list[tuple[tuple, tuple]] = []  # (segment key, (tail..., pk))
    started = after is None
    for seg in _segments(conn, flt, sort, lang):
        last = None
        if not started:
            if seg.key != after.segment:
                continue
            started = True
            last = after.last
        base = _base_where(flt, set(seg.skip), now)
        if keep is None:
            sql, params = _segment_sql(seg, base, last, limit - len(got))
            got.extend((seg.key, tuple(r)) for r in conn.execute(sql, params))
        else:
            for row in _walk_filtered(conn, seg, base, last, keep, extra, deadline):
                got.append((seg.key, row))
                if len(got) >= limit:
                    break
        if len(got) >= limit:
            break
    cursor = QueueCursor(*got[-1]) if len(got) >= limit else None
    return [row[-1] for _, row in got], cursor


_NO_INDEX_COLUMNS = ("r.channel", "r.category_code", "r.assigned_agency", "r.region_code",
                     "r.priority", "r.created_at")


def count(conn: sqlite3.Connection, flt: QueueFilter) -> int:
    """How many reports the filter matches (for the queue's count label).

    When the filter allows only open statuses (the operator's queue, a few thousand rows
    even at a million reports) it is counted one status at a time on the status index:
    the other columns' terms get a unary ``+`` so SQLite cannot prefer, say, the channel
    index and read every 112 call ever made to find three open ones."""
    if _matches_nothing(flt):
        return 0
    now = flt.now or utcnow()
    search = _search_where(flt.search)
    statuses = _status_values(flt)
    if statuses is not None and set(statuses) <= set(OPEN_STATUS_ORDER):
        w = _base_where(flt, {"status"}, now)
        if flt.overdue_only:  # _base_where added its own open-status term: drop it
            w = _base_where(replace(flt, overdue_only=False, statuses=None), {"status"}, now)
            w.add(*slaclock.overdue_term(now))
        parts = [("+" + p) if p.startswith(_NO_INDEX_COLUMNS) else p for p in w.parts]
        if search is not None:
            parts += search.parts
        params = w.params + (search.params if search is not None else [])
        sql = f"SELECT count(*) FROM report r WHERE r.status = ? AND {' AND '.join(parts) or '1'}"
        return sum(conn.execute(sql, [status, *params]).fetchone()[0] for status in statuses)
    w = _base_where(flt, set(), now)
    if search is not None:
        w.parts += search.parts
        w.params += search.params
    return conn.execute(f"SELECT count(*) FROM report r WHERE {w.sql()}", w.params).fetchone()[0]


# --------------------------------------------------------------------- live updates


def match_pks(conn: sqlite3.Connection, flt: QueueFilter, pks: Iterable[int]) -> set[int]:
    """Which of ``pks`` the filter matches now (search included)."""
    pks = [int(p) for p in pks]
    if not pks or _matches_nothing(flt):
        return set()
    w = _base_where(flt, set(), flt.now or utcnow())
    search = _search_where(flt.search)
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
            "category": ("category", _name_col(lang)),
            "region": ("region", "name"),
            "agency": ("agency", _name_col(lang)),
        }[key]
        codes = _ordered(_lookup_codes(conn, table, col), desc)
        ranks = {c: i for i, c in enumerate(codes)}
    elif key == "status":
        ranks = {s: i for i, s in enumerate(_ordered(ALL_STATUSES, desc))}
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
