"""Small checks shared by every endpoint: text, identifiers, times, JSON bodies."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator

from console.domain.limits import control_problem

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UUID_PATTERN = UUID_RE.pattern
SHA256_PATTERN = r"^[0-9a-f]{64}$"
#: Years a time of record may have; outside is a client bug (or an attack on the database).
MIN_YEAR, MAX_YEAR = 2000, 2100


class BadText(ValueError):
    pass


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None. NUL bytes and lone surrogates
    (what a non-UTF-8 client produces through JSON escapes) are refused."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (lone surrogate; send UTF-8)"
    return None


def _check_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(f"text {problem}")
    return value


#: A str that is safe to store: valid Unicode, no NUL.
SafeStr = Annotated[str, AfterValidator(_check_text)]


def _check_form_text(value: str) -> str:
    # Form decoding turns bytes that are not UTF-8 into U+FFFD instead of failing; a
    # replacement character in a form field is that, not something a citizen typed.
    if "\ufffd" in value:
        raise ValueError("text is not valid UTF-8 (send form fields percent-encoded as UTF-8)")
    return _check_text(value)


#: SafeStr for form fields.
FormStr = Annotated[str, AfterValidator(_check_form_text)]


def check_tree(obj: Any, path: str = "", *, controls: bool = False) -> None:
    """Raise BadText naming the first string (key or value) in a JSON tree that is not
    storable text; with ``controls``, also one holding a control character other than
    tab, newline and carriage return (console/domain/limits.py)."""
    def problem_of(text: str) -> str | None:
        return text_problem(text) or (control_problem(text) if controls else None)

    stack = [(path, obj)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = problem_of(item)
            if problem:
                raise BadText(f"'{where or 'value'}' {problem}")
        elif isinstance(item, dict):
            for k, v in item.items():
                problem = problem_of(k)
                if problem:
                    raise BadText(f"a key in '{where or 'body'}' {problem}")
                stack.append((f"{where}.{k}" if where else k, v))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(item))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(body: bytes) -> Any:
    """Parse a request body; ValueError says what is wrong (encoding, syntax, NaN)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError("the body is nested too deeply") from None


def parse_time(value: Any, name: str, *, allow_none: bool = True) -> datetime | None:
    """ISO 8601 text to an aware UTC datetime. Text without an offset is UTC (the
    console stores ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC)."""
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{name} is required")
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(f"{name} must be an ISO 8601 time text, got {type(value).__name__}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
        # An offset can carry the first or last representable instant out of range
        # (0001-01-01T00:00:00+01:00): that is bad input, not a server error.
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{name} is not an ISO 8601 time in range: {value!r}") from None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise ValueError(f"{name} must lie between {MIN_YEAR} and {MAX_YEAR}, got {value!r}")
    return dt


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def epoch_ms(dt: datetime | None) -> int | None:
    if dt is None:
        return None
    return round(dt.timestamp() * 1000)
