"""The SLA clock: working days, 112 minutes, and which target applies when.

Conventions (shared by console and server, so both show the same deadline):

* Every datetime going in or out is timezone-aware and returned in UTC; naive
  datetimes are rejected because a silent local-vs-UTC mix-up moves a deadline
  by seven hours.
* Working-day arithmetic happens on the office's calendar (``tz``, default
  Asia/Jakarta; Makassar/Jayapura offices pass their own zone), because "Monday"
  is a local idea.
* A working day is Monday-Friday that is not an Indonesian public holiday or a
  cuti bersama day. The ``holidays`` package keeps cuti bersama in its
  ``government`` category (``Indonesia.special_government_holidays``, e.g.
  "Eid al-Fitr Joint Holiday" 2026-03-20/23/24), so both categories are loaded.
  Cuti bersama are decreed year by year (SKB 3 Menteri); years the installed
  package does not know yet only skip public holidays, so keep it up to date.

Deadline semantics for ``add_working_days(start, n)`` (how LAPOR! staff count
"n hari kerja sejak diterima"):

1. The receipt day is the local date of ``start``; if that is not a working day,
   the report counts as received on the next working day (00:00).
2. Counting starts the day after the receipt day; the deadline is the **end** of
   the n-th working day, returned as the exclusive instant 00:00 local of the
   following calendar day. ``now >= due`` means breached. Views that print a date
   should use :func:`due_day` (the last day the work may still be done).

So a report filed Friday 17:00 with 3 working days is due at the end of
Wednesday; one filed on Saturday counts from Monday and is due at the end of
Thursday.

One rule for "at risk" and "overdue", here and nowhere else: the operations store
the running stage's deadline in ``report.sla_due_at`` whenever a stage starts
(:func:`restarts_clock`, :func:`sla_due`); every view, filter and report judges that
stored deadline with :func:`is_overdue` and :func:`at_risk_from`, usually through
:func:`sla_clock` (SQL compares with it in ``console.store.slaclock``). Nobody
recomputes a deadline from ``created_at``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays

from .catalog import DISPATCH_112_MINUTES, CategoryDef, Channel
from .sla_targets import response_minutes
from .workflow import OPEN_STATUSES, Action, Status, next_status

__all__ = [
    "AT_RISK_FRACTION",
    "DEFAULT_TZ",
    "SlaClock",
    "SlaStage",
    "SlaState",
    "Stage",
    "add_minutes",
    "add_working_days",
    "at_risk_from",
    "due_day",
    "is_overdue",
    "is_working_day",
    "remaining",
    "restarts_clock",
    "sla_clock",
    "sla_due",
    "sla_stage",
    "sla_state",
    "working_days_between",
]

DEFAULT_TZ: Final = "Asia/Jakarta"
#: A stage is "at risk" once less than this share of its nominal length remains
#: (see :func:`at_risk_from`).
AT_RISK_FRACTION: Final = 0.25
_ONE_DAY = timedelta(days=1)


# --- calendar -----------------------------------------------------------------

@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> frozenset[date]:
    # Building a holidays object runs the whole Islamic/Chinese calendar logic;
    # cache per year so a 10,000-row export does not rebuild it per row.
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """True for Monday-Friday that is neither a public holiday nor cuti bersama."""
    return day.weekday() < 5 and day not in _holidays_for_year(day.year)


@lru_cache(maxsize=16)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware (UTC); got naive {value.isoformat()}"
        )
    return value


def _require_count(value: int, name: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")
    return value


def _receipt_day(start_utc: datetime, tz: str) -> date:
    day = start_utc.astimezone(_zone(tz)).date()
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def add_working_days(start_utc: datetime, days: int, tz: str = DEFAULT_TZ) -> datetime:
    """Deadline ``days`` working days after ``start_utc`` (see module doc), in UTC.

    ``days == 0`` means "by the end of the receipt day".
    """
    _require_aware(start_utc, "start_utc")
    _require_count(days, "days")
    day = _receipt_day(start_utc, tz)
    counted = 0
    while counted < days:
        day += _ONE_DAY
        if is_working_day(day):
            counted += 1
    end_local = datetime.combine(day + _ONE_DAY, time(0), tzinfo=_zone(tz))
    return end_local.astimezone(UTC)


def due_day(due_utc: datetime, tz: str = DEFAULT_TZ) -> date:
    """The local date a working-day deadline falls at the end of (for display)."""
    _require_aware(due_utc, "due_utc")
    # due is exclusive; the last instant still in time is one microsecond earlier.
    return (due_utc - timedelta(microseconds=1)).astimezone(_zone(tz)).date()


def add_minutes(start_utc: datetime, minutes: int) -> datetime:
    """Wall-clock deadline for 112 targets: emergencies do not stop at weekends."""
    _require_aware(start_utc, "start_utc")
    _require_count(minutes, "minutes")
    return (start_utc + timedelta(minutes=minutes)).astimezone(UTC)


def working_days_between(a_utc: datetime, b_utc: datetime, tz: str = DEFAULT_TZ) -> int:
    """Working days used between receipt at ``a_utc`` and ``b_utc``, on the SLA's scale.

    Counts working days after the receipt day (see module doc) up to and
    including b's local date, so a report handled within ``n`` working days of
    ``add_working_days(a, n)`` gives a value <= n. Handled on the receipt day
    (or over the weekend before it) is 0. If b is before a, e.g. clock skew
    between a console and the server, the answer is 0, not an error: a shift
    report should not die on one skewed row.
    """
    _require_aware(a_utc, "a_utc")
    _require_aware(b_utc, "b_utc")
    day = _receipt_day(a_utc, tz)
    end = b_utc.astimezone(_zone(tz)).date()
    count = 0
    while day < end:
        day += _ONE_DAY
        if is_working_day(day):
            count += 1
    return count


# --- which target applies -------------------------------------------------------

class Stage(StrEnum):
    VERIFY = "verify"        # LAPOR!: verify within N working days
    DISPATCH = "dispatch"    # 112: from the call to the first dispatch, in minutes
    RESPOND = "respond"      # emergencies: from the first dispatch until on scene, minutes
    FOLLOW_UP = "follow_up"  # LAPOR!: the agency acts within N working days


@dataclass(frozen=True, slots=True)
class SlaStage:
    """The target running for a report in its current status.

    Exactly one of ``working_days`` / ``minutes`` is set. The clock starts at the
    transition that entered the stage (see :func:`restarts_clock`).
    """

    stage: Stage
    working_days: int | None
    minutes: int | None

    def due(self, started_utc: datetime, tz: str = DEFAULT_TZ) -> datetime:
        if self.minutes is not None:
            return add_minutes(started_utc, self.minutes)
        assert self.working_days is not None
        return add_working_days(started_utc, self.working_days, tz)


def _minutes_target(
    category: CategoryDef, channel: Channel | str, priority: int | None = None
) -> int | None:
    """The wall-clock target, if this report is urgent enough to have one.

    Emergencies get it whatever the channel (a fire reported on WhatsApp must not
    wait 3 working days). Anything taken on the 112 line gets the 112 target even
    when the category has none: the caller is on the line now. So does any priority-1
    report (life or safety at risk now, priority.py), e.g. a flood an operator triaged
    as an emergency because people are trapped.
    """
    if Channel(channel) is Channel.PHONE_112 or priority == 1:
        return category.sla_dispatch_minutes or DISPATCH_112_MINUTES
    if category.emergency:
        return category.sla_dispatch_minutes
    return None


def sla_stage(
    category: CategoryDef, channel: Channel | str, status: Status | str,
    priority: int | None = None,
) -> SlaStage | None:
    """The SLA stage for ``status``, or None once the report is resolved or finished.

    ===========  ===================================  ============================
    status       urgent (emergency, 112 or P1)        everything else
    ===========  ===================================  ============================
    new          dispatch (minutes, from call)        verify (working days)
    verified     dispatch (minutes, from call)        follow-up (from verification)
    dispatched   respond (minutes, from first         follow-up (from verification)
                 dispatch) for emergency categories;
                 else follow-up (from dispatch)
    in_progress  follow-up (working days, from the    follow-up (from verification)
                 start of work on scene)
    ===========  ===================================  ============================

    The 112 clock runs from the call, so verifying does not reset it. Once an emergency
    is dispatched the agency must be on scene within its response target
    (``sla_targets.response_minutes``); a dispatched fire with people trapped runs on
    minutes, never on the five working days. When the agency starts work (on scene),
    what remains is its written follow-up, administrative, in working days. For ordinary
    reports one follow-up clock runs from verification, so a slow internal hand-off eats
    into the citizen's 5 days rather than extending them.
    """
    status = Status(status)
    minutes = _minutes_target(category, channel, priority)
    if status is Status.NEW:
        if minutes is not None:
            return SlaStage(Stage.DISPATCH, None, minutes)
        return SlaStage(Stage.VERIFY, category.sla_verify_days, None)
    if status is Status.VERIFIED:
        if minutes is not None:
            return SlaStage(Stage.DISPATCH, None, minutes)
        return SlaStage(Stage.FOLLOW_UP, category.sla_followup_days, None)
    if status is Status.DISPATCHED and minutes is not None:
        respond = response_minutes(category, priority)
        if respond is not None:
            return SlaStage(Stage.RESPOND, None, respond)
    if status in (Status.DISPATCHED, Status.IN_PROGRESS):
        return SlaStage(Stage.FOLLOW_UP, category.sla_followup_days, None)
    return None


def sla_due(
    category: CategoryDef,
    channel: Channel | str,
    status: Status | str,
    stage_started_utc: datetime,
    tz: str = DEFAULT_TZ,
    priority: int | None = None,
) -> datetime | None:
    """Deadline of the stage running in ``status``, or None when no clock runs."""
    _require_aware(stage_started_utc, "stage_started_utc")
    stage = sla_stage(category, channel, status, priority)
    return None if stage is None else stage.due(stage_started_utc, tz)


def restarts_clock(
    category: CategoryDef, channel: Channel | str, current: Status | str, action: Action | str,
    priority: int | None = None, new_priority: int | None = None,
) -> bool:
    """Whether this transition starts a new SLA stage.

    If True the operation sets ``sla_due_at = sla_due(..., new_status, now)``
    (None when no stage follows); if False it keeps the stored due time, e.g.
    dispatching a second agency, or starting work on an ordinary report, does not
    buy more time. An emergency's start of work (on scene) ends its response clock
    and starts the follow-up. A reopen always restarts: the citizen's dispute is a
    new follow-up obligation. ``new_priority`` is the priority the same operation
    sets (triage as an emergency makes a report P1): a report that becomes urgent
    starts its minute clock then.
    Raises IllegalTransition for an illegal move.
    """
    target = next_status(current, action)
    if Action(action) is Action.REOPEN:
        return True
    before = sla_stage(category, channel, current, priority)
    after = sla_stage(category, channel, target,
                      priority if new_priority is None else new_priority)
    return before != after


# --- state for the queue colours -------------------------------------------------

class SlaState(StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    NONE = "none"  # no clock runs (resolved, closed, side exits)


def remaining(due_utc: datetime, now_utc: datetime) -> timedelta:
    """Time left until ``due_utc``; negative once overdue."""
    _require_aware(due_utc, "due_utc")
    _require_aware(now_utc, "now_utc")
    return due_utc - now_utc


def is_overdue(due_utc: datetime | None, now_utc: datetime) -> bool:
    """THE overdue rule: a deadline is breached once ``now >= due`` (due is exclusive).

    Stores filter with the same comparison on the stored ``sla_due_at``
    (``sla_due_at <= :now``, among open reports); see ``console.store.slaclock``.
    """
    _require_aware(now_utc, "now_utc")
    return due_utc is not None and _breached(due_utc, now_utc)


def _breached(due_utc: datetime, now_utc: datetime) -> bool:
    # The comparison itself, unchecked: SlaClock.state runs per queue cell on every paint.
    # (A naive datetime still fails here: Python refuses to compare it with an aware one.)
    return now_utc >= due_utc


def at_risk_from(stage: SlaStage | None, due_utc: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """When a deadline turns "at risk": the last :data:`AT_RISK_FRACTION` of the stage.

    It depends on the stage's *nominal* length and the due time only, never on when the
    stage started, so every view (queue, detail, alerts, handover pack, shift report)
    derives the same instant from the stored ``sla_due_at``:

    * minutes: the last quarter of the target (75 s of the 5-minute 112 dispatch,
      3 min 45 s of a 15-minute fire response);
    * working days: the last ``ceil(n / 4)`` working days, at least one, from 00:00
      local (a 3-day verification is at risk on its last day, a 5-day follow-up on its
      last two), so weekends and holidays never eat into the warning.

    With no stage known (a category this console does not have) it is ``due``: such a
    report is shown breached when late, never at risk.
    """
    _require_aware(due_utc, "due_utc")
    if stage is None:
        return due_utc.astimezone(UTC)
    if stage.minutes is not None:
        return due_utc.astimezone(UTC) - timedelta(minutes=stage.minutes * AT_RISK_FRACTION)
    assert stage.working_days is not None
    left = max(1, math.ceil(stage.working_days * AT_RISK_FRACTION))
    day = due_day(due_utc, tz)
    while True:
        if is_working_day(day):
            left -= 1
            if left == 0:
                break
        day -= _ONE_DAY
    return datetime.combine(day, time(0), tzinfo=_zone(tz)).astimezone(UTC)


def sla_state(
    due_utc: datetime | None, now_utc: datetime, stage: SlaStage | None, tz: str = DEFAULT_TZ
) -> SlaState:
    """Colour of the SLA badge: breached (:func:`is_overdue`), at risk from
    :func:`at_risk_from`, else ok; NONE when no deadline runs."""
    _require_aware(now_utc, "now_utc")
    if due_utc is None:
        return SlaState.NONE
    if is_overdue(due_utc, now_utc):
        return SlaState.BREACHED
    if now_utc >= at_risk_from(stage, due_utc, tz):
        return SlaState.AT_RISK
    return SlaState.OK


@dataclass(frozen=True, slots=True)
class SlaClock:
    """The deadline running for one open report, as every view shows it.

    ``due`` is the stored ``sla_due_at`` (set by the operations when a stage starts, see
    :func:`restarts_clock`); ``stage`` is the stage of the report's current status
    (None for a category this console does not know).
    """

    stage: SlaStage | None
    due: datetime
    at_risk: datetime

    @property
    def in_minutes(self) -> bool:
        """A wall-clock emergency target (show minutes), not working days."""
        return self.stage is not None and self.stage.minutes is not None

    def remaining(self, now_utc: datetime) -> timedelta:
        return remaining(self.due, now_utc)

    def state(self, now_utc: datetime) -> SlaState:
        if _breached(self.due, now_utc):
            return SlaState.BREACHED
        return SlaState.AT_RISK if now_utc >= self.at_risk else SlaState.OK


def sla_clock(
    category: CategoryDef | None,
    channel: Channel | str,
    status: Status | str,
    due_utc: datetime | None,
    tz: str = DEFAULT_TZ,
    priority: int | None = None,
) -> SlaClock | None:
    """The clock of a report in ``status`` with stored deadline ``due_utc``, or None when
    no clock runs (no deadline, or the report is no longer open)."""
    if due_utc is None or Status(status) not in OPEN_STATUSES:
        return None
    _require_aware(due_utc, "due_utc")
    stage = None if category is None else sla_stage(category, channel, status, priority)
    return SlaClock(stage, due_utc.astimezone(UTC), at_risk_from(stage, due_utc, tz))
