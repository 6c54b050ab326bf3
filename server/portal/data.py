"""What the public page shows: which reports are public, the aggregates, one ticket's story.

Plain reads, no HTTP and no HTML here (routes.py caches and renders). The numbers use
the console's own rules so the page never disagrees with a supervisor's shift report:
SLA outcomes come from ``console.domain.sla_metrics.evaluate`` (compliance = met / (met +
breached), stages still running are not counted), the median from its ``quantile``.

Public means (:func:`public_conditions`, also what Open311's anonymous reads use): not a
112 call (channel ``phone_112``), not triaged or closed as a prank or ghost call, and not
of an emergency category (a fire, a crime, a medical emergency tell too much about the
people involved). Such reports are neither counted nor found by a ticket lookup.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.sql import ColumnElement

from console.domain import sla_metrics
from console.domain.catalog import Channel
from console.domain.workflow import OPEN_STATUSES, SIDE_EXITS, STAMP_FIELD, Status, Triage
from server.db import Database
from server.models import History, Report, utcnow
from server.reference import Reference

#: Aggregates cover the reports received in this window (resolution times: resolved in it).
WINDOW = timedelta(days=30)
HIDDEN_STATUSES = (Status.PRANK.value, Status.GHOST.value)
HIDDEN_TRIAGE = (Triage.PRANK.value, Triage.GHOST.value)
OPEN = tuple(s.value for s in OPEN_STATUSES)
DONE = (Status.RESOLVED.value, Status.CLOSED.value)
#: Status groups of the kecamatan table (a phone has no room for nine columns).
GROUPS = ("open", "done", "other")
#: Statuses in the order the city table lists them (workflow order, side exits last).
STATUS_ORDER = tuple(s.value for s in Status if s.value not in HIDDEN_STATUSES)


def public_conditions(ref: Reference) -> list[ColumnElement]:
    """SQL conditions on ``report`` that keep only what anyone may see (module doc)."""
    r = Report.__table__
    cond = [r.c.channel != Channel.PHONE_112.value, r.c.status.not_in(HIDDEN_STATUSES),
            # NOT IN is unknown for NULL: an untriaged report must stay public.
            or_(r.c.triage.is_(None), r.c.triage.not_in(HIDDEN_TRIAGE))]
    emergency = sorted(c for c, d in ref.categories.items() if d.emergency)
    if emergency:
        cond.append(r.c.category_code.not_in(emergency))
    return cond


def group_of(status: str) -> str:
    if status in OPEN:
        return "open"
    return "done" if status in DONE else "other"


def kecamatan_of(region_code: str | None) -> str | None:
    """``3273-2483-30959`` and ``3273-2483`` -> ``3273-2483``; a city code or None -> None
    (console/store/regions.py: every report of a kecamatan shares its code as prefix)."""
    if not region_code:
        return None
    parts = region_code.split("-")
    return "-".join(parts[:2]) if len(parts) >= 2 else None


@dataclass
class Area:
    code: str | None  # None: reports without a kecamatan (filed for the city as a whole)
    name: str
    groups: Counter = field(default_factory=Counter)
    met: int = 0
    breached: int = 0

    @property
    def total(self) -> int:
        return sum(self.groups.values())

    @property
    def compliance(self) -> float | None:
        n = self.met + self.breached
        return self.met / n if n else None


@dataclass
class CategoryTime:
    code: str
    name_id: str
    name_en: str
    resolved: int
    median_minutes: float | None


@dataclass
class Snapshot:
    computed_at: datetime
    window_start: datetime
    #: The latest change to any public report (None: none yet).
    last_change: datetime | None
    statuses: Counter
    city: Area
    areas: list[Area]
    categories: list[CategoryTime]


def compute(db: Database, ref: Reference, tz: str, now: datetime | None = None) -> Snapshot:
    """Every figure of the page, from one read of the window's public reports."""
    now = now or utcnow()
    start = now - WINDOW
    r = Report.__table__
    cols = (r.c.category_code, r.c.channel, r.c.status, r.c.triage, r.c.priority,
            r.c.region_code, r.c.created_at, r.c.verified_at, r.c.dispatched_at,
            r.c.resolved_at, r.c.closed_at, r.c.sla_due_at)
    public = public_conditions(ref)
    with db.read() as conn:
        rows = conn.execute(select(*cols).where(
            *public, or_(r.c.created_at >= start, r.c.resolved_at >= start))).all()
        last = conn.execute(select(r.c.updated_at).where(*public)
                            .order_by(r.c.updated_at.desc()).limit(1)).scalar()
    kecamatan = sorted((c for c, x in ref.regions.items() if x["level"] == "kecamatan"),
                       key=lambda c: ref.regions[c]["name"])
    areas = {c: Area(c, ref.regions[c]["name"]) for c in kecamatan}
    city = Area(ref.city.kemendagri, ref.city.name)
    loose = Area(None, "")
    statuses: Counter = Counter()
    resolve_minutes: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.resolved_at is not None and row.resolved_at >= start:
            minutes = (row.resolved_at - row.created_at).total_seconds() / 60
            resolve_minutes[row.category_code].append(max(0.0, minutes))
        if row.created_at < start:
            continue  # only its resolution time falls in the window
        area = areas.get(kecamatan_of(row.region_code) or "", loose)
        group = group_of(row.status)
        statuses[row.status] += 1
        city.groups[group] += 1
        area.groups[group] += 1
        category = ref.categories.get(row.category_code)
        if category is None:  # a category the catalogue's rules refuse: no SLA to judge
            continue
        try:
            results = sla_metrics.evaluate(
                category, row.channel, row.status, row.triage, row.created_at,
                row.verified_at, row.dispatched_at, row.resolved_at, row.closed_at, now, tz,
                due_now=row.sla_due_at, priority=row.priority)
        except ValueError:  # a value the rules do not know (a channel added later): no SLA
            continue
        for result in results:
            if result.outcome is sla_metrics.Outcome.RUNNING:
                continue
            met = result.outcome is sla_metrics.Outcome.MET
            for a in (city, area):
                if met:
                    a.met += 1
                else:
                    a.breached += 1
    ranked = sorted(areas.values(), key=lambda a: (-a.total, a.name))
    if loose.total:
        ranked.append(loose)
    times = []
    for code, (name_id, name_en) in sorted(ref.category_names.items(), key=lambda x: x[1][0]):
        values = sorted(resolve_minutes.get(code, []))
        if values or (code in ref.active_categories and code in ref.categories
                      and not ref.categories[code].emergency):
            times.append(CategoryTime(code, name_id, name_en, len(values),
                                      sla_metrics.quantile(values, 0.5)))
    return Snapshot(now, start, last, statuses, city, ranked, times)


# --- one ticket ----------------------------------------------------------------------------

@dataclass
class Step:
    at: datetime
    status: str


@dataclass
class Found:
    ticket: str
    status: str
    category_id: str
    category_en: str
    kecamatan: str | None
    kelurahan: str | None
    agency: str | None
    received: datetime
    updated: datetime
    due: datetime | None
    steps: list[Step]


def ticket_variants(text: str) -> list[str]:
    """The spellings a case-insensitive lookup tries. Tickets are made upper case
    (console/domain/tickets.py); trying a few spellings keeps the lookup on the unique
    index, where ``upper(ticket) = ?`` would read the whole table per anonymous request."""
    return sorted({text, text.upper(), text.lower()})


def lookup(db: Database, ref: Reference, ticket: str) -> Found | None:
    """The public story of ``ticket``; None when there is none or it is not public. Both
    cases run the same single query, so they cannot be told apart."""
    r, h = Report.__table__, History.__table__
    with db.read() as conn:
        row = conn.execute(select(
            r.c.id, r.c.ticket, r.c.status, r.c.category_code, r.c.region_code,
            r.c.assigned_agency, r.c.created_at, r.c.updated_at, r.c.sla_due_at,
            *(r.c[f] for f in sorted(set(STAMP_FIELD.values())))).where(
            r.c.ticket.in_(ticket_variants(ticket)), *public_conditions(ref))).first()
        if row is None:
            return None
        changes = conn.execute(select(h.c.at, h.c.new_value).where(
            h.c.report_id == row.id, h.c.field == "status").order_by(h.c.revision, h.c.id)).all()
    steps = [Step(row.created_at, Status.NEW.value)]
    seen = {Status.NEW.value}
    for at, value in changes:
        try:
            status = json.loads(value) if value else None
        except ValueError:
            continue
        if isinstance(status, str) and status in STATUS_ORDER and status != steps[-1].status:
            # History has when the server learned of a step (a console may push hours
            # later, after a link drop); the report's stamp has when the officer acted,
            # for the first entry into a status (workflow.STAMP_FIELD).
            stamp = STAMP_FIELD.get(Status(status))
            if status not in seen and stamp and row._mapping[stamp] is not None:
                at = row._mapping[stamp]
            seen.add(status)
            steps.append(Step(at, status))
    if len(steps) == 1 and row.status != Status.NEW.value:
        # No status history (a report created already past "new"): the stamps tell when.
        # Every side exit stamps closed_at: only the one the report took is a step.
        stamps = [(row._mapping[f], s.value) for s, f in STAMP_FIELD.items()
                  if row._mapping[f] is not None
                  and (s not in SIDE_EXITS or s.value == row.status)]
        steps += [Step(at, s) for at, s in sorted(stamps) if s != Status.NEW.value]
        if steps[-1].status != row.status:
            steps.append(Step(row.updated_at, row.status))
    names = ref.category_names.get(row.category_code, (row.category_code,) * 2)
    kec = kecamatan_of(row.region_code)
    kel = row.region_code if row.region_code and row.region_code.count("-") >= 2 else None
    return Found(
        ticket=row.ticket, status=row.status, category_id=names[0], category_en=names[1],
        kecamatan=ref.regions.get(kec, {}).get("name") if kec else None,
        kelurahan=ref.regions.get(kel, {}).get("name") if kel else None,
        agency=ref.agencies.get(row.assigned_agency) if row.assigned_agency else None,
        received=row.created_at, updated=row.updated_at,
        due=row.sla_due_at if row.status in OPEN else None, steps=steps)
