"""Exactly-once through the fault proxy: answers lost after the server committed, resets
and stalls never make a change disappear or happen twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from console.operations.intake import NewReport, create_report
from console.sync.errors import SyncError
from console.sync.testing.live import PASSWORD
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import KEL


def _bulk_reports(conn, actor: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        data = NewReport(channel="phone", category_code="sampah", title=f"Sampah menumpuk {i}",
                         description="Belum diangkut tiga hari", region_code=KEL)
        ids.extend(create_report(conn, actor, data).created)
    return ids


def _server_ids(live, username: str) -> list[str]:
    from server.models import Report

    t = Report.__table__
    with live.ctx.db.read() as conn:
        return [r[0] for r in conn.execute(select(t.c.id).where(t.c.created_by == username))]


def sync_until_complete(console, *, max_cycles: int = 200) -> int:
    failures = 0
    for _ in range(max_cycles):
        try:
            if console.engine.run_cycle().complete:
                return failures
        except SyncError:
            failures += 1
    raise AssertionError(f"sync did not complete in {max_cycles} cycles")


@pytest.mark.slow
def test_thousand_reports_with_30_percent_of_answers_lost(live, make_console):
    with ProxyThread("127.0.0.1", live.port, LinkShape(), seed=11) as proxy:
        console = make_console(proxy.url, login=False, max_push=50, max_pull=200)
        console.engine.login(PASSWORD)
        ids = console.call(_bulk_reports, console.username, 1000)
        proxy.shape.drop_response_prob = 0.3
        failures = sync_until_complete(console)
        proxy.shape.drop_response_prob = 0.0
        assert proxy.stats.dropped_responses >= 3 and failures >= 3
    on_server = _server_ids(live, console.username)
    assert len(on_server) == 1000 and set(on_server) == set(ids)
    from server.models import AppliedMutation

    with live.ctx.db.read() as conn:
        t = AppliedMutation.__table__
        applied = conn.execute(select(func.count()).select_from(t)
                               .where(t.c.entity_id.in_(ids))).scalar()
    assert applied == 1000  # every create applied once; re-sends were answered 'duplicate'
    assert console.scalar("SELECT count(*) FROM outbox") == 0
    local = {r[0] for r in console.sql("SELECT id FROM report WHERE region_code = ?", KEL)}
    assert set(ids) <= local
    assert console.scalar("SELECT count(*) FROM report WHERE created_by = ?", console.username) == 1000


@pytest.mark.slow
def test_resets_and_stalls_lose_nothing(live, make_console):
    with ProxyThread("127.0.0.1", live.port, LinkShape(), seed=5) as proxy:
        writer = make_console(proxy.url, min_read_timeout=1.0, max_push=50)
        reader = make_console(proxy.url, min_read_timeout=1.0, max_pull=100)
        ids = writer.call(_bulk_reports, writer.username, 150)
        proxy.shape.rate_bps = 2_000_000
        proxy.shape.reset_prob = 0.01
        proxy.shape.stall_prob = 0.01
        proxy.shape.stall_s = 1.5  # longer than these engines' read timeout (1 s)
        sync_until_complete(writer)
        sync_until_complete(reader)
        assert proxy.stats.resets + proxy.stats.stalls > 0
    assert set(_server_ids(live, writer.username)) == set(ids)
    assert {r[0] for r in reader.sql("SELECT id FROM report WHERE created_by = ?",
                                     writer.username)} == set(ids)
    assert reader.scalar("PRAGMA integrity_check") == "ok"
