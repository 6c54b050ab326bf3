"""Figures of the console sync engine, measured through the link-shaping proxy against a
real server process on 127.0.0.1.

- ``sync.catchup_7d_s``: seven days offline in one kelurahan's scope — 3,000 server changes
  (1,900 new reports, 500 edits of reports the console had, 600 notes) and 200 reports
  made locally — caught up over 64 kbit/s each way, 500 ms RTT, every connection reset
  every 30 s. From login to "outbox empty and pull at the server's head".
  Baseline: a naive client in the same run (the same engine code with one mutation per
  request, fixed pages of 50 rows, no compression, a fixed 2 s retry).
- ``sync.catchup_7d_round_trips``: HTTP requests plus TCP connections (each costs an RTT).
- ``sync.catchup_7d_bytes``: bytes on the wire both ways, counted by the proxy (including
  whatever a reset wasted).
- ``sync.catchup_limit_ratio``: measured time ÷ (bytes both ways ÷ link rate + round trips
  × RTT): how close the engine gets to what the link physically allows (1.0 = at it).
- ``sync.ui_max_stall_ms``: the longest Qt event-loop stall (a 5 ms timer's lateness)
  while a console catches up 10,000 reports on an unshaped local link, with the engine on
  the qasync loop's worker thread and a view refresh per applied page. Baseline: the
  same catch-up run on the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import requests

from bench.harness import Figure

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-sync-password"
KEL = "3273-2483-30959"
RATE_BPS = 64_000
RTT_S = 0.5
RESET_EVERY_S = 30.0


def _memory_keyring() -> None:
    """The bench never touches the operating system's keyring."""
    import keyring

    from console.sync.testing.memkeyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make_server_db(path: Path) -> None:
    from server import auth
    from server.db import open_database

    db = open_database(str(path))
    try:
        auth.create_account(db, "city", "operator", PASSWORD, profile="fast")
        auth.create_account(db, "kel", "kelurahan", PASSWORD, regions=[KEL], profile="fast")
    finally:
        db.dispose()


@contextlib.contextmanager
def server_process(db_path: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--db", str(db_path), "--host", "127.0.0.1",
         "--port", str(port), "--files", str(db_path.with_suffix(".files")),
         "--log-level", "warning"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/v1/time", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
        yield base, port
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _session(base: str, user: str) -> requests.Session:
    s = requests.Session()
    r = s.post(f"{base}/v1/auth/login", json={"username": user, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    s.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return s


def _push(s: requests.Session, base: str, muts: list[dict]) -> None:
    for i in range(0, len(muts), 500):
        r = s.post(f"{base}/v1/push", json={"mutations": muts[i:i + 500]}, timeout=300)
        r.raise_for_status()
        bad = [x for x in r.json()["results"] if x["status"] not in ("applied", "duplicate")]
        if bad:
            raise RuntimeError(f"bench mutations refused: {bad[:3]}")


def _mut(entity: str, entity_id: str, op: str, fields: dict, base: int | None = None) -> dict:
    return {"id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id, "op": op,
            "fields": fields, "actor": "bench", "at": datetime.now(UTC).isoformat(),
            "base_revision": base, "meta": {}}


def _reports(rng: random.Random, n: int, station: str) -> list[dict]:
    from bench.server_figures import typical_report

    return [typical_report(rng, [KEL], station, i) for i in range(n)]


def _copy_db(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        s = Path(str(src) + suffix)
        if s.exists():
            shutil.copyfile(s, Path(str(dst) + suffix))


class _Console:
    def __init__(self, folder: Path, url: str, **config) -> None:
        from console.store.db import open_database
        from console.store.executor import DbExecutor
        from console.store.seed import ensure_reference_data
        from console.sync.engine import SyncConfig, SyncEngine

        self.database = open_database(folder / "posko.sqlite3")
        conn = self.database.raw()
        ensure_reference_data(conn)
        conn.close()
        self.executor = DbExecutor(self.database)
        self.engine = SyncEngine(self.executor, SyncConfig(server_url=url, username="kel",
                                                           blob_dir=folder / "blobs", **config))

    def close(self) -> None:
        self.engine.close()
        self.executor.shutdown()
        self.database.dispose()


def _until_complete(console: _Console, backoff) -> None:  # noqa: ANN001
    """What SyncService does, without an event loop: cycles, back-off after failures."""
    from console.sync.errors import SyncError

    console.engine.backoff = backoff  # the engine's reset rule decides (retry_delay)
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        try:
            if console.engine.run_cycle().complete:
                return
        except SyncError as exc:
            time.sleep(console.engine.retry_delay(exc))
    raise RuntimeError("the catch-up did not finish within an hour")


def _prepare_week(work: Path, proxy_port: int) -> None:
    """Server and console as they are after seven days apart."""
    from console.operations.intake import NewReport, create_report
    from console.sync.testing.proxy import ProxyThread

    rng = random.Random(7)
    srv = work / "server" / "server.sqlite3"
    srv.parent.mkdir(parents=True)
    _make_server_db(srv)
    with server_process(srv) as (base, port):
        city = _session(base, "city")
        old = _reports(rng, 500, "OLD")
        _push(city, base, [_mut("report", f["id"], "create", f) for f in old])
        # The console has been in sync until a week ago.
        with ProxyThread("127.0.0.1", port, port=proxy_port) as proxy:
            console = _Console(work / "console", proxy.url)
            console.engine.login(PASSWORD)
            from console.sync.link import Backoff

            _until_complete(console, Backoff())
            console.close()
        # The week: on the server ...
        week = _reports(rng, 1900, "SRV")
        muts = [_mut("report", f["id"], "create", f) for f in week]
        for f in old:
            muts.append(_mut("report", f["id"], "patch", {
                "status": "verified", "verified_at": datetime.now(UTC).isoformat(),
                "address": f"{f['address']} (dicek)"}, 1))
        targets = old + week
        for _ in range(600):
            f = rng.choice(targets)
            muts.append(_mut("note", str(uuid.uuid4()), "note", {
                "report_id": f["id"], "body": rng.choice([
                    "Petugas sudah meninjau lokasi.", "Warga melapor ulang, kondisi makin parah.",
                    "Sudah dikoordinasikan dengan dinas terkait.", "Menunggu alat berat."])}))
        _push(city, base, muts)
    # ... and in the office, offline.
    from console.store.db import open_database

    db = open_database(work / "console" / "posko.sqlite3")
    conn = db.raw()
    for f in _reports(rng, 200, "KEL"):
        create_report(conn, "petugas", NewReport(
            channel=f["channel"], category_code=f["category_code"], title=f["title"],
            description=f["description"], reporter_name=f["reporter_name"],
            reporter_phone=f["reporter_phone"], lat=f["lat"], lon=f["lon"],
            address=f["address"], region_code=KEL))
    conn.close()
    db.dispose()


def _catch_up(work: Path, name: str, proxy_port: int, *, naive: bool) -> dict:
    from console.sync.link import Backoff
    from console.sync.testing.proxy import LinkShape, ProxyThread

    srv = work / name / "server.sqlite3"
    _copy_db(work / "server" / "server.sqlite3", srv)
    _copy_db(work / "console" / "posko.sqlite3", work / name / "console" / "posko.sqlite3")
    shape = LinkShape(rate_bps=RATE_BPS, latency_s=RTT_S / 2, reset_every_s=RESET_EVERY_S)
    with server_process(srv) as (_base, port), \
            ProxyThread("127.0.0.1", port, shape, seed=1, port=proxy_port) as proxy:
        if naive:
            console = _Console(work / name / "console", proxy.url, max_push=1, initial_push=1,
                               min_pull=50, max_pull=50, initial_pull=50, attachments=False)
            console.engine.transport.gzip_requests = False
            console.engine.transport.session.headers["Accept-Encoding"] = "identity"
            backoff = Backoff(base=2.0, cap=2.0)
        else:
            console = _Console(work / name / "console", proxy.url)
            backoff = Backoff()
        try:
            t0 = time.monotonic()
            while True:
                try:
                    console.engine.login(PASSWORD)
                    break
                except Exception:  # noqa: BLE001 - a reset during login: try again
                    time.sleep(backoff.next_delay())
            _until_complete(console, backoff)
            elapsed = time.monotonic() - t0
            stats = console.engine.transport.stats
            rows = console.executor.call(
                lambda c: c.execute("SELECT count(*) FROM report").fetchone()[0])
        finally:
            console.close()
        trips = stats.requests + proxy.stats.connections
        wire = proxy.stats.bytes_up + proxy.stats.bytes_down
    limit = wire / (RATE_BPS / 8) + trips * RTT_S
    return {"s": elapsed, "trips": trips, "bytes": wire, "ratio": elapsed / limit,
            "limit": limit, "resets": proxy.stats.resets, "reports": rows,
            "requests": stats.requests, "connections": proxy.stats.connections,
            "up": proxy.stats.bytes_up, "down": proxy.stats.bytes_down}


def catchup_figures() -> list[Figure]:
    _memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-sync-bench-"))
    proxy_port = _free_port()
    try:
        _prepare_week(work, proxy_port)
        ours = _catch_up(work, "ours", proxy_port, naive=False)
        naive = _catch_up(work, "naive", proxy_port, naive=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    def detail(r: dict) -> str:
        return (f"{r['requests']} requests + {r['connections']} connections, "
                f"{r['up']:,} B up / {r['down']:,} B down, {r['resets']} resets, "
                f"link limit {r['limit']:.1f} s")

    note = (f"64 kbit/s each way, RTT 500 ms, reset every 30 s; 3,000 server changes + 200 "
            f"local reports; ours: {detail(ours)}; naive: {detail(naive)}")
    return [
        Figure("sync.catchup_7d_s", ours["s"], "s", naive["s"], note=note),
        Figure("sync.catchup_7d_round_trips", ours["trips"], "round trips", naive["trips"]),
        Figure("sync.catchup_7d_bytes", ours["bytes"], "bytes", naive["bytes"]),
        Figure("sync.catchup_limit_ratio", ours["ratio"], "x link limit", naive["ratio"],
               note="measured time ÷ (bytes both ways ÷ link rate + round trips × RTT)"),
    ]


# --- UI stall during a 10,000-report catch-up -------------------------------------------------

def ui_stall_figures(n: int = 10_000) -> list[Figure]:
    _memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-sync-ui-"))
    try:
        srv = work / "server.sqlite3"
        _make_server_db(srv)
        with server_process(srv) as (base, _port):
            city = _session(base, "city")
            rng = random.Random(11)
            _push(city, base, [_mut("report", f["id"], "create", f)
                               for f in _reports(rng, n, "UI")])
            ours = _stall(work / "ours", base, on_gui_thread=False)
            naive = _stall(work / "naive", base, on_gui_thread=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [Figure("sync.ui_max_stall_ms", ours, "ms", naive,
                   note=f"{n:,} reports caught up on an unshaped local link; baseline: the "
                        "same sync run on the GUI thread")]


def _stall(folder: Path, base: str, *, on_gui_thread: bool) -> float:
    os.environ.setdefault("QT_API", "pyside6")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.sync.service import SyncService
    from console.views.db_bridge import DbBridge

    app = QApplication.instance() or QApplication([])
    folder.mkdir(parents=True)
    console = _Console(folder, base)
    console.engine.login(PASSWORD)
    bridge = DbBridge(console.executor)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    gaps: list[float] = []
    last = [time.perf_counter()]
    timer = QTimer()
    timer.setInterval(5)

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer.timeout.connect(tick)

    def refresh_view(changes) -> None:  # noqa: ANN001 - what a queue view does per change
        ids = sorted(changes.report_ids)[:200]
        bridge.submit(lambda c, ids=ids: c.execute(
            f"SELECT id, ticket, title, status, priority FROM report WHERE id IN "
            f"({','.join('?' * len(ids))})", ids).fetchall(), channel="view")

    done = asyncio.Event()

    async def run() -> None:
        timer.start()
        last[0] = time.perf_counter()
        if on_gui_thread:
            await asyncio.sleep(0.1)
            console.engine.on_changes = refresh_view
            while not console.engine.run_cycle().complete:  # blocks the loop: the naive way
                pass
        else:
            service = SyncService(console.engine, idle_interval=3600)
            service.subscribe(on_changes=refresh_view)
            service.start()
            while not (service.last_report and service.last_report.complete):
                await asyncio.sleep(0.05)
            await service.stop()
        await asyncio.sleep(0.2)
        timer.stop()
        done.set()

    try:
        with loop:
            loop.run_until_complete(run())
    finally:
        bridge.shutdown()
        with contextlib.suppress(Exception):
            console.close()
        asyncio.set_event_loop(None)
    return (max(gaps) - 0.005) * 1000 if gaps else 0.0


FIGURES = [("sync.catchup", catchup_figures), ("sync.ui", ui_stall_figures)]
