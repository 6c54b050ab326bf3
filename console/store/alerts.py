"""Queries behind the alerts: new priority-1 reports and SLA breaches. No Qt.

All of them are index range reads (``ix_report_status_priority_created``,
``ix_report_sla_due``; ``ix_report_status_sla`` when present), cheap at 1,000,000 reports.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from console.store import slaclock
from console.store.queue import OPEN_STATUS_ORDER
from console.store.timefmt import from_db, to_db

__all__ = ["AlertRow", "SlaSummary", "p1_among", "recent_p1", "sla_summary"]

#: Statuses in which a P1 still needs someone to act (not yet dispatched).
UNHANDLED = ("new", "verified")


@dataclass(frozen=True)
class AlertRow:
    id: str
    ticket: str
    title: str
    priority: int
    status: str
    category_name: str | None
    region_name: str | None
    created_at: datetime
    sla_due_at: datetime | None


_SELECT = (
    "SELECT r.id, r.ticket, r.title, r.priority, r.status, c.{name}, g.name, r.created_at, "
    "r.sla_due_at FROM report r LEFT JOIN category c ON c.code = r.category_code "
    "LEFT JOIN region g ON g.code = r.region_code "
)


def _rows(cur) -> list[AlertRow]:
    return [AlertRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], from_db(r[7]), from_db(r[8]))
            for r in cur]


def _name(lang: str) -> str:
    return "name_en" if lang == "en" else "name_id"


def p1_among(conn: sqlite3.Connection, report_ids: Iterable[str], *,
             lang: str = "id") -> list[AlertRow]:
    """The priority-1 reports among ``report_ids`` that nobody has handled yet."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return []
    sql = (_SELECT.format(name=_name(lang)) +
           "WHERE r.id IN (SELECT value FROM json_each(?)) AND r.priority = 1 "
           f"AND r.status IN ({','.join('?' * len(UNHANDLED))}) ORDER BY r.created_at")
    return _rows(conn.execute(sql, (json.dumps(ids), *UNHANDLED)))


def recent_p1(conn: sqlite3.Connection, since: datetime, *, lang: str = "id",
              limit: int = 200) -> list[AlertRow]:
    """Unhandled priority-1 reports created since ``since`` (what flashes at start-up)."""
    parts = []
    params: list = []
    for status in UNHANDLED:
        parts.append(
            f"SELECT * FROM ({_SELECT.format(name=_name(lang))} WHERE r.status = ? AND "
            "r.priority = 1 AND r.created_at >= ? ORDER BY r.created_at DESC LIMIT ?)")
        params += [status, to_db(since), limit]
    return _rows(conn.execute(" UNION ALL ".join(parts), params))


@dataclass(frozen=True)
class SlaSummary:
    overdue: int  # open reports past their deadline
    overdue_high: int  # … of priority 1 or 2
    breached: list[AlertRow]  # priority 1-2 reports whose deadline passed in (since, now]


def sla_summary(conn: sqlite3.Connection, now: datetime, since: datetime | None, *,
                lang: str = "id") -> SlaSummary:
    overdue = overdue_high = 0
    term, at = slaclock.overdue_term(now, "sla_due_at")  # the same rule as "Lewat SLA"
    for status in OPEN_STATUS_ORDER:
        n, high = conn.execute(
            "SELECT count(*), total(priority <= 2) FROM report "
            f"WHERE status = ? AND {term}", (status, at)).fetchone()
        overdue += n
        overdue_high += int(high)
    breached: list[AlertRow] = []
    if since is not None and since < now:
        sql = (_SELECT.format(name=_name(lang)) +
               "WHERE r.sla_due_at > ? AND r.sla_due_at <= ? AND r.priority <= 2 "
               f"AND r.status IN ({','.join('?' * len(OPEN_STATUS_ORDER))}) "
               "ORDER BY r.sla_due_at LIMIT 50")
        breached = _rows(conn.execute(sql, (to_db(since), to_db(now), *OPEN_STATUS_ORDER)))
    return SlaSummary(overdue, overdue_high, breached)
