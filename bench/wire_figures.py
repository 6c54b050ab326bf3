"""Figures of the sync wire format, counted by the fault proxy against a real server
(in this process, on 127.0.0.1; no link shaping: only bytes are measured here).

- ``sync.push_100_bytes_up``: bytes a console's transport sends for one push of 100
  realistic mutations (40 creates with the bench's varied Indonesian report text, 40
  patches of them through the workflow, 20 notes), request headers included. Baseline: the
  same batch sent plain.
- ``sync.push_bytes_gzip_ratio``: gzip bytes ÷ plain bytes of that push, both directions
  (the reply is gzip too when accepted).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Figure

KEL = "3273-2483-30959"
NOTES = ["Petugas sudah di lokasi, menunggu alat berat", "Warga diminta menjauh dari lokasi",
         "Koordinasi dengan kelurahan untuk penanganan lanjutan",
         "Pelapor dihubungi kembali, masalah belum selesai"]


def _batch(rng: random.Random, tag: str) -> list[str]:
    from bench.server_figures import typical_report

    out: list[dict] = []
    now = datetime.now(UTC)

    def mut(entity: str, entity_id: str, op: str, fields: dict, base: int | None) -> dict:
        return {"id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id, "op": op,
                "fields": fields, "actor": "op1", "at": now.isoformat(),
                "base_revision": base, "meta": {}}

    reports = [typical_report(rng, [KEL], tag, i) for i in range(40)]
    out += [mut("report", r["id"], "create", r, None) for r in reports]
    for r in reports:
        at = (now + timedelta(minutes=rng.randint(1, 90))).isoformat()
        out.append(mut("report", r["id"], "patch", {"status": "verified", "verified_at": at,
                                                    "priority": rng.choice([2, 3])}, 1))
    for r in reports[:20]:
        out.append(mut("note", str(uuid.uuid4()), "note",
                       {"report_id": r["id"], "body": rng.choice(NOTES)}, None))
    return [json.dumps(m, separators=(",", ":"), ensure_ascii=False) for m in out]


def push_bytes_figures() -> list[Figure]:
    from console.sync.testing.live import PASSWORD, start_live_server
    from console.sync.testing.proxy import LinkShape, ProxyThread
    from console.sync.transport import Transport

    work = Path(tempfile.mkdtemp(prefix="posko-wire-bench-"))
    live = start_live_server(work)
    try:
        live.add_user("bench-op", "operator")
        rng = random.Random(5)
        sizes: dict[bool, tuple[int, int]] = {}
        with ProxyThread("127.0.0.1", live.port, LinkShape(), seed=1) as proxy:
            for gz in (True, False):
                t = Transport(proxy.url)
                try:
                    t.login("bench-op", PASSWORD)
                    if gz:
                        t.probe_gzip_requests()
                    else:  # the naive client: plain both ways
                        t.gzip_requests = False
                        t.session.headers["Accept-Encoding"] = "identity"
                    batch = _batch(rng, "GZ" if gz else "PL")
                    up0, down0 = proxy.stats.bytes_up, proxy.stats.bytes_down
                    results = t.push(batch)
                    if any(r["status"] != "applied" for r in results):
                        raise RuntimeError(f"bench mutations refused: {results[:3]}")
                    sizes[gz] = (proxy.stats.bytes_up - up0, proxy.stats.bytes_down - down0)
                finally:
                    t.close()
    finally:
        live.stop()
        shutil.rmtree(work, ignore_errors=True)
    (gz_up, gz_down), (plain_up, plain_down) = sizes[True], sizes[False]
    note = (f"100 mutations (40 creates, 40 patches, 20 notes); gzip {gz_up:,} B up / "
            f"{gz_down:,} B down, plain {plain_up:,} B up / {plain_down:,} B down")
    return [
        Figure("sync.push_100_bytes_up", gz_up, "bytes", plain_up, note=note),
        Figure("sync.push_bytes_gzip_ratio", (gz_up + gz_down) / (plain_up + plain_down),
               "x plain", note="push bytes both ways, gzip ÷ plain; " + note),
    ]


FIGURES = [("sync.push_", push_bytes_figures)]
