"""Pure ASGI middleware for compressed bodies in both directions.

``Inflate``: a ``Content-Encoding: gzip`` request body is inflated before the app sees it,
incrementally (``zlib.decompressobj`` with ``max_length``), so the inflated size is capped
at the same limit a plain body has: a small gzip bomb answers 413 after inflating at most
``limit + 1`` bytes, never the whole bomb. The compressed bytes are counted by ``Guard``
(server/middleware.py), which wraps this one. Corrupt or cut-off gzip is a 400, an encoding
we do not know a 415. The app then sees a plain body with a matching Content-Length.

``Deflate``: a JSON reply sent in one piece and at least ``minimum_size`` bytes long is
gzip-compressed when the request accepts gzip. A reply that already carries a
Content-Encoding (the pull stream gzips itself), a streamed one, a partial (206) or a
non-JSON one (attachment bytes: JPEGs do not shrink) passes through untouched. Starlette's
GZipMiddleware would also compress images and Range replies, hence this small one.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

from server.asgi import HttpMiddleware
from server.middleware import _drain, _reply

_GZIP_NAMES = (b"gzip", b"x-gzip")
#: Bytes inflated per ``decompress`` call: bounds the memory one step may take.
_STEP = 256 * 1024


class _BadBody(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _encodings(value: bytes) -> list[bytes]:
    return [p.strip().lower() for p in value.split(b",") if p.strip()]


def _inflate_into(out: bytearray, d, data: bytes, limit: int):  # noqa: ANN001, ANN202
    """Feed ``data`` to the decompressor ``d``, appending to ``out`` without ever letting
    it pass ``limit`` by more than one step. Returns the decompressor in use (a new one
    after a gzip member ends: concatenated members are valid gzip, as gzip.decompress
    reads them)."""
    while data:
        try:
            piece = d.decompress(data, min(_STEP, limit + 1 - len(out)))
        except zlib.error as exc:
            raise _BadBody(400, f"the gzip request body is corrupt ({exc})") from None
        out += piece
        if len(out) > limit:
            raise _BadBody(413, f"the request body inflates to more than the limit of {limit} "
                                "bytes here")
        if d.eof:
            data = d.unused_data
            if data:
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:
            data = d.unconsumed_tail
    return d


class Inflate(HttpMiddleware):
    def __init__(self, app, limit_for: Callable[[str], int]) -> None:  # noqa: ANN001
        super().__init__(app)
        self.limit_for = limit_for

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        headers = scope.get("headers", ())
        coding = [v for k, v in headers if k == b"content-encoding"]
        names = [n for v in coding for n in _encodings(v) if n != b"identity"]
        if not names:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        open311 = path.startswith("/open311/")
        limit = self.limit_for(path)
        if len(names) != 1 or names[0] not in _GZIP_NAMES:
            shown = b", ".join(coding).decode("latin-1")[:100]
            await self._refuse(receive, send, 415, f"Content-Encoding {shown!r} is not "
                               "supported here; send the body plain or as gzip", open311, True)
            return
        out = bytearray()
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        more = True
        try:
            while more:
                # Guard's receive counts the compressed bytes and raises TooLarge past the
                # limit; that passes through to Guard, which answers 413.
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                more = message.get("more_body", False)
                d = _inflate_into(out, d, message.get("body", b""), limit)
            if not d.eof:
                raise _BadBody(400, "the gzip request body is cut off (incomplete gzip stream)")
        except _BadBody as exc:
            await self._refuse(receive, send, exc.status, exc.message, open311, more)
            return
        body = bytes(out)
        del out
        new_headers = [(k, v) for k, v in headers
                       if k not in (b"content-encoding", b"content-length")]
        new_headers.append((b"content-length", str(len(body)).encode()))
        delivered = False

        async def inflated_receive():  # noqa: ANN202
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as usual

        await self.app({**scope, "headers": new_headers}, inflated_receive, send)

    @staticmethod
    async def _refuse(receive, send, status: int, message: str, open311: bool,  # noqa: ANN001
                      unread: bool) -> None:
        if unread:
            await _drain(receive, 0)  # the client reads the answer, not a reset
        start, body = _reply(status, message, open311)
        await send(start)
        await send({"type": "http.response.body", "body": body})


def accepts_gzip(headers) -> bool:  # noqa: ANN001
    """Does an Accept-Encoding header allow gzip? ``gzip;q=0`` is a refusal."""
    for k, v in headers:
        if k != b"accept-encoding":
            continue
        for part in _encodings(v):
            name, _, params = part.partition(b";")
            if name.strip() not in (b"gzip", b"x-gzip", b"*"):
                continue
            q = params.strip()
            if q.startswith(b"q="):
                try:
                    if float(q[2:]) <= 0:
                        continue
                except ValueError:
                    continue
            return True
    return False


class Deflate(HttpMiddleware):
    def __init__(self, app, minimum_size: int = 1024, level: int = 6) -> None:  # noqa: ANN001
        super().__init__(app)
        self.minimum_size = minimum_size
        self.level = level

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        if not accepts_gzip(scope.get("headers", ())):
            await self.app(scope, receive, send)
            return
        pending: dict | None = None  # the held response start, while we decide
        passthrough = False

        async def deflating_send(message) -> None:  # noqa: ANN001
            nonlocal pending, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                hdrs = {k.lower(): v for k, v in message.get("headers", ())}
                ctype = hdrs.get(b"content-type", b"")
                if (b"content-encoding" in hdrs or message["status"] in (204, 206, 304)
                        or not ctype.startswith(b"application/json")):
                    passthrough = True
                    await send(message)
                else:
                    pending = message
                return
            if message["type"] != "http.response.body" or pending is None:
                await send(message)
                return
            start, pending = pending, None
            passthrough = True
            body = message.get("body", b"")
            if message.get("more_body", False) or len(body) < self.minimum_size:
                await send(start)  # streamed or small: as it is
                await send(message)
                return
            packed = gzip.compress(body, self.level, mtime=0)
            hdrs = [(k, v) for k, v in start.get("headers", ())
                    if k.lower() != b"content-length"]
            if not any(k.lower() == b"vary" for k, _ in hdrs):
                hdrs.append((b"vary", b"Accept-Encoding"))  # caches keep both forms apart
            hdrs += [(b"content-encoding", b"gzip"),
                     (b"content-length", str(len(packed)).encode())]
            await send({**start, "headers": hdrs})
            await send({"type": "http.response.body", "body": packed})

        await self.app(scope, receive, deflating_send)
