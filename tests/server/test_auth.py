"""Login, tokens (expired, forged, revoked), and the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from server.auth import token_hash
from server.models import AuthToken
from tests.server.helpers import PASSWORD


def test_login_and_me(live):
    c = live.account("supervisor", name="sup-login")
    me = c.get("/v1/me").json()
    assert me == {"id": me["id"], "username": "sup-login", "role": "supervisor", "regions": [],
                  "scope": "city"}
    r = live.client().post("/v1/auth/login", json={"username": "sup-login", "password": "nope"})
    assert r.status_code == 401 and r.json()["message"] == "wrong username or password"
    r = live.client().post("/v1/auth/login", json={"username": "nobody", "password": PASSWORD})
    assert r.status_code == 401 and r.json()["message"] == "wrong username or password"


def test_login_body_errors(live):
    c = live.client()
    r = c.post("/v1/auth/login", json={"username": "a", "password": "b", "otp": 1})
    assert r.status_code == 422 and "otp" in r.json()["message"]
    r = c.post("/v1/auth/login", json={"username": 5, "password": "b"})
    assert r.status_code == 422 and "username" in r.json()["message"]
    r = c.post("/v1/auth/login", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["message"]
    r = c.post("/v1/auth/login", json={"username": "a\u0000", "password": "b"})
    assert r.status_code == 422 and "NUL" in r.json()["message"]


def test_tokens_missing_forged_expired_revoked(live):
    anon = live.client()
    r = anon.get("/v1/pull")
    assert r.status_code == 401 and "log in" in r.json()["message"]
    assert r.headers["www-authenticate"] == "Bearer"
    r = live.client("forged-token-123").get("/v1/pull")
    assert r.status_code == 401 and "unknown token" in r.json()["message"]
    c = live.account("operator")
    token = c.headers["authorization"].split()[1]
    assert c.get("/v1/pull").status_code == 200
    t = AuthToken.__table__
    with live.ctx.db.write() as conn:
        conn.execute(update(t).where(t.c.token_hash == token_hash(token))
                     .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    r = c.get("/v1/pull")
    assert r.status_code == 401 and "expired" in r.json()["message"]
    c2 = live.account("operator")
    assert c2.post("/v1/auth/logout").status_code == 204
    r = c2.get("/v1/me")
    assert r.status_code == 401 and "logged out" in r.json()["message"]


def test_time_endpoint(live):
    before = datetime.now(UTC)
    r = live.client().get("/v1/time")
    after = datetime.now(UTC)
    body = r.json()
    server = datetime.fromisoformat(body["server_time"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=1) <= server <= after + timedelta(seconds=1)
    assert abs(body["epoch_ms"] / 1000 - server.timestamp()) < 0.01
    assert live.client().get("/v1/health").json()["status"] == "ok"


def test_unknown_endpoint_and_nul_in_url(live):
    c = live.client()
    r = c.get("/v1/nothing-here")
    assert r.status_code == 404 and "no such endpoint" in r.json()["message"]
    r = c.get("/v1/reports/%00")
    assert r.status_code == 400 and "NUL" in r.json()["message"]
    r = c.get("/v1/pull", params={"cursor": "x\x00"})
    assert r.status_code == 400
