"""Everything the detail panel shows about one report, in one worker request. No Qt.

- the report's fields (:func:`fetch_report_detail`);
- its timeline: events and notes, oldest first, joined with the timelines of the reports
  merged into it (each entry says which report it came from), so after a merge both
  timelines stay visible on the original; grouped per operation (:func:`group_timeline`)
  for display, every field-level event kept;
- dispatch history, attachments, the reports merged into it, its original if it is a
  duplicate, and duplicate candidates (``store.duplicates``).

Reading merged timelines uses the original's ``merge`` events (written by
``operations.merge``), plus ``report.duplicate_of`` (a merge that arrived by sync has no
local merge event), read through ``ix_report_duplicate_of`` (migration 0005).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from console.store import slaclock
from console.store.duplicates import Candidate, candidates_for_report
from console.store.timefmt import from_db

__all__ = ["Bundle", "TimelineEntry", "TimelineGroup", "fetch_bundle", "fetch_report_detail",
           "fetch_timeline", "group_timeline"]

MAX_MERGED = 200  # reports merged into one original whose timelines are joined in
MAX_EVENTS = 2000


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    kind: str
    field: str | None
    old: str | None
    new: str | None
    detail: dict
    note: str | None  # a note's text
    report_id: str
    ticket: str  # of the report the event belongs to (differs for merged duplicates)


@dataclass(frozen=True)
class TimelineGroup:
    """What one operation wrote to one report's timeline: its events share the report,
    the actor and the instant (an operation stamps everything it writes with one
    ``now``, to the microsecond), e.g. a verification's status, verified_at and SLA
    deadline changes. The timeline shows one entry per group, its details below it."""

    entries: tuple[TimelineEntry, ...]

    @property
    def at(self) -> datetime:
        return self.entries[0].at

    @property
    def actor(self) -> str:
        return self.entries[0].actor

    @property
    def report_id(self) -> str:
        return self.entries[0].report_id

    @property
    def ticket(self) -> str:
        return self.entries[0].ticket


def group_timeline(entries: list[TimelineEntry]) -> list[TimelineGroup]:
    """One group per operation, in the order of their first events (oldest first). A
    merge writes on two reports at one instant: each report keeps its own group."""
    groups: dict[tuple, list[TimelineEntry]] = {}
    for e in entries:
        groups.setdefault((e.report_id, e.at, e.actor), []).append(e)
    return [TimelineGroup(tuple(g)) for g in groups.values()]


@dataclass
class Bundle:
    detail: dict | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    dispatches: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    merged: list[dict] = field(default_factory=list)  # reports merged into this one
    original: dict | None = None  # the report this one duplicates
    similar: list[Candidate] = field(default_factory=list)

    @property
    def groups(self) -> list[TimelineGroup]:
        return group_timeline(self.timeline)


_DATETIME_FIELDS = (
    "created_at",
    "updated_at",
    "verified_at",
    "dispatched_at",
    "resolved_at",
    "closed_at",
    "sla_due_at",
)


def fetch_report_detail(conn: sqlite3.Connection, pk: int, *, lang: str = "id") -> dict | None:
    """Every stored field of one report (datetimes aware UTC), plus the category, agency
    and region names and the region's ancestry (``region_path``, kota first)."""
    name = "name_en" if lang == "en" else "name_id"
    cur = conn.execute(
        f"SELECT r.*, c.{name} AS category_name, a.{name} AS agency_name, "
        "g.name AS region_name, g.level AS region_level "
        "FROM report r LEFT JOIN category c ON c.code = r.category_code "
        "LEFT JOIN agency a ON a.code = r.assigned_agency "
        "LEFT JOIN region g ON g.code = r.region_code WHERE r.pk = ?",
        (int(pk),),
    )
    row = cur.fetchone()
    if row is None:
        return None
    detail = dict(zip([d[0] for d in cur.description], row, strict=True))
    for f in _DATETIME_FIELDS:
        detail[f] = from_db(detail[f])
    path: list[str] = []
    code = detail["region_code"]
    while code is not None and len(path) < 10:  # a cycle in imported regions stops here
        found = conn.execute("SELECT name, parent_code FROM region WHERE code = ?", (code,))
        hit = found.fetchone()
        if hit is None:
            break
        path.insert(0, hit[0])
        code = hit[1]
    detail["region_path"] = path
    detail["sla_clock"] = slaclock.clock_of(
        slaclock.load_category_def(conn, detail["category_code"]), detail["channel"],
        detail["status"], detail["sla_due_at"], detail["priority"])
    return detail


def merged_ids(conn: sqlite3.Connection, report_id: str) -> list[str]:
    """Reports merged into ``report_id``, and into those (a few levels), oldest first."""
    out: list[str] = []
    frontier = [report_id]
    seen = {report_id}
    for _depth in range(4):
        found: list[str] = []
        for rid in frontier:
            for (dup_id,) in conn.execute(
                "SELECT new_value FROM report_event WHERE report_id = ? AND kind = 'merge' "
                "AND field IS NULL ORDER BY at", (rid,)):
                found.append(dup_id)
            found += [r[0] for r in conn.execute(
                "SELECT id FROM report WHERE duplicate_of = ? ORDER BY created_at", (rid,))]
        frontier = [f for f in dict.fromkeys(found) if f and f not in seen]
        seen.update(frontier)
        out += frontier
        if not frontier or len(out) >= MAX_MERGED:
            break
    return out[:MAX_MERGED]


def fetch_timeline(conn: sqlite3.Connection, report_id: str,
                   merged: list[str] | None = None) -> list[TimelineEntry]:
    """Events and notes of the report and of the reports merged into it, oldest first."""
    ids = [report_id, *(merged if merged is not None else merged_ids(conn, report_id))]
    tickets = dict(conn.execute(
        "SELECT id, ticket FROM report WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),)).fetchall())
    rows = conn.execute(
        "SELECT e.at, e.actor, e.kind, e.field, e.old_value, e.new_value, e.detail, n.body, "
        "e.report_id FROM report_event e "
        "LEFT JOIN note n ON e.kind = 'note' AND n.id = e.new_value "
        "WHERE e.report_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY e.at, e.rowid LIMIT ?",
        (json.dumps(ids), MAX_EVENTS),
    ).fetchall()
    out = []
    for at, actor, kind, fld, old, new, detail, body, rid in rows:
        try:
            parsed = json.loads(detail) if detail else {}
        except ValueError:
            parsed = {"raw": detail}
        out.append(TimelineEntry(from_db(at), actor, kind, fld, old, new,
                                 parsed if isinstance(parsed, dict) else {"raw": parsed},
                                 body, rid, tickets.get(rid, "")))
    return out


def fetch_bundle(conn: sqlite3.Connection, pk: int, *, lang: str = "id",
                 similar: bool = True) -> Bundle:
    detail = fetch_report_detail(conn, pk, lang=lang)
    if detail is None:
        return Bundle(None)
    rid = detail["id"]
    name = "name_en" if lang == "en" else "name_id"
    merged = merged_ids(conn, rid)
    bundle = Bundle(detail, fetch_timeline(conn, rid, merged))
    cur = conn.execute(
        f"SELECT d.id, d.agency_code, a.{name}, d.at, d.by, d.note, d.expected_at, "
        "d.acknowledged_at FROM dispatch d LEFT JOIN agency a ON a.code = d.agency_code "
        "WHERE d.report_id = ? ORDER BY d.at", (rid,))
    for row in cur:
        bundle.dispatches.append({
            "id": row[0], "agency_code": row[1], "agency_name": row[2] or row[1],
            "at": from_db(row[3]), "by": row[4], "note": row[5],
            "expected_at": from_db(row[6]), "acknowledged_at": from_db(row[7]),
        })
    cur = conn.execute(
        "SELECT id, filename, mime, size, sha256, created_at, has_thumbnail, local_path "
        "FROM attachment WHERE report_id = ? ORDER BY created_at", (rid,))
    for row in cur:
        bundle.attachments.append({
            "id": row[0], "filename": row[1], "mime": row[2], "size": row[3],
            "sha256": row[4], "created_at": from_db(row[5]), "has_thumbnail": bool(row[6]),
            "local_path": row[7],
        })
    if merged:
        bundle.merged = [
            {"id": r[0], "pk": r[1], "ticket": r[2], "title": r[3], "status": r[4],
             "created_at": from_db(r[5])}
            for r in conn.execute(
                "SELECT id, pk, ticket, title, status, created_at FROM report "
                "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at",
                (json.dumps(merged),))
        ]
    if detail.get("duplicate_of"):
        row = conn.execute("SELECT id, pk, ticket, title, status FROM report WHERE id = ?",
                           (detail["duplicate_of"],)).fetchone()
        if row is not None:
            bundle.original = {"id": row[0], "pk": row[1], "ticket": row[2], "title": row[3],
                               "status": row[4]}
    if similar and detail["status"] not in ("duplicate", "prank", "ghost"):
        merged_set = set(merged)
        bundle.similar = [c for c in candidates_for_report(conn, rid, lang=lang)
                          if c.id not in merged_set]
    return bundle


def pk_of(conn: sqlite3.Connection, report_id: str) -> int | None:
    row = conn.execute("SELECT pk FROM report WHERE id = ?", (report_id,)).fetchone()
    return row[0] if row else None
