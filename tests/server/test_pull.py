"""Pull over real HTTP: compressed and streamed pages, cursors, and no skipped change."""

from __future__ import annotations

import gzip
import json
import threading
import time

import httpx

from tests.server.helpers import create_mut, head, note_mut, patch_mut, pull_all, push


def test_pull_is_gzip_streamed_and_paged(live):
    op = live.account("operator")
    start = head(op)
    muts = [create_mut() for _ in range(25)]
    push(op, *muts)
    push(op, note_mut(muts[0]["entity_id"]))
    desk = live.other_desk(op)  # the pushing session is not sent its own rows back
    # Raw bytes on the wire: gzip, chunked (streamed), compact rows.
    with httpx.Client(base_url=live.base_url, headers=desk.headers) as raw:
        with raw.stream("GET", "/v1/pull", params={"cursor": start, "limit": 10},
                        headers={"Accept-Encoding": "gzip"}) as r:
            assert r.status_code == 200
            assert r.headers["content-encoding"] == "gzip"
            assert r.headers.get("transfer-encoding") == "chunked"
            wire = b"".join(r.iter_raw())
    page = json.loads(gzip.decompress(wire))
    assert page["more"] is True and page["count"] == 10
    assert page["next_cursor"] > start and r.headers["x-next-cursor"] == str(page["next_cursor"])
    cols = page["tables"]["report"]["cols"]
    assert cols[:3] == ["id", "seq", "revision"]
    seqs = [row[1] for row in page["tables"]["report"]["rows"]]
    assert seqs == sorted(seqs) and seqs[-1] == page["next_cursor"]
    rows, cursor = pull_all(desk, start, limit=7)
    assert {r["id"] for r in rows["report"]} == {m["entity_id"] for m in muts}
    assert len(rows["note"]) == 1
    assert cursor == head(op)
    # A report patched later comes again, once, with its new revision.
    push(op, patch_mut(muts[3]["entity_id"], 1, priority=1))
    rows, _ = pull_all(desk, cursor)
    (only,) = rows["report"]
    assert only["id"] == muts[3]["entity_id"] and only["revision"] == 2 and only["priority"] == 1
    # Without Accept-Encoding: gzip the same JSON comes uncompressed.
    r = httpx.get(f"{live.base_url}/v1/pull", params={"cursor": start, "limit": 3},
                  headers={"authorization": desk.headers["authorization"], "accept-encoding": "identity"})
    assert "content-encoding" not in r.headers and r.json()["count"] == 3


def test_times_are_epoch_ms_and_trailing_nulls_dropped(live):
    op = live.account("operator")
    start = head(op)
    m = create_mut()
    push(op, m)
    r = live.other_desk(op).get("/v1/pull", params={"cursor": start})
    table = r.json()["tables"]["report"]
    row = dict(zip(table["cols"], table["rows"][0], strict=False))
    assert row["created_at"] == 1795860000000  # 2026-11-28 10:00:00 UTC
    assert len(table["rows"][0]) < len(table["cols"])


def test_bytes_per_report_on_the_wire(live):
    """The compact, compressed encoding stays under 200 bytes per typical report."""
    op = live.account("operator")
    start = head(op)
    push(op, *[create_mut(title=f"Jalan berlubang dekat gang {i}",
                          description=f"Lubang sedalam {i % 30 + 5} cm, membahayakan motor",
                          lat=-6.9 + i * 1e-4, lon=107.6 + i * 1e-4) for i in range(200)])
    desk = live.other_desk(op)
    with httpx.Client(base_url=live.base_url, headers=desk.headers) as raw:
        with raw.stream("GET", "/v1/pull", params={"cursor": start, "limit": 200},
                        headers={"Accept-Encoding": "gzip"}) as r:
            wire = b"".join(r.iter_raw())
    assert json.loads(gzip.decompress(wire))["count"] == 200
    assert len(wire) / 200 < 200, len(wire) / 200


def test_cursor_ahead_of_server_is_409(live):
    op = live.account("operator")
    r = op.get("/v1/pull", params={"cursor": head(op) + 1000})
    assert r.status_code == 409 and "cursor 0" in r.json()["message"]


def test_pull_racing_concurrent_pushes_skips_nothing(live):
    """Writers commit while a puller pages through: every change arrives exactly once."""
    pusher_clients = [live.account("operator") for _ in range(3)]
    puller = live.account("operator")
    start = head(puller)
    created: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(c: httpx.Client) -> None:
        for _ in range(8):
            batch = [create_mut() for _ in range(5)]
            push(c, *batch, note_mut(batch[0]["entity_id"]))
            with lock:
                created.extend(m["entity_id"] for m in batch)

    seen: dict[str, int] = {}
    cursor = start

    def reader() -> None:
        nonlocal cursor
        while not stop.is_set():
            page = puller.get("/v1/pull", params={"cursor": cursor, "limit": 7}).json()
            for row in page["tables"].get("report", {}).get("rows", []):
                seen[row[0]] = seen.get(row[0], 0) + 1
            cursor = page["next_cursor"]
            if not page["more"]:
                time.sleep(0.005)

    threads = [threading.Thread(target=writer, args=(c,)) for c in pusher_clients]
    rt = threading.Thread(target=reader)
    rt.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    stop.set()
    rt.join(30)
    # Catch up once more after the writers are done.
    rows, _ = pull_all(puller, cursor)
    for r in rows.get("report", []):
        seen[r["id"]] = seen.get(r["id"], 0) + 1
    assert len(created) == 120
    missing = [rid for rid in created if rid not in seen]
    assert not missing, f"{len(missing)} reports skipped by the puller"
    assert all(seen[rid] == 1 for rid in created)
