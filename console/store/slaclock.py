"""The SLA rule of ``console.domain.sla`` where the database meets it. No Qt.

The domain decides every deadline: the operations store it in ``report.sla_due_at``
whenever a stage starts (``sla.restarts_clock``), so SQL never recomputes one. What SQL
does is compare: :func:`overdue_term` is the single SQL form of ``sla.is_overdue``
(``now >= due``), used by the queue's "Lewat SLA" filter and counts, the alert centre
and the map, so a filter and the Python rule can never disagree about a boundary.

Rows read for a view carry an ``sla.SlaClock`` built by :func:`clock_of` from the
category's own row (a city may change its targets), so the queue, the detail panel and
the handover pack all judge "at risk" with ``sla.at_risk_from``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from functools import lru_cache

from console.domain import sla
from console.domain.catalog import CategoryDef
from console.domain.workflow import OPEN_STATUSES
from console.store.timefmt import to_db

_OPEN = frozenset(str(s) for s in OPEN_STATUSES)

__all__ = ["CATEGORY_COLUMNS", "category_def", "clock_of", "load_category_def",
           "overdue_term"]

#: The category columns :func:`category_def` takes, in order (table alias ``c``).
CATEGORY_COLUMNS = (
    "c.code, c.name_id, c.name_en, c.default_priority, c.default_agency, c.emergency, "
    "c.sla_verify_days, c.sla_followup_days, c.sla_dispatch_minutes"
)


def overdue_term(now: datetime, column: str = "r.sla_due_at") -> tuple[str, str]:
    """(SQL, parameter) selecting rows whose deadline has passed at ``now``; the caller
    adds the open-status condition. Stored times are fixed-width UTC text, so text
    order is time order (timefmt.py)."""
    return f"{column} <= ?", to_db(now)


@lru_cache(maxsize=512)
def category_def(row: tuple) -> CategoryDef | None:
    """A CategoryDef from the :data:`CATEGORY_COLUMNS` of one row (cached: a page of the
    queue holds a handful of categories); None for a missing or inconsistent row."""
    if not row or row[0] is None:
        return None
    try:
        return CategoryDef(
            code=row[0], name_id=row[1] or "", name_en=row[2] or "",
            default_priority=row[3], default_agency=row[4], emergency=bool(row[5]),
            sla_verify_days=row[6], sla_followup_days=row[7], sla_dispatch_minutes=row[8])
    except (TypeError, ValueError):
        return None


def load_category_def(conn: sqlite3.Connection, code: str) -> CategoryDef | None:
    row = conn.execute(f"SELECT {CATEGORY_COLUMNS} FROM category c WHERE c.code = ?",
                       (code,)).fetchone()
    return None if row is None else category_def(tuple(row))


def clock_of(category: CategoryDef | None, channel: str, status: str,
             due: datetime | None, priority: int | None = None) -> sla.SlaClock | None:
    """The report's running clock (None when none runs); never raises on odd rows, a
    queue page must not die on one unknown status or channel."""
    if status not in _OPEN:
        return None
    try:
        return sla.sla_clock(category, channel, status, due, priority=priority)
    except ValueError:
        if due is None:
            return None
        return sla.sla_clock(None, channel, status, due)

