"""Figures of the central server, measured over real HTTP against a server process.

- ``server.push_mutations_per_s``: PostgreSQL, batches of 100 typical console mutations
  (creates, patches, notes) from 2 concurrent consoles; baseline: one mutation per request.
- ``server.push_mutations_per_s_sqlite``: the same on a SQLite file.
- ``server.multiworker_push_mutations_per_s``: PostgreSQL, ``posko server run --workers 4``,
  8 consoles pushing batches of 50 at once; baseline: the same against ``--workers 1`` in
  the same run. The note carries the CPU seconds the server processes and PostgreSQL
  spent, which is what says where the time went (docs/deploy.md, "How many workers").
- ``server.pull_bytes_per_report``: median gzip bytes on the wire per typical report
  (no photo) over pull pages of 500; baseline: an uncompressed JSON list of full rows.
- ``server.pull_reports_per_s``: reports per second through pull pages of 1000 (fetch,
  decompress, parse); baseline: one GET /v1/reports/{id} per report.

PostgreSQL comes from ``POSKO_BENCH_PG_URL`` (or ``POSKO_TEST_PG_URL``, default
postgresql://postgres@127.0.0.1:5432/test); a throwaway database is made and dropped.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.harness import Figure, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-123"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
BATCH = 100
CLIENTS = 2
MW_CLIENTS = 8
MW_BATCH = 50
MW_WORKERS = 4

# --- typical reports ------------------------------------------------------------------------

_STREETS = ["Jl. Cihampelas", "Jl. Dago", "Jl. Pasteur", "Jl. Soekarno-Hatta", "Jl. Asia Afrika",
            "Jl. Braga", "Jl. Setiabudi", "Jl. Riau", "Jl. Buah Batu", "Jl. Kiaracondong",
            "Jl. Pajajaran", "Jl. Sukajadi", "Jl. Gatot Subroto", "Jl. Ahmad Yani"]
_NAMES = ["Ibu Sari", "Pak Budi", "Dedi Supriadi", "Siti Nurhaliza", "Asep Saepudin",
          "Rina Marlina", "Ujang", "Euis Komalasari", "Agus Setiawan", None, None]
_KINDS = [
    ("jalan_rusak", "Jalan berlubang di {s}", "Lubang cukup dalam di dekat {p}, berbahaya bagi "
     "pengendara motor terutama malam hari."),
    ("sampah", "Sampah menumpuk di {s}", "Sampah belum diangkut sejak {d} hari, mulai bau dan "
     "mengganggu warga sekitar {p}."),
    ("drainase", "Saluran air tersumbat di {s}", "Got mampet di depan {p}, air meluap ke jalan "
     "saat hujan."),
    ("banjir", "Genangan air di {s}", "Genangan setinggi {d}0 cm setelah hujan deras, kendaraan "
     "sulit lewat dekat {p}."),
    ("lampu_jalan", "PJU mati di {s}", "Lampu jalan mati sudah {d} malam di sekitar {p}, "
     "jalan gelap."),
    ("pohon_tumbang", "Pohon tumbang di {s}", "Pohon tumbang menutup sebagian jalan dekat {p}."),
    ("kebisingan", "Kebisingan di {s}", "Suara musik keras sampai larut malam di sekitar {p}."),
    ("kecelakaan", "Kecelakaan di {s}", "Tabrakan motor dan mobil dekat {p}, ada korban luka."),
]
_PLACES = ["halte", "pasar", "masjid", "sekolah dasar", "gang Mawar", "pertigaan", "minimarket",
           "pos ronda", "kantor kelurahan", "jembatan"]
_CHANNELS = ["phone", "phone_112", "whatsapp", "sms", "walk_in", "app"]


def _kelurahan() -> list[str]:
    from console.store.regions import kelurahan_codes

    return list(kelurahan_codes("bandung"))


def typical_report(rng: random.Random, regions: list[str], station: str, n: int) -> dict:
    cat, title, desc = rng.choice(_KINDS)
    street = rng.choice(_STREETS)
    place = rng.choice(_PLACES)
    created = datetime(2026, 11, 20, tzinfo=UTC) + timedelta(seconds=rng.randrange(700_000))
    stamp = created.strftime("%Y-%m-%d %H:%M:%S.%f")
    name = rng.choice(_NAMES)
    rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return {
        "id": rid, "ticket": f"{station}-{created:%y%m%d}-{n:05d}",
        "channel": rng.choice(_CHANNELS), "category_code": cat,
        "priority": rng.choice([2, 3, 3, 3, 4]), "status": "new", "triage": None,
        "title": title.format(s=street),
        "description": desc.format(p=place, d=rng.randint(2, 9)),
        "reporter_name": name,
        "reporter_phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}"
        if name else None,
        "lat": round(rng.uniform(-6.96, -6.85), 6), "lon": round(rng.uniform(107.55, 107.73), 6),
        "address": f"{street} No. {rng.randint(1, 250)}", "region_code": rng.choice(regions),
        "created_at": stamp, "updated_at": stamp, "sla_due_at": None, "revision": 1,
        "created_by": f"op{rng.randint(1, 12)}",
    }


def _mutation(entity: str, entity_id: str, op: str, fields: dict, base: int | None = None) -> dict:
    return {"id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id, "op": op,
            "fields": fields, "actor": "op1", "at": datetime.now(UTC).isoformat(),
            "base_revision": base, "meta": {}}


class Workload:
    """A console's stream of mutations: 40% creates, 40% patches, 20% notes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.regions = _kelurahan()
        self.station = f"B{seed:02d}"
        self.n = 0
        self.edits = 0
        self.known: list[list] = []  # [report_id, revision, status]

    def next(self) -> dict:
        r = self.rng.random()
        if self.known and r < 0.4:
            item = self.rng.choice(self.known)
            rid, rev, status = item
            self.edits += 1  # every patch changes something, so revisions advance
            fields: dict = {"address": f"{self.rng.choice(_STREETS)} No. {self.edits}"}
            if status == "new":
                fields.update(status="verified", verified_at=datetime.now(UTC).isoformat())
                item[2] = "verified"
            elif status == "verified":
                fields.update(status="dispatched", assigned_agency="pupr",
                              dispatched_at=datetime.now(UTC).isoformat())
                item[2] = "dispatched"
            item[1] = rev + 1
            return _mutation("report", rid, "patch", fields, rev)
        if self.known and r < 0.6:
            rid = self.rng.choice(self.known)[0]
            return _mutation("note", str(uuid.uuid4()), "note",
                             {"report_id": rid, "body": "Petugas sudah meninjau lokasi."})
        self.n += 1
        f = typical_report(self.rng, self.regions, self.station, self.n)
        self.known.append([f["id"], 1, "new"])
        return _mutation("report", f["id"], "create", f)


# --- a server process -----------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server_process(db_url: str, files: Path, workers: int = 1) -> Iterator[str]:
    from server import auth
    from server.db import open_database

    db = open_database(db_url)
    try:
        from sqlalchemy import text

        with db.read() as conn:
            have = {r[0] for r in conn.execute(text("SELECT username FROM account"))}
        for i in range(max(CLIENTS + 1, MW_CLIENTS)):
            if f"bench{i}" not in have:
                auth.create_account(db, f"bench{i}", "operator", PASSWORD)
    finally:
        db.dispose()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--db", db_url, "--host", "127.0.0.1",
         "--port", str(port), "--files", str(files), "--log-level", "warning",
         "--workers", str(workers), "--data-dir", str(files.parent / f"data-{port}")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server_process.pid = proc.pid  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/v1/health")
        deadline = time.monotonic() + 60
        # several workers: the first one up answers the health check; wait for the rest
        while workers > 1 and len(_children(proc.pid)) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("not every worker started")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = []
    for k in map(int, kids):
        try:
            if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes():
                out.append(k)
        except OSError:
            pass
    return out


def _cpu_s(pids: list[int]) -> dict[int, float]:
    """User+system CPU seconds of these processes so far (Linux /proc), by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    # a process that started during the run counts from 0; one that ended is lost
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


def _postgres_pids() -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if (p / "comm").read_text().strip() == "postgres":
                    out.append(int(p.name))
            except OSError:
                pass
    return out


def measure_parallel_push(base: str, server_pid: int, seed: int, batches: int = 12) -> tuple[float, str]:
    """Mutations/s with MW_CLIENTS consoles pushing batches of MW_BATCH at once, and where
    the CPU went (server processes, PostgreSQL) during the timed part."""
    clients = [_login(base, i) for i in range(MW_CLIENTS)]
    loads = [Workload(seed=seed + i) for i in range(MW_CLIENTS)]
    for c, w in zip(clients, loads, strict=True):
        _push(c, [w.next() for _ in range(MW_BATCH)])
    prepared = [[[w.next() for _ in range(MW_BATCH)] for _ in range(batches)] for w in loads]
    barrier = threading.Barrier(MW_CLIENTS + 1)

    def run(i: int) -> None:
        barrier.wait()
        for batch in prepared[i]:
            _push(clients[i], batch)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(MW_CLIENTS)]
    for t in threads:
        t.start()
    server = [server_pid, *_children(server_pid)]
    cpu0 = (_cpu_s(server), _cpu_s(_postgres_pids()), os.times())
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    me = os.times()
    cpu = (_cpu_delta(cpu0[0], _cpu_s(server)), _cpu_delta(cpu0[1], _cpu_s(_postgres_pids())),
           me.user + me.system - cpu0[2].user - cpu0[2].system)
    for c in clients:
        c.close()
    n = MW_CLIENTS * batches * MW_BATCH
    where = (f"{wall:.1f} s wall: server {cpu[0]:.1f} s CPU ({cpu[0] / n * 1000:.2f} ms a "
             f"mutation), PostgreSQL {cpu[1]:.1f} s, bench clients {cpu[2]:.1f} s")
    return n / wall, where, cpu[0] / n


def _login(base: str, i: int) -> httpx.Client:
    r = httpx.post(f"{base}/v1/auth/login", json={"username": f"bench{i}", "password": PASSWORD})
    r.raise_for_status()
    return httpx.Client(base_url=base, timeout=120,
                        headers={"Authorization": f"Bearer {r.json()['token']}"})


def _push(client: httpx.Client, muts: list[dict]) -> None:
    r = client.post("/v1/push", json={"mutations": muts})
    r.raise_for_status()
    bad = [x for x in r.json()["results"] if x["status"] not in ("applied", "duplicate")]
    if bad:
        raise RuntimeError(f"bench mutations refused: {bad[:3]}")


def push_rate(clients: list, loads: list, batches: int) -> float:
    """Mutations/s of ``batches`` batches of BATCH from every client at once (each client
    its own thread, all released together; workloads carry on from call to call)."""
    prepared = [[[w.next() for _ in range(BATCH)] for _ in range(batches)] for w in loads]
    barrier = threading.Barrier(len(clients) + 1)

    def run(i: int) -> None:
        barrier.wait()
        for batch in prepared[i]:
            _push(clients[i], batch)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return len(clients) * batches * BATCH / (time.perf_counter() - t0)


def measure_push(base: str, batches: int = 25, single: int = 300) -> tuple[float, float]:
    """(mutations/s with batches of 100 from CLIENTS consoles, mutations/s one per request)."""
    clients = [_login(base, i) for i in range(CLIENTS)]
    loads = [Workload(seed=i + 1) for i in range(CLIENTS)]
    for c, w in zip(clients, loads, strict=True):  # warm up: connections, caches, plans
        _push(c, [w.next() for _ in range(BATCH)])
    batched = push_rate(clients, loads, batches)
    one = [loads[0].next() for _ in range(single)]
    t0 = time.perf_counter()
    for m in one:
        _push(clients[0], [m])
    baseline = single / (time.perf_counter() - t0)
    for c in clients:
        c.close()
    return batched, baseline


def measure_pull(base: str, reports: int = 3000) -> tuple[float, float, float, float]:
    """(median gzip bytes/report, uncompressed full-row JSON bytes/report,
    reports/s through pull, reports/s one GET per report)."""
    client = _login(base, CLIENTS)
    # pushed through another login: the change feed leaves out a session's own pushes
    writer = _login(base, CLIENTS)
    start = client.get("/v1/pull", params={"cursor": 0, "limit": 1}).json()["head"]
    w = Workload(seed=99)
    made = 0
    while made < reports:  # typical mix: new, verified, dispatched reports
        batch = []
        for _ in range(BATCH):
            m = w.next()
            while m["entity"] == "note":
                m = w.next()
            batch.append(m)
            made += m["op"] == "create"
        _push(writer, batch)
    per_report, full_rows, cursor = [], [], start
    while True:
        with client.stream("GET", "/v1/pull", params={"cursor": cursor, "limit": 500},
                           headers={"Accept-Encoding": "gzip"}) as r:
            wire = b"".join(r.iter_raw())
            gzipped = r.headers.get("content-encoding") == "gzip"  # an empty page is plain
        page = json.loads(gzip.decompress(wire) if gzipped else wire)
        table = page["tables"].get("report")
        if table and len(table["rows"]) == page["count"]:
            per_report.append(len(wire) / page["count"])
            full_rows.extend(_full_row(table["cols"], row) for row in table["rows"])
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    baseline_bytes = len(json.dumps(full_rows, ensure_ascii=False).encode()) / len(full_rows)
    t0 = time.perf_counter()
    n, cursor = 0, start
    while True:
        page = client.get("/v1/pull", params={"cursor": cursor, "limit": 1000}).json()
        n += len(page["tables"].get("report", {}).get("rows", []))
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    rate = n / (time.perf_counter() - t0)
    ids = [row["id"] for row in full_rows[:200]]
    t0 = time.perf_counter()
    for rid in ids:
        client.get(f"/v1/reports/{rid}").raise_for_status()
    one_by_one = len(ids) / (time.perf_counter() - t0)
    client.close()
    writer.close()
    return statistics.median(per_report), baseline_bytes, rate, one_by_one


def _full_row(cols: list[str], row: list) -> dict:
    """A report as a naive API would send it: every column, nulls and ISO times included."""
    full = dict(zip(cols, row + [None] * (len(cols) - len(row)), strict=True))
    for k, v in full.items():
        if k.endswith("_at") and isinstance(v, int):
            full[k] = datetime.fromtimestamp(v / 1000, UTC).isoformat()
    full.update(field_revs="{}", received_at=full["updated_at"])
    return full


# --- databases ------------------------------------------------------------------------------

@contextlib.contextmanager
def pg_database() -> Iterator[str | None]:
    url = os.environ.get("POSKO_BENCH_PG_URL") or os.environ.get("POSKO_TEST_PG_URL") or PG_DEFAULT
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        import psycopg

        admin = psycopg.connect(plain, autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001
        print(f"  PostgreSQL unavailable ({exc}); PostgreSQL figures skipped", flush=True)
        yield None
        return
    name = f"posko_bench_{secrets.token_hex(5)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield plain.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def write_lock_ceiling(pg_url: str, batches: int = 30) -> tuple[float, float]:
    """``push()`` itself, one batch after another in this process: no HTTP, no JSON, no
    auth - what runs inside the global write lock (one write transaction a batch). Returns
    (mutations/s, CPU seconds a mutation). However many workers there are, they take turns
    at that lock: the lock's share of a request's CPU bounds what more workers can gain
    (Amdahl), on a machine with cores to spare."""
    from sqlalchemy import text

    from server.db import open_database
    from server.push import push
    from server.reference import Reference
    from server.scope import Principal

    db = open_database(pg_url)
    try:
        with db.read() as conn:
            account = conn.execute(text("SELECT id FROM account WHERE username = 'bench0'")).scalar_one()
        who = Principal.from_row(account, "bench0", "operator", "[]")
        ref = Reference(db, "bandung")
        w = Workload(seed=900)
        prepared = [[w.next() for _ in range(MW_BATCH)] for _ in range(batches + 1)]
        push(db, ref, who, prepared.pop(), tz="Asia/Jakarta", enforce_bounds=True)  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        for batch in prepared:
            results = push(db, ref, who, batch, tz="Asia/Jakarta", enforce_bounds=True)
            assert all(r.status in ("applied", "duplicate") for r in results), results[:2]
        n = batches * MW_BATCH
        return n / (time.perf_counter() - t0), (time.process_time() - c0) / n
    finally:
        db.dispose()


def multiworker_figure(pg_url: str, tmp: Path) -> Figure:
    rates = {}
    for workers in (1, MW_WORKERS):
        with server_process(pg_url, tmp / f"files-mw{workers}", workers=workers) as base:
            # other seeds each run: new reports, not the first run's again
            rates[workers] = measure_parallel_push(base, server_process.pid, 100 * workers)
    locked_rate, locked_cpu = write_lock_ceiling(pg_url)
    load = os.getloadavg()[0]
    (four, where4, _), (one, where1, request_cpu) = rates[MW_WORKERS], rates[1]
    share = locked_cpu / request_cpu if request_cpu else 0.0
    return Figure(
        "server.multiworker_push_mutations_per_s", four, "mut/s", one, higher_is_better=True,
        note=f"PostgreSQL, {MW_WORKERS} workers vs 1 (baseline), {MW_CLIENTS} consoles, "
             f"batches of {MW_BATCH}, {os.cpu_count()} CPUs shared by server, PostgreSQL and "
             f"clients (load average {load:.1f}); {MW_WORKERS} workers: {where4}; 1 worker: "
             f"{where1}; push() alone (the write-locked part), serially in one process: "
             f"{locked_rate:.0f} mut/s, {locked_cpu * 1000:.2f} ms CPU a mutation = "
             f"{share:.0%} of a request's server CPU, so at most {1 / share if share else 0:.1f}x "
             "from more workers given free cores (Amdahl); target >= 1.5x")


def mw_only() -> list[Figure]:
    """Only the multi-worker figure (``python -m bench.server_figures multiworker``)."""
    tmp = Path(tempfile.mkdtemp(prefix="posko-bench-mw-"))
    try:
        with pg_database() as pg_url:
            return [multiworker_figure(pg_url, tmp)] if pg_url else []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def figures() -> list[Figure]:
    out: list[Figure] = []
    tmp = Path(tempfile.mkdtemp(prefix="posko-bench-server-"))
    try:
        with server_process(str(tmp / "server.sqlite3"), tmp / "files-sqlite") as base:
            batched, single = measure_push(base)
            out.append(Figure("server.push_mutations_per_s_sqlite", batched, "mut/s", single,
                              higher_is_better=True,
                              note=f"SQLite, batches of {BATCH} from {CLIENTS} consoles; "
                                   "baseline one mutation per request"))
            pull_sqlite = measure_pull(base)
        with pg_database() as pg_url:
            pull, backend = pull_sqlite, "SQLite"
            if pg_url:
                with server_process(pg_url, tmp / "files-pg") as base:
                    batched, single = measure_push(base)
                    out.insert(0, Figure(
                        "server.push_mutations_per_s", batched, "mut/s", single,
                        higher_is_better=True,
                        note=f"PostgreSQL, batches of {BATCH} from {CLIENTS} consoles; "
                             "baseline one mutation per request; target >= 1000"))
                    pull, backend = measure_pull(base), "PostgreSQL"
                out.insert(1, multiworker_figure(pg_url, tmp))
        median_bytes, full_bytes, rate, one_by_one = pull
        out.append(Figure("server.pull_bytes_per_report", median_bytes, "bytes", full_bytes,
                          note=f"{backend}; median gzip bytes on the wire per report, pages of "
                               "500; baseline uncompressed JSON list of full rows; target <= 200"))
        out.append(Figure("server.pull_reports_per_s", rate, "reports/s", one_by_one,
                          higher_is_better=True,
                          note=f"{backend}; pull pages of 1000; baseline one GET per report"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


FIGURES = [("server.", figures)]


if __name__ == "__main__":
    for fig in (mw_only() if sys.argv[1:] == ["multiworker"] else figures()):
        print(f"{fig.name:<36} {fig.value:>10.1f} {fig.unit:<10} baseline {fig.baseline:.1f}"
              f"  ratio {fig.ratio:.1f}x  ({fig.note})")
