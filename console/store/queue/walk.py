"""The index walk: a segment's SQL (keyset bound, status fan-out) and the walk over the
segments of a sort from a cursor on, optionally keeping only rows a predicate accepts,
within a :class:`WorkBudget`."""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime

from console.store import db as db_errors
from console.store.queue.filters import QueueFilter, Where, base_where
from console.store.queue.order import QueueCursor, QueueSort, Segment, segments


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


def segment_sql(
    seg: Segment, base: Where, last: Sequence | None, limit: int, extra: Sequence[str] = ()
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


class OverBudget(Exception):
    """A broad search's walk spent its :class:`WorkBudget` without filling the page."""


class WorkBudget:
    """A bound on a walk's work that does not depend on the machine: SQLite
    virtual-machine instructions, counted in thousands by a progress handler, plus
    ``row_cost`` thousand for each row the caller matches in Python.

    A wall clock would make the chosen plan depend on the machine's speed and load.
    Instructions also count what a row count would miss: rows SQLite reads and rejects
    before returning one (a category sort under a status filter reads ~900,000
    instructions' worth of closed reports for 800 open ones on 100,000 reports).

    Exceeding the budget interrupts the running statement (the progress handler answers
    non-zero) and raises :class:`OverBudget`. Posko sets no other progress handler; this
    one is removed when the walk ends. SQLite counts a cached statement's instructions
    across its runs, so a statement's first tick may come early: the same walk spends the
    same budget up to one tick per statement, never depending on the machine.
    """

    #: The progress handler runs every this many virtual-machine instructions.
    STEP = 1000

    def __init__(self, ksteps: float, row_cost: float = 0.0) -> None:
        self.left = ksteps
        self.row_cost = row_cost
        self.spent = False

    def _tick(self) -> int:
        self.left -= 1
        self.spent = self.left <= 0
        return 1 if self.spent else 0  # non-zero: SQLite interrupts the statement

    def charge_row(self) -> None:
        self.left -= self.row_cost
        if self.left <= 0:  # a budget of 0 allows no row at all
            self.spent = True
            raise OverBudget

    @contextmanager
    def watching(self, conn: sqlite3.Connection) -> Iterator[None]:
        conn.set_progress_handler(self._tick, self.STEP)
        try:
            yield
        except db_errors.OperationalError:
            if self.spent:  # "interrupted": our handler stopped the statement
                raise OverBudget from None
            raise
        finally:
            conn.set_progress_handler(None, 0)


def _walk_filtered(
    conn: sqlite3.Connection,
    seg: Segment,
    base: Where,
    last: Sequence | None,
    keep: Callable[[tuple], bool],
    extra: Sequence[str],
    budget: WorkBudget | None,
) -> Iterator[tuple]:
    """The segment's rows in order, read lazily, keeping those ``keep`` accepts; each row
    is (tail..., pk, extra...) for ``keep`` and yielded as (tail..., pk).

    Each fan-out alternative is an ordered index walk read step by step; they are merged
    here, so reading stops as soon as the page is full. Each row read is charged to
    ``budget``, which raises :class:`OverBudget` when spent."""
    width = len(seg.tail) + 1
    cursors = []
    try:
        for alt in seg.fanout or ((),):
            one = Segment(seg.key, tuple(alt) + seg.conds, seg.tail, seg.desc)
            sql, params = segment_sql(one, base, last, -1, extra)
            cursors.append(conn.execute(sql, params))
        if len(cursors) == 1:
            stream = cursors[0]
        else:
            stream = heapq.merge(*cursors, key=lambda row: row[:width], reverse=seg.desc)
        for row in stream:
            if budget is not None:
                budget.charge_row()
            if keep(row):
                yield tuple(row[:width])
    finally:
        for cur in cursors:
            cur.close()


def walk_segments(
    conn: sqlite3.Connection,
    flt: QueueFilter,
    sort: QueueSort,
    after: QueueCursor | None,
    limit: int,
    lang: str,
    now: datetime,
    keep: Callable[[tuple], bool] | None,
    extra: Sequence[str],
    budget: WorkBudget | None,
) -> tuple[list[int], QueueCursor | None]:
    """The index walk: segment after segment from the cursor on until the page is full,
    keeping the rows ``keep`` accepts (all when None), within ``budget`` if given."""
    with budget.watching(conn) if budget is not None else nullcontext():
        got: list[tuple[tuple, tuple]] = []  # (segment key, (tail..., pk))
        started = after is None
        for seg in segments(conn, flt, sort, lang):
            last = None
            if not started:
                if seg.key != after.segment:
                    continue
                started = True
                last = after.last
            base = base_where(flt, set(seg.skip), now)
            if keep is None:
                sql, params = segment_sql(seg, base, last, limit - len(got))
                got.extend((seg.key, tuple(r)) for r in conn.execute(sql, params))
            else:
                for row in _walk_filtered(conn, seg, base, last, keep, extra, budget):
                    got.append((seg.key, row))
                    if len(got) >= limit:
                        break
            if len(got) >= limit:
                break
        cursor = QueueCursor(*got[-1]) if len(got) >= limit else None
        return [row[-1] for _, row in got], cursor
