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
- ``sync.catchup_7d_bytes_up`` / ``_bytes_down``: the two directions of the above.
- ``sync.catchup_payload_floor_ratio``: measured time ÷ (gzip -6 size of the documents
  exchanged ÷ link rate), see ``payload_floor``: how far from carrying only the content.
- ``sync.catchup_longest_wait_s``: the longest back-off wait of the catch-up
  (``engine.retries``).
- ``sync.corpus_gzip_bytes_per_report``: how hard the catch-up's corpus is to compress:
  gzip -6 of the JSON of every report on the server after the catch-up ÷ their number
  (issue 11 asks >= 110). Baseline: the few-template corpus used before.

The texts come from bench/corpus.py; the console's 200 local reports are worked through
verify / reject / dispatch / start / resolve / close and notes with the console's own
operations before the catch-up, so its outbox holds what an office's week leaves (756
mutations).
- ``sync.ui_max_stall_ms``: the longest Qt event-loop stall (a 5 ms timer's lateness)
  while a console catches up 10,000 reports on an unshaped local link, with the engine on
  the qasync loop's worker thread and a view refresh per applied page. Baseline: the
  same catch-up run on the GUI thread.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import requests

from bench.harness import ROOT, Figure, free_port, memory_keyring, wait_until_up
from console.sync.testing.processes import stop_process

PASSWORD = "bench-sync-password"
KEL = "3273-2483-30959"
RATE_BPS = 64_000
RTT_S = 0.5
RESET_EVERY_S = 30.0


def _make_server_db(path: Path) -> None:
    from server import auth
    from server.open_db import open_database

    db = open_database(str(path))
    try:
        auth.create_account(db, "city", "operator", PASSWORD, profile="fast")
        auth.create_account(db, "kel", "kelurahan", PASSWORD, regions=[KEL], profile="fast")
    finally:
        db.dispose()


@contextlib.contextmanager
def server_process(db_path: Path, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, int]]:
    """``extra``: more ``posko server run`` options (the sensor bench's ``--mqtt``)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--db", str(db_path), "--host", "127.0.0.1",
         "--port", str(port), "--files", str(db_path.with_suffix(".files")),
         "--log-level", "warning", *extra], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/v1/time")
        yield base, port
    finally:
        stop_process(proc, 15)


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
    """Few-template reports (bench.server_figures): enough for the UI stall figure."""
    from bench.server_figures import typical_report

    return [typical_report(rng, [KEL], station, i) for i in range(n)]


def _corpus(rng: random.Random, n: int, station: str) -> list[dict]:
    """Reports as hard to compress as real complaints (bench/corpus.py, issue 11)."""
    from bench.corpus import reports

    return reports(rng, n, KEL, station)


def _server_head(db_path: Path) -> int:
    """The server's change sequence head (the last ``seq`` it handed out)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT value FROM counter WHERE name = 'seq'").fetchone()[0]
    finally:
        conn.close()


def _documents(db_path: Path, since_seq: int = 0) -> dict[str, list[dict]]:
    """The reports, notes and dispatches of a server database whose latest change is after
    ``since_seq``, in their final state, as the documents a pull carries (the wire columns
    of server/changes.py, keyed by name; times as the server stores them)."""
    from console.domain.wire import DISPATCH_WIRE, NOTE_WIRE, REPORT_WIRE

    conn = sqlite3.connect(db_path)
    try:
        out = {}
        for table, cols in (("report", REPORT_WIRE), ("note", NOTE_WIRE),
                            ("dispatch", DISPATCH_WIRE)):
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE seq > ? "
                                "ORDER BY seq", (since_seq,)).fetchall()
            out[table] = [dict(zip(cols, row, strict=True)) for row in rows]
        return out
    finally:
        conn.close()


def _gzip6(docs: list[dict]) -> int:
    raw = json.dumps(docs, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return len(gzip.compress(raw, compresslevel=6))


def payload_floor(db_path: Path, since_seq: int) -> dict:
    """What the catch-up had to carry at the least: every document exchanged in either
    direction, in its final state, gzip -6 compressed as one JSON list.

    "Exchanged" = every report, note and dispatch of the server database (read after the
    catch-up, from the SQLite file) changed since ``since_seq``, the server's head when the
    console was last in sync: the week's new and edited reports and notes travel down; the
    console's own reports with their dispatches and notes travel up and get their seq
    when the server applies them. ``bytes`` ÷ link rate is the floor time: no protocol
    can carry this content in less. Mutation envelopes, HTTP, TCP, round trips and
    intermediate states (a report verified, then dispatched, ...) all come on top."""
    docs = _documents(db_path, since_seq)
    everything = docs["report"] + docs["note"] + docs["dispatch"]
    size = _gzip6(everything)
    return {"bytes": size, "s": size / (RATE_BPS / 8),
            **{f"n_{k}": len(v) for k, v in docs.items()}}


def _copy_db(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        s = Path(str(src) + suffix)
        if s.exists():
            shutil.copyfile(s, Path(str(dst) + suffix))
    from console.store import dbkey

    dbkey.copy_key(src.parent, dst.parent)  # an encrypted console database's key is per folder


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


def _prepare_week(work: Path, proxy_port: int) -> dict:
    """Server and console as they are after seven days apart. Returns the server's head
    when the console was last in sync and the console's outbox by (entity, op)."""
    from bench.corpus import intake, note_body, office_workflow
    from console.sync.testing.proxy import ProxyThread

    rng = random.Random(7)
    srv = work / "server" / "server.sqlite3"
    srv.parent.mkdir(parents=True)
    _make_server_db(srv)
    with server_process(srv) as (base, port):
        city = _session(base, "city")
        old = _corpus(rng, 500, "OLD")
        _push(city, base, [_mut("report", f["id"], "create", f) for f in old])
        # The console has been in sync until a week ago.
        with ProxyThread("127.0.0.1", port, port=proxy_port) as proxy:
            console = _Console(work / "console", proxy.url)
            console.engine.login(PASSWORD)
            from console.sync.link import Backoff

            _until_complete(console, Backoff())
            console.close()
        in_sync_at = _server_head(srv)
        # The week: on the server ...
        week = _corpus(rng, 1900, "SRV")
        muts = [_mut("report", f["id"], "create", f) for f in week]
        for f in old:
            muts.append(_mut("report", f["id"], "patch", {
                "status": "verified", "verified_at": datetime.now(UTC).isoformat(),
                "address": f"{f['address']} (dicek)"}, 1))
        targets = old + week
        for _ in range(600):
            f = rng.choice(targets)
            muts.append(_mut("note", str(uuid.uuid4()), "note",
                             {"report_id": f["id"], "body": note_body(rng, KEL)}))
        _push(city, base, muts)
    # ... and in the office, offline: intake, then the workflow as the office works it.
    from console.store.db import open_database

    db = open_database(work / "console" / "posko.sqlite3")
    conn = db.raw()
    try:
        ids = intake(conn, _corpus(rng, 200, "KEL"), KEL, actor="petugas")
        office_workflow(conn, ids, rng, actor="petugas")
        outbox = {f"{e}/{o}": n for e, o, n in conn.execute(
            "SELECT entity, op, count(*) FROM outbox GROUP BY entity, op ORDER BY entity, op")}
    finally:
        conn.close()
        db.dispose()
    return {"in_sync_at": in_sync_at, "outbox": outbox}


def _catch_up(work: Path, name: str, proxy_port: int, in_sync_at: int, *, naive: bool) -> dict:
    from console.sync.link import Backoff
    from console.sync.testing.proxy import LinkShape, ProxyThread

    srv = work / name / "server.sqlite3"
    _copy_db(work / "server" / "server.sqlite3", srv)
    _copy_db(work / "console" / "posko.sqlite3", work / name / "console" / "posko.sqlite3")
    shape = LinkShape(rate_bps=RATE_BPS, latency_s=RTT_S / 2, reset_every_s=RESET_EVERY_S)
    with server_process(srv) as (_base, port), \
            ProxyThread("127.0.0.1", port, shape, seed=1, port=proxy_port) as proxy:
        if naive:
            # One mutation per request as written, one connection, one direction at a time.
            console = _Console(work / name / "console", proxy.url, max_push=1, initial_push=1,
                               min_pull=50, max_pull=50, initial_pull=50, attachments=False,
                               parallel_lanes=False, coalesce=False)
            console.engine.transport.gzip_requests = False
            console.engine.transport.session.headers["Accept-Encoding"] = "identity"
            backoff = Backoff(base=2.0, cap=2.0)
        else:
            console = _Console(work / name / "console", proxy.url)
            backoff = Backoff()
        try:
            login_waits = []
            t0 = time.monotonic()
            while True:
                try:
                    console.engine.login(PASSWORD)
                    break
                except Exception:  # noqa: BLE001 - a reset during login: try again
                    login_waits.append(backoff.next_delay())
                    time.sleep(login_waits[-1])
            _until_complete(console, backoff)
            elapsed = time.monotonic() - t0
            stats = console.engine.transport.stats
            retries = list(console.engine.retries)
            rows, left = console.executor.call(lambda c: (
                c.execute("SELECT count(*) FROM report").fetchone()[0],
                c.execute("SELECT count(*) FROM outbox").fetchone()[0]))
        finally:
            console.close()
        trips = stats.requests + proxy.stats.connections
        wire = proxy.stats.bytes_up + proxy.stats.bytes_down
    floor = payload_floor(srv, in_sync_at)
    limit = wire / (RATE_BPS / 8) + trips * RTT_S
    longest = max(retries, key=lambda r: r.delay, default=None)
    return {"s": elapsed, "trips": trips, "bytes": wire, "ratio": elapsed / limit,
            "limit": limit, "resets": proxy.stats.resets, "reports": rows, "outbox_left": left,
            "requests": stats.requests, "connections": proxy.stats.connections,
            "up": proxy.stats.bytes_up, "down": proxy.stats.bytes_down,
            "floor": floor, "floor_ratio": elapsed / floor["s"],
            "longest_wait": longest.delay if longest else 0.0,
            "longest_in_a_row": longest.in_a_row if longest else 0,
            "retries": len(retries), "login_waits": login_waits,
            "corpus": _corpus_bytes_per_report(srv)}


def _corpus_bytes_per_report(db_path: Path) -> tuple[float, int]:
    """gzip -6 of the JSON list of every report on the server in its final state (all
    wire columns), divided by their number; and that number."""
    docs = _documents(db_path)["report"]
    return _gzip6(docs) / len(docs), len(docs)


def catchup_figures() -> list[Figure]:
    memory_keyring()
    work = Path(tempfile.mkdtemp(prefix="posko-sync-bench-"))
    proxy_port = free_port()
    try:
        week = _prepare_week(work, proxy_port)
        ours = _catch_up(work, "ours", proxy_port, week["in_sync_at"], naive=False)
        naive = _catch_up(work, "naive", proxy_port, week["in_sync_at"], naive=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for r in (ours, naive):
        if r["outbox_left"] or r["reports"] != 2600:
            raise RuntimeError(f"the catch-up did not end complete: {r}")

    def detail(r: dict) -> str:
        return (f"{r['requests']} requests + {r['connections']} connections, "
                f"{r['up']:,} B up / {r['down']:,} B down, {r['resets']} resets, "
                f"link limit {r['limit']:.1f} s")

    outbox = week["outbox"]
    held = sum(outbox.values())
    mix = ", ".join(f"{n} {k}" for k, n in outbox.items())
    note = (f"64 kbit/s each way, RTT 500 ms, reset every 30 s; 3,000 server changes (1,900 "
            f"new reports, 500 edits, 600 notes; bench/corpus.py texts) + 200 local reports "
            f"worked through verify/reject/dispatch/start/resolve/close and notes: the "
            f"console held {held} outbox mutations before the catch-up ({mix}); "
            f"ours: {detail(ours)}; naive: {detail(naive)}")
    f = ours["floor"]
    floor_note = (f"measured time ÷ (gzip -6 size of the documents exchanged ÷ 64 kbit/s). "
                  f"Documents = every report, note and dispatch on the server changed since "
                  f"the console was last in sync, in its final state after the catch-up "
                  f"(read from the server's SQLite file; JSON objects of the pull's wire "
                  f"columns, one list, gzip -6): {f['n_report']:,} reports, {f['n_note']} "
                  f"notes, {f['n_dispatch']} dispatches = {f['bytes']:,} B, floor "
                  f"{f['s']:.1f} s (naive run's final state: {naive['floor']['bytes']:,} B)")
    corpus, count = ours["corpus"]
    old = _old_corpus_bytes_per_report()
    new = _new_corpus_bytes_per_report()
    corpus_note = (f"gzip -6 of the JSON list of all {count:,} report documents on the server "
                   f"after the catch-up (final full rows: the pull's wire columns, UTF-8, "
                   f"compact JSON), ÷ {count:,}. Baseline: bench.server_figures.typical_report "
                   f"(the few-template corpus used before), 3,000 create documents measured "
                   f"the same way; bench/corpus.py on 3,000 create documents: {new:.1f} B")

    def waits(r: dict) -> str:
        login = f", login retried after {', '.join(f'{w:.1f}' for w in r['login_waits'])} s" \
            if r["login_waits"] else ""
        return (f"{r['retries']} retries, longest {r['longest_wait']:.1f} s at "
                f"{r['longest_in_a_row']} failures in a row{login}")

    return [
        Figure("sync.catchup_7d_s", ours["s"], "s", naive["s"], note=note),
        Figure("sync.catchup_7d_round_trips", ours["trips"], "round trips", naive["trips"]),
        Figure("sync.catchup_7d_bytes", ours["bytes"], "bytes", naive["bytes"]),
        Figure("sync.catchup_7d_bytes_up", ours["up"], "bytes", naive["up"]),
        Figure("sync.catchup_7d_bytes_down", ours["down"], "bytes", naive["down"]),
        Figure("sync.catchup_limit_ratio", ours["ratio"], "x link limit", naive["ratio"],
               note="measured time ÷ (bytes both ways ÷ link rate + round trips × RTT)"),
        Figure("sync.catchup_payload_floor_ratio", ours["floor_ratio"], "x payload floor",
               naive["floor_ratio"], note=floor_note),
        Figure("sync.catchup_longest_wait_s", ours["longest_wait"], "s", naive["longest_wait"],
               note=f"the longest back-off wait in engine.retries; ours: {waits(ours)}; "
                    f"naive (fixed 2 s): {waits(naive)}"),
        Figure("sync.corpus_gzip_bytes_per_report", corpus, "B/report", old,
               higher_is_better=True, note=corpus_note),
    ]


def _old_corpus_bytes_per_report(n: int = 3000) -> float:
    from bench.corpus import gzip_bytes_per_report

    return gzip_bytes_per_report(_reports(random.Random(7), n, "SRV"))


def _new_corpus_bytes_per_report(n: int = 3000) -> float:
    from bench.corpus import gzip_bytes_per_report

    return gzip_bytes_per_report(_corpus(random.Random(7), n, "SRV"))


# --- UI stall during a 10,000-report catch-up -------------------------------------------------

def ui_stall_figures(n: int = 10_000) -> list[Figure]:
    memory_keyring()
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
    from console.views.bootstrap import bootstrap
    from console.views.db_bridge import DbBridge

    bootstrap()
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
