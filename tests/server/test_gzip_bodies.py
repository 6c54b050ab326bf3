"""gzip bodies over real HTTP, as a hostile client would send them: request bodies with
``Content-Encoding: gzip`` (inflated size capped, bombs refused without inflating them,
corrupt and unknown encodings refused) and gzip replies for ``Accept-Encoding: gzip``; and
the console's own transport really sending gzip pushes (bytes counted by the fault proxy)."""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import zlib

from tests.server.helpers import KEL_A1, create_mut, push, uid

MiB = 1024 * 1024


def _realistic_creates(n: int, seed: int = 11) -> list[dict]:
    """Creates with the bench's varied Indonesian report text, so compression is not
    flattered by n copies of one report."""
    from bench.server_figures import typical_report

    rng = random.Random(seed)
    out = []
    for i in range(n):
        fields = typical_report(rng, [KEL_A1], f"GZ{seed}", i)
        fields["ticket"] = f"{fields['ticket']}-{uid()[:8]}"  # unique across backends/runs
        out.append({**create_mut(), "entity_id": fields["id"], "fields": fields})
    return out


def _post(client, body: bytes, **headers):
    return client.post("/v1/push", content=body,
                       headers={"Content-Type": "application/json", **headers})


def _bomb(inflated: int, prefix: bytes = b"") -> bytes:
    """``prefix`` then zeros up to ``inflated`` bytes, gzip-compressed chunk by chunk: a
    200 MiB bomb costs ~200 KB of memory to build."""
    co = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = bytearray(co.compress(prefix))
    zeros = bytes(MiB)
    left = inflated - len(prefix)
    while left > 0:
        out += co.compress(zeros[:min(left, MiB)])
        left -= MiB
    out += co.flush()
    return bytes(out)


def _report_exists(client, report_id: str) -> bool:
    r = client.get(f"/v1/reports/{report_id}")
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


def _error(r, status: int, words: str) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    doc = r.json()  # the server's usual error shape, never an HTML page or a 5xx
    assert set(doc) >= {"error", "message"} and words in doc["message"], doc


def test_gzip_push_is_applied_exactly_as_a_plain_one(op):
    muts = _realistic_creates(20)
    body = json.dumps({"mutations": muts}).encode()
    r = _post(op, gzip.compress(body), **{"Content-Encoding": "gzip"})
    assert r.status_code == 200, r.text
    first = r.json()["results"]
    assert [x["status"] for x in first] == ["applied"] * 20
    for m, res in zip(muts[:3], first, strict=False):
        got = op.get(f"/v1/reports/{m['entity_id']}").json()["report"]
        for key in ("title", "description", "address", "reporter_name"):
            assert got[key] == m["fields"][key]
        assert got["ticket"] == res["ticket"]
    # The same batch again, plain this time: every mutation is the same one, answered as a
    # duplicate with its first result - the encoding is not part of a mutation's identity.
    again = push(op, *muts)
    assert [x["status"] for x in again] == ["duplicate"] * 20
    assert [(x["id"], x.get("revision")) for x in again] == [
        (x["id"], x.get("revision")) for x in first]
    # x-gzip and an explicit identity layer are the same encoding.
    m = create_mut()
    r = _post(op, gzip.compress(json.dumps({"mutations": [m]}).encode()),
              **{"Content-Encoding": "identity, x-gzip"})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text


def test_concatenated_gzip_members_are_one_body(op):
    m = create_mut()
    body = json.dumps({"mutations": [m]}).encode()
    half = len(body) // 2
    r = _post(op, gzip.compress(body[:half]) + gzip.compress(body[half:]),
              **{"Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text


def test_gzip_bomb_answers_413_without_inflating_it(live, op):
    m = create_mut()
    # A real mutation up front: the bomb must not be applied in part either.
    bomb = _bomb(200 * MiB, b'{"mutations":[' + json.dumps(m).encode() + b",")
    assert len(bomb) < 400_000  # ~200 KB on the wire: far under the compressed limit
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    r = _post(op, bomb, **{"Content-Encoding": "gzip"})
    _error(r, 413, f"inflates to more than the limit of {live.settings.max_body_bytes} bytes")
    # The server runs in this process: inflating the bomb would have raised the peak by
    # ~200 MiB; the cap lets it inflate no more than the body limit (2 MiB) plus a step.
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown < 64 * 1024, f"peak memory grew by {grown} KiB"
    assert not _report_exists(op, m["entity_id"])
    assert live.client().get("/v1/time").status_code == 200


def test_streamed_gzip_bomb_without_content_length_answers_413(live, op):
    bomb = _bomb(50 * MiB)

    def chunks():
        for i in range(0, len(bomb), 16 * 1024):
            yield bomb[i:i + 16 * 1024]

    r = op.post("/v1/push", content=chunks(), headers={
        "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    _error(r, 413, "inflates to more than the limit")
    assert live.client().get("/v1/time").status_code == 200


def test_compressed_bytes_count_against_the_limit_too(live, op):
    # Random bytes do not compress: the gzip body itself is over the 2 MiB limit.
    noise = gzip.compress(os.urandom(live.settings.max_body_bytes + 200_000), 1)
    assert len(noise) > live.settings.max_body_bytes
    _error(_post(op, noise, **{"Content-Encoding": "gzip"}), 413, "limit")

    def chunks():  # the same without a Content-Length: counted while it streams in
        for i in range(0, len(noise), 64 * 1024):
            yield noise[i:i + 64 * 1024]

    r = op.post("/v1/push", content=chunks(), headers={
        "Content-Type": "application/json", "Content-Encoding": "gzip"})
    _error(r, 413, "limit")
    assert live.client().get("/v1/time").status_code == 200


def test_corrupt_or_cut_gzip_answers_400_and_applies_nothing(op):
    m = create_mut()
    good = gzip.compress(json.dumps({"mutations": [m]}).encode())
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    cases = {
        "not gzip at all": json.dumps({"mutations": [m]}).encode(),
        "bit flipped": bytes(flipped),
        "cut off": good[:-12],
        "header only": good[:10],
        "empty": b"",
        "trailing garbage": good + b"\x00garbage",
    }
    for name, body in cases.items():
        r = _post(op, body, **{"Content-Encoding": "gzip"})
        assert r.status_code == 400, (name, r.status_code, r.text)
        assert "gzip request body" in r.json()["message"], (name, r.text)
    assert not _report_exists(op, m["entity_id"])


def test_unknown_content_encoding_answers_415(op):
    body = json.dumps({"mutations": [create_mut()]}).encode()
    for coding in ("br", "deflate", "zstd", "gzip, gzip", "compress", "x-\x7f"):
        r = _post(op, body, **{"Content-Encoding": coding})
        _error(r, 415, "is not supported here")


def test_push_reply_is_gzip_when_accepted(op):
    muts = _realistic_creates(30, seed=12)
    body = json.dumps({"mutations": muts}).encode()
    with op.stream("POST", "/v1/push", content=body, headers={
            "Content-Type": "application/json", "Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.status_code == 200
        assert r.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["vary"]
        assert int(r.headers["content-length"]) == len(raw)
    doc = json.loads(gzip.decompress(raw))
    assert [x["status"] for x in doc["results"]] == ["applied"] * 30
    # The same (now duplicate) batch refusing gzip: plain, and the same results.
    r = op.post("/v1/push", content=body, headers={
        "Content-Type": "application/json", "Accept-Encoding": "identity"})
    assert "content-encoding" not in r.headers
    assert [x["id"] for x in r.json()["results"]] == [x["id"] for x in doc["results"]]
    r = op.post("/v1/push", content=body, headers={
        "Content-Type": "application/json", "Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in r.headers
    # A small reply is not worth a gzip header.
    r = op.get("/v1/time", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in r.headers


def test_pull_is_gzip_once_not_twice(live, op):
    push(op, *_realistic_creates(30, seed=13))
    with live.other_desk(op).stream("GET", "/v1/pull", params={"cursor": 0, "limit": 100},
                   headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.status_code == 200
        assert r.headers.get_list("content-encoding") == ["gzip"]
    page = json.loads(gzip.decompress(raw))  # one layer of gzip, then JSON
    assert page["count"] >= 30


def test_console_transport_sends_gzip_pushes(live, op):
    from console.sync.testing.proxy import LinkShape, ProxyThread
    from console.sync.transport import Transport

    token = op.headers["Authorization"].split()[1]
    port = int(live.base_url.rsplit(":", 1)[1])
    sizes, counted = {}, {}
    with ProxyThread("127.0.0.1", port, LinkShape(), seed=3) as proxy:
        for gz in (True, False):
            t = Transport(proxy.url, token=token)
            try:
                if gz:
                    assert t.probe_gzip_requests() is True  # the server takes gzip now
                else:  # the naive client: plain both ways
                    t.gzip_requests = False
                    t.session.headers["Accept-Encoding"] = "identity"
                muts = [json.dumps(m) for m in _realistic_creates(100, seed=20 + gz)]
                up0, down0 = proxy.stats.bytes_up, proxy.stats.bytes_down
                results = t.push(muts)
                sizes[gz] = (proxy.stats.bytes_up - up0, proxy.stats.bytes_down - down0)
                assert [r["status"] for r in results] == ["applied"] * 100
                counted[gz] = t.stats.bytes_down
            finally:
                t.close()
    (gz_up, gz_down), (plain_up, plain_down) = sizes[True], sizes[False]
    assert gz_up < plain_up / 2, sizes
    # The reply came back gzip too (the console accepts gzip) and was read fine; the
    # transport counts it as the link carried it, compressed.
    assert gz_down < plain_down / 2, sizes
    assert counted[True] < counted[False] / 2, counted
