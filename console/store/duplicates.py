"""Duplicate candidates: nearby reports read through the indexes, scored by
:mod:`console.domain.duplicates`. No Qt.

Reads are bounded whatever the table size: for each related category one range of
``ix_report_category_created`` (the time window), and one range of
``ix_report_region_created`` for the same kelurahan, each capped at :data:`SCAN_CAP`
rows, so a candidate search at 1,000,000 reports reads a few thousand index entries.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from console.domain import duplicates as dup
from console.store.timefmt import from_db, to_db, utcnow

__all__ = ["SCAN_CAP", "Candidate", "candidates_for", "candidates_for_report"]

SCAN_CAP = 3000
#: Reports of these statuses are never offered as the original of a merge.
_NOT_ORIGINALS = ("duplicate", "prank", "ghost", "rejected", "not_authority")


@dataclass(frozen=True)
class Candidate:
    id: str
    pk: int
    ticket: str
    title: str
    status: str
    priority: int
    revision: int
    category_code: str
    category_name: str | None
    region_name: str | None
    created_at: datetime
    score: float
    distance_m: float | None
    minutes_apart: int
    reasons: tuple[str, ...]


_COLS = (
    "r.id, r.pk, r.ticket, r.title, r.status, r.priority, r.revision, r.category_code, "
    "c.{name}, g.name, r.created_at, r.lat, r.lon, r.region_code, r.reporter_phone"
)


def _name(lang: str) -> str:
    return "name_en" if lang == "en" else "name_id"


def candidates_for(
    conn: sqlite3.Connection, probe: dup.Facts, *, lang: str = "id", limit: int = 8,
    threshold: float = dup.THRESHOLD,
) -> list[Candidate]:
    """Reports that may be about the same incident as ``probe`` (a report being taken, or
    one that exists: its own id is left out), best first."""
    window = dup.time_window(probe.category_code)
    lo, hi = to_db(probe.created_at - window), to_db(probe.created_at + window)
    cols = _COLS.format(name=_name(lang))
    base = (f"SELECT {cols} FROM report r LEFT JOIN category c ON c.code = r.category_code "
            "LEFT JOIN region g ON g.code = r.region_code ")
    not_originals = ",".join("?" * len(_NOT_ORIGINALS))
    rows: dict[str, tuple] = {}
    for code in sorted(dup.related_categories(probe.category_code)):
        sql = (base + "WHERE r.category_code = ? AND r.created_at >= ? AND r.created_at <= ? "
               f"AND r.status NOT IN ({not_originals}) ")
        params: list = [code, lo, hi, *_NOT_ORIGINALS]
        if probe.lat is not None and probe.lon is not None:
            min_lat, max_lat, min_lon, max_lon = dup.bounding_box(probe.lat, probe.lon)
            sql += ("AND (r.lat IS NULL OR (r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?)) ")
            params += [min_lat, max_lat, min_lon, max_lon]
        sql += "ORDER BY r.created_at DESC LIMIT ?"
        for row in conn.execute(sql, [*params, SCAN_CAP]):
            rows[row[0]] = row
    if probe.region_code:
        # Any category in the same kelurahan: the same caller about something else-named.
        sql = (base + "WHERE r.region_code = ? AND r.created_at >= ? AND r.created_at <= ? "
               f"AND r.status NOT IN ({not_originals}) ORDER BY r.created_at DESC LIMIT ?")
        for row in conn.execute(sql, [probe.region_code, lo, hi, *_NOT_ORIGINALS, SCAN_CAP]):
            rows.setdefault(row[0], row)
    facts = {
        rid: dup.Facts(category_code=r[7], created_at=from_db(r[10]), lat=r[11], lon=r[12],
                       region_code=r[13], reporter_phone=r[14], title=r[3], id=rid)
        for rid, r in rows.items()
    }
    ranked = dup.rank(probe, facts.values(), threshold=threshold, limit=limit)
    out = []
    for f, s in ranked:
        r = rows[f.id]
        out.append(Candidate(
            id=r[0], pk=r[1], ticket=r[2], title=r[3], status=r[4], priority=r[5],
            revision=r[6], category_code=r[7], category_name=r[8], region_name=r[9],
            created_at=from_db(r[10]), score=round(s.total, 3), distance_m=s.distance_m,
            minutes_apart=int(s.apart.total_seconds() // 60), reasons=s.reasons,
        ))
    return out


def candidates_for_report(
    conn: sqlite3.Connection, report_id: str, *, lang: str = "id", limit: int = 8,
) -> list[Candidate]:
    """Candidates for an existing report (a duplicate's own original is left out: it is
    shown as such)."""
    row = conn.execute(
        "SELECT id, category_code, created_at, lat, lon, region_code, reporter_phone, title, "
        "duplicate_of FROM report WHERE id = ?", (report_id,)).fetchone()
    if row is None:
        return []
    probe = dup.Facts(category_code=row[1], created_at=from_db(row[2]) or utcnow(), lat=row[3],
                      lon=row[4], region_code=row[5], reporter_phone=row[6], title=row[7],
                      id=row[0])
    found = candidates_for(conn, probe, lang=lang, limit=limit + 1)
    return [c for c in found if c.id != row[8]][:limit]
