"""The sync engine's small facts in the local database, and read-only queries the views
use (through the database worker): counts for the status bar, a sync state per report,
the quarantine list.

Meta keys (table ``meta``): ``sync.server_url``, ``sync.username``, ``sync.scope`` (who the
cursor belongs to), ``sync.cursor``, ``sync.head``, ``sync.last_success_at`` (ISO UTC),
``sync.account`` (JSON of the login's account), ``sync.gzip_push``, ``station_code``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from console.domain.tickets import station_code

# The per-report sync states are defined with the outbox's counts in console/store/outbox.py
# (the queue reads them without importing the sync engine); re-exported for the views.
from console.store.outbox import CONFLICT as CONFLICT
from console.store.outbox import LOCAL_ONLY as LOCAL_ONLY
from console.store.outbox import PENDING as PENDING
from console.store.outbox import QUARANTINED as QUARANTINED
from console.store.outbox import SYNCED as SYNCED
from console.store.outbox import OutboxEntry, outbox_counts
from console.store.outbox import report_sync_states as report_sync_states
from console.store.report_queries import count_open_conflicts
from console.store.transaction import write_transaction

CURSOR = "sync.cursor"
#: The priority lane's own cursor (P1/P2 reports pulled ahead of the main feed).
URGENT_CURSOR = "sync.urgent_cursor"
HEAD = "sync.head"
SCOPE = "sync.scope"
SERVER_URL = "sync.server_url"
USERNAME = "sync.username"
ACCOUNT = "sync.account"
LAST_SUCCESS = "sync.last_success_at"
GZIP_PUSH = "sync.gzip_push"
STATION = "station_code"

def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def get_int(conn: sqlite3.Connection, key: str, default: int = 0) -> int:
    value = get_meta(conn, key)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def scope_key(server_url: str, account: dict) -> str:
    """What the pull cursor depends on: the server and the login's scope (the server's
    feed is filtered by scope only). Not the person: the next officer of the same desk
    logging in at a shift change keeps the cursor instead of pulling everything again."""
    regions = sorted(account.get("regions") or [])
    return json.dumps([server_url.rstrip("/"), account.get("scope") or "", regions],
                      separators=(",", ":"))


def bind_account(conn: sqlite3.Connection, server_url: str, account: dict) -> bool:
    """Record who this database syncs as. A different server or scope restarts
    the pull from cursor 0 (local data stays; the pull re-sends what is in scope). Also
    gives this console a station code for ticket numbers if it has none. Returns True
    when the cursor was reset."""
    key = scope_key(server_url, account)
    with write_transaction(conn):
        reset = get_meta(conn, SCOPE) != key
        if reset:
            set_meta(conn, SCOPE, key)
            set_meta(conn, CURSOR, "0")
            set_meta(conn, URGENT_CURSOR, None)
            set_meta(conn, HEAD, None)
        set_meta(conn, SERVER_URL, server_url.rstrip("/"))
        set_meta(conn, USERNAME, str(account.get("username") or ""))
        set_meta(conn, ACCOUNT, json.dumps(account, separators=(",", ":")))
        if get_meta(conn, STATION) is None:
            set_meta(conn, STATION, station_code(str(account.get("username") or ""),
                                                  str(account.get("id") or "")))
    return reset


@dataclass(frozen=True)
class Counts:
    pending: int
    quarantined: int
    conflicts: int
    uploads: int
    downloads: int
    cursor: int
    head: int | None
    last_success_at: str | None


def counts(conn: sqlite3.Connection) -> Counts:
    """Everything the status bar shows from the database, in one cheap read."""
    pending, quarantined = outbox_counts(conn)
    conflicts = count_open_conflicts(conn)
    uploads = conn.execute("SELECT count(*) FROM sync_blob WHERE upload = 1").fetchone()[0]
    downloads = conn.execute(
        "SELECT count(*) FROM sync_blob WHERE upload = 0 AND complete = 1 AND "
        "(local_path IS NULL OR (has_thumbnail = 1 AND thumb_path IS NULL))").fetchone()[0]
    head = get_meta(conn, HEAD)
    return Counts(pending, quarantined, conflicts, uploads, downloads, get_int(conn, CURSOR),
                  int(head) if head and head.isdigit() else None, get_meta(conn, LAST_SUCCESS))


@dataclass(frozen=True)
class QuarantinedItem(OutboxEntry):
    fields: dict
    last_error: str | None  # "<code>: <detail>": the server's HTTP-like code, or "local"
    attempts: int
    created_at: str
    ticket: str | None = None  # the report's human number, what the operator knows it by
    trail: dict | None = None  # a coalesced mutation's earlier values (coalesce.py)


def quarantined(conn: sqlite3.Connection, limit: int = 500) -> list[QuarantinedItem]:
    out = []
    for seq, mid, entity, entity_id, op, payload, err, attempts, created in conn.execute(
            "SELECT seq, id, entity, entity_id, op, payload, last_error, attempts, created_at"
            " FROM outbox WHERE state = 'quarantined' ORDER BY seq LIMIT ?", (limit,)):
        try:
            doc = json.loads(payload)
            fields = doc.get("fields") or {}
            trail = doc.get("trail") if isinstance(doc.get("trail"), dict) else None
        except (ValueError, AttributeError):
            fields, trail = {}, None
        report_id = entity_id if entity == "report" else fields.get("report_id")
        ticket = None
        if isinstance(report_id, str):
            row = conn.execute("SELECT ticket FROM report WHERE id = ?", (report_id,)).fetchone()
            ticket = row[0] if row else fields.get("ticket")
        out.append(QuarantinedItem(seq, mid, entity, entity_id, op, report_id, fields, err,
                                   attempts, created, ticket, trail))
    return out
