"""``posko server run --workers N`` (issue 14 item 4): several worker processes on one
PostgreSQL, one of them SIGKILLed again and again while consoles push. Every mutation is
applied exactly once after the consoles' retries; the supervisor restarts killed workers."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.server.helpers import PASSWORD, create_mut, pg_schema_url
from tests.server.procs import ROOT, ServerProcess, add_user, server_env


def _workers(parent: int) -> list[int]:
    """The worker processes under uvicorn's supervisor (not multiprocessing's helpers)."""
    out = []
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    for pid in map(int, children):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmd:
            out.append(pid)
    return out


def _wait_for_workers(parent: int, n: int, timeout: float = 90) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(pids := _workers(parent)) < n:
        assert time.monotonic() < deadline, f"only {len(pids)} of {n} workers"
        time.sleep(0.2)
    return pids


@pytest.mark.slow
def test_sqlite_is_refused_with_a_reason(tmp_path):
    r = subprocess.run([sys.executable, "-m", "server", "run", "--workers", "2",
                        "--data-dir", str(tmp_path)], cwd=ROOT, env=server_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--workers needs PostgreSQL" in r.stderr


@pytest.mark.slow
def test_json_logs_are_json_and_carry_no_query_or_client_address(tmp_path):
    import json

    err = tmp_path / "stderr"
    with open(err, "wb") as f:
        server = ServerProcess(["--data-dir", str(tmp_path), "--log-format", "json",
                                "--log-level", "info"], stderr=f)
        try:
            httpx.get(server.url + "/v1/reports/abc", params={"phone": "081234567890"})
        finally:
            server.stop()
    lines = [json.loads(line) for line in err.read_text().splitlines() if line.strip()]
    access = [x for x in lines if x["logger"] == "posko.access"]
    assert {"route": "/v1/reports/{report_id}", "status": 401}.items() <= access[-1].items()
    assert "081234567890" not in err.read_text()
    assert not any("client" in x or "127.0.0.1:" in x["msg"] for x in access)


@pytest.mark.postgres
@pytest.mark.slow
def test_killed_workers_lose_nothing_and_apply_nothing_twice(request, tmp_path):
    db = pg_schema_url(request.getfixturevalue("pg_url"))
    add_user(db, "kelurahan1", PASSWORD)
    server = ServerProcess(["--db", db, "--data-dir", str(tmp_path), "--workers", "3"])
    try:
        _wait_for_workers(server.proc.pid, 3)
        token = httpx.post(server.url + "/v1/auth/login", timeout=30, json={
            "username": "kelurahan1", "password": PASSWORD}).json()["token"]
        batches = [[create_mut() for _ in range(10)] for _ in range(150)]
        outcome: dict[str, str] = {}
        retries = [0]

        def console(mine: list[list[dict]]) -> None:
            # A console's outbox: a batch leaves only once the server answered it.
            with httpx.Client(base_url=server.url, timeout=30,
                              headers={"Authorization": f"Bearer {token}"}) as c:
                for batch in mine:
                    while True:
                        try:
                            r = c.post("/v1/push", json={"mutations": batch})
                            if r.status_code == 200:
                                break
                        except httpx.HTTPError:
                            pass
                        retries[0] += 1
                        time.sleep(0.2)
                    for res in r.json()["results"]:
                        outcome[res["id"]] = res["status"]

        threads = [threading.Thread(target=console, args=(batches[i::3],)) for i in range(3)]
        for t in threads:
            t.start()
        kills = 0
        rng = random.Random(14)
        while any(t.is_alive() for t in threads) and kills < 6:
            time.sleep(rng.uniform(0.1, 0.5))
            pids = _workers(server.proc.pid)
            if pids:
                os.kill(rng.choice(pids), signal.SIGKILL)
                kills += 1
        for t in threads:
            t.join(300)
        assert kills >= 3, "the pushes ended before the workers were killed"
        print(f"{kills} workers killed, {retries[0]} pushes retried")
        sent = {m["id"]: m["entity_id"] for b in batches for m in b}
        assert set(outcome) == set(sent)
        # the first answer a console saw may be "duplicate" (applied by a killed worker's
        # transaction that committed before its reply was lost): both mean stored once
        assert set(outcome.values()) <= {"applied", "duplicate"}, outcome
        c = httpx.Client(base_url=server.url, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        for report_id in list(sent.values())[::25]:
            assert c.get(f"/v1/reports/{report_id}").status_code == 200
        import psycopg

        from tests.server.helpers import plain_pg

        url, _, options = plain_pg(db).partition("?")
        schema = options.split("%3D", 1)[1]
        with psycopg.connect(url) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            ids = [r[0] for r in conn.execute("SELECT id FROM report")]
        assert sorted(ids) == sorted(sent.values()), "every report exactly once"
        _wait_for_workers(server.proc.pid, 3)  # the supervisor replaced the killed ones
        c.close()
    finally:
        server.stop()
