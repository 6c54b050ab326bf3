"""Attempt counters per key and window, kept in the database (table ``throttle``).

Several server processes on one PostgreSQL share them, so a client cannot multiply its
allowance by spreading its tries over the workers. Each key (``login:user:<name>``,
``login:addr:<ip>``, ``o311:key:<id>``, ``o311:addr:<ip>``) has one row: the start of its
current window and the attempts counted in it (a fixed window). An attempt after the window
ended starts a new one at 1.

Counting is one ``INSERT … ON CONFLICT DO UPDATE`` per key, atomic on both databases; it
does not take the global write lock (db.py): a counter allocates no change sequence number,
and a flood of refused logins must not queue the consoles' pushes behind it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.db import Database
from server.models import Throttle, UTCDateTime, utcnow

#: Rows older than this are deleted now and then (no window is longer).
FORGET_AFTER = timedelta(days=1)
#: One counting call in this many also deletes forgotten rows.
CLEANUP_ONE_IN = 50
MAX_KEY = 160


@dataclass(frozen=True)
class Limit:
    """At most ``count`` attempts per ``window`` on ``key``."""

    key: str
    count: int
    window: timedelta

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self.key[:MAX_KEY])


def _wait(count: int, start: datetime, limit: Limit, now: datetime) -> int | None:
    end = start + limit.window
    if count >= limit.count and end > now:
        return max(1, math.ceil((end - now).total_seconds()))
    return None


def retry_after(db: Database, limits: list[Limit]) -> int | None:
    """Seconds to wait when any key has used up its attempts; None when none has."""
    t = Throttle.__table__
    by_key = {lim.key: lim for lim in limits}
    now = utcnow()
    with db.read() as conn:
        rows = conn.execute(select(t.c.key, t.c.count, t.c.window_start)
                            .where(t.c.key.in_(list(by_key)))).all()
    waits = [w for r in rows if (w := _wait(r.count, r.window_start, by_key[r.key], now))]
    return max(waits) if waits else None


def hit(db: Database, limits: list[Limit]) -> int | None:
    """Count one attempt on every key; seconds to wait when this attempt is over a limit
    (None: within every limit)."""
    t = Throttle.__table__
    now = utcnow()
    at = literal(now, UTCDateTime())
    insert = sqlite_insert if db.is_sqlite else pg_insert
    waits = []
    with db.write(global_lock=False) as conn:
        for lim in sorted(limits, key=lambda x: x.key):  # one order: no deadlock
            stale = t.c.window_start <= literal(now - lim.window, UTCDateTime())
            stmt = insert(t).values(key=lim.key, window_start=now, count=1)
            stmt = stmt.on_conflict_do_update(index_elements=[t.c.key], set_={
                "count": case((stale, 1), else_=t.c.count + 1),
                "window_start": case((stale, at), else_=t.c.window_start),
            }).returning(t.c.count, t.c.window_start)
            count, start = conn.execute(stmt).one()
            wait = _wait(count - 1, start, lim, now)  # over the limit once count > limit
            if wait:
                waits.append(wait)
        if random.randrange(CLEANUP_ONE_IN) == 0:
            conn.execute(delete(t).where(t.c.window_start < now - FORGET_AFTER))
    return max(waits) if waits else None


def clear(db: Database, key: str) -> None:
    """Forget the attempts on ``key`` (a successful login clears its account's failures)."""
    t = Throttle.__table__
    with db.write(global_lock=False) as conn:
        conn.execute(delete(t).where(t.c.key == key[:MAX_KEY]))
