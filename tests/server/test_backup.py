"""posko server backup / restore (issue 14 item 4): a server with reports, notes and
attachments is backed up while it runs, restored into a fresh data folder (SQLite) or a
fresh database (PostgreSQL), and the two are compared table by table and blob by blob."""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import tarfile

import httpx
import pytest
from sqlalchemy import inspect, text

from server import backup as bk
from server.auth import create_account
from server.db import Database
from server.settings import Settings
from tests.server.helpers import PASSWORD, create_mut, note_mut, plain_pg, push, start_server

COMPARED = ("report", "note", "attachment", "blob", "history", "account", "applied_mutation")


@pytest.fixture
def databases(request, backend, tmp_path):
    """make(name) -> Settings of an empty database and files folder of that name."""
    made: list[str] = []
    admin = None
    if backend == "pg":
        import psycopg

        base = request.getfixturevalue("pg_url")
        admin = psycopg.connect(plain_pg(base), autocommit=True)

    def make(name: str) -> Settings:
        folder = tmp_path / name
        if backend == "sqlite":
            return Settings(db_url=str(folder / "server.sqlite3"), data_dir=folder,
                            password_profile="fast")
        db = f"posko_bk_{name}_{secrets.token_hex(4)}"
        admin.execute(f'CREATE DATABASE "{db}"')
        made.append(db)
        return Settings(db_url=base.rsplit("/", 1)[0] + "/" + db, data_dir=folder,
                        password_profile="fast")

    yield make
    for db in made:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    if admin is not None:
        admin.close()


def _rows(settings: Settings) -> dict[str, list[tuple]]:
    db = Database(settings.db_url)
    try:
        names = set(inspect(db.engine).get_table_names())
        with db.read() as conn:
            return {t: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1'))]
                    for t in COMPARED if t in names}
    finally:
        db.dispose()


def _blobs(settings: Settings) -> dict[str, str]:
    root = settings.attachments_dir()
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and "partial" not in p.parts}


def _cli(settings: Settings, *argv: str) -> int:
    from server.cli import main

    return main([*argv, "--db", settings.db_url, "--data-dir", str(settings.data_dir)])


def _fill_and_back_up(settings: Settings, out) -> None:  # noqa: ANN001
    """A running server with reports, notes and one attachment, backed up while it runs
    (through the command line)."""
    app, server, thread, url = start_server(settings)
    try:
        create_account(app.state.ctx.db, "budi", "operator", PASSWORD, profile="fast")
        token = httpx.post(url + "/v1/auth/login", json={"username": "budi",
                                                         "password": PASSWORD}).json()["token"]
        c = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        muts = [create_mut() for _ in range(5)]
        push(c, *muts, *(note_mut(m["entity_id"]) for m in muts))
        data = os.urandom(50_000)
        sha = hashlib.sha256(data).hexdigest()
        r = c.post("/v1/attachments", json={
            "id": create_mut()["id"], "report_id": muts[0]["entity_id"], "sha256": sha,
            "filename": "foto.bin", "mime": "application/octet-stream", "size": len(data)})
        assert r.status_code == 201, r.text
        r = c.put(f"/v1/attachments/{sha}/content", params={"offset": 0}, content=data)
        assert r.status_code == 200 and r.json()["complete"], r.text
        c.close()
        assert _cli(settings, "backup", "--out", str(out)) == 0
    finally:
        server.should_exit = True
        thread.join(15)
        app.state.ctx.db.dispose()


def test_backup_then_restore_into_a_fresh_server_is_identical(databases, tmp_path, capsys):
    source = databases("src")
    out = tmp_path / "posko.backup"
    _fill_and_back_up(source, out)
    with tarfile.open(out) as tar:
        manifest = bk._read_manifest(tar)
    assert manifest["files"] >= 1 and manifest["rows_at_start"]["report"] == 5
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    target = databases("dst")
    assert _cli(target, "restore", "--from", str(out)) == 0
    before, after = _rows(source), _rows(target)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before
    assert _blobs(target) == _blobs(source) and _blobs(target)
    for name, digest in _blobs(target).items():  # a blob's name is its own hash
        if not name.endswith(".thumb.jpg"):
            assert name.rsplit("/", 1)[-1] == digest

    # a second restore into the now non-empty target: refused, then forced
    capsys.readouterr()
    assert _cli(target, "restore", "--from", str(out)) == 2
    assert "not empty; give --force" in capsys.readouterr().err
    assert _cli(target, "restore", "--from", str(out), "--force") == 0
    assert _rows(target) == before
    kept = list(target.attachments_dir().parent.glob("files.before-restore-*")) + \
        list(target.attachments_dir().parent.glob("*-files.before-restore-*"))
    assert kept, "the replaced files folder is kept aside"


def test_a_failed_backup_leaves_the_previous_one_untouched(databases, tmp_path, monkeypatch):
    source = databases("src")
    Database(source.db_url).dispose()
    from server.open_db import open_database

    open_database(source.db_url).dispose()
    out = tmp_path / "posko.backup"
    out.write_bytes(b"the previous backup")

    def full_disk(_fd):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bk.os, "fsync", full_disk)
    with pytest.raises(bk.BackupError, match="No space left on device.*unchanged"):
        bk.backup(source, out)
    assert out.read_bytes() == b"the previous backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".posko.backup")] == []
    monkeypatch.undo()
    with pytest.raises(bk.BackupError, match="no folder"):
        bk.backup(source, out / "inside-a-file.backup")


def test_restore_refuses_what_is_not_a_backup(databases, tmp_path):
    target = databases("dst")
    junk = tmp_path / "junk.tar"
    with tarfile.open(junk, "w") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(bk.BackupError, match="not a Posko server backup"):
        bk.restore(target, junk)
    (tmp_path / "plain.txt").write_text("hello")
    with pytest.raises(bk.BackupError, match="cannot read"):
        bk.restore(target, tmp_path / "plain.txt")
