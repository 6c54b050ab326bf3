"""Applying pushed mutations: idempotency, validation, field-level merge, conflicts, history.

A batch is applied in three steps:

1. Preload, in a handful of queries, everything the batch refers to: earlier results of
   these mutation ids, the reports they touch, existing tickets and child ids.
2. Apply each mutation in order against that in-memory state. A mutation is validated
   completely before it plans any write, so a refused one leaves nothing behind; later
   mutations in the batch see the effects of earlier ones.
3. Flush all planned writes with a few multi-row statements, and the change counter
   (push_write.py), in one write transaction holding the global write lock (db.py).

Steps 1 and 2 run first on a read snapshot, without the lock; under the lock step 1 runs
again, and the plan is written if nothing it was made from changed meanwhile, else the
batch is applied again there (push_prepare.py).

If the flush fails anyway (a constraint nobody foresaw), the transaction is rolled back
and the batch is replayed one mutation per savepoint, so the one bad mutation is refused
and the others still land: one bad mutation never fails its batch. A transient database
error (db.is_transient: timeout, serialization failure, lost connection) is never a
refusal: the whole transaction rolls back and the push answers 503 with Retry-After.

Merging: ``field_revs`` remembers, per report field, the revision that last changed it.
A patch made against ``base_revision`` B may change field F only if F has not changed
since B. Otherwise (and unless the values agree anyway) the server value stays and a
Conflict row keeps the client's value; conflicts travel to every console in scope. Every
value a patch overwrites is written to History.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from console.domain import claims as claim_rules
from console.domain import sla
from console.domain.catalog import Channel
from console.domain.geo import validate_lat_lon
from console.domain.limits import control_problem, length_problem
from console.domain.priority import default_priority, validate_priority
from console.domain.tickets import station_code, ticket_prefix_ok
from console.domain.wire import PATCHABLE_REPORT_FIELDS, SERVER_MADE
from console.domain.workflow import Status, Triage
from server import push_claims, push_prepare, push_write
from server.access import readable_shas
from server.db import Database, is_transient
from server.errors import Unavailable, db_reason, validation_message
from server.models import (
    AppliedMutation,
    Attachment,
    Blob,
    Conflict,
    Counter,
    Dispatch,
    Note,
    Report,
    new_id,
    utcnow,
)
from server.push_parts import (
    Plan,
    Reject,
    Result,
    _json,
    _known,
    _member,
    _names,
    _reachable,
    _short,
    parse_items,
    payload_hash,
    wire_value,
)
from server.push_phases import Phases
from server.reference import Reference
from server.schemas import MutationIn
from server.scope import Principal
from server.validation import UUID_RE, BadText, parse_time, text_problem

log = logging.getLogger("posko.server.push")

try:  # COPY runs on the raw psycopg connection, so its errors are psycopg's own
    from psycopg import Error as _PsycopgError

    DB_ERRORS: tuple[type[Exception], ...] = (DBAPIError, _PsycopgError)
except ImportError:  # pragma: no cover - a SQLite-only install
    DB_ERRORS = (DBAPIError,)

REPORT_T = Report.__table__
REPORT_COLUMNS = [c.name for c in REPORT_T.columns]
CREATE_FIELDS = PATCHABLE_REPORT_FIELDS | {
    "id", "ticket", "created_at", "updated_at", "revision", "created_by",
}
TIME_FIELDS = frozenset({"created_at", "updated_at", "sla_due_at", "verified_at",
                         "dispatched_at", "resolved_at", "closed_at"})
#: At most this many earlier values of one field in a coalesced mutation's ``trail``.
MAX_TRAIL = 64
#: Whether a push is prepared before taking the write lock (push_prepare.py). Off
#: (POSKO_PUSH_PREPARE=0) every push is applied wholly under the lock, as it was before:
#: the bench's comparison, and a way back should preparing ever misbehave.
PREPARE = os.environ.get("POSKO_PUSH_PREPARE", "1") != "0"
#: Server-made ticket codes: no 0/O, 1/I/L, so a citizen can read one out on the phone.
TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class Batch:
    def __init__(self, conn: Connection, ref: Reference, who: Principal, *, tz: str,
                 enforce_bounds: bool, source: str = "console", max_attachment: int = 0,
                 seq0: int | None = None) -> None:
        self.conn = conn
        self.ref = ref
        self.who = who
        self.tz = tz
        self.enforce_bounds = enforce_bounds
        self.source = source
        self.max_attachment = max_attachment
        self.now = utcnow()
        self.plan = Plan()
        if seq0 is None:  # under the write lock: the real numbers (push_prepare.py: stand-ins)
            counter = Counter.__table__
            seq0 = conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar()
        self.seq0 = self.seq = seq0
        self.applied: dict[str, dict] = {}
        self.reports: dict[str, dict] = {}
        self.revs: dict[str, dict[str, int]] = {}
        self.new_reports: set[str] = set()
        self.dirty: set[str] = set()
        self.tickets: set[str] = set()
        self.child_ids: dict[str, set[str]] = {"note": set(), "dispatch": set(),
                                              "attachment": set()}
        self.blobs: set[str] = set()
        self.readable_blobs: set[str] = set()
        self.claims: dict[str, dict] = {}  # report id -> its claim row (stored or planned)
        self.stored_claims: set[str] = set()
        #: What apply() read beyond preload, so push_prepare.py can check it still holds:
        #: server-made tickets found free, and (query, its rows) of other look-ups.
        self.server_tickets: list[str] = []
        self.lookups: list[tuple[Any, list[str]]] = []

    # --- loading ------------------------------------------------------------------------

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def preload(self, muts: list[MutationIn]) -> None:
        c = self.conn
        am = AppliedMutation.__table__
        ids = [m.id for m in muts]
        for row in c.execute(select(am).where(am.c.id.in_(ids))):
            self.applied[row.id] = dict(row._mapping)
        report_ids: set[str] = set()
        tickets: set[str] = set()
        children: dict[str, set[str]] = {"note": set(), "dispatch": set(), "attachment": set()}
        shas: set[str] = set()
        for m in muts:
            f = m.fields
            if m.entity == "report":
                report_ids.add(m.entity_id)
                if isinstance(f.get("duplicate_of"), str):
                    report_ids.add(f["duplicate_of"])
                if m.op == "create" and isinstance(f.get("ticket"), str):
                    tickets.add(f["ticket"])
            else:
                if isinstance(f.get("report_id"), str):
                    report_ids.add(f["report_id"])
                if m.entity in children:
                    children[m.entity].add(m.entity_id)
                if m.entity == "attachment" and isinstance(f.get("sha256"), str):
                    shas.add(f["sha256"])
        report_ids = {r for r in report_ids if UUID_RE.match(r)}
        if report_ids:
            for row in c.execute(select(REPORT_T).where(REPORT_T.c.id.in_(report_ids))):
                self._remember(dict(row._mapping))
        push_claims.preload(self, muts, report_ids)
        if tickets:
            self.tickets |= {r[0] for r in c.execute(
                select(REPORT_T.c.ticket).where(REPORT_T.c.ticket.in_(tickets)))}
        for name, model in (("note", Note), ("dispatch", Dispatch), ("attachment", Attachment)):
            if children[name]:
                t = model.__table__
                self.child_ids[name] |= {r[0] for r in c.execute(
                    select(t.c.id).where(t.c.id.in_(children[name])))}
        if shas:
            t = Blob.__table__
            self.blobs |= {r[0] for r in c.execute(select(t.c.sha256).where(t.c.sha256.in_(shas)))}
            # A new registration of a blob the caller can already read is proven at once.
            self.readable_blobs |= readable_shas(c, self.who, shas)

    def lookup(self, stmt) -> list:  # noqa: ANN001
        """Rows of a query apply() makes beyond preload, remembered (order aside)."""
        rows = list(self.conn.execute(stmt))
        self.lookups.append((stmt, sorted(repr(tuple(r)) for r in rows)))
        return rows

    def _remember(self, row: dict) -> None:
        self.revs[row["id"]] = json.loads(row.pop("field_revs") or "{}")
        self.reports[row["id"]] = row
        self.tickets.add(row["ticket"])

    def visible_report(self, report_id: Any, what: str = "report") -> dict:
        """The report if it exists and is in the caller's scope; else a 404 (the same
        answer either way, so ids outside the scope reveal nothing)."""
        if not isinstance(report_id, str) or not UUID_RE.match(report_id):
            raise Reject(422, f"{what} must be a report UUID")
        row = self.reports.get(report_id)
        if row is None or not self.who.scope.contains(row["region_code"]):
            raise Reject(404, f"report {report_id} does not exist or is outside your regions "
                              f"({self.who.scope.describe()})")
        return row

    # --- field checks ---------------------------------------------------------------------

    def _text(self, name: str, value: Any, *, required: bool = False,
              limit: str | None = None) -> str | None:
        """Clean text for field ``name``, checked against the shared limits of field
        ``limit`` (default: ``name``; console/domain/limits.py)."""
        if value is None:
            if required:
                raise Reject(422, f"{name} is required")
            return None
        if not isinstance(value, str):
            raise Reject(422, f"{name} must be text, got {type(value).__name__}")
        problem = text_problem(value) or control_problem(value)
        if problem:
            raise Reject(422, f"{name} {problem}")
        value = value.strip()
        if not value:
            if required:
                raise Reject(422, f"{name} cannot be empty")
            return None if name != "description" else ""
        problem = length_problem(limit or name, value)
        if problem:
            raise Reject(422, f"{name} {problem}")
        return value

    def clean(self, name: str, value: Any) -> Any:
        """Validate and normalise one report field value; Reject says what is wrong."""
        if name in TIME_FIELDS:
            try:
                return parse_time(value, name, allow_none=name not in ("created_at",))
            except ValueError as exc:
                raise Reject(422, str(exc)) from None
        if name == "title":
            return self._text(name, value, required=True)
        if name == "description":
            return self._text(name, value) or ""
        if name in ("reporter_name", "reporter_phone", "address", "ticket", "created_by",
                    "media_url"):
            return self._text(name, value, required=name == "ticket")
        if name == "status":
            return _member(Status, value, "status")
        if name == "priority":
            try:
                return validate_priority(value)
            except ValueError as exc:
                raise Reject(422, str(exc)) from None
        if name == "triage":
            return None if value is None else _member(Triage, value, "triage")
        if name == "channel":
            return _member(Channel, value, "channel")
        if name == "category_code":
            return _known(value, "category", lambda code: self.ref.category(code) is not None)
        if name in ("lat", "lon"):
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Reject(422, f"{name} must be a number, got {type(value).__name__}")
            try:
                return float(value)
            except OverflowError:  # an integer past 1e308 (JSON allows any length)
                raise Reject(422, f"{name} is not a coordinate: the number is too large") from None
        if name == "region_code":
            return None if value is None else _known(value, "region", self.ref.has_region)
        if name == "assigned_agency":
            return None if value is None else _known(value, "agency", self.ref.has_agency)
        if name == "duplicate_of":
            if value is None:
                return None
            self.visible_report(value, "duplicate_of")
            return value
        if name == "revision":
            return value
        raise Reject(422, f"field {name!r} cannot be set")  # pragma: no cover

    def check_coherent(self, row: dict) -> None:
        lat, lon = row.get("lat"), row.get("lon")
        if (lat is None) != (lon is None):
            raise Reject(422, "give both lat and lon, or neither")
        if lat is not None:
            try:
                validate_lat_lon(lat, lon)
            except ValueError as exc:
                raise Reject(422, f"coordinates are not on Earth: {exc}") from None
            if self.enforce_bounds and not self.ref.bounds.contains(lat, lon):
                raise Reject(422, f"coordinates {lat:.5f}, {lon:.5f} are outside "
                                  f"{self.ref.bounds.name}; check the location")
        if row.get("duplicate_of") is not None and row["duplicate_of"] == row["id"]:
            raise Reject(422, "a report cannot be a duplicate of itself")

    def check_region_writable(self, region_code: str | None) -> None:
        if not self.who.scope.contains(region_code):
            where = "no region" if region_code is None else f"region {region_code}"
            raise Reject(403, f"you cannot write reports in {where}; your regions: "
                              f"{self.who.scope.describe()}")

    # --- handlers -------------------------------------------------------------------------

    def apply(self, m: MutationIn) -> Result:
        h = payload_hash(m)
        prev = self.applied.get(m.id)
        if prev is not None:
            if prev["account_id"] != self.who.account_id:
                # Another account's id: its result (ticket, revision) is not ours to read.
                return Result(m.id, "rejected", 409, f"mutation id {m.id} was already used; "
                              "a new change needs a new id")
            if prev["payload_hash"] != h:
                return Result(m.id, "rejected", 409,
                              f"mutation id {m.id} was already used for a different change "
                              "(the payload differs); a new change needs a new id")
            made = None
            if m.entity == "report" and m.op == "create" and m.entity_id in self.reports:
                made = self._server_made(m, self.reports[m.entity_id])
            return Result(m.id, "duplicate", prev["code"],
                          f"already received: {prev['message']}", prev["revision"],
                          original_status=prev["status"], fields=made)
        try:
            handler = {
                ("report", "create"): self._create,
                ("report", "patch"): self._patch,
                ("note", "note"): self._note,
                ("dispatch", "dispatch"): self._dispatch,
                ("attachment", "create"): self._attachment,
                ("claim", claim_rules.TAKE): lambda m: push_claims.apply(self, m),
                ("claim", claim_rules.RELEASE): lambda m: push_claims.apply(self, m),
            }.get((m.entity, m.op))
            if handler is None:
                hint = ""
                if m.op == "merge":
                    hint = "; mark duplicates with a report patch of status and duplicate_of"
                raise Reject(422, f"op '{m.op}' on entity '{m.entity}' is not supported{hint}")
            result = handler(m)
        except BadText as exc:
            return Result(m.id, "rejected", 422, str(exc))
        except Reject as exc:
            return Result(m.id, "rejected", exc.code, exc.message)
        record = dict(id=m.id, payload_hash=h, account_id=self.who.account_id, entity=m.entity,
                      entity_id=m.entity_id, status=result.status, code=result.code,
                      message=result.message, revision=result.revision, at=self.now,
                      claimed_actor=m.actor)
        self.applied[m.id] = record
        self.plan.applied.append(record)
        return result

    def _server_ticket(self) -> str:
        """A server-made number. Not sequential (issue 12 L1): numbers in a row would tell
        anyone holding two of them how many reports, 112 calls included, came in between."""
        while True:
            code = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(6))
            ticket = f"{self.ref.city.ticket_prefix}-{self.now:%y%m%d}-S{code}"
            if ticket in self.tickets:
                continue
            # Prepared before the lock, the batch's tickets are checked all at once under
            # it (push_prepare.py): one query instead of one a ticket.
            if self.seq0 >= push_prepare.STAND_IN or self.conn.execute(
                    select(REPORT_T.c.id).where(REPORT_T.c.ticket == ticket)).first() is None:
                self.server_tickets.append(ticket)
                return ticket

    def _create(self, m: MutationIn) -> Result:
        f = m.fields
        allowed = CREATE_FIELDS | ({"media_url"} if self.source == "open311" else frozenset())
        unknown = sorted(set(f) - allowed)
        if unknown:
            raise Reject(422, f"fields a report cannot have: {_names(unknown)}")
        if "id" in f and f["id"] != m.entity_id:
            raise Reject(422, "fields.id differs from entity_id")
        if m.entity_id in self.reports:
            self.visible_report(m.entity_id)  # outside the scope: 404, like an unknown id
            raise Reject(409, f"report {m.entity_id} already exists; change it with a patch")
        for name in ("channel", "category_code", "title"):
            if f.get(name) is None:
                raise Reject(422, f"{name} is required to create a report")
        row: dict[str, Any] = {"id": m.entity_id}
        for name in sorted(allowed - {"id", "revision"}):
            if name in f:
                row[name] = self.clean(name, f[name])
        status = row.get("status") or Status.NEW.value
        trail = self._trail(m, row)
        if status != Status.NEW.value and not trail.get("status"):
            raise Reject(422, f"a report starts as 'new', not {status!r}; send the status "
                              "change as a patch after the create, or its earlier statuses "
                              "in the mutation's trail")
        if trail.get("status"):
            if trail["status"][0] != Status.NEW.value:
                raise Reject(422, "a created report's trail of statuses starts with 'new'")
            self._check_path(row.get("ticket") or m.entity_id, [*trail["status"], status])
        category = self.ref.category(row["category_code"])
        if row["category_code"] not in self.ref.active_categories:
            raise Reject(422, f"category {row['category_code']!r} is no longer in use")
        if row.get("priority") is None:
            try:
                row["priority"] = default_priority(category.code, row["channel"], row.get("triage"))
            except KeyError:  # a city-defined category the built-in rules do not know
                row["priority"] = category.default_priority
        self.check_region_writable(row.get("region_code"))
        self.check_coherent(row)
        # A console numbers tickets with its account's station code; a number without it
        # (another desk's next numbers, a console that never logged in) or one already
        # taken is replaced by the server's own, which the answer names (domain/tickets.py).
        ticket = row.get("ticket")
        own = station_code(self.who.username, self.who.account_id)
        if ticket is None or ticket in self.tickets or (
                self.source == "console" and not ticket_prefix_ok(ticket, own)):
            ticket = self._server_ticket()
        created_at = row.get("created_at") or self.now
        if row.get("sla_due_at") is None and "sla_due_at" not in f:
            # With its priority: a P1 (a gauge over its danger mark, say) runs on the
            # dispatch clock in minutes, not an ordinary complaint's working days.
            row["sla_due_at"] = sla.sla_due(category, row["channel"], Status.NEW, created_at,
                                            tz=self.tz, priority=row["priority"])
        full = {c: None for c in REPORT_COLUMNS if c != "field_revs"}
        full.update(row)
        full.update(
            ticket=ticket, status=status, description=row.get("description") or "",
            created_at=created_at, updated_at=self.now, received_at=self.now, revision=1,
            # The authenticated account, never a name the client sends (its created_by
            # field or the mutation's actor): a console cannot write as someone else.
            created_by=self.who.username, source=self.source,
            seq=self.next_seq(), origin=self.who.session,
        )
        self.reports[m.entity_id] = full
        self.revs[m.entity_id] = {}
        self.new_reports.add(m.entity_id)
        self.tickets.add(ticket)
        self._history_of_trail(m, full, {}, trail, 1)
        return Result(m.id, "applied", 201, f"report {ticket} created", 1, ticket=ticket,
                      fields=self._server_made(m, full))

    def _server_made(self, m: MutationIn, row: dict) -> dict | None:
        sent = m.fields
        made = {k: wire_value(row[k]) for k in SERVER_MADE
                if row.get(k) is not None and sent.get(k) != wire_value(row[k])}
        if "sla_due_at" in made and "sla_due_at" in sent:
            made.pop("sla_due_at")  # sent is kept as sent (only its notation may differ)
        return made or None

    def _trail(self, m: MutationIn, final: dict) -> dict[str, list]:
        """The earlier values of fields in a coalesced mutation, oldest first, cleaned like
        the fields themselves. Each trailed field must be in the mutation's fields."""
        trail = m.trail or {}
        out: dict[str, list] = {}
        for name, values in sorted(trail.items()):
            if name not in m.fields or name not in PATCHABLE_REPORT_FIELDS:
                raise Reject(422, f"the trail names {_short(name)}, which the mutation does "
                                  "not change")
            if not isinstance(values, list) or not values or len(values) > MAX_TRAIL:
                raise Reject(422, f"the trail of {name} must list 1 to {MAX_TRAIL} earlier values")
            out[name] = [self.clean(name, v) for v in values]
        return out

    def _check_path(self, ticket: str, path: list[str]) -> None:
        for current, target in zip(path, path[1:], strict=False):
            if target != current and target not in _reachable(current):
                raise Reject(422, f"cannot move report {ticket} from '{current}' to "
                                  f"'{target}'; from '{current}' it can go to: "
                                  f"{', '.join(_reachable(current)) or 'nothing (final status)'}")

    def _history_of_trail(self, m: MutationIn, report: dict, before: dict, trail: dict,
                          revision: int) -> None:
        """History rows for the values a coalesced mutation passed through: every value a
        field held here is kept, as if the original mutations had come one by one."""
        for name, values in trail.items():
            chain = [*([before[name]] if name in before else []), *values, report[name]]
            for old, new in zip(chain, chain[1:], strict=False):
                if old != new:
                    self.plan.history.append(dict(
                        report_id=report["id"], revision=revision, field=name,
                        old_value=_json(old), new_value=_json(new), mutation_id=m.id,
                        by=self.who.username, at=self.now))

    def _patch(self, m: MutationIn) -> Result:
        report = self.visible_report(m.entity_id)
        base = m.base_revision
        if base is None:
            raise Reject(422, "a patch needs base_revision (the revision it was made against)")
        if base > report["revision"]:
            raise Reject(422, f"base_revision {base} is newer than the server's revision "
                              f"{report['revision']} of report {report['ticket']}")
        f = m.fields
        if not f:
            raise Reject(422, "the patch changes no field")
        unknown = sorted(set(f) - PATCHABLE_REPORT_FIELDS)
        if unknown:
            raise Reject(422, f"fields that cannot be patched: {_names(unknown)}")
        values = {name: self.clean(name, f[name]) for name in sorted(f)}
        trail = self._trail(m, values)
        revs = self.revs[report["id"]]
        apply: dict[str, Any] = {}
        conflicts: list[str] = []
        for name, value in values.items():
            if value == report[name]:
                continue  # already so: nothing to merge, nothing to fight about
            if revs.get(name, 1) > base:
                conflicts.append(name)
            else:
                apply[name] = value
        if "status" in apply:
            self._check_path(report["ticket"],
                             [report["status"], *trail.get("status", []), apply["status"]])
        new_row = {**report, **apply}
        if "region_code" in apply:
            self.check_region_writable(apply["region_code"])
        if apply.keys() & {"lat", "lon", "duplicate_of"}:
            self.check_coherent(new_row)
        revision = report["revision"]
        if apply:
            revision += 1
            before = {name: report[name] for name in apply}
            for name, value in apply.items():
                if name not in trail:
                    self.plan.history.append(dict(
                        report_id=report["id"], revision=revision, field=name,
                        old_value=_json(report[name]), new_value=_json(value), mutation_id=m.id,
                        by=self.who.username, at=self.now))
                revs[name] = revision
            old_region = report["region_code"]
            # The change feed does not send this session its own change back when the row
            # is then exactly what the console holds: made against the latest revision
            # (nothing from elsewhere merged in) and without a conflict. Otherwise it is
            # sent, so the console sees the merged or kept values.
            own = not conflicts and base == revision - 1
            report.update(apply, revision=revision, updated_at=self.now, seq=self.next_seq(),
                          origin=self.who.session if own else None)
            self._history_of_trail(m, report, before,
                                   {k: v for k, v in trail.items() if k in apply}, revision)
            if "region_code" in apply and old_region != apply["region_code"]:
                self._moved(report["id"], old_region)
            if report["id"] not in self.new_reports:
                self.dirty.add(report["id"])
        out_conflicts = []
        for name in conflicts:
            cid = new_id()
            self.plan.conflicts.append(dict(
                id=cid, seq=self.next_seq(), report_id=report["id"], field=name,
                base_revision=base, server_revision=revs.get(name, 1),
                server_value=_json(report[name]), client_value=_json(values[name]),
                mutation_id=m.id, by=self.who.username, at=self.now))
            out_conflicts.append(dict(conflict_id=cid, field=name,
                                      server_value=wire_value(report[name]),
                                      client_value=wire_value(values[name]),
                                      server_revision=revs.get(name, 1)))
        if conflicts:
            kept = ", ".join(conflicts)
            merged = f"; merged {', '.join(sorted(apply))}" if apply else ""
            return Result(m.id, "conflict", 409,
                          f"{kept} changed on the server since revision {base}: the server "
                          f"value was kept and yours stored as a conflict{merged}",
                          revision, conflicts=out_conflicts)
        if not apply:
            return Result(m.id, "applied", 200, "no change: the report already has these values",
                          revision)
        return Result(m.id, "applied", 200,
                      f"report {report['ticket']} updated ({', '.join(sorted(apply))})", revision)

    def _moved(self, report_id: str, old_region: str | None) -> None:
        """A report changed region: tell the old region's consoles, and re-send the
        report's children (new sequence numbers) so the new region's consoles get them."""
        self.plan.departures.append(dict(seq=self.next_seq(), report_id=report_id,
                                         region_code=old_region, at=self.now))
        push_claims.moved(self, report_id)
        for name, model in (("note", Note), ("dispatch", Dispatch), ("attachment", Attachment),
                            ("conflict", Conflict)):
            t = model.__table__
            planned = {"note": self.plan.notes, "dispatch": self.plan.dispatches,
                       "attachment": self.plan.attachments,
                       "conflict": self.plan.conflicts}[name]
            for row in planned:
                if row["report_id"] == report_id:
                    row["seq"] = self.next_seq()
            ids = [r[0] for r in self.lookup(select(t.c.id).where(t.c.report_id == report_id))]
            self.plan.restamp.setdefault(name, []).extend(
                {"b_id": i, "b_seq": self.next_seq()} for i in ids)

    def _child_fields(self, m: MutationIn, allowed: set[str], required: set[str]) -> dict:
        f = m.fields
        unknown = sorted(set(f) - allowed)
        if unknown:
            raise Reject(422, f"fields a {m.entity} cannot have: {_names(unknown)}")
        missing = sorted(n for n in required if f.get(n) is None)
        if missing:
            raise Reject(422, f"{m.entity} needs {', '.join(missing)}")
        if m.entity_id in self.child_ids[m.entity]:
            raise Reject(409, f"{m.entity} {m.entity_id} already exists")
        return f

    def _note(self, m: MutationIn) -> Result:
        f = self._child_fields(m, {"report_id", "body"}, {"report_id", "body"})
        report = self.visible_report(f["report_id"], "report_id")
        body = self._text("body", f["body"], required=True, limit="note")
        self.plan.notes.append(dict(id=m.entity_id, seq=self.next_seq(), origin=self.who.session,
                                    report_id=report["id"],
                                    at=self.now, author=self.who.username, body=body))
        self.child_ids["note"].add(m.entity_id)
        return Result(m.id, "applied", 201, f"note added to {report['ticket']}")

    def _dispatch(self, m: MutationIn) -> Result:
        f = self._child_fields(m, {"report_id", "agency_code", "note", "expected_at"},
                               {"report_id", "agency_code"})
        report = self.visible_report(f["report_id"], "report_id")
        agency = f["agency_code"]
        if not isinstance(agency, str) or not self.ref.has_agency(agency):
            raise Reject(422, f"unknown agency {_short(agency)}")
        note = self._text("note", f.get("note"))
        try:
            expected = parse_time(f.get("expected_at"), "expected_at")
        except ValueError as exc:
            raise Reject(422, str(exc)) from None
        self.plan.dispatches.append(dict(
            id=m.entity_id, seq=self.next_seq(), origin=self.who.session, report_id=report["id"],
            agency_code=agency,
            at=self.now, by=self.who.username, note=note, expected_at=expected))
        self.child_ids["dispatch"].add(m.entity_id)
        return Result(m.id, "applied", 201, f"{report['ticket']} dispatched to {agency}")

    def _attachment(self, m: MutationIn) -> Result:
        from server.schemas import AttachmentIn

        f = self._child_fields(m, {"report_id", "sha256", "filename", "mime", "size"},
                               {"report_id", "sha256", "filename", "mime", "size"})
        try:
            a = AttachmentIn.model_validate({**f, "id": m.entity_id})
        except ValidationError as exc:
            raise Reject(422, validation_message(list(exc.errors()))) from None
        report = self.visible_report(a.report_id, "report_id")
        if self.max_attachment and a.size > self.max_attachment:
            raise Reject(413, f"the attachment is {a.size} bytes; the limit is "
                              f"{self.max_attachment} bytes")
        if a.sha256 not in self.blobs:
            self.plan.blobs.append(dict(sha256=a.sha256, size=a.size, mime=a.mime,
                                        complete=False, has_thumbnail=False, created_at=self.now))
            self.blobs.add(a.sha256)
        self.plan.attachments.append(dict(
            id=a.id, seq=self.next_seq(), origin=self.who.session, report_id=report["id"],
            sha256=a.sha256,
            filename=a.filename.strip(), mime=a.mime, size=a.size, at=self.now,
            by=self.who.username, proven=a.sha256 in self.readable_blobs))
        self.child_ids["attachment"].add(a.id)
        return Result(m.id, "applied", 201, f"attachment registered on {report['ticket']}; "
                                            f"upload its bytes to /v1/attachments/{a.sha256}")

    # --- writing (push_write.py) ----------------------------------------------------------

    def _insert(self, table, rows: list[dict]) -> None:  # noqa: ANN001
        push_write.insert_rows(self.conn, table, rows)

    def flush(self) -> None:
        push_write.flush(self)


def push(db: Database, ref: Reference, who: Principal, items: list[Any], *, tz: str,
         enforce_bounds: bool, source: str = "console", max_attachment: int = 0) -> list[Result]:
    phases = Phases()
    parsed = parse_items(items)
    muts = [p for p in parsed if isinstance(p, MutationIn)]
    results: dict[int, Result] = {}
    kw = dict(tz=tz, enforce_bounds=enforce_bounds, source=source, max_attachment=max_attachment)
    phases.lap("parse")
    if muts:
        def make_batch(conn: Connection, seq0: int | None = None) -> Batch:
            return Batch(conn, ref, who, seq0=seq0, **kw)

        try:
            # Decided before the lock, numbered and written under it (push_prepare.py).
            prep = push_prepare.prepare(db, make_batch, muts) if PREPARE else None
            phases.lap("prepare")
            with db.write() as conn:
                phases.lap("wait")
                batch, results, phases.adopted = push_prepare.adopt(conn, make_batch, muts, prep)
                phases.lap("reload")
                batch.flush()
                phases.lap("flush")
            phases.lap("commit")
            phases.write()
        except DB_ERRORS as exc:
            if is_transient(exc):  # rolled back whole: the client sends the batch again
                raise Unavailable(db_reason(exc)) from exc
            log.warning("batch flush failed (%s); replaying one mutation per savepoint", exc)
            try:
                results = _one_by_one(db, ref, who, muts, kw)
            except DB_ERRORS as again:
                if is_transient(again):
                    raise Unavailable(db_reason(again)) from again
                raise
    return [results[id(p)] if isinstance(p, MutationIn) else p for p in parsed]


def _one_by_one(db: Database, ref: Reference, who: Principal, muts: list[MutationIn],
                kw: dict) -> dict[int, Result]:
    results: dict[int, Result] = {}
    with db.write() as conn:
        for m in muts:
            savepoint = conn.begin_nested()
            try:
                batch = Batch(conn, ref, who, **kw)
                batch.preload([m])
                result = batch.apply(m)
                batch.flush()
                savepoint.commit()
            except DB_ERRORS as exc:
                if is_transient(exc):
                    raise  # the whole transaction rolls back: a 503, never a refusal
                savepoint.rollback()
                reason = str(getattr(exc, "orig", exc)).splitlines()[0][:300]
                result = Result(m.id, "rejected", 422,
                                f"the database refused this change: {reason}")
            results[id(m)] = result
    return results
