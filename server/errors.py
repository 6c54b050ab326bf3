"""One error format for every endpoint: ``{"error": code, "message": text, "details": [...]}``.

``message`` is a sentence for a person (an operator reading a quarantined outbox item, a
developer reading a log); ``error`` is a stable machine code; ``details`` is optional.
A mounted sub-application with an error format of its own installs the same handlers with
its own ``respond`` (``install(sub_app, respond=...)``).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sqlite3
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("posko.server")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media",
          416: "bad_range", 422: "invalid", 429: "too_many", 500: "internal",
          503: "unavailable"}
#: Seconds a client waits before it retries after a 503.
RETRY_AFTER_S = 2


class ApiError(StarletteHTTPException):
    """Raise anywhere in a request to answer with this status and message."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code or _CODES.get(status, "error")
        self.details = details


class Unavailable(ApiError):
    """503 with Retry-After: the database failed for the moment (see db.is_transient);
    nothing of the request was stored, and the same request may be sent again."""

    def __init__(self, reason: str) -> None:
        super().__init__(503, f"the database is busy or unreachable for the moment ({reason}); "
                              f"nothing was stored: retry in {RETRY_AFTER_S} s",
                         headers={"Retry-After": str(RETRY_AFTER_S)})


def db_reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:200] or type(exc).__name__


def error_body(status: int, message: str, code: str | None = None, details: Any = None) -> dict:
    body: dict[str, Any] = {"error": code or _CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    return body


class Respond(Protocol):
    """Renders an error answer: this module's JSON by default, or a sub-application's own
    format (it may ignore ``code`` and ``details``)."""

    def __call__(self, request: Request, status: int, message: str, *,
                 code: str | None = None, details: Any = None,
                 headers: dict[str, str] | None = None) -> Response: ...


def respond_json(request: Request, status: int, message: str, *, code: str | None = None,
                 details: Any = None, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(error_body(status, message, code, details), status_code=status,
                        headers=headers)


def _loc(loc: tuple) -> str:
    parts = [str(p)[:60] for p in loc][:8]
    return ".".join(parts) if parts else "body"


def validation_details(errors: list[dict]) -> list[dict]:
    out = []
    for e in errors[:20]:
        item = {"loc": _loc(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid"))}
        out.append(item)
    return out


def validation_message(errors: list[dict]) -> str:
    if not errors:
        return "the request is invalid"
    first = errors[0]
    kind = first.get("type", "")
    if kind == "json_invalid":
        ctx = first.get("ctx") or {}
        return f"the body is not valid JSON: {ctx.get('error', 'syntax error')}"
    loc = _loc(tuple(first.get("loc", ())))
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if kind == "extra_forbidden":
        return f"unknown field '{loc}'; remove it{more}"
    if kind == "missing":
        return f"'{loc}' is required{more}"
    return f"'{loc}': {first.get('msg', 'invalid')}{more}"


_DISK_FULL_TEXT = ("database or disk is full", "no space left on device", "disk quota exceeded")


def disk_full(exc: BaseException | None) -> bool:
    """Whether an error (or one it wraps) says the disk is full: ENOSPC/EDQUOT from a file
    write, SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100) or a message saying so."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        orig = getattr(exc, "orig", None)
        if getattr(orig, "sqlstate", None) == "53100":
            return True
        text = str(orig if orig is not None else exc).lower()
        if any(t in text for t in _DISK_FULL_TEXT):
            return True
        exc = orig if orig is not None else (exc.__cause__ or exc.__context__)
        seen += 1
    return False


def install(app: FastAPI, respond: Respond = respond_json) -> None:
    """Answer every error ``app`` raises (HTTP errors, invalid requests, database and disk
    trouble, bugs) with ``respond``."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405 and message == "Method Not Allowed":
            message = f"{request.method} is not allowed on {request.url.path}"
        return respond(request, exc.status_code, message, code=getattr(exc, "code", None),
                       details=getattr(exc, "details", None), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        status = 400 if errors and errors[0].get("type") == "json_invalid" else 422
        return respond(request, status, validation_message(errors),
                       details=validation_details(errors))

    def _of_the_moment(request: Request, exc: BaseException) -> Response | None:
        """507 for a full disk, 503 for a transient database error, None for a bug."""
        from server.db import is_transient

        if disk_full(exc):
            log.error("disk full on %s %s: %s", request.method, request.url.path, exc)
            return respond(request, 507, "the server's disk is full; nothing was stored. "
                                         "Try again later (an administrator must free space)",
                           code="disk_full")
        if is_transient(exc):
            log.warning("transient database error on %s %s: %s", request.method,
                        request.url.path, db_reason(exc))
            unavailable = Unavailable(db_reason(exc))
            return respond(request, 503, unavailable.detail, code=unavailable.code,
                           headers=unavailable.headers)
        return None

    async def _database_or_disk(request: Request, exc: Exception) -> Response:
        # Handled here, by the exception middleware, and not by the catch-all below:
        # Starlette re-raises whatever reaches the catch-all, and uvicorn then closes the
        # connection (and logs a traceback) after the 503/507 went out - a client reusing
        # that keep-alive connection met a reset instead of its next answer.
        answer = _of_the_moment(request, exc)
        if answer is None:
            raise exc  # a bug: the catch-all answers 500
        return answer

    from sqlalchemy.exc import SQLAlchemyError

    for kind in (SQLAlchemyError, OSError, sqlite3.Error):
        app.add_exception_handler(kind, _database_or_disk)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        answer = _of_the_moment(request, exc)
        if answer is not None:
            return answer
        # A mounted application (Open311) answers its own crash and re-raises it, as
        # Starlette does; the outer application then sees the same exception after the
        # answer has gone, and must not log it again.
        if not getattr(exc, "_posko_logged", False):
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            with contextlib.suppress(AttributeError):  # exceptions with __slots__
                exc._posko_logged = True  # type: ignore[attr-defined]
        return respond(request, 500, "internal server error; the change was not stored")
