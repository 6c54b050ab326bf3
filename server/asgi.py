"""The frame of the server's own middleware: pure ASGI (not BaseHTTPMiddleware, so
streamed replies stay streamed). An HTTP request goes to the subclass's ``http``;
anything else (lifespan, websockets) passes straight to the app.
"""

from __future__ import annotations


class HttpMiddleware:
    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        raise NotImplementedError
