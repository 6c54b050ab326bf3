"""Ids and times as the local database stores them. No SQLAlchemy here: the queue and the
views import this on the start-up path.

Datetimes are timezone-aware UTC in Python and stored as UTC text without an offset
(``YYYY-MM-DD HH:MM:SS.ffffff``), the format SQLAlchemy writes, so text order is time order.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def new_id() -> str:
    """A new UUID for a record born here (console or server), as canonical text."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


def to_db(dt: datetime | None) -> str | None:
    """The stored text of an aware datetime, for raw SQL (same format SQLAlchemy writes)."""
    if dt is None:
        return None
    if dt.utcoffset() is None:
        raise ValueError("naive datetime: Posko stores only timezone-aware UTC times")
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_db(text: str | None) -> datetime | None:
    """Parse stored text back to an aware UTC datetime."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
