"""Reads that the shift report, the handover pack (operations/shifts.py) and the printed
map share: a region and everything below it, the category catalogue, the operators a
report on a region lists, the last successful sync and the open sync conflicts.

They sit in the store, below their callers, so that operations never import the export
package. No Qt.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from console.domain.catalog import CategoryDef

LAST_SYNC_KEY = "last_sync_at"
#: Where the sync engine keeps conflict records; the first that exists is used.


def region_filter(code: str | None, column: str = "r.region_code") -> tuple[str, tuple]:
    """SQL (starting with AND) for a region and all regions below it."""
    if not code:
        return "", ()
    return (f" AND ({column} = ? OR ({column} >= ? AND {column} < ?))",
            (code, code + "-", code + "."))


def in_region(code: str | None, region: str | None) -> bool:
    if not region:
        return True
    return code is not None and (code == region or code.startswith(region + "-"))


def serves_region(regions_json: str | None, region: str | None) -> bool:
    """Whether an operator serving ``regions_json`` belongs in a report on ``region``."""
    if not region:
        return True
    try:
        codes = json.loads(regions_json or "[]")
    except ValueError:
        return True
    if not codes:
        return True  # serves everything (command center, admin)
    return any(in_region(c, region) or in_region(region, c) for c in codes)


def parse_time(text: str | None) -> datetime | None:
    """A stored time: our UTC text, or ISO 8601 with an offset (sync bookkeeping)."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def last_sync(conn: sqlite3.Connection) -> datetime | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (LAST_SYNC_KEY,)).fetchone()
    return parse_time(row[0]) if row else None


def load_categories(conn: sqlite3.Connection) -> dict[str, CategoryDef]:
    return {
        r[0]: CategoryDef(code=r[0], name_id=r[1], name_en=r[2], default_priority=r[3],
                          default_agency=r[4], emergency=bool(r[5]), sla_verify_days=r[6],
                          sla_followup_days=r[7], sla_dispatch_minutes=r[8])
        for r in conn.execute(
            "SELECT code, name_id, name_en, default_priority, default_agency, emergency,"
            " sla_verify_days, sla_followup_days, sla_dispatch_minutes FROM category")
    }


def count_open_conflicts(conn: sqlite3.Connection) -> int:
    """Sync conflicts the operator has not resolved yet (the status bar, the handover pack
    and the shift report all count them here)."""
    return conn.execute(
        "SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL").fetchone()[0]
