"""``portal.requests_per_s``: anonymous GET /public/ per second against a server process.

The database: ``REPORTS`` reports of the realistic corpus (bench/corpus.py) spread over the
last 45 days and all kelurahan of Kota Bandung, pushed the way consoles push them, then
worked through the workflow (about 70 % verified, 50 % dispatched, 35 % resolved, 5 %
rejected), on a SQLite file. The server is a separate process (this module with
``--serve``: the real app under uvicorn, one worker) so the load generator's threads do
not share its interpreter. ``CLIENTS`` keep-alive clients read the page for ``SECONDS``.

Baseline: the same page with the cache off (``cache_s=0``: the aggregates are computed
for every request), what a naive page would do.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench.harness import ROOT, Figure, free_port, wait_until_up
from console.sync.testing.processes import stop_process

REPORTS = 5000
CLIENTS = 4
SECONDS = 6.0
PASSWORD = "bench-password-123"


def _mutation(entity_id: str, op: str, fields: dict, base: int | None = None) -> dict:
    import uuid

    return {"id": str(uuid.uuid4()), "entity": "report", "entity_id": entity_id, "op": op,
            "fields": fields, "actor": "bench", "at": datetime.now(UTC).isoformat(),
            "base_revision": base, "meta": {}}


def _stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


def build_database(db_url: str, n: int = REPORTS, seed: int = 15) -> None:
    """Fill ``db_url`` through an in-process app (push, as consoles do)."""
    from fastapi.testclient import TestClient

    from bench import corpus
    from console.domain.tickets import station_code
    from console.store.regions import kelurahan_codes
    from server import auth
    from server.app import create_app
    from server.settings import Settings

    rng = random.Random(seed)
    app = create_app(Settings(db_url=db_url, password_profile="fast"))
    auth.create_account(app.state.ctx.db, "benchportal", "operator", PASSWORD, profile="fast")
    regions = list(kelurahan_codes("bandung"))
    now = datetime.now(UTC)
    with TestClient(app) as c:
        token = c.post("/v1/auth/login", json={"username": "benchportal",
                                               "password": PASSWORD}).json()
        c.headers["Authorization"] = f"Bearer {token['token']}"
        station = station_code("benchportal", token["account"]["id"])
        docs = []
        for i in range(n):
            doc = corpus.report(rng, rng.choice(regions), station, i)
            created = now - timedelta(seconds=rng.randrange(45 * 86400))
            doc.update(ticket=f"{station}-{created:%y%m%d}-{i:05d}", created_at=_stamp(created),
                       updated_at=_stamp(created), priority=max(2, doc["priority"]))
            docs.append((doc, created))

        def send(muts: list[dict]) -> list[dict]:
            r = c.post("/v1/push", json={"mutations": muts})
            r.raise_for_status()
            results = r.json()["results"]
            bad = [x for x in results if x["status"] != "applied"]
            if bad:
                raise RuntimeError(f"bench mutations refused: {bad[:3]}")
            return results

        revs = {}
        for k in range(0, n, 200):
            chunk = docs[k:k + 200]
            for (doc, _), res in zip(chunk, send([_mutation(d["id"], "create", d)
                                                  for d, _ in chunk]), strict=True):
                revs[doc["id"]] = res.get("revision", 1)
        # The workflow, one step per round so every patch carries the right revision.
        plan = {}
        for doc, created in docs:
            x = rng.random()
            if doc["channel"] == "phone_112" or x < 0.05:
                steps = [("rejected", "closed_at")] if x < 0.05 else []
            else:
                steps = [("verified", "verified_at")] * (x < 0.70) + \
                        [("dispatched", "dispatched_at")] * (x < 0.50) + \
                        [("resolved", "resolved_at")] * (x < 0.35)
            plan[doc["id"]] = (created, steps)
        for step in range(3):
            muts = []
            for rid, (created, steps) in plan.items():
                if len(steps) > step:
                    status, stamp = steps[step]
                    at = min(now, created + timedelta(hours=rng.uniform(1, 30) * (step + 1)))
                    fields = {"status": status, stamp: _stamp(at)}
                    if status == "dispatched":
                        fields["assigned_agency"] = "pupr"
                    muts.append(_mutation(rid, "patch", fields, revs[rid]))
            for k in range(0, len(muts), 200):
                for m, res in zip(muts[k:k + 200], send(muts[k:k + 200]), strict=True):
                    revs[m["entity_id"]] = res.get("revision", revs[m["entity_id"]])
    app.state.ctx.db.dispose()


def serve(db_url: str, port: int, cache_s: float) -> None:
    import uvicorn

    from server.app import create_app
    from server.portal.routes import Portal, PortalConfig
    from server.settings import Settings

    app = create_app(Settings(db_url=db_url, password_profile="fast"))
    app.state.portal = Portal(PortalConfig(cache_s=cache_s, reads_per_address=10**9))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def measure(db_url: str, cache_s: float, seconds: float = SECONDS) -> float:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.portal_figures", "--serve", db_url,
                             str(port), str(cache_s)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, f"{base}/public/")
        counts = [0] * CLIENTS
        errors: list[str] = []
        stop = time.monotonic() + seconds

        def run(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as c:
                while time.monotonic() < stop:
                    r = c.get("/public/", params={"lang": "en"} if i % 2 else None)
                    if r.status_code != 200:
                        errors.append(str(r.status_code))
                        return
                    counts[i] += 1

        t0 = time.monotonic()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise RuntimeError(f"the page answered {errors[:3]}")
        return sum(counts) / (time.monotonic() - t0)
    finally:
        stop_process(proc, 10)


def figures() -> list[Figure]:
    tmp = Path(tempfile.mkdtemp(prefix="posko-bench-portal-"))
    try:
        db_url = str(tmp / "server.sqlite3")
        build_database(db_url)
        cached = measure(db_url, 60.0)
        naive = measure(db_url, 0.0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [Figure("portal.requests_per_s", cached, "req/s", naive, higher_is_better=True,
                   note=f"GET /public/ (gzip) from {CLIENTS} keep-alive clients, SQLite, "
                        f"{REPORTS} corpus reports; baseline the same page computed per "
                        "request (cache off); target >= 200")]


FIGURES = [("portal.", figures)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.portal_figures")
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "CACHE_S"))
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), float(args.serve[2]))
    else:
        for fig in figures():
            print(f"{fig.name} {fig.value:.1f} {fig.unit} baseline {fig.baseline:.1f} "
                  f"ratio {fig.ratio:.1f}x ({fig.note})")
