"""Limits on text both sides enforce: the console when an operator types it, the server
when a mutation (or an Open311 request) brings it. One table, so text the console
accepts is never refused by the server and left in the outbox for good.
"""

from __future__ import annotations

#: Field -> most characters. ``note`` is a note's body and a dispatch note.
MAX_CHARS: dict[str, int] = {
    "title": 200,
    "description": 20_000,
    "reporter_name": 200,
    "reporter_phone": 40,
    "address": 500,
    "ticket": 40,
    "created_by": 200,
    "media_url": 500,
    "note": 10_000,
}
#: Fields without an entry of their own.
DEFAULT_CHARS = 500


def length_problem(name: str, value: str) -> str | None:
    """Why ``value`` is too long for field ``name``, or None."""
    chars = MAX_CHARS.get(name, DEFAULT_CHARS)
    if len(value) > chars:
        return f"is too long ({len(value)} characters; at most {chars})"
    return None
