"""The server's command line, its migrations, its OpenAPI document, and that it runs
without Qt."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from server import cli
from server.db import current_revision, head_revision
from server.models import Account, Region, ServerModel
from server.open_db import open_database

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "openapi.json"
REGENERATE = "python -m server openapi --out docs/openapi.json"


def test_server_imports_without_qt():
    code = ("import sys, server.app, server.cli, server.push, server.changes; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
            "'qasync', 'console.views', 'console.store.db')]; print(bad); sys.exit(bool(bad))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_openapi_document_is_current():
    assert SPEC.exists(), f"docs/openapi.json is missing; generate it: {REGENERATE}"
    assert json.loads(SPEC.read_text()) == json.loads(cli.openapi_text()), (
        f"docs/openapi.json is stale; regenerate it: {REGENERATE}")


def test_new_database_is_migrated_and_seeded(tmp_path):
    db = open_database(str(tmp_path / "s.sqlite3"), city="semarang")
    try:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), ServerModel.metadata)
            codes = {r[0] for r in conn.execute(select(Region.__table__.c.code))}
        assert diff == [], f"models and migrations differ: {diff}"
        assert "3374" in codes and "3273" not in codes and len(codes) == 1 + 16 + 177
    finally:
        db.dispose()


def _run(monkeypatch, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def test_add_user_and_api_key(monkeypatch, tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    code, out, _ = _run(monkeypatch, ["add-user", "kel.campaka", "--role", "kelurahan",
                                      "--region", "3273-2483-30959", "--db", db],
                        "rahasia-sekali\n")
    assert code == 0 and "kel.campaka" in out
    code, _, err = _run(monkeypatch, ["add-user", "kel2", "--role", "kelurahan", "--db", db],
                        "rahasia-sekali\n")
    assert code == 2 and "needs at least one --region" in err
    code, _, err = _run(monkeypatch, ["add-user", "x", "--role", "operator", "--db", db], "short\n")
    assert code == 2 and "password" in err
    code, _, err = _run(monkeypatch, ["add-user", "kel.campaka", "--role", "operator", "--db", db],
                        "rahasia-sekali\n")
    assert code == 2 and "already exists" in err
    opened = open_database(db)
    try:
        with opened.engine.connect() as conn:
            row = conn.execute(select(Account.__table__)).one()
        assert row.role == "kelurahan" and json.loads(row.regions) == ["3273-2483-30959"]
        assert row.password_hash.startswith("$argon2id$")
    finally:
        opened.dispose()


def test_cli_subprocess_prints_the_key_last(tmp_path):
    db = str(tmp_path / "k.sqlite3")
    r = subprocess.run([sys.executable, "-m", "server", "add-api-key", "Aplikasi Warga",
                        "--db", db], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    key = r.stdout.split()[-1]
    assert key.startswith("psk_") and len(key) > 40
    from server.auth import check_api_key

    opened = open_database(db)
    try:
        assert check_api_key(opened, key)[1] == "Aplikasi Warga"
    finally:
        opened.dispose()


def test_bad_database_url_is_a_clear_error(monkeypatch, tmp_path):
    code, _, err = _run(monkeypatch, ["add-api-key", "x", "--db",
                                      "postgresql://nobody@127.0.0.1:1/none"])
    assert code == 2 and "cannot use the database" in err


def test_files_live_in_the_data_folder_whatever_the_working_directory(tmp_path, monkeypatch):
    """Issue 12 M8: on PostgreSQL the files folder was ./posko-server-files, so the same
    database served from another directory answered 500 for every download."""
    data = tmp_path / "data"
    pg = "postgresql://posko@127.0.0.1:5432/posko"
    seen = set()
    for cwd in ("a", "b"):
        (tmp_path / cwd).mkdir()
        monkeypatch.chdir(tmp_path / cwd)
        s = cli.settings_from_args(cli.parse_args(["run", "--db", pg, "--data-dir", str(data)]))
        seen.add(s.attachments_dir())
    assert seen == {data / "files"}
    # --files wins; a relative one is fixed when the server starts, not at each use.
    s = cli.settings_from_args(cli.parse_args(["run", "--db", pg, "--files", "blobs"]))
    monkeypatch.chdir(tmp_path)
    assert s.attachments_dir() == tmp_path / "b" / "blobs"
    # Without --data-dir: the per-user data folder, never the working directory.
    s = cli.settings_from_args(cli.parse_args(["run", "--db", pg]))
    assert s.attachments_dir() == cli._default_data_dir() / "files"
    # SQLite: next to the database file.
    s = cli.settings_from_args(cli.parse_args(["run", "--db", "x.sqlite3"]))
    assert s.attachments_dir() == tmp_path / "x-files"


def test_downloads_survive_a_change_of_working_directory(live, tmp_path, monkeypatch):
    import hashlib
    import os as _os

    from tests.server.helpers import create_mut, push, uid

    op = live.account("operator")
    m = create_mut()
    push(op, m)
    data = _os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    op.post("/v1/attachments", json={"id": uid(), "report_id": m["entity_id"], "sha256": sha,
                                     "filename": "a.bin", "mime": "application/octet-stream",
                                     "size": len(data)})
    assert op.put(f"/v1/attachments/{sha}/content", content=data).json()["complete"] is True
    monkeypatch.chdir(tmp_path)
    assert op.get(f"/v1/attachments/{sha}/content").content == data
