"""Limits on text both sides enforce: the console when an operator types it, the server
when a mutation (or an Open311 request) brings it. One table, so text the console
accepts is never refused by the server and left in the outbox for good.

A limit counts characters (what the operator sees) *and* UTF-8 bytes (what the link
carries and the database stores): the byte limit is three bytes per character, so any text
in the Basic Multilingual Plane (Latin, Javanese, Arabic, CJK) fits its character limit;
text made mostly of four-byte characters (emoji) meets the byte limit first.

Control characters are refused in every text field, except tab, newline and carriage
return: nobody types them, XML 1.0 (the Open311 feed) cannot carry them, and JSON turns
each into six bytes.
"""

from __future__ import annotations

import re

#: Field -> most characters. ``note`` is a note's body, a dispatch note, a reason asked
#: for in a dialog and a shift handover's note.
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
#: Field -> most UTF-8 bytes (three per character of MAX_CHARS).
MAX_BYTES: dict[str, int] = {name: 3 * chars for name, chars in MAX_CHARS.items()}
#: Fields without an entry of their own.
DEFAULT_CHARS = 500
DEFAULT_BYTES = 3 * DEFAULT_CHARS

# C0 controls but tab, LF and CR; DEL; C1 controls; U+FFFE/U+FFFF (not characters).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_problem(value: str) -> str | None:
    """Why ``value`` holds a character no text field may hold, or None."""
    m = _CONTROL_RE.search(value)
    if m is None:
        return None
    return (f"contains the control character U+{ord(m.group()):04X} at position {m.start()} "
            "(only tab, newline and carriage return are allowed)")


def length_problem(name: str, value: str) -> str | None:
    """Why ``value`` is too long for field ``name`` (characters or UTF-8 bytes), or None."""
    chars = MAX_CHARS.get(name, DEFAULT_CHARS)
    if len(value) > chars:
        return f"is too long ({len(value)} characters; at most {chars})"
    limit = MAX_BYTES.get(name, DEFAULT_BYTES)
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > limit:
        return f"is too long ({size} bytes in UTF-8; at most {limit})"
    return None


def text_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be stored in text field ``name``, or None."""
    return control_problem(value) or length_problem(name, value)


def without_controls(value: str) -> str:
    """``value`` with each refused control character made a space: what the console does
    to pasted text (a word processor's line break is U+000B) before it checks limits."""
    return _CONTROL_RE.sub(" ", value)
