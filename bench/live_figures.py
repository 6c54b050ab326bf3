"""Figures of the push channel (issue 13): the long poll on the change feed and the
console's watch lane, against a real server process on 127.0.0.1.

- ``sync.p1_latency_ms`` / ``sync.p1_latency_p95_ms``: an emergency filed through Open311
  (``kebakaran``; Open311 files it at P2, the top a citizen app may set: the same priority
  lane as a P1) → in a watching console's local database and announced to its listeners
  (the ``sync_urgent`` OpChanges the queue and the P1 alert act on), median and p95 of 25,
  loopback, one server process, SyncService(watch=True) on its asyncio loop. Baseline:
  today's 60 s idle poll, computed, not measured: a report lands at a uniform phase of
  the poll, so it waits 30 s on median and 57 s at p95 (plus the same pull time, left out).
- ``sync.p1_latency_slow_link_ms`` (p95) / ``sync.p1_latency_slow_link_median_ms``: the
  same filings, one every 4 s, while a kelurahan console catches up a week (3,000 server
  changes in, its 200 reports' 756 mutations out; bench/sync_figures.py _prepare_week)
  through the proxy at 64 kbit/s each way, 500 ms RTT, with the watch. Baseline: the same
  run without the watch (the engine's priority lane riding on its pages).
- ``sync.idle_bytes_per_min``: bytes on the wire both ways (request and response headers
  and bodies, counted by the fault proxy, no shaping) per minute of one idle console with
  the watch running, over 2 minutes, plus the 300 s fallback cycle's bytes spread over
  its 5 minutes (one cycle measured). Baseline: today's idle cycle every 60 s (one
  cycle's bytes per minute, measured the same way).
- ``server.push_mutations_per_s_with_idle_consoles``: push throughput (batches of 100
  reports across the city from 2 clients, SQLite) with 300 long polls open from
  kelurahan consoles spread over 30 kelurahan (each woken when a batch touches its
  kelurahan; it then answers its page and polls again), as a fraction of the same
  measured without them, alternating runs. Target >= 0.8.
- ``server.push_mutations_per_s_with_idle_consoles_untouched``: the same with pushes that
  touch none of those kelurahan: what holding 300 long polls open costs by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import shutil
import statistics
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.harness import ROOT, Figure, free_port, memory_keyring, p95

P1_SAMPLES = 25
IDLE_WINDOW_S = 120.0
IDLE_CONSOLES = 300


# --- Open311 filings ----------------------------------------------------------------------

class _Citizens:
    """Files Open311 reports from a rotating 127.0.0.x source address: the server allows
    20 filings per address per 10 minutes (settings.open311_posts_per_address)."""

    def __init__(self, port: int, key: str) -> None:
        self.port, self.key, self.n = port, key, 0

    def file(self, region: str) -> str:
        self.n += 1
        source = f"127.0.0.{2 + self.n // 15}"
        body = urllib.parse.urlencode({
            "api_key": self.key, "service_code": "kebakaran", "lat": "-6.91",
            "long": "107.60", "description": f"Kebakaran rumah warga nomor {self.n}",
            "address_string": "Jl. Pajajaran", "attribute[region_code]": region})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(source, 0))
        try:
            conn.request("POST", "/open311/v2/requests.json", body, {
                "Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 201:
                raise RuntimeError(f"Open311 filing refused: {resp.status} {data[:300]!r}")
        finally:
            conn.close()
        import json

        return json.loads(data)[0]["service_request_id"]


def _prepare(work: Path) -> tuple[Path, str]:
    from bench.sync_figures import _make_server_db
    from server import auth
    from server.open_db import open_database

    db_path = work / "server.sqlite3"
    _make_server_db(db_path)
    db = open_database(str(db_path))
    try:
        key = auth.create_api_key(db, "Aplikasi Warga (bench)")
    finally:
        db.dispose()
    return db_path, key


def _console(folder: Path, url: str, user: str):  # noqa: ANN202
    from bench.sync_figures import PASSWORD, _Console

    console = _Console(folder, url)
    console.engine.config.username = user
    console.engine.login(PASSWORD)
    return console


async def _until(cond, timeout: float = 60.0) -> None:  # noqa: ANN001
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            raise RuntimeError("the bench waited too long")
        await asyncio.sleep(0.005)


def noting_arrivals(arrived: dict[str, float]):  # noqa: ANN201 - an on_changes listener
    """A SyncService ``on_changes`` listener (it runs on the loop's thread) that notes in
    ``arrived`` when each report a ``sync_urgent`` change announces was first heard
    (``time.perf_counter``): what the queue and the P1 alert act on."""
    def heard(changes) -> None:  # noqa: ANN001 - an OpChanges
        if changes.kind == "sync_urgent":
            for rid in changes.report_ids:
                arrived.setdefault(rid, time.perf_counter())

    return heard


@contextlib.asynccontextmanager
async def watching_service(console, arrived: dict[str, float]):  # noqa: ANN001, ANN201
    """A SyncService with the watch on ``console``'s engine (60 s idle cycle), noting
    arrivals in ``arrived`` (:func:`noting_arrivals`), caught up; stopped at the end."""
    from console.sync.service import SyncService

    service = SyncService(console.engine, idle_interval=60, watch=True)
    service.subscribe(on_changes=noting_arrivals(arrived))
    service.start()
    try:
        await _until(lambda: service.last_report and service.last_report.complete)
        yield service
    finally:
        await service.stop()


# --- sync.p1_latency_ms -------------------------------------------------------------------

def p1_figures() -> list[Figure]:
    from bench.sync_figures import KEL, server_process

    memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-bench-live-"))
    try:
        db_path, key = _prepare(work)
        with server_process(db_path) as (base, port):
            console = _console(work / "desk", base, "city")
            citizens = _Citizens(port, key)
            samples: list[float] = []
            arrived: dict[str, float] = {}

            async def run() -> None:
                loop = asyncio.get_running_loop()
                async with watching_service(console, arrived) as service:
                    await asyncio.sleep(1.0)
                    cycles = service.cycles
                    for i in range(P1_SAMPLES):
                        await asyncio.sleep(0.3 + (i % 5) * 0.1)  # not in step with anything
                        heard_before = len(arrived)
                        t0 = time.perf_counter()
                        ticket = await loop.run_in_executor(None, citizens.file, KEL)
                        # Announced (the listener's clock says when), and in the local DB.
                        await _until(lambda n=heard_before: len(arrived) > n)
                        rid = await loop.run_in_executor(None, _rid, console, ticket)
                        if rid not in arrived:
                            raise RuntimeError(f"{ticket} was announced but is not stored")
                        samples.append((arrived[rid] - t0) * 1000)
                    if service.cycles != cycles:
                        print(f"  note: {service.cycles - cycles} cycle(s) ran meanwhile", flush=True)

            asyncio.run(run())
            console.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median, high = statistics.median(samples), p95(samples)
    note = (f"{len(samples)} Open311 filings (P2, the priority lane) → in a watching console's "
            "DB and announced, loopback; baseline the 60 s idle poll, computed (uniform "
            "phase: median 30 s, p95 57 s); target median <= 1000 ms, p95 <= 2000 ms")
    return [Figure("sync.p1_latency_ms", median, "ms", 30_000.0, note=note),
            Figure("sync.p1_latency_p95_ms", high, "ms", 57_000.0, note=note)]


def _rid(console, ticket: str) -> str | None:  # noqa: ANN001
    row = console.executor.call(lambda c: c.execute(
        "SELECT id FROM report WHERE ticket = ?", (ticket,)).fetchone())
    return row[0] if row else None


# --- sync.p1_latency_slow_link_ms --------------------------------------------------------

def slow_link_figures() -> list[Figure]:
    """Open311 filings while a kelurahan console catches up a week (3,000 server changes,
    its own 200 reports and their workflow to push; bench/sync_figures.py _prepare_week)
    through the proxy at 64 kbit/s, 500 ms RTT: watch on, and, as the baseline, off (the
    engine alone: the lane riding on each page, and every 3 s once caught up)."""
    from bench import sync_figures as sy

    memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-bench-slowp1-"))
    try:
        week = sy._prepare_week(work, free_port())
        out = {}
        for watch in (True, False):
            out[watch] = _slow_catch_up(work, "watch" if watch else "plain", watch=watch,
                                        in_sync_at=week["in_sync_at"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    on, off = out[True], out[False]
    note = (f"Open311 P2 filings every 4 s while a kelurahan console catches up a week "
            f"(3,000 changes in, 756 mutations out) at 64 kbit/s, 500 ms RTT; watch on: "
            f"{on['mid']} of {len(on['ms'])} filed mid-catch-up (catch-up {on['s']:.0f} s); "
            f"baseline the engine without the watch in the same run ({off['mid']} of "
            f"{len(off['ms'])} mid-catch-up, {off['s']:.0f} s); target p95 <= 5000 ms")
    return [Figure("sync.p1_latency_slow_link_ms", p95(on["ms"]), "ms", p95(off["ms"]),
                   note="p95; " + note),
            Figure("sync.p1_latency_slow_link_median_ms", statistics.median(on["ms"]), "ms",
                   statistics.median(off["ms"]), note="median; " + note)]


def _slow_catch_up(work: Path, name: str, *, watch: bool, in_sync_at: int) -> dict:
    from bench import sync_figures as sy
    from console.sync.service import SyncService
    from console.sync.testing.proxy import LinkShape, ProxyThread
    from server import auth
    from server.open_db import open_database

    srv = work / name / "server.sqlite3"
    sy._copy_db(work / "server" / "server.sqlite3", srv)
    sy._copy_db(work / "console" / "posko.sqlite3", work / name / "console" / "posko.sqlite3")
    db = open_database(str(srv))
    try:
        key = auth.create_api_key(db, "Aplikasi Warga (bench)")
    finally:
        db.dispose()
    shape = LinkShape(rate_bps=sy.RATE_BPS, latency_s=sy.RTT_S / 2)
    with sy.server_process(srv) as (_base, port), \
            ProxyThread("127.0.0.1", port, shape, seed=1) as proxy:
        console = sy._Console(work / name / "console", proxy.url)
        citizens = _Citizens(port, key)
        arrived: dict[str, float] = {}
        samples: list[float] = []
        mid = 0

        async def run() -> float:
            nonlocal mid
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, console.engine.login, sy.PASSWORD)
            service = SyncService(console.engine, idle_interval=60, watch=watch)
            service.subscribe(on_changes=noting_arrivals(arrived))
            t_start = time.monotonic()
            service.start()
            done_at = None
            try:
                pending: list[tuple[str, float, bool]] = []
                while len(pending) < P1_SAMPLES:
                    await asyncio.sleep(4.0)
                    catching_up = not (service.last_report and service.last_report.complete)
                    t0 = time.perf_counter()
                    ticket = await loop.run_in_executor(None, citizens.file, sy.KEL)
                    pending.append((ticket, t0, catching_up))
                    if done_at is None and not catching_up:
                        done_at = time.monotonic()
                for ticket, t0, catching_up in pending:
                    # (The listener's clock says when; this only waits for it, gently.)
                    deadline = time.monotonic() + 600
                    while (rid := await loop.run_in_executor(None, _rid, console, ticket)) \
                            not in arrived:
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"{ticket} never reached the console")
                        await asyncio.sleep(0.2)
                    samples.append((arrived[rid] - t0) * 1000)
                    mid += catching_up
                await _until(lambda: service.last_report and service.last_report.complete,
                             timeout=1200)
                return (done_at or time.monotonic()) - t_start
            finally:
                await service.stop()

        try:
            elapsed = asyncio.run(run())
        finally:
            console.close()
    return {"ms": samples, "mid": mid, "s": elapsed}


# --- sync.idle_bytes_per_min --------------------------------------------------------------

def idle_figures() -> list[Figure]:
    from bench.sync_figures import server_process
    from console.sync.service import SyncService
    from console.sync.testing.proxy import LinkShape, ProxyThread

    memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-bench-idle-"))
    result: dict[str, float] = {}
    try:
        db_path, _key = _prepare(work)
        with server_process(db_path) as (_base, port), \
                ProxyThread("127.0.0.1", port, LinkShape()) as proxy:
            def wire() -> int:
                s = proxy.stats
                return s.bytes_up + s.bytes_down

            async def one_cycle(console) -> None:  # noqa: ANN001
                # An idle cycle: the 60 s poll of today, the watch's 300 s fallback.
                service = SyncService(console.engine, idle_interval=3600)
                service.start()
                try:
                    await _until(lambda: service.last_report and service.last_report.complete)
                    await asyncio.sleep(0.5)
                    before, cycles = wire(), service.cycles
                    service.sync_now()
                    await _until(lambda: service.cycles > cycles)
                    result["cycle"] = wire() - before
                finally:
                    await service.stop()

            async def watching(console) -> None:  # noqa: ANN001
                service = SyncService(console.engine, idle_interval=3600, watch=True)
                service.start()
                try:
                    await _until(lambda: service.last_report and service.last_report.complete)
                    await _until(lambda: service.watch.polls >= 1)  # now idle on the feed
                    before, t0 = wire(), time.monotonic()
                    await asyncio.sleep(IDLE_WINDOW_S)
                    result["watch"] = wire() - before
                    result["minutes"] = (time.monotonic() - t0) / 60
                finally:
                    await service.stop()

            for phase in (one_cycle, watching):  # a fresh engine each: a stop closes it
                console = _console(work / "desk", proxy.url, "kel")
                try:
                    asyncio.run(phase(console))
                finally:
                    console.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    watch_per_min = result["watch"] / result["minutes"]
    per_min = watch_per_min + result["cycle"] / 5
    return [Figure("sync.idle_bytes_per_min", per_min, "bytes/min", result["cycle"],
                   note=f"one idle kelurahan console through the proxy, both ways, headers "
                        f"included: the watch's long polls ({watch_per_min:.0f} B/min over "
                        f"{result['minutes']:.1f} min) + one fallback cycle per 5 min "
                        f"({result['cycle']:.0f} B each); baseline one idle cycle per minute "
                        "(today); target <= 2048")]


# --- server.push_mutations_per_s_with_idle_consoles -------------------------------------

def push_with_idle_figures(nowhere: bool = False, db_url: str | None = None) -> list[Figure]:
    import httpx

    from bench import server_figures as sf
    from console.store.regions import kelurahan_codes
    from server import auth
    from server.open_db import open_database

    work = Path(tempfile.mkdtemp(prefix="posko-bench-idlepush-"))
    try:
        db_url = db_url or str(work / "server.sqlite3")
        regions = kelurahan_codes("bandung")[:30]
        with sf.server_process(db_url, work / "files") as base:
            db = open_database(db_url)
            try:
                for i, code in enumerate(regions):
                    auth.create_account(db, f"idle{i}", "kelurahan", sf.PASSWORD, regions=[code],
                                        profile="fast")
            finally:
                db.dispose()
            tokens = [httpx.post(f"{base}/v1/auth/login", json={
                "username": f"idle{i}", "password": sf.PASSWORD}).json()["token"]
                for i in range(len(regions))]
            clients = [sf._login(base, i) for i in range(sf.CLIENTS)]
            loads = [sf.Workload(seed=i + 1) for i in range(sf.CLIENTS)]
            if nowhere:  # (the pushes touch none of the idle consoles' kelurahan)
                for w in loads:
                    w.regions = [r for r in w.regions if r not in regions]
            _push_rate(clients, loads, 2)  # warm up: connections, caches, plans
            without, with_idle, answered = [], [], []
            for _ in range(2):
                without.append(_push_rate(clients, loads))
                with _IdleProcess(base, tokens, IDLE_CONSOLES) as idle:
                    with_idle.append(_push_rate(clients, loads))
                answered.append(idle.answered)
            for c in clients:
                c.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a, b = statistics.mean(with_idle), statistics.mean(without)
    backend = "SQLite" if db_url.startswith("sqlite") or "://" not in db_url else "PostgreSQL"
    if nowhere:
        return [Figure("server.push_mutations_per_s_with_idle_consoles_untouched", a, "mut/s",
                       b, higher_is_better=True,
                       note=f"as server.push_mutations_per_s_with_idle_consoles, but the pushes "
                            f"touch none of the {len(regions)} kelurahan of the {IDLE_CONSOLES} "
                            "long polls: the cost of holding them open, apart from delivering "
                            "changes to them")]
    return [Figure("server.push_mutations_per_s_with_idle_consoles", a, "mut/s", b,
                   higher_is_better=True,
                   note=f"{backend}, batches of 100 from 2 clients over every kelurahan, "
                        f"{IDLE_CONSOLES} long polls open from another process (kelurahan "
                        f"scopes over {len(regions)} kelurahan, so most batches wake some: "
                        f"{statistics.mean(answered):.0f} answers per run, each then polling "
                        "again) vs none, 2 runs each; ratio = with/without, target >= 0.8")]


def push_with_idle_all() -> list[Figure]:
    return push_with_idle_figures() + push_with_idle_figures(nowhere=True)


def _push_rate(clients: list, loads: list, batches: int = 15) -> float:
    from bench import server_figures as sf

    return sf.push_rate(clients, loads, batches)


class _IdleProcess:
    """``_IdleConsoles`` in a process of its own: 300 consoles are 300 machines, so their
    client work must not take the pushing clients' interpreter lock here."""

    def __init__(self, base: str, tokens: list[str], n: int) -> None:
        self.args = [base, str(n), *tokens]
        self.answered = 0

    def __enter__(self) -> _IdleProcess:
        import subprocess
        import sys

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.live_figures", *self.args], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"the idle consoles did not start: {line!r}")
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self.proc.communicate("stop\n", timeout=120)
        self.answered = int(out.strip().splitlines()[-1])


def _idle_main(argv: list[str]) -> None:
    import sys

    base, n, tokens = argv[0], int(argv[1]), argv[2:]
    with _IdleConsoles(base, tokens, n) as idle:
        print("ready", flush=True)
        sys.stdin.readline()
    print(idle.answered, flush=True)


class _IdleConsoles:
    """``n`` consoles' long polls (wait=55) on an asyncio loop in a thread: each polls
    again from its new cursor when answered, as the watch does."""

    def __init__(self, base: str, tokens: list[str], n: int) -> None:
        self.base, self.tokens, self.n = base, tokens, n
        self.answered = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.tasks: list = []

    def __enter__(self) -> _IdleConsoles:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(60)
        deadline = time.monotonic() + 30
        while self.open < self.n and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # all waiting on the server
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            for t in self.tasks:
                t.cancel()
            for t in self.tasks:
                with contextlib.suppress(BaseException):
                    await t
            await self.client.aclose()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _start(self) -> None:
        import httpx

        self.open = 0
        self.client = httpx.AsyncClient(base_url=self.base, timeout=90, limits=httpx.Limits(
            max_connections=self.n + 10, max_keepalive_connections=self.n + 10))
        for i in range(self.n):
            token = self.tokens[i % len(self.tokens)]
            r = await self.client.get("/v1/pull", params={"cursor": 0, "limit": 1},
                                      headers={"Authorization": f"Bearer {token}"})
            self.tasks.append(asyncio.ensure_future(self._poll(token, r.json()["head"])))

    async def _poll(self, token: str, cursor: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        self.open += 1
        while True:
            r = await self.client.get("/v1/pull", params={"cursor": cursor, "wait": 55},
                                      headers=headers)
            page = r.json()
            if page["count"]:
                self.answered += 1
            cursor = page["next_cursor"]


FIGURES = [("sync.p1_latency_ms", p1_figures), ("sync.p1_latency_slow", slow_link_figures),
           ("sync.idle", idle_figures),
           ("server.push_mutations_per_s_with_idle", push_with_idle_all)]


if __name__ == "__main__":
    import sys

    _idle_main(sys.argv[1:])
