"""Connection hygiene for ``posko server run`` (issue 12 M4): no socket is held forever.

- Headers: a connection (new, or idle after a response) must deliver a request's complete
  headers within ``header_timeout`` seconds of its first byte or of being opened; else it
  is closed. Idle keep-alive connections close after ``timeout_keep_alive`` (uvicorn).
- Bodies: ``BodyDeadline`` gives a request body ``body_timeout`` seconds plus one second per
  ``body_min_rate`` bytes of its declared length; a slower body answers 408 and closes.
- A response sent before its request's body was read closes the connection (a trickled
  body cannot keep it open).
- Long polls (``GET /v1/pull?wait=S``, S ≤ 55) hold a request open, not an idle
  connection: neither timeout applies while one waits. At shutdown they answer at once.
- Logs: the same warning (e.g. asyncio's "socket.accept() out of system resource" when
  the process runs out of file descriptors) is logged at most once per 10 s, with a count.
"""

from __future__ import annotations

import asyncio
import logging
import time

import h11
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.protocols.http.h11_impl import H11Protocol

from server import bell
from server.asgi import HttpMiddleware


def protocol_class(header_timeout: float) -> type[H11Protocol]:
    class GuardedH11Protocol(H11Protocol):
        def __init__(self, *args, **kw) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kw)
            self._header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:  # noqa: ANN001
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self.cycle is None or self.cycle.response_complete:
                self._arm()  # the first bytes of a new request: its headers are on the clock
            super().data_received(data)

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not before and self.cycle is not None:
                self._disarm()  # a request's headers arrived complete

        def shutdown(self) -> None:
            # The server is stopping: long polls answer now, so this connection's open
            # request ends and the restart does not wait out its ``wait``.
            bell.closing()
            super().shutdown()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # Answered before its body was read (an error, a refusal): close, so a body
            # trickled in byte by byte cannot hold the connection open.
            if self.conn.their_state is h11.SEND_BODY and not self.transport.is_closing():
                self.transport.close()

        def _arm(self) -> None:
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(header_timeout, self._expired)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _expired(self) -> None:
            self._header_timer = None
            if (self.cycle is None or self.cycle.response_complete) \
                    and not self.transport.is_closing():
                self.transport.close()

    return GuardedH11Protocol


class BodyTimeout(StarletteHTTPException):
    """Raised from ``receive``: an HTTPException, so FastAPI's body parsing passes it
    through and the error handlers answer 408 (and close the connection)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"the request body did not arrive within {seconds:.0f} seconds",
                         headers={"Connection": "close"})


class BodyDeadline(HttpMiddleware):
    """Bounds the time to receive a whole request body."""

    def __init__(self, app, timeout: float, min_rate: float) -> None:  # noqa: ANN001
        super().__init__(app)
        self.timeout = timeout
        self.min_rate = min_rate

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        length = 0
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit():
                length = int(value)
        budget = self.timeout + length / self.min_rate
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        finished = False

        async def timed_receive():  # noqa: ANN202
            nonlocal finished
            if finished:  # the body is in: what is left is waiting for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.01))
            except TimeoutError:
                raise BodyTimeout(budget) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                finished = True
            return message

        await self.app(scope, timed_receive, send)


class RateLimit(logging.Filter):
    """Let the same message through at most once per ``period`` seconds; the next one
    that passes says how many were left out."""

    def __init__(self, period: float = 10.0) -> None:
        super().__init__()
        self.period = period
        self.last: dict[str, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = f"{record.name}:{record.msg}"[:200]
        now = time.monotonic()
        seen, dropped = self.last.get(key, (0.0, 0))
        if now - seen < self.period:
            self.last[key] = (seen, dropped + 1)
            return False
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it in the last {self.period:.0f} s)"
        self.last[key] = (now, 0)
        if len(self.last) > 1000:
            self.last.clear()
        return True


def quiet_floods() -> None:
    flt = RateLimit()
    for name in ("asyncio", "uvicorn.error"):
        logging.getLogger(name).addFilter(flt)
