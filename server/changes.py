"""The change feed: everything in the caller's scope that changed after a cursor.

Each table that travels to consoles carries ``seq``, the global sequence number of the
row's latest change (allocated under the write lock, so commit order = seq order). A pull
reads, in ONE snapshot, up to ``limit + 1`` rows after the cursor from every table, merges
them by seq and keeps the first ``limit`` - fewer when their JSON would pass
``PAGE_BYTES``. ``next_cursor`` is the last seq sent, or, when
nothing more remains, the snapshot's head: rows outside the scope are skipped for good.

Wire format (compact, documented in docs/sync-protocol.md): per table a column list once,
then one JSON array per row; times are integer milliseconds since the Unix epoch (UTC);
trailing nulls of a row are left out. Gzip-compressed and streamed in chunks.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, not_, or_, select
from sqlalchemy.engine import Connection

from console.domain.wire import (
    ATTACHMENT_WIRE,
    CLAIM_WIRE,
    CONFLICT_WIRE,
    DISPATCH_WIRE,
    GONE_WIRE,
    NOTE_WIRE,
    REPORT_WIRE,
)
from server.db import Database
from server.models import (
    Attachment,
    Blob,
    Claim,
    Conflict,
    Counter,
    Departure,
    Dispatch,
    Note,
    Report,
    utcnow,
)
from server.scope import Principal
from server.validation import epoch_ms

R = Report.__table__

#: Most bytes of a page's JSON (before compression). A page stops before its rows pass
#: it, so a page of large rows stays small; it always carries at least one row.
PAGE_BYTES = 1024 * 1024
#: Room kept for the page's head and column lists.
PAGE_FRAME_BYTES = 8 * 1024
#: Conflict values are stored as JSON text; they go out as JSON values.
_JSON_COLUMNS = {"server_value", "client_value"}


@dataclass
class Page:
    cursor: int
    next_cursor: int
    more: bool
    head: int
    tables: dict[str, tuple[list[str], list[list[Any]]]]
    #: With ``lane``: how far the priority lane reaches after this page's ``urgent`` rows.
    lane_cursor: int | None = None

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.tables.values())


class CursorAhead(ValueError):
    pass


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return epoch_ms(value)
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def _row(values: list[Any]) -> list[Any]:
    out = [_encode(v) for v in values]
    while out and out[-1] is None:
        out.pop()
    return out


def _not_own(table, who: Principal):  # noqa: ANN001
    """Rows the caller's own session did not just push (its push answer confirmed them)."""
    if who.session is None:
        return None
    return or_(table.c.origin.is_(None), table.c.origin != who.session)


def _child_query(model, wire: list[str], who: Principal, cursor: int, head: int, limit: int):  # noqa: ANN001
    t = model.__table__
    cols = [t.c[c] for c in wire if c in t.c]
    extra = []
    if model is Attachment:
        # An attachment row shows the bytes as there only when it grants reading them
        # (server/routes/attachments.py: ``proven``); the size is then the verified one.
        b = Blob.__table__
        readable = and_(b.c.complete, t.c.proven)
        extra = [readable.label("complete"), and_(readable, b.c.has_thumbnail).label("has_thumbnail")]
        cols = [case((readable, b.c.size), else_=t.c.size).label("size") if c == "size" else t.c[c]
                for c in wire if c in t.c and c not in ("complete", "has_thumbnail")]
    if model is Claim:
        # A stale claim (its console went away) is not shown as held (issue 13).
        cols = [case((t.c.expires_at > utcnow(), t.c.holder), else_=None).label("holder")
                if c == "holder" else t.c[c] for c in wire]
    q = select(*cols, *extra, R.c.region_code).join(R, R.c.id == t.c.report_id)
    if model is Attachment:
        q = q.join(Blob.__table__, Blob.__table__.c.sha256 == t.c.sha256)
    q = q.where(t.c.seq > cursor, t.c.seq <= head)
    cond = who.scope.where(R.c.region_code)
    if cond is not None:
        q = q.where(cond)
    if "origin" in t.c and (own := _not_own(t, who)) is not None:
        q = q.where(own)
    return q.order_by(t.c.seq).limit(limit + 1)


#: Reports of this priority or more urgent travel in the priority lane.
LANE_PRIORITY = 2
#: Most ``urgent`` rows a main page carries.
LANE_ROWS = 50


def read_page(conn: Connection, who: Principal, cursor: int, limit: int,
              max_bytes: int = PAGE_BYTES, *, max_priority: int | None = None,
              lane: int | None = None) -> Page:
    """``max_priority``: the priority lane — only reports of that priority or more urgent
    (1 is the most urgent), no children; its ``next_cursor`` is for the lane alone.

    ``lane``: the caller's priority-lane cursor, on a main page. P1/P2 reports whose latest
    change is at or below it are left out (the lane sent them, and any later change has a
    later seq), and P1/P2 reports after both this page and the lane come along as table
    ``urgent`` (at most LANE_ROWS), with ``lane_cursor``: a catch-up never needs a request
    of its own for the lane, and an emergency waits at most one page."""
    counter = Counter.__table__
    head = conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar() or 0
    if cursor > head:
        raise CursorAhead(f"cursor {cursor} is ahead of this server (its last change is {head}); "
                          "the server's database was replaced: pull again from cursor 0")
    candidates: list[tuple[int, str, list[Any]]] = []
    if cursor < head:
        q = select(*[R.c[c] for c in REPORT_WIRE]).where(R.c.seq > cursor, R.c.seq <= head)
        cond = who.scope.where(R.c.region_code)
        if cond is not None:
            q = q.where(cond)
        if (own := _not_own(R, who)) is not None:
            q = q.where(own)
        if max_priority is not None:
            q = q.where(R.c.priority <= max_priority)
        elif lane is not None and lane > cursor:
            q = q.where(or_(R.c.priority > LANE_PRIORITY, R.c.seq > lane))
        for row in conn.execute(q.order_by(R.c.seq).limit(limit + 1)):
            candidates.append((row.seq, "report", list(row)))
    if cursor < head and max_priority is None:
        for name, model, wire in (("note", Note, NOTE_WIRE), ("dispatch", Dispatch, DISPATCH_WIRE),
                                  ("attachment", Attachment, ATTACHMENT_WIRE),
                                  ("conflict", Conflict, CONFLICT_WIRE),
                                  ("claim", Claim, CLAIM_WIRE)):
            for row in conn.execute(_child_query(model, wire, who, cursor, head, limit)):
                values = list(row)[:-1]  # drop the joined region_code
                if name == "conflict":
                    values = [json.loads(v) if c in _JSON_COLUMNS and v is not None else v
                              for c, v in zip(CONFLICT_WIRE, values, strict=True)]
                candidates.append((row.seq, name, values))
        if not who.scope.everything:
            candidates.extend(_departures(conn, who, cursor, head, limit))
    candidates.sort(key=lambda c: c[0])
    more = len(candidates) > limit
    wires = {"report": REPORT_WIRE, "note": NOTE_WIRE, "dispatch": DISPATCH_WIRE,
             "attachment": ATTACHMENT_WIRE, "conflict": CONFLICT_WIRE, "gone": GONE_WIRE,
             "claim": CLAIM_WIRE}
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    # The byte budget: stop before the rows pass it (always at least one row), say more.
    budget, last = max_bytes - PAGE_FRAME_BYTES, None
    for seq, name, values in candidates[:limit]:
        row = _row(values)
        budget -= len(_dumps(row).encode("utf-8")) + 1
        if budget < 0 and last is not None:
            more = True
            break
        tables.setdefault(name, (wires[name], []))[1].append(row)
        last = seq
    next_cursor = last if more else head
    page = Page(cursor, next_cursor, more, head, tables)
    if lane is not None and max_priority is None:
        _add_urgent(conn, who, page, max(next_cursor, lane))
    return page


def _add_urgent(conn: Connection, who: Principal, page: Page, after: int) -> None:
    """The priority lane riding on a main page (see read_page's ``lane``)."""
    page.lane_cursor = page.head
    if after >= page.head:
        return
    q = select(*[R.c[c] for c in REPORT_WIRE]).where(
        R.c.seq > after, R.c.seq <= page.head, R.c.priority <= LANE_PRIORITY)
    cond = who.scope.where(R.c.region_code)
    if cond is not None:
        q = q.where(cond)
    if (own := _not_own(R, who)) is not None:
        q = q.where(own)
    rows = list(conn.execute(q.order_by(R.c.seq).limit(LANE_ROWS + 1)))
    if len(rows) > LANE_ROWS:
        rows = rows[:LANE_ROWS]
        page.lane_cursor = rows[-1].seq
    if rows:
        page.tables["urgent"] = (REPORT_WIRE, [_row(list(r)) for r in rows])


def _departures(conn: Connection, who: Principal, cursor: int, head: int, limit: int):
    """'gone' rows: a report left one of the caller's regions and is now outside them.
    Both conditions are in SQL, so the LIMIT counts only rows that are sent (a report
    that came back must not push a gone row past the page and out of the feed)."""
    d = Departure.__table__
    q = (select(d.c.seq, d.c.report_id)
         .join(R, R.c.id == d.c.report_id)
         .where(d.c.seq > cursor, d.c.seq <= head))
    left = who.scope.where(d.c.region_code)
    if left is not None:
        now_in = who.scope.where(R.c.region_code)
        q = q.where(left, or_(R.c.region_code.is_(None), not_(now_in)))
    return [(row.seq, "gone", [row.report_id, row.seq])
            for row in conn.execute(q.order_by(d.c.seq).limit(limit + 1))]


def head(db: Database) -> int:
    """The last change sequence number allocated."""
    counter = Counter.__table__
    with db.read() as conn:
        return conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar() or 0


def pull(db: Database, who: Principal, cursor: int, limit: int, *,
         max_priority: int | None = None, lane: int | None = None) -> Page:
    with db.read() as conn:
        return read_page(conn, who, cursor, limit, max_priority=max_priority, lane=lane)


# --- encoding --------------------------------------------------------------------------

def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_chunks(page: Page, rows_per_chunk: int = 200) -> Iterator[str]:
    """The JSON text of a page, in pieces (so it can be compressed and sent as it goes)."""
    head = {"cursor": page.cursor, "next_cursor": page.next_cursor, "more": page.more,
            "head": page.head, "count": page.count, "server_time": epoch_ms(utcnow())}
    if page.lane_cursor is not None:
        head["lane_cursor"] = page.lane_cursor
    firsts = {name: rows[0][1] for name, (cols, rows) in page.tables.items()
              if rows and len(rows[0]) > 1 and cols[1] == "seq" and name != "urgent"}
    if len(firsts) > 1:
        # The first seq of each table, sent before any row: a client whose page is cut
        # can apply the rows it got up to the first one it is missing (console/sync/
        # partial.py) instead of fetching the whole page again.
        head["firsts"] = firsts
    yield _dumps(head)[:-1] + ',"tables":{'
    for t_index, (name, (cols, rows)) in enumerate(page.tables.items()):
        sep = "," if t_index else ""
        yield f'{sep}{_dumps(name)}:{{"cols":{_dumps(cols)},"rows":['
        for i in range(0, len(rows), rows_per_chunk):
            part = ",".join(_dumps(r) for r in rows[i:i + rows_per_chunk])
            yield ("," if i else "") + part
        yield "]}"
    yield "}}"


def gzip_stream(chunks: Iterator[str], level: int = 6) -> Iterator[bytes]:
    z = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    for chunk in chunks:
        data = z.compress(chunk.encode("utf-8"))
        if data:
            yield data
    yield z.flush()


def plain_stream(chunks: Iterator[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")
