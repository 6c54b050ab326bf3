"""bench/corpus.py: the sync bench's reports are as hard to compress as real complaints
(issue 11), the server and the console's intake accept them, and an office's week of
workflow leaves the expected mix of mutations in the outbox."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest

from bench import corpus
from console.domain.limits import control_problem, length_problem

KEL = "3273-2483-30959"


@pytest.fixture(scope="module")
def reports() -> list[dict]:
    return corpus.reports(random.Random(7), 3000, KEL, "SRV")


def test_corpus_compresses_no_better_than_real_complaints(reports):
    assert corpus.gzip_bytes_per_report(reports) >= 110


def test_corpus_is_deterministic_and_varied(reports):
    again = corpus.reports(random.Random(7), 50, KEL, "SRV")
    assert again == reports[:50]
    assert len({r["id"] for r in reports}) == len(reports)
    assert len({r["category_code"] for r in reports}) == len(corpus.CATEGORIES)
    assert len({r["title"] for r in reports}) > 2000
    assert len({r["description"] for r in reports}) >= 0.99 * len(reports)
    assert any(r["reporter_name"] is None for r in reports)


def test_texts_fit_the_server_and_intake_limits(reports):
    for r in reports:
        assert 80 <= len(r["description"]) <= 320
        # The one table both sides enforce (console/domain/limits.py).
        for key in ("title", "description", "reporter_name", "reporter_phone", "address",
                    "ticket", "created_by"):
            if r.get(key) is not None:
                assert length_problem(key, r[key]) is None, (key, r[key])
                assert control_problem(r[key]) is None, (key, r[key])


@pytest.fixture
def server(tmp_path):
    from server import auth
    from server.settings import Settings
    from tests.server.helpers import PASSWORD, start_server

    settings = Settings(db_url=str(tmp_path / "server.sqlite3"), files_dir=tmp_path / "files",
                        password_profile="fast")
    app, srv, thread, base_url = start_server(settings)
    auth.create_account(app.state.ctx.db, "city", "operator", PASSWORD, profile="fast")
    try:
        yield base_url
    finally:
        srv.should_exit = True
        thread.join(15)
        app.state.ctx.db.dispose()


def test_a_real_server_accepts_corpus_reports(server, reports):
    import httpx

    from tests.server.helpers import PASSWORD

    with httpx.Client(base_url=server, timeout=30) as c:
        r = c.post("/v1/auth/login", json={"username": "city", "password": PASSWORD})
        c.headers["Authorization"] = f"Bearer {r.json()['token']}"
        muts = [{"id": str(uuid.uuid4()), "entity": "report", "entity_id": f["id"],
                 "op": "create", "fields": f, "actor": "bench",
                 "at": datetime.now(UTC).isoformat(), "base_revision": None, "meta": {}}
                for f in reports[:200]]
        r = c.post("/v1/push", json={"mutations": muts})
        assert r.status_code == 200, r.text
        assert {x["status"] for x in r.json()["results"]} == {"applied"}


def test_office_workflow_leaves_the_expected_outbox(conn):
    rng = random.Random(3)
    ids = corpus.intake(conn, corpus.reports(rng, 200, KEL, "KEL"), KEL)
    done = corpus.office_workflow(conn, ids, rng)
    assert done == {"reject": 15, "verify": 185, "dispatch": 100, "dispatch_rows": 110,
                    "start": 60, "resolve": 40, "close": 20, "note": 26}
    outbox = dict(((e, o), n) for e, o, n in conn.execute(
        "SELECT entity, op, count(*) FROM outbox GROUP BY entity, op"))
    # one create per report; one patch per status change; one row per agency; notes; and
    # one soft claim per report still being handled (151; a report resolved, closed or rejected
    # before it was ever sent sends no claim: nothing to release on the server)
    assert outbox == {("report", "create"): 200, ("report", "patch"): 420,
                      ("dispatch", "dispatch"): 110, ("note", "note"): 26,
                      ("claim", "take"): 151}
    assert sum(outbox.values()) - outbox[("claim", "take")] == 756  # the workload
    statuses = dict(conn.execute("SELECT status, count(*) FROM report GROUP BY status"))
    assert statuses == {"rejected": 15, "verified": 85, "dispatched": 40, "in_progress": 20,
                        "resolved": 20, "closed": 20}
