"""Attachments by hash across regions (issue 12 M6): knowing a hash is not owning the file.

A kelurahan office attaching another region's hash to its own report must not be able to
read the bytes, learn whether they exist, or block their real owner's upload."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.server.helpers import KEL_A1, create_mut, push, uid

KEL_B = "3273-2484-30965"  # Antapani Kidul, another kecamatan


@pytest.fixture(scope="module")
def owner(live):
    return live.account("kelurahan", [KEL_A1])


@pytest.fixture(scope="module")
def thief(live):
    return live.account("kelurahan", [KEL_B])


def _report(client, region: str) -> str:
    m = create_mut(region)
    push(client, m)
    return m["entity_id"]


def _register(client, report_id: str, sha: str, size: int, mime: str = "application/pdf"):
    return client.post("/v1/attachments", json={
        "id": uid(), "report_id": report_id, "sha256": sha, "filename": "surat.pdf",
        "mime": mime, "size": size})


def _upload(client, data: bytes) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    offset = client.get(f"/v1/attachments/{sha}").json()["received"]
    body = None
    while offset < len(data):
        r = client.put(f"/v1/attachments/{sha}/content", params={"offset": offset},
                       content=data[offset:offset + 100_000])
        assert r.status_code == 200, r.text
        body = r.json()
        offset = body["received"]
    return body


def test_a_known_hash_does_not_open_another_regions_file(owner, thief):
    data = b"%PDF-1.4 surat keterangan " + os.urandom(150_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _register(owner, _report(owner, KEL_A1), sha, len(data)).status_code == 201
    assert _upload(owner, data)["complete"] is True
    # The thief attaches the hash to a report of its own region and tries to read it.
    r = _register(thief, _report(thief, KEL_B), sha, len(data))
    assert r.status_code == 201, r.text
    assert r.json()["complete"] is False and r.json()["received"] == 0
    assert thief.get(f"/v1/attachments/{sha}/content").status_code == 404
    assert thief.get(f"/v1/attachments/{sha}/thumbnail").status_code == 404
    assert thief.get(f"/v1/attachments/{sha}").json()["complete"] is False
    # The owner still reads it; attaching it to a second report of its own needs no upload.
    assert owner.get(f"/v1/attachments/{sha}/content").content == data
    r = _register(owner, _report(owner, KEL_A1), sha, len(data))
    assert r.json()["complete"] is True


def test_registering_reveals_nothing_about_existing_files(owner, thief):
    data = os.urandom(120_000)
    sha = hashlib.sha256(data).hexdigest()
    _register(owner, _report(owner, KEL_A1), sha, len(data))
    _upload(owner, data)
    unknown = hashlib.sha256(os.urandom(32)).hexdigest()
    report = _report(thief, KEL_B)
    known = _register(thief, report, sha, 777)
    fresh = _register(thief, report, unknown, 777)
    assert known.status_code == fresh.status_code == 201
    a, b = known.json(), fresh.json()
    assert a.pop("sha256") == sha and b.pop("sha256") == unknown
    assert a == b == {"size": 777, "received": 0, "complete": False, "has_thumbnail": False}
    assert thief.get(f"/v1/attachments/{sha}").json() == {**a, "sha256": sha}


def test_a_size_squat_does_not_block_the_real_upload(owner, thief):
    data = os.urandom(250_000)
    sha = hashlib.sha256(data).hexdigest()
    # The thief registers the hash first, with a size of 1, and sends a wrong byte.
    assert _register(thief, _report(thief, KEL_B), sha, 1).status_code == 201
    r = thief.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=b"x")
    assert r.status_code == 422
    # The real owner registers and uploads the whole file.
    assert _register(owner, _report(owner, KEL_A1), sha, len(data)).status_code == 201
    assert _upload(owner, data)["complete"] is True
    assert owner.get(f"/v1/attachments/{sha}/content").content == data
    assert thief.get(f"/v1/attachments/{sha}/content").status_code == 404


def test_who_holds_the_bytes_proves_it_by_uploading_them(live, owner, thief):
    """Two offices genuinely holding the same file (a forwarded photo) both get it: the
    second proves possession by uploading; a supervisor sees both reports and reads it."""
    data = os.urandom(90_000)
    sha = hashlib.sha256(data).hexdigest()
    _register(owner, _report(owner, KEL_A1), sha, len(data))
    assert _upload(owner, data)["complete"] is True
    _register(thief, _report(thief, KEL_B), sha, len(data))
    assert _upload(thief, data)["complete"] is True
    assert thief.get(f"/v1/attachments/{sha}/content").content == data
    boss = live.account("supervisor")
    assert boss.get(f"/v1/attachments/{sha}/content").content == data


def test_a_crash_after_the_bytes_are_in_place_is_reconciled(live, owner, monkeypatch):
    """kill -9 between moving the verified file into place and the database update (M7):
    the status, a resume and a restart all reach complete instead of 422/409 forever."""
    from server.routes import attachments

    data = os.urandom(130_000)
    sha = hashlib.sha256(data).hexdigest()
    _register(owner, _report(owner, KEL_A1), sha, len(data))

    def crash(*_a, **_k):
        raise RuntimeError("killed")  # the process dies here: nothing after runs

    monkeypatch.setattr(attachments, "_complete", crash)
    owner.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data[:100_000])
    r = owner.put(f"/v1/attachments/{sha}/content", params={"offset": 100_000},
                  content=data[100_000:])
    assert r.status_code == 500
    monkeypatch.undo()
    assert live.ctx.blobs.path(sha).exists()
    r = owner.get(f"/v1/attachments/{sha}")
    assert r.json() == {"sha256": sha, "size": len(data), "received": len(data),
                        "complete": True, "has_thumbnail": False}
    assert owner.get(f"/v1/attachments/{sha}/content").content == data
    # The same window found at start.
    data2 = os.urandom(20_000)
    sha2 = hashlib.sha256(data2).hexdigest()
    _register(owner, _report(owner, KEL_A1), sha2, len(data2))
    monkeypatch.setattr(attachments, "_complete", crash)
    owner.put(f"/v1/attachments/{sha2}/content", params={"offset": 0}, content=data2)
    monkeypatch.undo()
    assert attachments.reconcile_all(live.ctx) == 1
    assert owner.get(f"/v1/attachments/{sha2}/content").content == data2


def test_migration_keeps_access_to_files_uploaded_before(tmp_path):
    """0006 marks every attachment row of an already complete blob proven (rows written
    before cannot be told apart) and names an uploader; rows of incomplete blobs are not."""
    import sqlite3

    from server.db import Database, upgrade

    path = tmp_path / "old.sqlite3"
    db = Database(str(path))
    try:
        upgrade(db, "0005_admin_audit")
        conn = sqlite3.connect(path)  # plain sqlite3: foreign keys are not enforced
        conn.execute("INSERT INTO blob (sha256, size, mime, complete, has_thumbnail, created_at)"
                     " VALUES ('a', 1, 'x', 1, 0, '2026-01-01'), ('b', 1, 'x', 0, 0, '2026-01-01')")
        required = [c[1] for c in conn.execute("PRAGMA table_info(report)")
                    if c[3] and c[4] is None]  # NOT NULL without a default
        values = {c: 1 if c in ("seq", "revision", "priority") else "x" for c in required}
        values.update(id="r", status="new")
        conn.execute(f"INSERT INTO report ({', '.join(values)}) VALUES "
                     f"({', '.join('?' * len(values))})", list(values.values()))
        for i, sha in enumerate(("a", "b")):
            conn.execute("INSERT INTO attachment (id, seq, report_id, sha256, filename, mime,"
                         " size, at, by) VALUES (?, ?, 'r', ?, 'f', 'x', 1, '2026-01-01', 'budi')",
                         (sha + "1", i + 2, sha))
        conn.commit()
        upgrade(db)
        proven = dict(conn.execute("SELECT sha256, proven FROM attachment").fetchall())
        owners = dict(conn.execute("SELECT sha256, uploaded_by FROM blob").fetchall())
        conn.close()
        assert proven == {"a": 1, "b": 0}
        assert owners == {"a": "budi", "b": None}
    finally:
        db.dispose()
