"""Liveness, readiness, Prometheus metrics and JSON logs (issue 14 item 4)."""

from __future__ import annotations

import json
import logging

import httpx

from server.logs import JsonFormatter
from tests.server.helpers import create_mut, note_mut, push


def test_live_and_ready_answer_without_login(live):
    c = live.client()
    assert c.get("/v1/health/live").json() == {"status": "ok"}
    r = c.get("/v1/health/ready")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok" and body["schema_revision"] == body["head_revision"]


def test_ready_is_503_with_a_reason_when_the_schema_is_behind(live, monkeypatch):
    from server.routes import admin

    monkeypatch.setattr(admin, "_head", lambda: "9999_future")
    r = live.client().get("/v1/health/ready")
    assert r.status_code == 503
    assert "9999_future" in r.json()["reason"] and r.json()["status"] == "unavailable"


def test_ready_is_503_when_the_database_is_unreachable(live, monkeypatch):
    from server.routes import admin

    def broken(_engine):  # noqa: ANN001, ANN202
        raise ConnectionRefusedError("no database")

    monkeypatch.setattr(admin, "current_revision", broken)
    r = live.client().get("/v1/health/ready")
    assert r.status_code == 503 and "unreachable" in r.json()["reason"]


def _samples(text: str, name: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line.startswith(name):
            key, value = line.rsplit(" ", 1)
            out[key] = float(value)
    return out


def test_metrics_count_by_route_template_and_push_status(live):
    c = live.account("operator")
    m = create_mut()
    push(c, m, note_mut(m["entity_id"]))
    push(c, m)  # the same mutation again: a duplicate
    c.get(f"/v1/reports/{m['entity_id']}")
    c.get("/v1/pull", params={"cursor": 0})
    text = live.client().get("/metrics").text
    requests = _samples(text, "posko_http_requests_total")
    assert any('route="/v1/reports/{report_id}"' in k for k in requests), requests
    # no raw path (an id) in any label
    assert m["entity_id"] not in text
    pushes = _samples(text, "posko_push_mutations_total")
    assert pushes['posko_push_mutations_total{status="applied"}'] >= 2
    assert pushes['posko_push_mutations_total{status="duplicate"}'] >= 1
    assert _samples(text, "posko_pull_pages_total")["posko_pull_pages_total"] >= 1
    assert "posko_http_request_duration_seconds_bucket" in text
    assert "posko_attachment_uploads_in_progress" in text


def test_metrics_refuse_a_request_a_proxy_forwarded(live):
    r = live.client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status_code == 403


def test_metrics_refuse_without_the_token_when_one_is_set(live, monkeypatch):
    monkeypatch.setattr(live.ctx, "settings", live.settings.with_(metrics_token="s3cret"))
    assert live.client().get("/metrics").status_code == 403
    r = httpx.get(live.base_url + "/metrics", headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200 and "posko_http_requests_total" in r.text


def test_json_log_lines_carry_the_access_fields():
    record = logging.LogRecord("posko.access", logging.INFO, __file__, 1, "%s %s %s",
                               ("GET", "/v1/reports/{report_id}", 200), None)
    record.route, record.status, record.ms = "/v1/reports/{report_id}", 200, 1.5
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "info" and line["route"] == "/v1/reports/{report_id}"
    assert line["ts"].endswith("Z") and line["msg"] == "GET /v1/reports/{report_id} 200"


def test_migrate_brings_an_empty_database_to_head(tmp_path, capsys):
    from server.cli import main
    from server.db import head_revision

    assert main(["migrate", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == f"database schema at {head_revision()} (was empty)"
    assert main(["migrate", "--data-dir", str(tmp_path)]) == 0
    assert f"(was {head_revision()})" in capsys.readouterr().out


def test_a_database_error_logged_carries_no_row_values(tmp_path):
    from sqlalchemy import text

    from server.db import Database

    db = Database(str(tmp_path / "s.sqlite3"))
    try:
        with db.engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (phone TEXT CHECK (length(phone) < 3))"))
            try:
                conn.execute(text("INSERT INTO t VALUES (:p)"), {"p": "081234567890"})
            except Exception as exc:  # noqa: BLE001
                message = str(exc)
            else:
                raise AssertionError("the insert should have failed")
    finally:
        db.dispose()
    assert "CHECK constraint failed" in message and "081234567890" not in message
