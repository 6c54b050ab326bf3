"""Request size limits and refusal of NUL in URLs (pure ASGI, see server/asgi.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.exceptions import HTTPException as StarletteHTTPException

from server.asgi import HttpMiddleware
from server.errors import error_body


def _reply(status: int, message: str, open311: bool) -> tuple[dict, bytes]:
    if open311:
        body = json.dumps([{"code": status, "description": message}]).encode()
    else:
        body = json.dumps(error_body(status, message)).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close")]}
    return start, body


class TooLarge(StarletteHTTPException):
    """Raised from ``receive`` when a streamed body passes the limit. An HTTPException, so
    FastAPI's body parsing passes it through and the error handlers answer 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes here")


#: An oversize body is read and thrown away up to this many bytes before the 413 goes out,
#: so the client (still sending) reads the answer instead of a connection reset.
DRAIN_MAX = 64 * 1024 * 1024


async def _drain(receive, already: int) -> None:  # noqa: ANN001
    total = already
    while total <= DRAIN_MAX:
        message = await receive()
        if message["type"] != "http.request":
            return
        total += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class Guard(HttpMiddleware):
    """413 for a body over the limit (by Content-Length up front, or while it streams in);
    400 for a NUL character in the path or query (no database can store it)."""

    def __init__(self, app, limit_for: Callable[[str], int]) -> None:  # noqa: ANN001
        super().__init__(app)
        self.limit_for = limit_for

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        path: str = scope.get("path", "")
        open311 = path.startswith("/open311/")
        query: bytes = scope.get("query_string", b"")
        if "\x00" in path or b"%00" in query.lower():
            start, body = _reply(400, "NUL characters are not allowed in the URL", open311)
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        limit = self.limit_for(path)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
                if length < 0 or length > limit:
                    msg = (f"the request body is {value.decode('latin-1')} bytes; the limit here "
                           f"is {limit} bytes" if length >= 0 else "invalid Content-Length")
                    start, body = _reply(413 if length >= 0 else 400, msg, open311)
                    if 0 <= length <= DRAIN_MAX:
                        await _drain(receive, 0)
                    await send(start)
                    await send({"type": "http.response.body", "body": body})
                    return
        received = 0
        started = False
        body_done = scope.get("method") in ("GET", "HEAD", "DELETE", "OPTIONS")

        async def limited_receive():  # noqa: ANN202
            nonlocal received, body_done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if message.get("more_body", False):
                        await _drain(receive, received)
                    body_done = True
                    raise TooLarge(limit)
                if not message.get("more_body", False):
                    body_done = True
            else:
                body_done = True
            return message

        async def tracking_send(message) -> None:  # noqa: ANN001
            nonlocal started, body_done
            if message["type"] == "http.response.start":
                started = True
                if not body_done and message.get("status") not in (408, 413):
                    # Answered before the body was read (a 401, or a 503 when the login
                    # check met a database blip): read the rest first (within the limit
                    # and BodyDeadline's time), so the client gets this answer and not a
                    # connection reset it would take for a network fault.
                    body_done = True
                    try:
                        await _drain(receive, received)
                    except Exception:  # noqa: BLE001 - too slow (408): the protocol closes
                        pass
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except TooLarge:
            if started:
                raise
            start, body = _reply(413, f"the request body is larger than the limit of {limit} "
                                      "bytes here", open311)
            await send(start)
            await send({"type": "http.response.body", "body": body})
