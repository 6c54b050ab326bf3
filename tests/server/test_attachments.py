"""Attachments: resumable chunked upload by content hash, download, thumbnails, limits."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from PIL import Image

from tests.server.helpers import create_mut, head, pull_all, push, uid


@pytest.fixture(scope="module")
def report_id(op):
    m = create_mut()
    push(op, m)
    return m["entity_id"]


def _photo() -> bytes:
    img = Image.new("RGB", (1200, 800), (30, 120, 200))
    for x in range(0, 1200, 7):  # some detail so the JPEG is not tiny
        img.putpixel((x, (x * 13) % 800), (255, 255, 0))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue() + os.urandom(300_000)  # trailing bytes: JPEG readers ignore them


def _register(op, report_id, data: bytes, mime="image/jpeg", **over):
    body = {"id": uid(), "report_id": report_id, "sha256": hashlib.sha256(data).hexdigest(),
            "filename": "foto.jpg", "mime": mime, "size": len(data), **over}
    return op.post("/v1/attachments", json=body)


def test_chunked_resumable_upload_and_download(live, op, report_id):
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    cursor = head(op)
    r = _register(op, report_id, data)
    assert r.status_code == 201, r.text
    assert r.json() == {"sha256": sha, "size": len(data), "received": 0, "complete": False,
                        "has_thumbnail": False}
    chunk = 100_000
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data[:chunk])
    assert r.json()["received"] == chunk
    # The link drops; the client asks where to resume; a wrong offset is told the right one.
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 5}, content=data[5:chunk])
    assert r.status_code == 409 and r.json()["details"] == {"received": chunk}
    offset = op.get(f"/v1/attachments/{sha}").json()["received"]
    while offset < len(data):
        r = op.put(f"/v1/attachments/{sha}/content", params={"offset": offset},
                   content=data[offset:offset + chunk])
        assert r.status_code == 200, r.text
        offset = r.json()["received"]
    assert r.json()["complete"] is True and r.json()["has_thumbnail"] is True
    # Download whole and in ranges.
    assert op.get(f"/v1/attachments/{sha}/content").content == data
    r = op.get(f"/v1/attachments/{sha}/content", params={"offset": 1000, "length": 500})
    assert r.content == data[1000:1500] and r.headers["x-total-size"] == str(len(data))
    thumb = Image.open(io.BytesIO(op.get(f"/v1/attachments/{sha}/thumbnail").content))
    assert thumb.format == "JPEG" and max(thumb.size) == live.settings.thumbnail_px
    # The feed tells consoles the bytes are there.
    rows, _ = pull_all(op, cursor)
    (att,) = [a for a in rows["attachment"] if a["sha256"] == sha]
    assert att["complete"] == 1 and att["has_thumbnail"] == 1
    # A second report with the same photo shares the blob: nothing to upload.
    m = create_mut()
    push(op, m)
    r = _register(op, m["entity_id"], data)
    assert r.json()["complete"] is True


def test_wrong_bytes_are_discarded(op, report_id):
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    _register(op, report_id, data, mime="application/octet-stream")
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=os.urandom(5000))
    assert r.status_code == 422 and "hash" in r.json()["message"]
    assert op.get(f"/v1/attachments/{sha}").json()["received"] == 0
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data + b"x")
    assert r.status_code == 422 and "past the declared size" in r.json()["message"]
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data)
    assert r.json()["complete"] is True and r.json()["has_thumbnail"] is False
    assert op.get(f"/v1/attachments/{sha}/thumbnail").status_code == 404


def test_limits(live, op, report_id):
    big = live.settings.max_attachment_bytes + 1
    r = op.post("/v1/attachments", json={
        "id": uid(), "report_id": report_id, "sha256": "a" * 64, "filename": "big.mp4",
        "mime": "video/mp4", "size": big})
    assert r.status_code == 413 and "limit" in r.json()["message"]
    data = os.urandom(live.settings.max_chunk_bytes + 1)
    _register(op, report_id, data, mime="application/octet-stream")
    sha = hashlib.sha256(data).hexdigest()
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data)
    assert r.status_code == 413
    r = op.get(f"/v1/attachments/{sha}/content")
    assert r.status_code == 404 and "not uploaded completely" in r.json()["message"]


def test_bad_registrations(op, report_id):
    good = {"id": uid(), "report_id": report_id, "sha256": "b" * 64, "filename": "x.jpg",
            "mime": "image/jpeg", "size": 10}
    for change, status in (({"sha256": "XYZ"}, 422), ({"size": -1}, 422),
                           ({"mime": "not a mime"}, 422), ({"extra": 1}, 422),
                           ({"report_id": uid()}, 404), ({"filename": ""}, 422)):
        r = op.post("/v1/attachments", json={**good, **change, "id": uid()})
        assert r.status_code == status, (change, r.text)
    assert op.post("/v1/attachments", json=good).status_code == 201
    assert op.post("/v1/attachments", json=good).status_code == 201  # idempotent
    r = op.post("/v1/attachments", json={**good, "filename": "other.jpg"})
    assert r.status_code == 409
    assert op.get(f"/v1/attachments/{'c' * 64}").status_code == 404
