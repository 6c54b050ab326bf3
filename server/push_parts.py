"""The pieces of a push that need no database: results, the planned writes, payload
identity, parsing raw items, and the small helpers of messages (split from push.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from console.domain.workflow import TRANSITIONS
from server.errors import validation_message
from server.schemas import MutationIn
from server.validation import BadText, check_tree, iso, text_problem


class Reject(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Result:
    id: str
    status: str
    code: int
    message: str
    revision: int | None = None
    original_status: str | None = None
    ticket: str | None = None
    conflicts: list[dict] | None = None
    fields: dict | None = None  # server-made values that differ from what was sent

    def as_dict(self) -> dict:
        out = {"id": self.id, "status": self.status, "code": self.code, "message": self.message}
        for k in ("revision", "original_status", "ticket", "conflicts", "fields"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        return out


def payload_hash(m: MutationIn) -> str:
    """The identity of a mutation's content (``meta`` is transport detail, not content)."""
    core = m.model_dump(exclude={"id", "meta"})
    if core.get("trail") is None:
        core.pop("trail", None)  # mutations without a trail hash as they always did
    text = json.dumps(core, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def wire_value(v: Any) -> Any:
    return iso(v) if isinstance(v, datetime) else v


def _json(v: Any) -> str:
    return json.dumps(wire_value(v), ensure_ascii=False)


@dataclass
class Plan:
    """Rows a batch will write at flush."""

    blobs: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    dispatches: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    departures: list[dict] = field(default_factory=list)
    applied: list[dict] = field(default_factory=list)
    restamp: dict[str, list[dict]] = field(default_factory=dict)  # table -> [{b_id, b_seq}]


def _names(keys: list[str]) -> str:
    text = ", ".join(_short(k)[1:-1] for k in keys[:10])
    return text + (f" (and {len(keys) - 10} more)" if len(keys) > 10 else "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _member(enum, value: Any, name: str) -> str:  # noqa: ANN001
    """The value of a StrEnum member named by ``value``; Reject lists the valid ones."""
    if isinstance(value, str):
        try:
            return enum(value).value
        except ValueError:
            pass
    raise Reject(422, f"unknown {name} {_short(value)}; expected one of: {', '.join(enum)}")


def _known(value: Any, name: str, exists: Callable[[str], bool]) -> str:
    """``value`` if it is the code of a reference row that ``exists``; else Reject."""
    if not isinstance(value, str) or not exists(value):
        raise Reject(422, f"unknown {name} {_short(value)}")
    return value


def _reachable(status: str) -> list[str]:
    """Statuses one workflow action leads to from ``status`` (console/domain/workflow.py)."""
    return sorted({target.value for (current, _action), target in TRANSITIONS.items()
                   if current == status and target != status})


def parse_items(items: list[Any]) -> list[MutationIn | Result]:
    """Validate each raw item on its own: a malformed one becomes a rejected result."""
    out: list[MutationIn | Result] = []
    for i, item in enumerate(items):
        mid = item.get("id") if isinstance(item, dict) else None
        mid = mid if isinstance(mid, str) and len(mid) <= 64 and not text_problem(mid) else f"#{i}"
        if not isinstance(item, dict):
            out.append(Result(mid, "rejected", 422, f"mutation #{i} must be a JSON object"))
            continue
        try:
            check_tree(item, controls=True)
            out.append(MutationIn.model_validate(item))
        except BadText as exc:
            out.append(Result(mid, "rejected", 422, f"mutation #{i}: {exc}"))
        except ValidationError as exc:
            out.append(Result(mid, "rejected", 422,
                              f"mutation #{i}: {validation_message(list(exc.errors()))}"))
    return out
