"""SLA outcomes and handling-time statistics for shift reports and handover packs.

Pure Python on top of ``console.domain.sla`` (no Qt, no SQL), so the shift report, the
handover pack and later the server compute the same numbers.

A report created in the window is judged on up to two stages, each from the report's
own timestamps (a resolved report no longer carries ``sla_due_at``, so the stored due time
cannot be used after the fact):

* first response: the 112 / emergency **dispatch** target in minutes from the call, or
  the LAPOR! **verify** target in working days from receipt. A verify stage is done by
  verification or by any decision that ends the report early (rejected, duplicate, not
  our authority, information answered). A dispatch stage does not apply to 112 calls
  triaged prank / ghost / information or to reports that left the workflow undispatched.
* **respond** (emergency categories): minutes from the first dispatch until the agency
  starts work on scene (``sla_targets``), done at the first start of work.
* **follow-up**: working days from verification (ordinary reports), from the start of
  work on scene (emergencies) or from the first dispatch (other 112 calls), done when
  the report is resolved.

The stage a report is in *now* is judged against its stored ``sla_due_at``, the same
deadline and rule (``sla.is_overdue``) as the queue's "Lewat SLA" and the handover pack.

Each stage is *met* (done before due; due is exclusive as in ``sla.py``), *breached*
(done late, or still open at or after due), *running* (open, not yet due) or not
applicable. Compliance is met / (met + breached).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from console.domain import sla
from console.domain.catalog import CategoryDef
from console.domain.workflow import OPEN_STATUSES, SIDE_EXITS

OPEN = frozenset(str(s) for s in OPEN_STATUSES)
SIDE = frozenset(str(s) for s in SIDE_EXITS)
NO_DISPATCH_TRIAGE = frozenset({"prank", "ghost", "information"})


class Outcome(StrEnum):
    MET = "met"
    BREACHED = "breached"
    RUNNING = "running"


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: sla.Stage
    outcome: Outcome
    due: datetime
    done: datetime | None

    def late_by_at(self, now: datetime) -> timedelta:
        return (self.done or now) - self.due


@lru_cache(maxsize=8192)
def _working_due(day: date, days: int, tz: str) -> datetime:
    # add_working_days depends only on the local receipt day, so cache per day: a
    # 100,000-row report then computes a few hundred deadlines, not 100,000.
    return sla.add_working_days(datetime.combine(day, time(12), tzinfo=ZoneInfo(tz)), days, tz)


def working_due(start: datetime, days: int, tz: str = sla.DEFAULT_TZ) -> datetime:
    return _working_due(start.astimezone(ZoneInfo(tz)).date(), days, tz)


@lru_cache(maxsize=1024)
def _stage(category: CategoryDef, channel: str, status: str,
           p1: bool = False) -> sla.SlaStage | None:
    # A handful of (category, channel) pairs cover a whole month of reports.
    return sla.sla_stage(category, channel, status, 1 if p1 else None)


def evaluate(
    category: CategoryDef,
    channel: str,
    status: str,
    triage: str | None,
    created: datetime,
    verified: datetime | None,
    dispatched: datetime | None,
    resolved: datetime | None,
    closed: datetime | None,
    now: datetime,
    tz: str = sla.DEFAULT_TZ,
    *,
    started: datetime | None = None,
    due_now: datetime | None = None,
    priority: int | None = None,
) -> list[StageResult]:
    """The SLA stages this report was (or is) subject to, with their outcome at ``now``.

    ``started`` is when work first started (the first entry into in progress, from the
    timeline): it ends an emergency's response stage and starts its follow-up.
    ``due_now`` is the stored ``sla_due_at``: the stage running now (``sla.sla_stage`` of
    the current status) is judged against it with ``sla.is_overdue``, exactly as the
    queue, the alerts and the handover pack judge it, so all of them agree about an open
    report. Finished stages are judged from the report's timestamps. A priority-1 report
    runs the urgent stages (``sla.sla_stage``); one that became P1 at its triage as an
    emergency was ordinary until then: verified by that triage, dispatch clock from it.
    """
    out: list[StageResult] = []
    is_open = status in OPEN
    p1 = priority == 1
    running = (_stage(category, channel, status, p1) if is_open and due_now is not None
               else None)

    def judge(stage: sla.Stage, due: datetime, done: datetime | None,
              still_running: bool) -> None:
        if running is not None and running.stage is stage:
            assert due_now is not None
            late = sla.is_overdue(due_now, now)
            _add(out, StageResult(stage, Outcome.BREACHED if late else Outcome.RUNNING,
                                  due_now, None))
        else:
            _add(out, _judge(stage, due, done, still_running, now))

    ordinary = _stage(category, channel, "new")
    first = _stage(category, channel, "new", p1)
    urgent = first is not None and first.stage is sla.Stage.DISPATCH
    escalated = (urgent and ordinary is not None and ordinary.stage is sla.Stage.VERIFY
                 and triage == "emergency" and verified is not None)
    dispatchable = triage not in NO_DISPATCH_TRIAGE
    if first is not None:
        minutes = first.minutes or sla.DISPATCH_112_MINUTES
        if urgent and not escalated:
            if dispatchable and (dispatched is not None or is_open):
                judge(sla.Stage.DISPATCH, sla.add_minutes(created, minutes), dispatched,
                      is_open)
        else:
            assert ordinary is not None
            done = verified or (closed if status in SIDE else None) or (
                resolved if verified is None else None)
            due = working_due(created, ordinary.working_days or 0, tz)
            judge(sla.Stage.VERIFY, due, done, status == "new")
            if escalated:
                assert verified is not None
                judge(sla.Stage.DISPATCH, sla.add_minutes(verified, minutes), dispatched,
                      is_open)
    respond = _stage(category, channel, "dispatched", p1)
    responds = urgent and respond is not None and respond.stage is sla.Stage.RESPOND
    if responds and dispatchable and dispatched is not None:
        assert respond is not None and respond.minutes is not None
        # Judged only on evidence: the start of work, or still waiting for it. A report
        # resolved straight from dispatched, or one whose timeline this console lacks,
        # has no arrival time and is not counted either way.
        judge(sla.Stage.RESPOND, sla.add_minutes(dispatched, respond.minutes), started,
              status == "dispatched")
    follow = _stage(category, channel, "in_progress", p1)
    if not urgent:
        start = verified
    elif not responds:
        start = dispatched
    elif status == "dispatched":
        start = None  # still waiting for the agency on scene: no follow-up yet
    else:
        # Without the start time (a timeline this console lacks) the follow-up counts
        # from the dispatch: an earlier start, so a breach is never missed.
        start = started or dispatched
    if follow is not None and start is not None and not (status in SIDE and resolved is None):
        if dispatchable:
            due = working_due(start, follow.working_days or 0, tz)
            judge(sla.Stage.FOLLOW_UP, due, resolved, is_open)
    return out


def _add(out: list[StageResult], result: StageResult | None) -> None:
    if result is not None:
        out.append(result)


def _judge(stage: sla.Stage, due: datetime, done: datetime | None, still_running: bool,
           now: datetime) -> StageResult | None:
    if done is not None:
        return StageResult(stage, Outcome.MET if done < due else Outcome.BREACHED, due, done)
    if still_running:
        late = sla.is_overdue(due, now)
        return StageResult(stage, Outcome.BREACHED if late else Outcome.RUNNING, due, None)
    return None  # left the workflow without this stage: not applicable


# --- statistics -------------------------------------------------------------------------

def quantile(sorted_values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default, statistics'
    ``method='inclusive'``); None for no values."""
    n = len(sorted_values)
    if n == 0:
        return None
    if n == 1:
        return sorted_values[0]
    pos = (n - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)
