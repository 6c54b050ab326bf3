"""The queue's row: :class:`QueueRow` and reading rows by pk (names joined in, SLA clock)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from console.domain.sla import SlaClock
from console.store import slaclock
from console.store.timefmt import from_db


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



def name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_id"



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
    sql = _ROW_SQL.format(name=name_col(lang), category_columns=slaclock.CATEGORY_COLUMNS)
    by_pk = {t[0]: t for t in conn.execute(sql, (json.dumps(pks),))}
    return [_make_row(by_pk[p]) for p in pks if p in by_pk]

