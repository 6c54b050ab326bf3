"""The report status workflow: one explicit transition table and helpers around it.

The workflow follows SP4N-LAPOR! and Jakarta's CRM::

    new -> verified -> dispatched -> in_progress -> resolved -> closed
                                                      |
                                                      +-- reopen --> in_progress

with side exits out of the early stages: rejected, not_authority (bukan
kewenangan), duplicate (merged into another report), and prank / ghost for 112
calls. Everything the console and the server may do to a report's status is a
row in :data:`TRANSITIONS`; there is deliberately no other place that decides
whether a move is legal, so the two sides can never disagree.

Status and Action values are the lowercase strings stored in SQLite and sent on
the wire. Renaming a value is a data migration, not a refactor.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar

from console.domain.errors import CodedError

__all__ = [
    "Action",
    "IllegalTransition",
    "OPEN_STATUSES",
    "SIDE_EXITS",
    "STAMP_FIELD",
    "Status",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Triage",
    "allowed_actions",
    "can",
    "next_status",
    "stamp_field",
    "triage_action",
]


class Status(StrEnum):
    """Where a report is in its life. Indonesian labels are the LAPOR! terms."""

    NEW = "new"                      # belum terverifikasi
    VERIFIED = "verified"            # terverifikasi
    DISPATCHED = "dispatched"        # didisposisikan
    IN_PROGRESS = "in_progress"      # ditindaklanjuti
    RESOLVED = "resolved"            # selesai (citizen may still dispute)
    CLOSED = "closed"                # ditutup
    REJECTED = "rejected"            # ditolak (not a valid report)
    NOT_AUTHORITY = "not_authority"  # bukan kewenangan (not the city's business)
    DUPLICATE = "duplicate"          # merged into another report
    PRANK = "prank"                  # 112 prank call (panggilan iseng)
    GHOST = "ghost"                  # 112 silent / dropped call


class Action(StrEnum):
    """What an operator (or an agency) does to a report."""

    VERIFY = "verify"
    REJECT = "reject"
    NOT_AUTHORITY = "not_authority"
    MARK_DUPLICATE = "mark_duplicate"
    MARK_PRANK = "mark_prank"
    MARK_GHOST = "mark_ghost"
    ANSWER_INFO = "answer_info"  # 112 information call answered on the phone
    DISPATCH = "dispatch"
    START = "start"              # the agency (or the kelurahan itself) begins work
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"            # the citizen disputes the resolution


S, A = Status, Action

# The single source of truth. Reading guide for the less obvious rows:
# - dispatch from dispatched/in_progress keeps the status: it adds another agency
#   (a road repair that needs PLN to move a pole). Work already under way must
#   not look "un-started" just because help was called in.
# - start from verified: a kelurahan office often fixes small things itself,
#   without dispatching anyone.
# - mark_duplicate is allowed up to dispatched, because duplicates are often only
#   noticed when the second agency arrives; once work is in progress the
#   report has its own history and should be resolved, not merged.
# - prank/ghost/answer_info only from new: they are 112 triage outcomes, decided
#   while the caller is (or is not) on the line.
# - reopen lands in in_progress, not dispatched: the agency that resolved it
#   is already assigned and is expected to look again.
_TABLE: dict[tuple[Status, Action], Status] = {
    (S.NEW, A.VERIFY): S.VERIFIED,
    (S.NEW, A.REJECT): S.REJECTED,
    (S.NEW, A.NOT_AUTHORITY): S.NOT_AUTHORITY,
    (S.NEW, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.NEW, A.MARK_PRANK): S.PRANK,
    (S.NEW, A.MARK_GHOST): S.GHOST,
    (S.NEW, A.ANSWER_INFO): S.RESOLVED,
    (S.VERIFIED, A.REJECT): S.REJECTED,
    (S.VERIFIED, A.NOT_AUTHORITY): S.NOT_AUTHORITY,
    (S.VERIFIED, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.VERIFIED, A.DISPATCH): S.DISPATCHED,
    (S.VERIFIED, A.START): S.IN_PROGRESS,
    (S.DISPATCHED, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.DISPATCHED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.START): S.IN_PROGRESS,
    (S.DISPATCHED, A.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, A.DISPATCH): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,
}
del S, A

#: (current status, action) -> next status. Read-only so nobody patches it at runtime.
TRANSITIONS: Final[Mapping[tuple[Status, Action], Status]] = MappingProxyType(_TABLE)

OPEN_STATUSES: Final = frozenset(
    {Status.NEW, Status.VERIFIED, Status.DISPATCHED, Status.IN_PROGRESS}
)
SIDE_EXITS: Final = frozenset(
    {Status.REJECTED, Status.NOT_AUTHORITY, Status.DUPLICATE, Status.PRANK, Status.GHOST}
)
#: No action leads out of these. RESOLVED is neither open nor terminal: it waits
#: for close or reopen.
TERMINAL_STATUSES: Final = frozenset({Status.CLOSED}) | SIDE_EXITS

#: The report timestamp a status stamps when first entered (the columns of the
#: store's report table). Side exits stamp closed_at so every finished report has
#: one "finished at" field for shift reports and Ombudsman exports, whatever the
#: way out was. in_progress and reopen stamp nothing; the timeline event has them.
STAMP_FIELD: Final[Mapping[Status, str]] = MappingProxyType(
    {
        Status.VERIFIED: "verified_at",
        Status.DISPATCHED: "dispatched_at",
        Status.RESOLVED: "resolved_at",
        Status.CLOSED: "closed_at",
        **{s: "closed_at" for s in SIDE_EXITS},
    }
)


class IllegalTransition(CodedError, ValueError):
    """An action that the workflow does not allow from the report's current status."""

    error_code = "illegal_transition"

    def __init__(self, status: Status, action: Action) -> None:
        self.status = status
        self.action = action
        allowed = allowed_actions(status)
        if allowed:
            hint = f"allowed from '{status}': {', '.join(allowed)}"
        else:
            hint = f"'{status}' is final; no action is allowed"
        super().__init__(f"cannot '{action}' a report that is '{status}'; {hint}",
                         status=str(status), action=str(action))


_E = TypeVar("_E", Status, Action)


def _parse(kind: type[_E], value: _E | str) -> _E:
    """``kind(value)``, or a ValueError that lists the known values."""
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(kind)
        name = kind.__name__.lower()
        raise ValueError(f"unknown {name} {value!r}; expected one of: {known}") from None


def next_status(current: Status | str, action: Action | str) -> Status:
    """Return the status after ``action``; raise :class:`IllegalTransition` if not allowed.

    Plain strings (from SQLite or the wire) are accepted; unknown values raise
    ValueError naming the valid ones.
    """
    status, act = _parse(Status, current), _parse(Action, action)
    try:
        return TRANSITIONS[(status, act)]
    except KeyError:
        raise IllegalTransition(status, act) from None


def allowed_actions(status: Status | str) -> list[Action]:
    """Actions allowed from ``status``, in :class:`Action` declaration order.

    The order is stable so menus and shortcut hints do not shuffle between reports.
    """
    status = _parse(Status, status)
    return [a for a in Action if (status, a) in TRANSITIONS]


def can(status: Status | str, action: Action | str) -> bool:
    """True if ``action`` is allowed from ``status`` (unknown strings are simply not allowed)."""
    try:
        return (_parse(Status, status), _parse(Action, action)) in TRANSITIONS
    except ValueError:
        return False


def stamp_field(current: Status | str, action: Action | str) -> str | None:
    """The timestamp field this transition should set, or None.

    Only the *first* entry into a status stamps: dispatching to a second agency
    keeps the original dispatched_at, because "time to first dispatch" is the 112
    figure supervisors are measured on. Raises IllegalTransition like next_status.
    """
    status = _parse(Status, current)
    target = next_status(status, action)
    if target is status:
        return None
    return STAMP_FIELD.get(target)


class Triage(StrEnum):
    """The one-key classification a 112 operator makes while answering a call."""

    EMERGENCY = "emergency"
    INFORMATION = "information"
    PRANK = "prank"
    GHOST = "ghost"


_TRIAGE_ACTION: Final[Mapping[Triage, Action]] = MappingProxyType(
    {
        Triage.EMERGENCY: Action.VERIFY,
        Triage.INFORMATION: Action.ANSWER_INFO,
        Triage.PRANK: Action.MARK_PRANK,
        Triage.GHOST: Action.MARK_GHOST,
    }
)


def triage_action(triage: Triage | str) -> Action:
    """The workflow action a 112 triage key performs on a new report.

    Emergency triage also raises the report to priority 1; that rule lives in
    :func:`console.domain.priority.default_priority` so all priority rules stay in
    one file.
    """
    try:
        return _TRIAGE_ACTION[Triage(triage)]
    except ValueError:
        known = ", ".join(Triage)
        raise ValueError(f"unknown triage {triage!r}; expected one of: {known}") from None
