"""The soft claim: which desk is handling a report, shared by console and server (no Qt,
no SQL).

A claim is (report, holder account, since, expires_at). It only *warns*: no action is
ever refused because another desk holds the report (issue 13). It is taken or renewed by
an operator's workflow action on the report (and by the explicit take-over key), and
released when the action ends the report's handling (a terminal status). A console that
disappears renews nothing, so its claim runs out after ``CLAIM_TTL``; the server stamps
``since`` and ``expires_at`` from its own clock, never from the client's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from console.domain.workflow import Status

#: Without a renewing action for this long, a claim is stale (the console went away).
CLAIM_TTL = timedelta(minutes=15)

#: A report moved to one of these is no longer being handled: its claim is released.
RELEASING = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.NOT_AUTHORITY,
                       Status.DUPLICATE, Status.PRANK, Status.GHOST})

#: Mutation ops of entity ``claim`` (console/domain/wire.py).
TAKE = "take"
RELEASE = "release"


def is_live(holder: str | None, expires_at: datetime | None, now: datetime) -> bool:
    """A claim someone holds that has not run out."""
    return bool(holder) and expires_at is not None and expires_at > now


def held_by_other(holder: str | None, expires_at: datetime | None, me: str | None,
                  now: datetime) -> bool:
    """Another account holds the report: acting on it warns first (never blocks)."""
    return is_live(holder, expires_at, now) and holder != me


def releases(status: str | None) -> bool:
    return status in {s.value for s in RELEASING}
