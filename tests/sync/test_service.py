"""The scheduler on an asyncio loop: connectivity lost and found, back-off capped at five
minutes with jitter, "sync now", a local change pushed soon after, login required."""

from __future__ import annotations

import asyncio
import random

from console.sync.link import Backoff, LinkEstimator
from console.sync.service import SyncService
from console.sync.testing.live import PASSWORD
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import new_report, until


def test_backoff_is_jittered_exponential_and_capped():
    b = Backoff(base=1.0, cap=300.0, rng=random.Random(1))
    delays = [b.next_delay() for _ in range(20)]
    assert all(0 < d <= 300 for d in delays)
    assert delays[0] <= 1.0 and 150 <= delays[-1] <= 300
    assert len({round(d, 3) for d in delays[-5:]}) > 1  # jitter: not in lock-step
    b.reset()
    assert b.next_delay() <= 1.0


def test_timeouts_and_batches_follow_the_measured_link():
    link = LinkEstimator(min_connect_timeout=1, min_read_timeout=1)
    link.observe_rtt(0.5)
    link.observe_transfer(80_000, 10.0, up=False)  # 8 kB/s = 64 kbit/s
    connect, read = link.timeouts()
    assert 2 <= connect <= 5 and 4 <= read <= 10
    assert link.kbit_s == 64 and 50_000 <= link.budget_bytes(up=False) <= 80_000
    _c, read_up = link.timeouts(100_000, up=True)
    assert read_up > read  # a big upload waits longer for its answer
    assert link.quality() == "online"
    link.observe_rtt(4.0)
    link.observe_rtt(4.0)
    assert link.quality() == "degraded"


def test_service_goes_offline_backs_off_and_recovers(live, make_console):
    with ProxyThread("127.0.0.1", live.port, LinkShape()) as proxy:
        c = make_console(proxy.url, login=False, min_read_timeout=1.0, min_connect_timeout=1.0)
        statuses = []
        changes = []

        async def scenario():
            service = SyncService(c.engine, idle_interval=0.3, debounce=0.05,
                                  backoff=Backoff(base=0.2, rng=random.Random(3)))
            service.subscribe(on_status=statuses.append, on_changes=changes.append)
            service.start()
            await asyncio.sleep(0.2)
            assert statuses[-1].state == "login"  # nothing to do without a login
            await service.login(PASSWORD)
            await until(lambda: service.last_report and service.last_report.complete)
            # The link dies: every connection is reset.
            proxy.shape.reset_prob = 1.0
            rid = new_report(c, title="Dibuat saat luring")
            service.notify_local_change()
            await until(lambda: statuses[-1].state == "offline" and statuses[-1].retry_in_s)
            assert statuses[-1].pending == 1 or c.scalar("SELECT count(*) FROM outbox") == 1
            await until(lambda: service.backoff.failures >= 3)
            # Back: "sync now" retries at once and pushes the waiting change.
            proxy.shape.reset_prob = 0.0
            service.sync_now()
            await until(lambda: c.scalar("SELECT count(*) FROM outbox") == 0)
            await until(lambda: statuses[-1].state == "online")
            assert any(rid in ch.report_ids for ch in changes if ch.kind == "sync_push")
            await service.stop()

        asyncio.run(scenario())


def test_stop_ends_a_long_catch_up_at_the_next_page(live, make_console):
    from console.sync.errors import Cancelled

    source = make_console(role="operator", regions=())
    for i in range(120):
        new_report(source, title=f"Laporan {i}")
    source.sync()
    c = make_console(max_pull=50, initial_pull=50, min_pull=50)
    pages = []
    lane = c.engine.pull_lane()
    real_pull = lane.pull

    def pull_then_cancel(cursor, limit, *, priority=None, lane=None):
        page = real_pull(cursor, limit, priority=priority, lane=lane)
        if priority is None:  # a page of the main feed (not the small priority lane)
            pages.append(page.next_cursor)
            c.engine.cancel()  # the window closes while this page is on its way
        return page

    lane.pull = pull_then_cancel
    try:
        c.engine.run_cycle()
        raise AssertionError("the cycle should have stopped")
    except Cancelled:
        pass
    assert len(pages) == 1
    assert c.call(lambda conn: conn.execute(
        "SELECT value FROM meta WHERE key = 'sync.cursor'").fetchone()[0]) == str(pages[0])
