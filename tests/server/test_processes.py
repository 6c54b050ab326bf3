"""Several real server processes on one data folder (issue 12 L3): chunk writes of one
upload are serialised across processes, not only across threads of one process."""

from __future__ import annotations

import hashlib
import os
import threading

import httpx
import pytest

from tests.server.helpers import PASSWORD, create_mut, database_url, uid
from tests.server.procs import ServerProcess, add_user


@pytest.fixture(scope="module")
def two_servers(request, backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"procs-{backend}")
    db = database_url(request, backend, folder)
    add_user(db, "racer", PASSWORD)
    args = ["--db", db, "--files", str(folder / "files")]
    first = ServerProcess(args)
    try:
        second = ServerProcess(args)
    except Exception:
        first.stop()
        raise
    clients = []
    for s in (first, second):
        r = httpx.post(s.url + "/v1/auth/login", json={"username": "racer", "password": PASSWORD})
        assert r.status_code == 200, r.text
        clients.append(httpx.Client(base_url=s.url, timeout=60,
                                    headers={"Authorization": f"Bearer {r.json()['token']}"}))
    try:
        yield clients
    finally:
        for c in clients:
            c.close()
        first.stop()
        second.stop()


@pytest.mark.slow
def test_two_processes_racing_one_chunk_never_corrupt_the_upload(two_servers):
    a, b = two_servers
    m = create_mut()
    r = a.post("/v1/push", json={"mutations": [m]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
    chunk = 4 * 1024 * 1024  # the largest chunk: the longest write, the widest race
    for _trial in range(20):
        data = os.urandom(2 * chunk)
        sha = hashlib.sha256(data).hexdigest()
        r = a.post("/v1/attachments", json={
            "id": uid(), "report_id": m["entity_id"], "sha256": sha, "filename": "x.bin",
            "mime": "application/octet-stream", "size": len(data)})
        assert r.status_code == 201, r.text
        barrier = threading.Barrier(2)
        answers: dict[int, httpx.Response] = {}

        def send(i: int, client: httpx.Client, sha: str, body: bytes,
                 barrier: threading.Barrier, answers: dict) -> None:
            barrier.wait()
            answers[i] = client.put(f"/v1/attachments/{sha}/content", params={"offset": 0},
                                    content=body)

        threads = [threading.Thread(target=send, args=(i, c, sha, data[:chunk], barrier, answers))
                   for i, c in enumerate((a, b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        codes = sorted(answers[i].status_code for i in (0, 1))
        assert codes == [200, 409], [answers[i].text for i in (0, 1)]
        assert b.get(f"/v1/attachments/{sha}").json()["received"] == chunk
        r = b.put(f"/v1/attachments/{sha}/content", params={"offset": chunk},
                  content=data[chunk:])
        assert r.status_code == 200 and r.json()["complete"] is True, r.text
        assert a.get(f"/v1/attachments/{sha}/content").content == data
