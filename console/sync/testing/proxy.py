"""A link-shaping fault proxy: an asyncio TCP proxy that makes 127.0.0.1 behave like a
kelurahan office's link.

- bandwidth cap per direction, shared by all connections (one link, like a real modem);
- added one-way latency (RTT = 2 × ``latency_s``; a new connection also pays one RTT for
  its handshake);
- stalls: a direction stops for ``stall_s`` seconds at random points;
- resets at random points (``reset_prob`` per forwarded chunk) or every ``reset_every_s``
  seconds for every open connection (RST, as a dropped 3G link looks to the client);
- "forward the request, then drop the response": when the server starts answering, the
  answer is thrown away and the client's connection is reset; the server committed, the
  client never heard (``drop_response_prob``);
- "cut every answer": each response is reset after its first ``cut_response_after`` bytes
  (headers and the start of the body reach the client, the rest never does), as a link
  that always drops before a big page is through.

Shaping can be changed while it runs (``proxy.shape.rate_bps = ...``). Used by the sync
tests and bench/sync_figures.py. Run alone for manual testing::

    python -m console.sync.testing.proxy --target 127.0.0.1:8311 --port 8312 \
        --rate-kbit 64 --rtt-ms 500 --reset-every 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LinkShape:
    rate_bps: float | None = None  # bits per second, each direction; None: unlimited
    latency_s: float = 0.0  # one way
    stall_prob: float = 0.0
    stall_s: float = 0.0
    reset_prob: float = 0.0
    reset_every_s: float | None = None
    drop_response_prob: float = 0.0
    cut_response_after: int | None = None  # bytes of each response, then RST
    chunk: int = 1460


@dataclass
class ProxyStats:
    connections: int = 0
    bytes_up: int = 0  # client → server
    bytes_down: int = 0  # server → client
    resets: int = 0
    dropped_responses: int = 0
    stalls: int = 0
    responses: int = 0

    def snapshot(self) -> ProxyStats:
        return ProxyStats(**self.__dict__)


class _Direction:
    """One direction of the shared link: a serialisation clock for the bandwidth cap."""

    def __init__(self) -> None:
        self.free_at = 0.0


@dataclass(eq=False)
class _Conn:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    awaiting_response: bool = False
    response_bytes: int = 0
    closed: bool = False
    tasks: list[asyncio.Task] = field(default_factory=list)


def _rst(writer: asyncio.StreamWriter | None) -> None:
    if writer is None:
        return
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, shape: LinkShape | None = None,
                 *, seed: int | None = None) -> None:
        self.target = (target_host, target_port)
        self.shape = shape or LinkShape()
        self.stats = ProxyStats()
        self.rng = random.Random(seed)
        self.port: int | None = None
        self._server: asyncio.base_events.Server | None = None
        self._conns: set[_Conn] = set()
        self._up = _Direction()
        self._down = _Direction()
        self._ticker: asyncio.Task | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._server = await asyncio.start_server(self._handle, host, port)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ticker = asyncio.create_task(self._periodic_resets())
        return self.port

    async def stop(self) -> None:
        if self._ticker:
            self._ticker.cancel()
        if self._server:
            self._server.close()
        for conn in list(self._conns):
            self._abort(conn, count=False)
        if self._server:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def reset_all(self) -> int:
        n = 0
        for conn in list(self._conns):
            self._abort(conn)
            n += 1
        return n

    async def _periodic_resets(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.05)
            every = self.shape.reset_every_s
            if not every:
                last = time.monotonic()
                continue
            if time.monotonic() - last >= every:
                last = time.monotonic()
                self.reset_all()

    def _abort(self, conn: _Conn, *, count: bool = True) -> None:
        if conn.closed:
            return
        conn.closed = True
        if count:
            self.stats.resets += 1
        _rst(conn.client)
        _rst(conn.server)
        for task in conn.tasks:
            task.cancel()
        self._conns.discard(conn)

    async def _handle(self, creader: asyncio.StreamReader, cwriter: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        conn = _Conn(cwriter)
        self._conns.add(conn)
        try:
            if self.shape.latency_s:
                await asyncio.sleep(2 * self.shape.latency_s)  # the TCP handshake's round trip
            try:
                sreader, swriter = await asyncio.open_connection(*self.target)
            except OSError:
                self._abort(conn)
                return
            conn.server = swriter
            if conn.closed:
                _rst(swriter)
                return
            up = asyncio.create_task(self._pump(conn, creader, swriter, up=True))
            down = asyncio.create_task(self._pump(conn, sreader, cwriter, up=False))
            conn.tasks = [up, down]
            await asyncio.wait(conn.tasks, return_when=asyncio.FIRST_COMPLETED)
            # One side finished (EOF): let the other drain briefly, then close both.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*conn.tasks, return_exceptions=True), 30)
        except asyncio.CancelledError:
            pass
        finally:
            if not conn.closed:
                conn.closed = True
                self._conns.discard(conn)
                for w in (conn.client, conn.server):
                    if w is not None:
                        with contextlib.suppress(Exception):
                            w.close()

    async def _pump(self, conn: _Conn, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter, *, up: bool) -> None:
        direction = self._up if up else self._down
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue(maxsize=16)

        async def deliver() -> None:
            while True:
                item = await queue.get()
                if item is None:
                    with contextlib.suppress(Exception):
                        if writer.can_write_eof():
                            writer.write_eof()
                    return
                at, data = item
                delay = at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                if conn.closed:
                    return
                if data is None:  # a cut: what was written first must leave before the RST
                    await asyncio.sleep(0.05)
                    self._abort(conn)
                    return
                writer.write(data)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        conn.tasks.append(sender)
        try:
            while not conn.closed:
                data = await reader.read(self.shape.chunk)
                if not data:
                    break
                shape = self.shape
                if up:
                    conn.awaiting_response = True
                elif conn.awaiting_response:
                    conn.awaiting_response = False
                    conn.response_bytes = 0
                    self.stats.responses += 1
                    if shape.drop_response_prob and self.rng.random() < shape.drop_response_prob:
                        self.stats.dropped_responses += 1
                        self._abort(conn)
                        return
                if shape.reset_prob and self.rng.random() < shape.reset_prob:
                    self._abort(conn)
                    return
                if shape.stall_prob and self.rng.random() < shape.stall_prob:
                    self.stats.stalls += 1
                    await asyncio.sleep(shape.stall_s)
                cut = None
                if not up and shape.cut_response_after is not None:
                    room = shape.cut_response_after - conn.response_bytes
                    conn.response_bytes += len(data)
                    if room < len(data):
                        data, cut = data[:max(0, room)], True
                now = time.monotonic()
                start = max(now, direction.free_at)
                wire = len(data) * 8 / shape.rate_bps if shape.rate_bps else 0.0
                direction.free_at = start + wire
                if up:
                    self.stats.bytes_up += len(data)
                else:
                    self.stats.bytes_down += len(data)
                await queue.put((start + wire + shape.latency_s, data))
                if cut:
                    self.stats.resets += 1
                    await queue.put((start + wire + shape.latency_s, None))
                    await sender
                    return
            await queue.put(None)
            await sender
        except (ConnectionError, OSError):
            self._abort(conn, count=False)
        except asyncio.CancelledError:
            sender.cancel()
            raise


class ProxyThread:
    """A FaultProxy on its own event loop thread, for synchronous tests and the bench."""

    def __init__(self, target_host: str, target_port: int, shape: LinkShape | None = None,
                 *, seed: int | None = None, port: int = 0) -> None:
        self.proxy = FaultProxy(target_host, target_port, shape, seed=seed)
        self._port = port
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="posko-fault-proxy")
        self.thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fault proxy did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.proxy.start(port=self._port))
        self._ready.set()
        self.loop.run_forever()

    @property
    def shape(self) -> LinkShape:
        return self.proxy.shape

    @property
    def stats(self) -> ProxyStats:
        return self.proxy.stats

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy.port}"

    def reset_all(self) -> int:
        return asyncio.run_coroutine_threadsafe(self._reset(), self.loop).result(5)

    async def _reset(self) -> int:
        return self.proxy.reset_all()

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self.proxy.stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        with contextlib.suppress(Exception):
            self.loop.close()

    def __enter__(self) -> ProxyThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m console.sync.testing.proxy")
    p.add_argument("--target", required=True, help="host:port of the server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rate-kbit", type=float, default=None)
    p.add_argument("--rtt-ms", type=float, default=0.0)
    p.add_argument("--reset-every", type=float, default=None)
    p.add_argument("--reset-prob", type=float, default=0.0)
    p.add_argument("--drop-response", type=float, default=0.0)
    args = p.parse_args(argv)
    host, port = args.target.rsplit(":", 1)
    shape = LinkShape(rate_bps=args.rate_kbit * 1000 if args.rate_kbit else None,
                      latency_s=args.rtt_ms / 2000, reset_every_s=args.reset_every,
                      reset_prob=args.reset_prob, drop_response_prob=args.drop_response)

    async def run() -> None:
        proxy = FaultProxy(host, int(port), shape)
        bound = await proxy.start(port=args.port)
        print(f"fault proxy on 127.0.0.1:{bound} → {args.target}", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
