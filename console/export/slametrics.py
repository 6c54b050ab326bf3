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
* **follow-up**: working days from verification (ordinary reports) or from the first
  dispatch (urgent ones), done when the report is resolved.

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
def _stage(category: CategoryDef, channel: str, status: str) -> sla.SlaStage | None:
    # A handful of (category, channel) pairs cover a whole month of reports.
    return sla.sla_stage(category, channel, status)


def is_urgent(category: CategoryDef, channel: str) -> bool:
    """True when the first stage is the dispatch target in minutes (112 or emergency)."""
    stage = _stage(category, channel, "new")
    return stage is not None and stage.stage is sla.Stage.DISPATCH


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
) -> list[StageResult]:
    """The SLA stages this report was (or is) subject to, with their outcome at ``now``."""
    out: list[StageResult] = []
    is_open = status in OPEN
    first = _stage(category, channel, "new")
    urgent = first is not None and first.stage is sla.Stage.DISPATCH
    if first is not None:
        if urgent:
            skip = triage in NO_DISPATCH_TRIAGE or (dispatched is None and not is_open)
            if not skip:
                due = sla.add_minutes(created, first.minutes or sla.DISPATCH_112_MINUTES)
                _add(out, _judge(sla.Stage.DISPATCH, due, dispatched, is_open, now))
        else:
            done = verified or (closed if status in SIDE else None) or (
                resolved if verified is None else None)
            due = working_due(created, first.working_days or 0, tz)
            _add(out, _judge(sla.Stage.VERIFY, due, done, status == "new", now))
    follow = _stage(category, channel, "dispatched")
    start = dispatched if urgent else verified
    if follow is not None and start is not None and not (status in SIDE and resolved is None):
        if triage not in NO_DISPATCH_TRIAGE:
            due = working_due(start, follow.working_days or 0, tz)
            _add(out, _judge(sla.Stage.FOLLOW_UP, due, resolved, is_open, now))
    return out


def _add(out: list[StageResult], result: StageResult | None) -> None:
    if result is not None:
        out.append(result)


def _judge(stage: sla.Stage, due: datetime, done: datetime | None, still_running: bool,
           now: datetime) -> StageResult | None:
    if done is not None:
        return StageResult(stage, Outcome.MET if done < due else Outcome.BREACHED, due, done)
    if still_running:
        return StageResult(stage, Outcome.BREACHED if now >= due else Outcome.RUNNING, due, None)
    return None  # left the workflow without this stage: not applicable


def stage_started(
    category: CategoryDef, channel: str, status: str, created: datetime,
    verified: datetime | None, dispatched: datetime | None, resolved: datetime | None,
) -> datetime:
    """When the SLA stage running in ``status`` started (see ``sla.sla_stage``).

    A reopened report restarted its clock at the reopen, which only the timeline knows;
    ``resolved_at`` (just before it) is used, which makes the stage look a little longer
    and so flags it at risk slightly early, never late."""
    urgent = is_urgent(category, channel)
    if status == "new" or (status == "verified" and urgent):
        return created
    if status == "verified":
        return verified or created
    start = (dispatched or verified or created) if urgent else (verified or created)
    if resolved is not None and resolved > start:
        start = resolved
    return start


def risk_state(due: datetime | None, started: datetime, now: datetime) -> sla.SlaState:
    if due is None:
        return sla.SlaState.NONE
    return sla.sla_state(due, now, max(due - started, timedelta(0)))


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
