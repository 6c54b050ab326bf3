"""Creating a report (phone, walk-in, or any channel typed in by an operator).

Validation happens before anything is written; the report, its 'created' timeline event
and its outbox 'create' mutation then land in one transaction.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from console.domain import sla
from console.domain.catalog import Channel
from console.domain.geo import CityBounds
from console.domain.limits import MAX_CHARS, length_problem, without_controls
from console.domain.priority import default_priority
from console.domain.tickets import NO_STATION, station_code
from console.domain.workflow import Status, Triage
from console.operations.base import (
    OpChanges,
    OperationError,
    write_event,
    write_outbox,
)
from console.operations.reports import load_category
from console.store.timefmt import new_id, to_db, utcnow
from console.store.transaction import write_transaction


@dataclass
class NewReport:
    channel: str
    category_code: str
    title: str
    description: str = ""
    reporter_name: str | None = None
    reporter_phone: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    region_code: str | None = None
    priority: int | None = None
    triage: str | None = None


def _clean(text: str | None, field: str, what: str, *, required: bool = False) -> str | None:
    """Stripped text for report field ``field`` within the limits the server applies too."""
    if text is None or not str(text).strip():
        if required:
            raise OperationError(f"{what} is required", code="required", field=what)
        return None
    text = without_controls(str(text)).strip()
    limit = MAX_CHARS[field]
    if len(text) > limit:
        raise OperationError(f"{what} is too long ({len(text)} characters; at most {limit})",
                             code="too_long", field=what, length=len(text), limit=limit)
    problem = length_problem(field, text)  # UTF-8 bytes
    if problem:
        raise OperationError(f"{what} {problem}", code="too_long_bytes", field=what)
    return text


def validate(conn: sqlite3.Connection, data: NewReport, bounds: CityBounds | None) -> NewReport:
    try:
        Channel(data.channel)
    except ValueError:
        raise OperationError(f"unknown channel {data.channel!r}", code="unknown_channel",
                             channel=data.channel) from None
    if data.triage is not None:
        try:
            Triage(data.triage)
        except ValueError:
            raise OperationError(f"unknown triage {data.triage!r}", code="unknown_triage",
                                 triage=data.triage) from None
    title = _clean(data.title, "title", "title", required=True)
    description = _clean(data.description, "description", "description") or ""
    if (data.lat is None) != (data.lon is None):
        raise OperationError("give both latitude and longitude, or neither", code="half_coordinates")
    if data.lat is not None:
        lat, lon = float(data.lat), float(data.lon)
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise OperationError(f"coordinates {data.lat}, {data.lon} are not on Earth",
                                 code="coordinates_invalid", lat=data.lat, lon=data.lon)
        if bounds is not None and not bounds.contains(lat, lon):
            raise OperationError(
                f"coordinates {lat:.5f}, {lon:.5f} are outside {bounds.name}; check the location",
                code="coordinates_outside", lat=lat, lon=lon, area=bounds.name)
    if data.priority is not None and (type(data.priority) is not int or not 1 <= data.priority <= 4):
        raise OperationError(f"priority must be 1 to 4, not {data.priority!r}",
                             code="priority_invalid", priority=data.priority)
    if data.region_code is not None and conn.execute(
            "SELECT 1 FROM region WHERE code = ?", (data.region_code,)).fetchone() is None:
        raise OperationError(f"unknown region {data.region_code!r}", code="unknown_region",
                             region=data.region_code)
    return NewReport(
        channel=data.channel, category_code=data.category_code, title=title,
        description=description,
        reporter_name=_clean(data.reporter_name, "reporter_name", "reporter name"),
        reporter_phone=_clean(data.reporter_phone, "reporter_phone", "reporter phone"),
        lat=data.lat, lon=data.lon, address=_clean(data.address, "address", "address"),
        region_code=data.region_code, priority=data.priority, triage=data.triage,
    )


def next_ticket(conn: sqlite3.Connection, now: datetime, tz: str = "Asia/Jakarta",
                actor: str | None = None) -> str:
    """A human ticket number: station code, the local date (the day the caller lives in,
    not UTC's: a call at 02:00 WIB belongs to that WIB day), per-station counter in meta.

    The station code is the filing account's (console/domain/tickets.py), known once that
    account has logged in here; before any login the folder's ('station_code' in meta, or
    PSK), which the server replaces at the first push."""
    row = conn.execute("SELECT account_id FROM operator WHERE username = ?"
                       " AND account_id IS NOT NULL", (actor,)).fetchone() if actor else None
    if row:
        station = station_code(actor, row[0])
    else:
        station = conn.execute("SELECT value FROM meta WHERE key = 'station_code'").fetchone()
        station = station[0] if station else NO_STATION
    row = conn.execute("SELECT value FROM meta WHERE key = 'ticket_seq'").fetchone()
    seq = int(row[0]) + 1 if row else 1
    day = f"{now.astimezone(ZoneInfo(tz)):%y%m%d}"
    # Skip numbers a pulled report already holds (another account may have used this
    # station's next numbers): local intake must never fail on a taken ticket.
    while conn.execute("SELECT 1 FROM report WHERE ticket = ?",
                       (f"{station}-{day}-{seq:05d}",)).fetchone():
        seq += 1
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('ticket_seq', ?)", (str(seq),))
    return f"{station}-{day}-{seq:05d}"


def create_report(
    conn: sqlite3.Connection, actor: str, data: NewReport, *,
    bounds: CityBounds | None = None, now: datetime | None = None, tz: str = "Asia/Jakarta",
) -> OpChanges:
    now = now or utcnow()
    clean = validate(conn, data, bounds)
    category = load_category(conn, clean.category_code)
    try:
        priority = clean.priority or default_priority(category.code, clean.channel, clean.triage)
    except KeyError:  # a city-defined category the built-in rules do not know
        priority = category.default_priority
    due = sla.sla_due(category, clean.channel, Status.NEW, now, tz=tz, priority=priority)
    report_id = new_id()
    with write_transaction(conn):
        ticket = next_ticket(conn, now, tz, actor)
        fields = {
            "id": report_id, "ticket": ticket, "channel": clean.channel,
            "category_code": category.code, "priority": priority, "status": Status.NEW.value,
            "triage": clean.triage, "title": clean.title, "description": clean.description,
            "reporter_name": clean.reporter_name, "reporter_phone": clean.reporter_phone,
            "lat": clean.lat, "lon": clean.lon, "address": clean.address,
            "region_code": clean.region_code, "created_at": to_db(now), "updated_at": to_db(now),
            "sla_due_at": to_db(due), "revision": 1, "created_by": actor,
        }
        cols = ", ".join(fields)
        conn.execute(f"INSERT INTO report ({cols}) VALUES ({', '.join('?' * len(fields))})",
                     tuple(fields.values()))
        write_event(conn, report_id, actor, "created", at=now, new=ticket,
                    detail={"channel": clean.channel, "category": category.code})
        write_outbox(conn, entity="report", entity_id=report_id, op="create", fields=fields,
                     actor=actor, at=now)
    return OpChanges(kind="create", report_ids=frozenset({report_id}),
                     created=frozenset({report_id}), detail={"ticket": ticket})
