"""Deployment hygiene (issue 12 L4): no API playground by default, a full disk is a clear
507, and the server's files are its user's alone (0600 files, 0700 folders)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import stat

import httpx
from sqlalchemy.exc import OperationalError

from tests.server import rawhttp
from tests.server.helpers import create_mut, push, start_server, uid


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _register(op, data: bytes, mime: str = "application/octet-stream") -> str:
    m = create_mut()
    push(op, m)
    sha = hashlib.sha256(data).hexdigest()
    r = op.post("/v1/attachments", json={"id": uid(), "report_id": m["entity_id"], "sha256": sha,
                                         "filename": "f", "mime": mime, "size": len(data)})
    assert r.status_code == 201, r.text
    return sha


def test_api_pages_are_off_by_default(live, tmp_path):
    for page in ("/docs", "/redoc"):
        assert httpx.get(live.base_url + page).status_code == 404
    assert httpx.get(live.base_url + "/openapi.json").status_code == 200
    settings = live.settings.with_(db_url=str(tmp_path / "d.sqlite3"), files_dir=tmp_path / "f",
                                   docs=True)
    app, server, thread, url = start_server(settings)
    try:
        assert httpx.get(url + "/docs").status_code == 200
        assert httpx.get(url + "/redoc").status_code == 200
    finally:
        server.should_exit = True
        thread.join(15)
        app.state.ctx.db.dispose()


def test_a_full_disk_answers_507(live, op, monkeypatch):
    data = os.urandom(1000)
    sha = _register(op, data)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(live.ctx.blobs, "append", full)
    r = op.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data)
    assert r.status_code == 507, r.text
    assert r.json()["error"] == "disk_full" and "disk is full" in r.json()["message"]
    monkeypatch.undo()

    import server.routes.sync as sync_routes

    def db_full(*_a, **_k):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(sync_routes, "push", db_full)
    r = op.post("/v1/push", json={"mutations": [create_mut()]})
    assert r.status_code == 507, r.text
    assert r.json()["error"] == "disk_full"
    # The connection stays usable after a 507: the next request on it is answered (before,
    # the server closed it after the answer and a client reusing it met a reset).
    body = json.dumps({"mutations": [create_mut()]}).encode()
    port = int(live.base_url.rsplit(":", 1)[1])
    with rawhttp.connect(port) as sock:
        for expected in (b"HTTP/1.1 507", b"HTTP/1.1 507"):
            sock.sendall(b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         + b"Authorization: " + op.headers["Authorization"].encode() + b"\r\n"
                         + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            assert rawhttp.response(sock).startswith(expected)


def test_server_files_are_private(live, op, tmp_path):
    old = os.umask(0o022)
    try:
        data = b"\xff\xd8" + os.urandom(3000)
        sha = _register(op, data)
        assert op.put(f"/v1/attachments/{sha}/content", content=data).json()["complete"]
        blobs = live.ctx.blobs
        for folder in (blobs.root, blobs.root / "partial", blobs.path(sha).parent):
            assert _mode(folder) == 0o700, folder
        assert _mode(blobs.path(sha)) == 0o600
        # A new SQLite database and its folder.
        from server.open_db import open_database

        db = open_database(str(tmp_path / "new" / "s.sqlite3"))
        try:
            assert _mode(tmp_path / "new") == 0o700
            for f in (tmp_path / "new").iterdir():
                assert _mode(f) == 0o600, f
        finally:
            db.dispose()
        from server import cli

        data_dir = tmp_path / "data"
        cli.settings_from_args(cli.parse_args(["run", "--data-dir", str(data_dir)]))
        assert _mode(data_dir) == 0o700
    finally:
        os.umask(old)
