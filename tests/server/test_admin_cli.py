"""Issue 12 admin CLI: accounts, tokens and Open311 keys from ``posko server …``, each
recorded in the audit table; a disabled account is refused at once with account_disabled."""

from __future__ import annotations

import getpass
import io
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from server import auth, cli
from server.models import Audit
from tests.server.helpers import KEL_A1, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
O311 = "/open311/v2/requests.json"


def run_cli(monkeypatch, live, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = cli.main([*argv, "--db", live.settings.db_url])
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue()


def _login(live, name: str, password: str):
    return live.client().post("/v1/auth/login", json={"username": name, "password": password})


def _audit(live) -> list:
    t = Audit.__table__
    with live.ctx.db.read() as conn:
        return conn.execute(select(t).order_by(t.c.id)).all()


def test_user_commands_and_their_audit(monkeypatch, live):
    kel = live.account("kelurahan", [KEL_A1])
    name = kel.username
    code, out, _ = run_cli(monkeypatch, live, "list-users")
    assert code == 0 and name in out and "active" in out and "1 session(s)" in out

    assert run_cli(monkeypatch, live, "disable-user", name)[0] == 0
    r = kel.get("/v1/me")  # the token stops working at once, with its own error code
    assert r.status_code == 403 and r.json()["error"] == "account_disabled", r.text
    r = _login(live, name, PASSWORD)
    assert r.status_code == 403 and r.json()["error"] == "account_disabled"
    assert "disabled" in r.json()["message"]
    r = _login(live, name, "wrong-password")  # only the password's owner learns it
    assert r.status_code == 401 and r.json()["message"] == "wrong username or password"
    assert f"{name}\tkelurahan\t{KEL_A1}\tDISABLED" in run_cli(monkeypatch, live, "list-users")[1]

    assert run_cli(monkeypatch, live, "enable-user", name)[0] == 0
    assert kel.get("/v1/me").status_code == 200

    code, out, _ = run_cli(monkeypatch, live, "revoke-tokens", name)
    assert code == 0 and "1 session(s)" in out
    assert kel.get("/v1/me").status_code == 401

    code, _, err = run_cli(monkeypatch, live, "reset-password", name, stdin="short\n")
    assert code == 2 and "8 to 1024" in err
    code, _, _ = run_cli(monkeypatch, live, "reset-password", name, stdin="baru-sekali-123\n")
    assert code == 0
    assert _login(live, name, PASSWORD).status_code == 401
    assert _login(live, name, "baru-sekali-123").status_code == 200

    code, _, err = run_cli(monkeypatch, live, "disable-user", "nobody-here")
    assert code == 2 and "no account named" in err

    rows = [(r.command, r.target) for r in _audit(live) if r.target == name]
    assert rows == [("disable-user", name), ("enable-user", name), ("revoke-tokens", name),
                    ("reset-password", name)]
    assert {r.os_user for r in _audit(live)} == {getpass.getuser()}
    assert not any("baru-sekali" in str(tuple(r)) for r in _audit(live))


def _file(live, key: str):
    return live.client().post(O311, data={"api_key": key, "service_code": "sampah",
                                          "lat": "-6.91", "long": "107.60",
                                          "description": "Sampah menumpuk"})


def test_api_key_commands(monkeypatch, live):
    old = auth.create_api_key(live.ctx.db, "Aplikasi Rotasi")
    assert _file(live, old).status_code == 201
    code, out, _ = run_cli(monkeypatch, live, "list-api-keys")
    (line,) = [x for x in out.splitlines() if "Aplikasi Rotasi" in x]
    key_id = line.split("\t")[0]
    assert "active" in line and old not in out

    code, out, _ = run_cli(monkeypatch, live, "rotate-api-key", key_id)
    new = out.split()[-1]
    assert code == 0 and new.startswith("psk_") and new != old
    assert _file(live, old).status_code == 403
    assert _file(live, new).status_code == 201

    code, out, _ = run_cli(monkeypatch, live, "revoke-api-key", key_id)
    assert code == 0 and "revoked" in out
    assert _file(live, new).status_code == 403
    assert "REVOKED" in run_cli(monkeypatch, live, "list-api-keys")[1]
    code, _, err = run_cli(monkeypatch, live, "rotate-api-key", key_id)
    assert code == 2 and "revoked" in err
    code, _, err = run_cli(monkeypatch, live, "revoke-api-key", "no-such-id")
    assert code == 2 and "no API key" in err

    rows = [(r.command, r.target) for r in _audit(live) if r.target == key_id]
    assert rows == [("rotate-api-key", key_id), ("revoke-api-key", key_id)]
    assert not any(new in str(tuple(r)) or old in str(tuple(r)) for r in _audit(live))


def test_admin_commands_run_as_a_subprocess(tmp_path):
    db = str(tmp_path / "admin.sqlite3")

    def server(*argv: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "main.py", "server", *argv, "--db", db],
                              cwd=ROOT, capture_output=True, text=True, timeout=60, input=stdin)

    assert server("add-user", "op.satu", "--role", "operator", stdin="rahasia-sekali\n")\
        .returncode == 0
    r = server("disable-user", "op.satu")
    assert r.returncode == 0 and "disabled" in r.stdout, r.stderr
    r = server("list-users")
    assert "op.satu\toperator\twhole city\tDISABLED" in r.stdout
