"""Writing a push's planned rows (split from push.py): COPY or multi-row inserts, the
report updates, re-numbered children, claims, idempotency records and the change counter.
Runs under the global write lock, after every change has its real seq (push_prepare.py).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Connection

from console.domain.wire import PATCHABLE_REPORT_FIELDS
from server import push_claims
from server.bell import note_changes
from server.models import (
    AppliedMutation,
    Attachment,
    Blob,
    Conflict,
    Counter,
    Departure,
    Dispatch,
    History,
    Note,
    Report,
)

if TYPE_CHECKING:
    from server.push import Batch

REPORT_T = Report.__table__
#: Columns rewritten by a report UPDATE (everything a patch may touch, plus bookkeeping).
UPDATE_COLUMNS = sorted(PATCHABLE_REPORT_FIELDS | {"revision", "seq", "updated_at", "field_revs",
                                                  "origin"})


def insert_rows(conn: Connection, table, rows: list[dict]) -> None:  # noqa: ANN001
    """Insert many rows: COPY on PostgreSQL (by far the cheapest per row), a multi-row
    executemany elsewhere. Every row of one call has the same keys."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    from psycopg import sql

    cols = [c.name for c in table.columns if c.name in rows[0]]
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, cols)))
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([row[c] for c in cols])


def flush(batch: Batch) -> None:
    """Write everything the batch planned, and move the change counter to its last seq."""
    c, p = batch.conn, batch.plan
    if p.blobs:
        insert_rows(c, Blob.__table__, p.blobs)
    if batch.new_reports:
        rows = []
        for rid in batch.new_reports:
            row = dict(batch.reports[rid])
            row["field_revs"] = json.dumps(batch.revs[rid], separators=(",", ":"))
            rows.append(row)
        rows.sort(key=lambda r: r["seq"])
        insert_rows(c, REPORT_T, rows)
    if batch.dirty:
        stmt = (update(REPORT_T).where(REPORT_T.c.id == bindparam("b_id"))
                .values({col: bindparam(f"b_{col}") for col in UPDATE_COLUMNS}))
        params = []
        for rid in sorted(batch.dirty):
            row = batch.reports[rid]
            item = {f"b_{col}": row[col] for col in UPDATE_COLUMNS if col != "field_revs"}
            item["b_field_revs"] = json.dumps(batch.revs[rid], separators=(",", ":"))
            item["b_id"] = rid
            params.append(item)
        c.execute(stmt, params)
    for model, rows in ((Note, p.notes), (Dispatch, p.dispatches), (Attachment, p.attachments),
                        (Conflict, p.conflicts), (History, p.history),
                        (Departure, p.departures)):
        insert_rows(c, model.__table__, rows)
    for name, rows in p.restamp.items():
        model = {"note": Note, "dispatch": Dispatch, "attachment": Attachment,
                 "conflict": Conflict}[name]
        t = model.__table__
        if rows:
            c.execute(update(t).where(t.c.id == bindparam("b_id"))
                      .values(seq=bindparam("b_seq")), rows)
    push_claims.flush(batch)
    insert_rows(c, AppliedMutation.__table__, p.applied)
    if batch.seq != batch.seq0:
        counter = Counter.__table__
        c.execute(update(counter).where(counter.c.name == "seq").values(value=batch.seq))
        # Long polls in these regions wake when this commits (a superset: every report
        # the batch loaded, and the regions reports left).
        regions = {r.get("region_code") for r in batch.reports.values()}
        regions |= {d["region_code"] for d in p.departures}
        note_changes(c, batch.seq0, batch.seq, regions)
