"""Figures of the central server, measured over real HTTP against a server process.

- ``server.push_mutations_per_s``: PostgreSQL, batches of 100 typical console mutations
  (creates, patches, notes) from 2 concurrent consoles; baseline: one mutation per request.
- ``server.push_mutations_per_s_sqlite``: the same on a SQLite file.
- ``server.multiworker_push_mutations_per_s``: PostgreSQL, ``posko server run --workers 4``,
  8 consoles pushing batches of 50 at once; baseline: the same against ``--workers 1`` in
  the same run (``python -m bench.server_figures multiworker [ROUNDS]``: alternating
  rounds, medians). The note carries the CPU seconds the server processes and PostgreSQL
  spent and, from the pushes' own timings (server/push_phases.py), how long the write lock
  was held and for what: that says where the time went (docs/deploy.md, "How many workers").
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

from bench.harness import ROOT, Figure, free_port, wait_until_up
from console.sync.testing.processes import stop_process

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

@contextlib.contextmanager
def server_process(db_url: str, files: Path, workers: int = 1,
                   phases: Path | None = None) -> Iterator[str]:
    """``phases``: the file each push's phase timings go to (server/push_phases.py)."""
    from server import auth
    from server.open_db import open_database

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
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--db", db_url, "--host", "127.0.0.1",
         "--port", str(port), "--files", str(files), "--log-level", "warning",
         "--workers", str(workers), "--data-dir", str(files.parent / f"data-{port}")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, **({"POSKO_PUSH_PHASES": str(phases)} if phases else {})})
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
        stop_process(proc, 10)


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


def measure_parallel_push(base: str, server_pid: int, seed: int, batches: int = 12,
                          phases: Path | None = None) -> tuple[float, str, float, dict]:
    """Mutations/s with MW_CLIENTS consoles pushing batches of MW_BATCH at once, where the
    CPU went (server processes, PostgreSQL) during the timed part, the server's CPU
    seconds a mutation, and the pushes' phases (``read_phases``) when ``phases`` is set."""
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
    if phases is not None:
        phases.write_text("")  # the timed pushes only, not the warm-up
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
    split = read_phases(phases, wall, cpu[0]) if phases is not None else {}
    return n / wall, where, cpu[0] / n, split


def read_phases(path: Path, wall: float, server_cpu: float) -> dict:
    """The pushes' phases summed (server/push_phases.py): ``locked_busy`` is the share of
    the run's wall time the write lock was held (near 1: the lock is what limits),
    ``locked_cpu_share`` the share of the server processes' CPU spent holding it,
    ``adopted`` the share of pushes whose plan made before the lock was used."""
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    total: dict[str, list[float]] = {}
    for line in lines:
        for name, (w, c) in line["phases"].items():
            acc = total.setdefault(name, [0.0, 0.0])
            acc[0] += w
            acc[1] += c
    from server.push_phases import LOCKED

    n = len(lines) or 1
    ms = {name: total.get(name, [0.0, 0.0])[0] / n * 1000 for name in LOCKED}
    locked_wall = sum(total.get(name, [0.0, 0.0])[0] for name in LOCKED)
    locked_cpu = sum(total.get(name, [0.0, 0.0])[1] for name in LOCKED)
    return {"pushes": len(lines), "locked_busy": locked_wall / wall,
            "locked_cpu_share": locked_cpu / server_cpu if server_cpu else 0.0,
            "locked_ms": locked_wall / n * 1000, "locked_cpu_ms": locked_cpu / n * 1000,
            "prepare_cpu_ms": total.get("prepare", [0.0, 0.0])[1] / n * 1000,
            "wait_ms": total.get("wait", [0.0, 0.0])[0] / n * 1000,
            "adopted": sum(bool(x["adopted"]) for x in lines) / n, "locked_split": ms}


def _split_text(split: dict) -> str:
    if not split:
        return ""
    return (f"; lock held {split['locked_busy']:.0%} of the wall time, "
            f"{split['locked_ms']:.1f} ms a push ("
            + ", ".join(f"{k} {v:.1f}" for k, v in split["locked_split"].items())
            + f"; {split['locked_cpu_ms']:.1f} ms CPU = "
            f"{split['locked_cpu_share']:.0%} of the server's CPU), waited for "
            f"{split['wait_ms']:.1f} ms a push; prepared before the lock "
            f"{split['prepare_cpu_ms']:.1f} ms CPU a push, plan used for "
            f"{split['adopted']:.0%} of pushes")


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


def multiworker_figure(pg_url: str, tmp: Path, rounds: int = 1) -> Figure:
    """``rounds`` rounds of 1 worker then MW_WORKERS, each on a fresh server; the figure
    is the median of each side (the machine's load moves between rounds)."""
    rates: dict[int, list[float]] = {1: [], MW_WORKERS: []}
    last: dict[int, tuple[str, dict]] = {}
    for r in range(rounds):
        for workers in (1, MW_WORKERS):
            phases = tmp / f"phases-{workers}-{r}.jsonl"
            with server_process(pg_url, tmp / f"files-mw{workers}", workers=workers,
                                phases=phases) as base:
                # other seeds each run: new reports, not an earlier run's again
                rate, where, _, split = measure_parallel_push(
                    base, server_process.pid, 1000 * r + 100 * workers, phases=phases)
            rates[workers].append(rate)
            last[workers] = (where, split)
            print(f"  round {r + 1}: {workers} worker(s) {rate:.0f} mut/s "
                  f"(load {os.getloadavg()[0]:.1f}){_split_text(split)}", flush=True)
    load = os.getloadavg()[0]
    four, one = statistics.median(rates[MW_WORKERS]), statistics.median(rates[1])
    ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(rates[MW_WORKERS], rates[1], strict=True))
    return Figure(
        "server.multiworker_push_mutations_per_s", four, "mut/s", one, higher_is_better=True,
        note=f"PostgreSQL, {MW_WORKERS} workers vs 1 (baseline), {MW_CLIENTS} consoles, "
             f"batches of {MW_BATCH}, median of {rounds} alternating round(s) (ratios "
             f"{ratios}), {os.cpu_count()} CPUs shared by server, PostgreSQL and clients "
             f"(load average {load:.1f}); last round, {MW_WORKERS} workers: "
             f"{last[MW_WORKERS][0]}{_split_text(last[MW_WORKERS][1])}; 1 worker: "
             f"{last[1][0]}{_split_text(last[1][1])}. Pushes are checked and merged before "
             "the write lock and only loaded again, numbered and written under it (server/"
             "push_prepare.py; POSKO_PUSH_PREPARE=0 for the old way). One worker already "
             "keeps the lock busy, so every number of workers goes at one batch per lock hold, "
             "and what is left in a hold is mostly round trips to PostgreSQL and the commit; "
             "on 2 cores the other workers also compete with the holder for a core "
             "(docs/deploy.md, 'How many workers'); target >= 1.5x")


def mw_only(rounds: int = 3) -> list[Figure]:
    """Only the multi-worker figure (``python -m bench.server_figures multiworker [ROUNDS]``)."""
    tmp = Path(tempfile.mkdtemp(prefix="posko-bench-mw-"))
    try:
        with pg_database() as pg_url:
            return [multiworker_figure(pg_url, tmp, rounds)] if pg_url else []
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
                out.insert(1, multiworker_figure(pg_url, tmp, rounds=3))
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
    mw = sys.argv[1:2] == ["multiworker"]
    for fig in (mw_only(*map(int, sys.argv[2:3])) if mw else figures()):
        print(f"{fig.name:<36} {fig.value:>10.1f} {fig.unit:<10} baseline {fig.baseline:.1f}"
              f"  ratio {fig.ratio:.1f}x  ({fig.note})")
