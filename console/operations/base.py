"""What every operation shares: one transaction, a timeline event, an outbox mutation,
and the record of what changed that views react to (Anki's OpChanges idea). The same
record, with ``source="sync"``, says what the sync engine changed.

An operation is a plain function ``op(conn, actor, ...) -> OpChanges`` run on the database
worker. It validates first, then writes the change, its ReportEvent and its outbox
mutation inside ONE ``BEGIN IMMEDIATE`` transaction: either all three land or none does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.domain.errors import CodedError
from console.domain.wire import Mutation
from console.store.timefmt import new_id, to_db, utcnow


class OperationError(CodedError, ValueError):
    """An operator action that cannot be done.

    ``str(exc)`` is an English sentence for logs and the command line; the operator sees
    ``error_code`` + ``error_params`` turned into Indonesian by console/views/messages.py
    (the core has no Qt, so it cannot translate). Every raise names its code:
    ``raise OperationError("unknown channel 'x'", code="unknown_channel", channel="x")``;
    ``python -m console.i18n_tools check`` fails for a raise without one, or a code
    without an Indonesian sentence."""

    error_code = "operation"


class ReportNotFound(OperationError):
    error_code = "report_not_found"


class StaleReport(OperationError):
    """Someone (another operator or the sync engine) changed the report since the operator
    looked at it. The view reloads and shows the change instead of overwriting it."""

    def __init__(self, report_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"report {report_id} changed (revision {actual}, you saw {expected}); "
            "reload it to see the change before acting",
            code="stale_report", report_id=report_id,
        )
        self.report_id = report_id
        self.expected = expected
        self.actual = actual


class NoActor(OperationError):
    """Nobody is on duty: a console without an authenticated account is read-only (the
    OS user is never an actor; see console/operations/accounts.py)."""

    error_code = "no_actor"

    def __init__(self) -> None:
        super().__init__("nobody is on duty at this console: log in (Ctrl+L) or choose who "
                         "is on duty; until then the console is read-only")


def require_actor(actor: str | None) -> str:
    if not actor or not str(actor).strip():
        raise NoActor()
    return actor


#: Where a change came from: an operation on this console, the sync engine applying the
#: server's changes, or the discovery that a report changed under the operator.
CHANGE_SOURCES = ("local", "sync", "stale")


@dataclass(frozen=True)
class OpChanges:
    """What changed, broadcast to views so each refreshes only what it shows.

    The one record of a change: operations return it, the sync engine builds it after a
    push or a pull (``source="sync"``), and the views' op bus carries nothing else.
    ``created`` reports are also in ``report_ids`` by convention; ``all_ids`` does not rely
    on it. ``timeline``/``outbox``: whether the change wrote timeline events or outbox
    mutations."""

    kind: str
    report_ids: frozenset[str] = frozenset()
    created: frozenset[str] = frozenset()
    timeline: bool = True
    outbox: bool = True
    detail: dict[str, Any] = field(default_factory=dict)
    source: str = "local"

    def __post_init__(self) -> None:
        if self.source not in CHANGE_SOURCES:
            raise ValueError(f"unknown change source {self.source!r}: one of {CHANGE_SOURCES}")

    @classmethod
    def of_ids(cls, report_ids: Iterable[str], *, kind: str = "",
               source: str = "local") -> OpChanges:
        """A change known only by the reports it touched (a stale report, a test)."""
        return cls(kind=kind, report_ids=frozenset(str(i) for i in report_ids), source=source)

    @property
    def all_ids(self) -> frozenset[str]:
        return self.report_ids | self.created

    def merged(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            kind=self.kind if self.kind == other.kind else "bulk",
            report_ids=self.report_ids | other.report_ids,
            created=self.created | other.created,
            timeline=self.timeline or other.timeline,
            outbox=self.outbox or other.outbox,
            source=self.source,
        )


def write_event(
    conn: sqlite3.Connection,
    report_id: str,
    actor: str,
    kind: str,
    *,
    at: datetime,
    field_name: str | None = None,
    old: Any = None,
    new: Any = None,
    detail: dict | None = None,
) -> str:
    require_actor(actor)
    event_id = new_id()
    conn.execute(
        "INSERT INTO report_event (id, report_id, at, actor, kind, field, old_value, new_value, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event_id, report_id, to_db(at), actor, kind, field_name, _text(old), _text(new),
         json.dumps(detail, ensure_ascii=False) if detail else None),
    )
    return event_id


def write_outbox(
    conn: sqlite3.Connection,
    *,
    entity: str,
    entity_id: str,
    op: str,
    fields: dict[str, Any],
    actor: str,
    at: datetime,
    base_revision: int | None = None,
) -> str:
    require_actor(actor)
    mutation = Mutation(
        id=new_id(), entity=entity, entity_id=entity_id, op=op, fields=_jsonable(fields),
        actor=actor, at=at.isoformat(), base_revision=base_revision,
    ).validate()
    conn.execute(
        "INSERT INTO outbox (id, created_at, entity, entity_id, op, base_revision, payload, state, attempts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0)",
        (mutation.id, to_db(utcnow()), entity, entity_id, op, base_revision, mutation.to_json()),
    )
    return mutation.id


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()}
