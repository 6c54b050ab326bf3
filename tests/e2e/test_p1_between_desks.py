"""Issue 13 (1, 3): a P1 travels between desks by itself. Desk A triages a 112 call as an
emergency (key 1) and syncs; desk B, logged in and idle, raises the P1 alert — the red
message bar "Laporan P1 baru", the flashing row, the tray and sound — without anyone
pressing F5 there and long before its idle poll would come round (set to 10 minutes
here): the watch lane's long poll brought it.

Real main windows driven with keys, a real central server on 127.0.0.1."""

from __future__ import annotations

import time

from tests.e2e.test_identity import (
    add_officers,
    adi_triages_the_call,
    login,
    server,
    sync_until_sent,
)
from tests.e2e.test_soft_claim import consoles  # noqa: F401 - the fixture


def test_a_p1_made_at_one_desk_alerts_an_idle_desk_without_f5(consoles, own_server, qtbot):  # noqa: F811
    live = own_server
    add_officers(live)
    b = consoles("bima", seed=False)
    b.controller.idle_interval = 600
    login(b, live, "kel.bima")  # a login syncs at once; then B only watches
    qtbot.waitUntil(lambda: b.window.sync.service is not None
                    and b.window.sync.service.last_report is not None
                    and b.window.sync.service.last_report.complete, timeout=30000)
    cycles_before = b.window.sync.service.cycles

    a, call = adi_triages_the_call(consoles, live)  # key 1: P1 Darurat
    sync_until_sent(a)
    assert server(live, "SELECT priority FROM report WHERE id = :r", r=call) == [(1,)]
    sent = time.monotonic()

    alerts = b.window.alerts
    qtbot.waitUntil(lambda: call in alerts._alerted, timeout=15000)
    took = time.monotonic() - sent
    notice = b.window.notice
    assert notice.isVisible() and notice.kind == "error"
    assert notice.label.text().startswith("Laporan P1 baru: 1 — ")
    assert b.window.queue.model.flashing and call in b.window.queue.model.flashing
    assert any(kind == "p1" and "Laporan P1 baru" in str(what) for kind, what in alerts.log)
    assert b.scalar("SELECT priority FROM report WHERE id = ?", call) == 1
    # No F5 and no idle cycle: the watch brought it (within a few seconds, the bound
    # above; the idle poll would have taken up to ten minutes).
    assert took < 15
    assert b.window.sync.service.cycles == cycles_before
    consoles.close_all()
