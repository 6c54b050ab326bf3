"""Applying a pull page to the local database: every row and the new cursor in ONE
SQLite transaction, so a page is either wholly applied or not at all (a crash, a full
disk or a bad row leaves the cursor where it was and the same pull is repeated).

Rules:
- Rows are upserts by ``id``. A report row carries the server's full current state and
  ``revision``; the local row follows it, except for fields that a *pending* local patch
  (outbox) changed: those keep the local value on top, so an unsent change is never lost
  and the operator keeps seeing what they did. The server decides when the patch arrives
  (merge or conflict record).
- A child (note, dispatch, attachment) whose report has not arrived yet waits in
  ``sync_orphan`` and is applied with its report.
- Codes this console does not know yet (a region, category or agency added on the server)
  get a placeholder reference row instead of blocking the feed.
- ``gone``: the report left this console's regions; it is deleted with its children, or,
  when its local timeline or outbox still refers to it, kept and flagged ``gone``.
- ``claim``: the server's latest soft claim of a report (another desk's included), an upsert
  by report id, unless this console's own claim mutation of that report is still waiting
  in the outbox (then ours is newer; the server's answer comes back in a later page). Its
  expiry is moved onto this computer's clock by the page's ``server_time``.
- Changes to reports that existed here get one ``sync`` timeline event listing the fields
  the server changed (old → new), so the detail panel shows what happened elsewhere.

Returns an ``OpChanges`` (kind ``sync``, source ``sync``) naming exactly the reports that
changed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from console.domain.wire import REPORT_TIME_WIRE, REPORT_WIRE, REPORT_WIRE_NOT_STORED
from console.operations.base import OpChanges
from console.store.timefmt import new_id, to_db, utcnow
from console.store.transaction import write_transaction
from console.sync import state
from console.sync.attachments import SHA256_RE
from console.sync.errors import BadResponse
from console.sync.transport import Page

#: The report columns a pull writes to the console's report table.
REPORT_COLS = [c for c in REPORT_WIRE if c not in REPORT_WIRE_NOT_STORED]
TIME_COLS = REPORT_TIME_WIRE
#: Not worth a timeline line of their own.
QUIET_COLS = frozenset({"updated_at"})
SERVER_ACTOR = "server"
log = logging.getLogger("posko.sync.pull")


class StaleCursor(RuntimeError):
    """The stored cursor is not the page's: someone else applied pages meanwhile."""


@dataclass
class PullResult:
    changes: OpChanges
    rows: int
    conflicts: int
    urgent: frozenset[str]  # reports of priority 1-2 in this page (announced first)


def ms_to_db(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if type(value) is not int:
        raise BadResponse(f"{what} in the change page is not a time in milliseconds")
    try:
        return datetime.fromtimestamp(value / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    except (OverflowError, OSError, ValueError):
        raise BadResponse(f"{what} in the change page is out of range") from None


def _chunks(items: list, n: int = 500) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _fetch_by_ids(conn: sqlite3.Connection, sql: str, ids: list[str]) -> list[tuple]:
    out: list[tuple] = []
    for chunk in _chunks(ids):
        out.extend(conn.execute(sql.format(marks=_marks(len(chunk))), chunk))
    return out


def _str(row: dict, key: str, *, required: bool = True) -> str | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise BadResponse(f"column {key!r} of a pulled row is missing or not text")
    return value


def _report_values(row: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in REPORT_COLS:
        value = row.get(col)
        if col in TIME_COLS:
            value = ms_to_db(value, col)
        out[col] = value
    _str(row, "id")
    _str(row, "ticket")
    if type(row.get("revision")) is not int or type(row.get("priority")) is not int:
        raise BadResponse("a pulled report lacks its revision or priority")
    if out["description"] is None:
        out["description"] = ""
    if out["created_at"] is None or out["updated_at"] is None:
        raise BadResponse("a pulled report lacks its creation or update time")
    return out


# --- reference placeholders ---------------------------------------------------------------

def _ensure_regions(conn: sqlite3.Connection, codes: set[str]) -> None:
    wanted: set[str] = set()
    for code in codes:
        parts = code.split("-")
        wanted.update("-".join(parts[:i]) for i in range(1, len(parts) + 1))
    known = {r[0] for r in _fetch_by_ids(conn, "SELECT code FROM region WHERE code IN ({marks})",
                                        sorted(wanted))}
    levels = {0: "kota", 1: "kecamatan"}
    for code in sorted(wanted - known, key=lambda c: c.count("-")):
        depth = code.count("-")
        parent = code.rsplit("-", 1)[0] if depth else None
        conn.execute("INSERT OR IGNORE INTO region (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
                     (code, code, levels.get(depth, "kelurahan"), parent))


def _ensure_codes(conn: sqlite3.Connection, table: str, codes: set[str]) -> None:
    if not codes:
        return
    known = {r[0] for r in _fetch_by_ids(
        conn, f"SELECT code FROM {table} WHERE code IN ({{marks}})", sorted(codes))}
    for code in sorted(codes - known):
        if table == "category":
            conn.execute(
                "INSERT OR IGNORE INTO category (code, name_id, name_en, default_priority,"
                " sla_verify_days, sla_followup_days, emergency) VALUES (?, ?, ?, 3, 3, 5, 0)",
                (code, code, code))
        else:
            conn.execute("INSERT OR IGNORE INTO agency (code, name_id, name_en, kind)"
                         " VALUES (?, ?, ?, 'other')", (code, code, code))


# --- the page -----------------------------------------------------------------------------

def apply_page(conn: sqlite3.Connection, page: Page) -> PullResult:
    """Apply ``page`` and store its cursor in one transaction (see the module doc)."""
    with write_transaction(conn):
        stored = state.get_int(conn, state.CURSOR)
        if stored != page.cursor:
            raise StaleCursor(f"the local cursor is {stored}, the page starts at {page.cursor}")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        result = _apply(conn, page)
        state.set_meta(conn, state.CURSOR, str(page.next_cursor))
        state.set_meta(conn, state.HEAD, str(page.head))
        if not page.more:
            state.set_meta(conn, state.LAST_SUCCESS, utcnow().isoformat())
    return result


def apply_urgent_page(conn: sqlite3.Connection, page: Page, *,
                      keep_cursor: bool = False) -> PullResult:
    """Apply a page of the priority lane (P1/P2 reports only) and store the lane's cursor;
    the main cursor stays, and the main feed brings these reports again in their turn
    (then a no-op). A row older than what this console already applied is left out.

    ``keep_cursor``: a page read ahead of the lane's cursor (the watch skipping an old
    backlog to see new emergencies first): its rows are applied but the lane's cursor
    stays, so the older P1/P2 reports between still come (the main feed leaves out, as
    sent, every P1/P2 report up to that cursor)."""
    with write_transaction(conn):
        reports = page.tables.get("report", [])
        ids = [r.get("id") for r in reports if isinstance(r.get("id"), str)]
        known = dict(_fetch_by_ids(conn, "SELECT report_id, server_revision FROM sync_report"
                                         " WHERE report_id IN ({marks})", ids))
        fresh = [r for r in reports if known.get(r.get("id")) is None
                 or not isinstance(r.get("revision"), int) or r["revision"] > known[r["id"]]]
        lane = Page(page.cursor, page.next_cursor, page.more, page.head, page.server_time,
                    {"report": fresh} if fresh else {})
        conn.execute("PRAGMA defer_foreign_keys = ON")
        result = _apply(conn, lane)
        if not keep_cursor:
            reach = max(page.next_cursor, state.get_int(conn, state.URGENT_CURSOR))
            state.set_meta(conn, state.URGENT_CURSOR, str(reach))
    return result


def _apply(conn: sqlite3.Connection, page: Page) -> PullResult:
    tables = page.tables
    now = utcnow()
    reports = tables.get("report", [])
    values = [_report_values(r) for r in reports]
    revisions = {r["id"]: r["revision"] for r in reports}

    _ensure_regions(conn, {v["region_code"] for v in values if v["region_code"]})
    _ensure_codes(conn, "category", {v["category_code"] for v in values if v["category_code"]})
    agencies = {v["assigned_agency"] for v in values if v["assigned_agency"]}
    agencies |= {d.get("agency_code") for d in tables.get("dispatch", []) if d.get("agency_code")}
    _ensure_codes(conn, "agency", agencies)

    created, updated = _apply_reports(conn, values, revisions, now)
    arrived = created | updated
    _fix_duplicate_refs(conn, values, created)

    children = _apply_children(conn, tables, arrived)
    conflicts = _apply_conflicts(conn, tables.get("conflict", []))
    gone = _apply_gone(conn, tables.get("gone", []))
    claimed = _apply_claims(conn, tables.get("claim", []), page.server_time)

    touched = arrived | children | gone | claimed | {c["report_id"] for c in tables.get("conflict", [])
                                           if isinstance(c.get("report_id"), str)}
    urgent = frozenset(v["id"] for v in values if v["priority"] in (1, 2))
    changes = OpChanges(
        kind="sync", report_ids=frozenset(touched), created=frozenset(created),
        timeline=bool(updated) or bool(conflicts), outbox=False, source="sync",
        detail={"cursor": page.next_cursor, "head": page.head, "more": page.more,
                "rows": page.count, "conflicts": conflicts, "gone": sorted(gone),
                "urgent": sorted(urgent)},
    )
    return PullResult(changes, page.count, conflicts, urgent)


def _pending_fields(conn: sqlite3.Connection, ids: list[str]) -> dict[str, set[str]]:
    """Fields of each report that a pending local patch changes."""
    out: dict[str, set[str]] = {}
    rows = _fetch_by_ids(
        conn, "SELECT entity_id, payload FROM outbox WHERE state = 'pending' AND entity = 'report'"
              " AND op = 'patch' AND entity_id IN ({marks})", ids)
    for rid, payload in rows:
        try:
            fields = json.loads(payload).get("fields") or {}
        except (ValueError, AttributeError):
            continue
        out.setdefault(rid, set()).update(k for k in fields if k in REPORT_COLS)
    return out


def _apply_reports(conn: sqlite3.Connection, values: list[dict], revisions: dict[str, int],
                   now: datetime) -> tuple[set[str], set[str]]:
    if not values:
        return set(), set()
    ids = [v["id"] for v in values]
    cols_sql = ", ".join(REPORT_COLS)
    existing: dict[str, dict] = {}
    for row in _fetch_by_ids(conn, f"SELECT {cols_sql}, revision FROM report WHERE id IN ({{marks}})", ids):
        existing[row[0]] = dict(zip([*REPORT_COLS, "revision"], row, strict=True))
    keep = _pending_fields(conn, list(existing))

    # A ticket another local report holds (two consoles with one station code): the local
    # one is renamed, its create will be refused by the server and quarantined, visibly.
    tickets = {v["ticket"]: v["id"] for v in values}
    for rid, ticket in _fetch_by_ids(conn, "SELECT id, ticket FROM report WHERE ticket IN ({marks})",
                                     list(tickets)):
        if tickets[ticket] != rid:
            conn.execute("UPDATE report SET ticket = ticket || '~' || substr(id, 1, 4) WHERE id = ?",
                         (rid,))

    inserts, updates, events, sync_rows = [], [], [], []
    created, updated = set(), set()
    for v in values:
        rid, server_rev = v["id"], revisions[v["id"]]
        sync_rows.append((rid, server_rev))
        local = existing.get(rid)
        if local is None:
            inserts.append((*[v[c] for c in REPORT_COLS], server_rev))
            created.add(rid)
            continue
        kept = keep.get(rid, set())
        new = {c: (local[c] if c in kept else v[c]) for c in REPORT_COLS}
        revision = max(local["revision"] + 1, server_rev) if kept else server_rev
        diff = {c: [local[c], new[c]] for c in REPORT_COLS if local[c] != new[c]}
        if not diff and revision == local["revision"]:
            continue
        updates.append((*[new[c] for c in REPORT_COLS[1:]], revision, rid))
        updated.add(rid)
        loud = {c: d for c, d in diff.items() if c not in QUIET_COLS}
        if loud:
            detail = {"fields": loud, "server_revision": server_rev}
            if kept:
                detail["kept_local"] = sorted(kept)
            events.append((new_id(), rid, to_db(now), SERVER_ACTOR, "sync",
                           json.dumps(detail, ensure_ascii=False, default=str)))
    if inserts:
        conn.executemany(f"INSERT INTO report ({cols_sql}, revision) VALUES "
                         f"({_marks(len(REPORT_COLS) + 1)})", inserts)
    if updates:
        sets = ", ".join(f"{c} = ?" for c in REPORT_COLS[1:])
        conn.executemany(f"UPDATE report SET {sets}, revision = ? WHERE id = ?", updates)
    if events:
        conn.executemany("INSERT INTO report_event (id, report_id, at, actor, kind, detail)"
                         " VALUES (?, ?, ?, ?, ?, ?)", events)
    conn.executemany(
        "INSERT INTO sync_report (report_id, server_revision, gone) VALUES (?, ?, 0)"
        " ON CONFLICT(report_id) DO UPDATE SET server_revision = excluded.server_revision,"
        " gone = 0", sync_rows)
    return created, updated


def _fix_duplicate_refs(conn: sqlite3.Connection, values: list[dict], created: set[str]) -> None:
    """``duplicate_of`` may name a report this console does not have (yet): keep the
    reference on the side instead of breaking the foreign key, and restore it when the
    report arrives."""
    refs = {v["id"]: v["duplicate_of"] for v in values if v["duplicate_of"]}
    if refs:
        present = {r[0] for r in _fetch_by_ids(conn, "SELECT id FROM report WHERE id IN ({marks})",
                                               sorted(set(refs.values())))}
        for rid, target in refs.items():
            if target not in present:
                conn.execute("UPDATE report SET duplicate_of = NULL WHERE id = ? AND duplicate_of = ?",
                             (rid, target))
                conn.execute("UPDATE sync_report SET remote_duplicate_of = ? WHERE report_id = ?",
                             (target, rid))
    for chunk in _chunks(sorted(created)):
        for rid, target in conn.execute(
                f"SELECT report_id, remote_duplicate_of FROM sync_report WHERE remote_duplicate_of"
                f" IN ({_marks(len(chunk))})", chunk).fetchall():
            conn.execute("UPDATE report SET duplicate_of = ? WHERE id = ? AND duplicate_of IS NULL",
                         (target, rid))
            conn.execute("UPDATE sync_report SET remote_duplicate_of = NULL WHERE report_id = ?",
                         (rid,))


class BadHash(BadResponse):
    """A pulled attachment whose hash could not be a file name: the row is skipped."""


def _child_values(kind: str, row: dict) -> dict[str, Any]:
    _str(row, "id")
    _str(row, "report_id")
    if kind == "note":
        return {"id": row["id"], "report_id": row["report_id"], "at": ms_to_db(row.get("at"), "at"),
                "author": row.get("author") or "?", "body": row.get("body") or ""}
    if kind == "dispatch":
        return {"id": row["id"], "report_id": row["report_id"], "agency_code": _str(row, "agency_code"),
                "at": ms_to_db(row.get("at"), "at"), "by": row.get("by") or "?",
                "note": row.get("note"), "expected_at": ms_to_db(row.get("expected_at"), "expected_at")}
    sha = _str(row, "sha256")
    if not SHA256_RE.fullmatch(sha):  # it becomes a file name: refuse before any path is built
        raise BadHash(f"attachment {row['id'][:40]!r} skipped: its sha256 is not 64 lowercase "
                      f"hex digits ({sha[:80]!r})")
    if type(row.get("size")) is not int:
        raise BadResponse("a pulled attachment lacks its size")
    return {"id": row["id"], "report_id": row["report_id"], "sha256": sha,
            "filename": row.get("filename") or "file", "mime": row.get("mime") or "application/octet-stream",
            "size": row["size"], "created_at": ms_to_db(row.get("at"), "at"),
            "has_thumbnail": 1 if row.get("has_thumbnail") else 0,
            "complete": 1 if row.get("complete") else 0}


def _write_child(conn: sqlite3.Connection, kind: str, v: dict) -> None:
    if kind == "note":
        conn.execute(
            "INSERT INTO note (id, report_id, at, author, body) VALUES (:id, :report_id, :at, :author, :body)"
            " ON CONFLICT(id) DO UPDATE SET report_id = excluded.report_id, at = excluded.at,"
            " author = excluded.author, body = excluded.body", v)
    elif kind == "dispatch":
        conn.execute(
            "INSERT INTO dispatch (id, report_id, agency_code, at, by, note, expected_at)"
            " VALUES (:id, :report_id, :agency_code, :at, :by, :note, :expected_at)"
            " ON CONFLICT(id) DO UPDATE SET report_id = excluded.report_id,"
            " agency_code = excluded.agency_code, at = excluded.at, by = excluded.by,"
            " note = excluded.note, expected_at = excluded.expected_at", v)
    else:
        conn.execute(
            "INSERT INTO attachment (id, report_id, filename, mime, size, sha256, created_at,"
            " has_thumbnail) VALUES (:id, :report_id, :filename, :mime, :size, :sha256,"
            " :created_at, :has_thumbnail) ON CONFLICT(id) DO UPDATE SET"
            " report_id = excluded.report_id, filename = excluded.filename, mime = excluded.mime,"
            " size = excluded.size, sha256 = excluded.sha256, has_thumbnail = excluded.has_thumbnail",
            v)
        priority = conn.execute("SELECT priority FROM report WHERE id = ?",
                                (v["report_id"],)).fetchone()
        conn.execute(
            "INSERT INTO sync_blob (sha256, size, mime, priority, upload, complete, has_thumbnail,"
            " attempts, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, 0, ?) ON CONFLICT(sha256) DO UPDATE"
            " SET size = CASE WHEN excluded.complete > complete THEN excluded.size ELSE size END,"
            " complete = max(complete, excluded.complete),"
            " has_thumbnail = max(has_thumbnail, excluded.has_thumbnail),"
            " priority = min(priority, excluded.priority), updated_at = excluded.updated_at",
            (v["sha256"], v["size"], v["mime"], priority[0] if priority else 3, v["complete"],
             v["has_thumbnail"], to_db(utcnow())))


def _apply_children(conn: sqlite3.Connection, tables: dict, arrived: set[str]) -> set[str]:
    touched: set[str] = set()
    staged: list[tuple[str, dict]] = []
    for kind in ("note", "dispatch", "attachment"):
        for row in tables.get(kind, []):
            try:
                staged.append((kind, _child_values(kind, row)))
            except BadHash as exc:  # one hostile row does not stop the feed
                log.warning("pull: %s", exc)
    parents = sorted({v["report_id"] for _k, v in staged})
    present = {r[0] for r in _fetch_by_ids(conn, "SELECT id FROM report WHERE id IN ({marks})", parents)}
    for kind, v in staged:
        if v["report_id"] in present:
            _write_child(conn, kind, v)
            conn.execute("DELETE FROM sync_orphan WHERE kind = ? AND id = ?", (kind, v["id"]))
            touched.add(v["report_id"])
        else:
            conn.execute("INSERT INTO sync_orphan (kind, id, report_id, row) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT(kind, id) DO UPDATE SET report_id = excluded.report_id,"
                         " row = excluded.row", (kind, v["id"], v["report_id"], json.dumps(v)))
    # Children that came before their report.
    for chunk in _chunks(sorted(arrived)):
        rows = conn.execute(f"SELECT kind, id, report_id, row FROM sync_orphan WHERE report_id IN"
                            f" ({_marks(len(chunk))})", chunk).fetchall()
        for kind, cid, rid, row in rows:
            _write_child(conn, kind, json.loads(row))
            conn.execute("DELETE FROM sync_orphan WHERE kind = ? AND id = ?", (kind, cid))
            touched.add(rid)
    return touched


def _apply_conflicts(conn: sqlite3.Connection, rows: list[dict]) -> int:
    params = []
    for c in rows:
        cid, rid, field = _str(c, "id"), _str(c, "report_id"), _str(c, "field")
        params.append((cid, c.get("seq"), rid, field, c.get("base_revision"),
                       c.get("server_revision"), json.dumps(c.get("server_value")),
                       json.dumps(c.get("client_value")), c.get("mutation_id"), c.get("by"),
                       ms_to_db(c.get("at"), "at")))
    if params:
        conn.executemany(
            "INSERT INTO sync_conflict (id, seq, report_id, field, base_revision, server_revision,"
            " server_value, client_value, mutation_id, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, report_id = excluded.report_id,"
            " field = excluded.field, base_revision = excluded.base_revision,"
            " server_revision = excluded.server_revision, server_value = excluded.server_value,"
            " client_value = excluded.client_value, mutation_id = excluded.mutation_id,"
            " by = excluded.by, at = excluded.at", params)
    return len(params)


def _apply_claims(conn: sqlite3.Connection, rows: list[dict], server_time: int | None) -> set[str]:
    ids = sorted({_str(r, "report_id") for r in rows})
    waiting = {r[0] for r in _fetch_by_ids(
        conn, "SELECT entity_id FROM outbox WHERE entity = 'claim' AND state = 'pending'"
              " AND entity_id IN ({marks})", ids)}
    # The server's clock decides when a claim runs out; this console compares with its own.
    offset = 0 if server_time is None else server_time - int(utcnow().timestamp() * 1000)
    touched = set()
    for r in rows:
        rid = r["report_id"]
        if rid in waiting:
            continue
        holder = r.get("holder")
        if holder is not None and (not isinstance(holder, str) or len(holder) > 200):
            raise BadResponse("column 'holder' of a pulled claim is not a name")
        expires = r.get("expires_at")
        if type(expires) is int:
            expires -= offset
        conn.execute("INSERT INTO claim (report_id, holder, since, expires_at) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT(report_id) DO UPDATE SET holder = excluded.holder,"
                     " since = excluded.since, expires_at = excluded.expires_at",
                     (rid, holder, ms_to_db(r.get("since"), "since"),
                      ms_to_db(expires, "expires_at")))
        touched.add(rid)
    return touched


def _apply_gone(conn: sqlite3.Connection, rows: list[dict]) -> set[str]:
    gone = set()
    for row in rows:
        rid = _str(row, "report_id")
        gone.add(rid)
        conn.execute("DELETE FROM sync_orphan WHERE report_id = ?", (rid,))
        if conn.execute("SELECT 1 FROM report WHERE id = ?", (rid,)).fetchone() is None:
            conn.execute("DELETE FROM sync_report WHERE report_id = ?", (rid,))
            continue
        evidence = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM report_event WHERE report_id = :r)"
            " OR EXISTS (SELECT 1 FROM outbox WHERE entity_id = :r"
            "   OR json_extract(payload, '$.fields.report_id') = :r)"
            " OR EXISTS (SELECT 1 FROM report WHERE duplicate_of = :r)", {"r": rid}).fetchone()[0]
        if evidence:
            conn.execute("INSERT INTO sync_report (report_id, gone) VALUES (?, 1)"
                         " ON CONFLICT(report_id) DO UPDATE SET gone = 1", (rid,))
            continue
        for table in ("note", "dispatch", "attachment"):
            conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
        conn.execute("DELETE FROM sync_conflict WHERE report_id = ?", (rid,))
        conn.execute("DELETE FROM claim WHERE report_id = ?", (rid,))
        conn.execute("DELETE FROM report WHERE id = ?", (rid,))
        conn.execute("DELETE FROM sync_report WHERE report_id = ?", (rid,))
    return gone
