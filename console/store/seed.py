"""Reference data every Posko database needs: agencies, categories and regions.

``ensure_reference_data`` is called on every start, so the common case — already seeded
with this catalogue — is one indexed SELECT on ``meta``. When the default catalogue in
``console.domain.catalog`` changes (new category, renamed agency, new SLA), its version
hash changes and the defaults are written again: agencies and categories are upserted
(a city's own extra rows are kept; rows that reports refer to are never deleted), regions
are added with INSERT OR IGNORE. All of it happens in one transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable

from console.domain.catalog import AGENCIES, CATEGORIES
from console.store.regions import CITIES, seed_regions
from console.store.transaction import joined_transaction

__all__ = ["META_KEY", "catalogue_version", "ensure_reference_data"]

META_KEY = "reference_seeded"
#: Bump when the region rules in console/store/regions.py change (codes, centres, cities).
REGIONS_VERSION = "regions-1"


def _agency_rows() -> list[tuple]:
    return [(a.code, a.name_id, a.name_en, str(a.kind)) for a in AGENCIES.values()]


def _category_rows() -> list[tuple]:
    return [
        (
            c.code, c.name_id, c.name_en, c.default_priority, c.sla_verify_days,
            c.sla_followup_days, c.sla_dispatch_minutes, c.default_agency, int(c.emergency),
        )
        for c in CATEGORIES.values()
    ]


def catalogue_version(cities: Iterable[str] = tuple(CITIES)) -> str:
    """A short hash of everything ``ensure_reference_data`` writes."""
    h = hashlib.sha256()
    h.update(repr((_agency_rows(), _category_rows(), REGIONS_VERSION, sorted(cities))).encode())
    return h.hexdigest()[:16]


_UPSERT_AGENCY = (
    "INSERT INTO agency (code, name_id, name_en, kind) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(code) DO UPDATE SET name_id = excluded.name_id, "
    "name_en = excluded.name_en, kind = excluded.kind"
)
_UPSERT_CATEGORY = (
    "INSERT INTO category (code, name_id, name_en, default_priority, sla_verify_days, "
    "sla_followup_days, sla_dispatch_minutes, default_agency, emergency) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en, "
    "default_priority = excluded.default_priority, sla_verify_days = excluded.sla_verify_days, "
    "sla_followup_days = excluded.sla_followup_days, "
    "sla_dispatch_minutes = excluded.sla_dispatch_minutes, "
    "default_agency = excluded.default_agency, emergency = excluded.emergency"
)


def _stored_version(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    return row[0] if row else None


def ensure_reference_data(
    conn: sqlite3.Connection, cities: Iterable[str] = tuple(CITIES)
) -> dict[str, int | bool | str]:
    """Seed agencies, categories and regions unless this catalogue version already is.

    Returns ``{'seeded': bool, 'version': str, 'agencies': n, 'categories': n,
    'regions': n}`` where the numbers are rows written (0 when nothing had to be done).
    Uses the caller's transaction if one is open, else its own ``BEGIN IMMEDIATE``.
    """
    keys = tuple(cities)
    version = catalogue_version(keys)
    result: dict[str, int | bool | str] = {
        "seeded": False, "version": version, "agencies": 0, "categories": 0, "regions": 0,
    }
    if _stored_version(conn) == version:
        return result
    with joined_transaction(conn):
        if _stored_version(conn) != version:  # someone else may have seeded meanwhile
            agencies, categories = _agency_rows(), _category_rows()
            conn.executemany(_UPSERT_AGENCY, agencies)
            conn.executemany(_UPSERT_CATEGORY, categories)
            result["regions"] = seed_regions(conn, keys)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (META_KEY, version),
            )
            result.update(seeded=True, agencies=len(agencies), categories=len(categories))
    return result
