"""Hostile attachments (issue 12): a pixel bomb that must not be decoded in full."""

from __future__ import annotations

import hashlib
import struct
import zlib

from tests.server.helpers import create_mut, push, uid


def _png_bomb(side: int) -> bytes:
    """A flat-colour RGB PNG of ``side`` x ``side`` pixels, built row by row (never whole in
    memory): a few hundred KB on disk, side*side*3 bytes once decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    z = zlib.compressobj(9)
    row = b"\x00" + b"\x1e\x78\xc8" * side
    parts = [z.compress(row) for _ in range(side)]
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(parts))
            + chunk(b"IEND", b""))


def _vm(name: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(name)


def test_pixel_bomb_is_kept_without_thumbnail_and_never_decoded(live, op):
    data = _png_bomb(9450)
    assert len(data) < 1024 * 1024
    sha = hashlib.sha256(data).hexdigest()
    m = create_mut()
    push(op, m)
    r = op.post("/v1/attachments", json={"id": uid(), "report_id": m["entity_id"], "sha256": sha,
                                         "filename": "bomb.png", "mime": "image/png",
                                         "size": len(data)})
    assert r.status_code == 201, r.text
    # The server runs in this process: reset the peak RSS, upload, read the peak again.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = _vm("VmRSS")
    chunk = live.settings.max_chunk_bytes
    offset = 0
    while offset < len(data):
        r = op.put(f"/v1/attachments/{sha}/content", params={"offset": offset},
                   content=data[offset:offset + chunk])
        assert r.status_code == 200, r.text
        offset = r.json()["received"]
    growth = _vm("VmHWM") - before
    assert growth < 100 * 1024 * 1024, f"the upload grew the process by {growth >> 20} MiB"
    assert r.json()["complete"] is True and r.json()["has_thumbnail"] is False
    # The file itself is kept and downloadable.
    assert op.get(f"/v1/attachments/{sha}/content").content == data
    assert op.get(f"/v1/attachments/{sha}/thumbnail").status_code == 404
