"""Issue 13 (3): desks see each other. Desk A acts on a 112 emergency; after a sync desk B's
detail panel and queue row show "Ditangani oleh kel.adi sejak HH:MM"; B pressing D gets a
warning, never a refusal: Esc keeps A's claim and dispatches nothing, confirming dispatches
and the server then names B as holder; K takes a report over after a confirmation.

The real main windows, driven with key presses, against the real central server on
127.0.0.1; checked on screen, in the consoles' databases and in the server's."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.e2e.helpers import make_consoles
from tests.e2e.test_identity import (
    add_officers,
    adi_triages_the_call,
    click_row,
    login,
    server,
    sync_until_sent,
)

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def consoles(qtbot, running_qloop, tmp_path):
    """Consoles with nobody on duty and the sync attached; closed at the end."""
    open_ = make_consoles(qtbot, running_qloop, tmp_path)
    yield open_
    open_.close_all()


def _holder(live, rid: str):
    rows = server(live, "SELECT holder FROM claim WHERE report_id = :r", r=rid)
    return rows[0][0] if rows else None


def _claim_dialog(desk, key):
    desk.key(key, widget=desk.window.queue.table)
    c = desk.window.controller
    desk.qtbot.waitUntil(lambda: c.dialog is not None and c.dialog.isVisible(), timeout=5000)
    dialog = c.dialog
    assert dialog.objectName() == "claim_dialog"
    dialog.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog


def _pull(desk, until) -> None:
    desk.window.sync.sync_now()
    desk.qtbot.waitUntil(until, timeout=30000)


def test_a_desk_sees_who_handles_a_call_and_is_warned_before_dispatching_it(consoles, own_server):
    live = own_server
    add_officers(live)
    a, call = adi_triages_the_call(consoles, live)  # key 1: A starts handling the P1 call
    assert a.window.detail.claim.isHidden()  # one's own claim is not news
    sync_until_sent(a)
    assert _holder(live, call) == "kel.adi"

    b = consoles("bima", seed=False)
    login(b, live, "kel.bima")  # a login syncs at once
    b.qtbot.waitUntil(lambda: b.scalar("SELECT holder FROM claim WHERE report_id = ?", call)
                      == "kel.adi", timeout=30000)
    b.activate()
    click_row(b, call)
    detail = b.window.detail
    b.qtbot.waitUntil(detail.claim.isVisible, timeout=5000)
    assert re.fullmatch(r"Ditangani oleh kel\.adi sejak \d\d:\d\d", detail.claim.text())
    model = b.window.queue.model
    row = model.row_of(call)
    assert model.index(row, 0).data().startswith("⚑ ")
    assert "Ditangani oleh kel.adi sejak" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)

    # D: a warning, not a refusal. Esc: nothing is dispatched, A keeps the call.
    dialog = _claim_dialog(b, Qt.Key.Key_D)
    question = dialog.findChild(type(detail.claim), "claim_question").text()
    assert re.fullmatch(r"Laporan ini sedang ditangani oleh kel\.adi sejak \d\d:\d\d\. "
                        r"Tetap lanjutkan\?", question), question
    b.key(Qt.Key.Key_Escape, widget=dialog)
    b.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    b.wait_idle()
    assert b.scalar("SELECT count(*) FROM dispatch WHERE report_id = ?", call) == 0
    assert b.scalar("SELECT count(*) FROM outbox") == 0
    assert b.scalar("SELECT holder FROM claim WHERE report_id = ?", call) == "kel.adi"

    # D again, Ctrl+Enter: the dispatch dialog follows; dispatching takes the call over.
    b.activate()
    dialog = _claim_dialog(b, Qt.Key.Key_D)
    b.key(Qt.Key.Key_Return, CTRL, widget=dialog)
    c = b.window.controller
    b.qtbot.waitUntil(lambda: c.dialog is not None and c.dialog.objectName() == "dispatch_dialog"
                      and c.dialog.isVisible(), timeout=5000)
    dispatch = c.dialog
    assert dispatch.agencies() == ["damkar"]
    dispatch.activateWindow()
    b.qtbot.waitUntil(lambda: QApplication.activeWindow() is dispatch, timeout=3000)
    with b.qtbot.waitSignal(c.performed, timeout=5000):
        b.qtbot.keyClick(dispatch.note, Qt.Key.Key_Return, CTRL)
    b.wait_idle()
    assert b.scalar("SELECT status FROM report WHERE id = ?", call) == "dispatched"
    b.qtbot.waitUntil(detail.claim.isHidden, timeout=5000)  # now B's own
    sync_until_sent(b)
    assert _holder(live, call) == "kel.bima"
    assert server(live, "SELECT count(*) FROM dispatch WHERE report_id = :r", r=call) == [(1,)]

    # A sees B now, and K takes the call back after a confirmation.
    a.activate()
    click_row(a, call)
    _pull(a, lambda: a.window.detail.claim.isVisible())
    assert a.window.detail.claim.text().startswith("Ditangani oleh kel.bima sejak ")
    dialog = _claim_dialog(a, Qt.Key.Key_K)
    assert "sedang ditangani oleh kel.bima" in dialog.findChild(
        type(detail.claim), "claim_question").text()
    with a.qtbot.waitSignal(a.window.controller.performed, timeout=5000):
        a.key(Qt.Key.Key_Return, CTRL, widget=dialog)
    a.qtbot.waitUntil(a.window.detail.claim.isHidden, timeout=5000)
    sync_until_sent(a)
    assert _holder(live, call) == "kel.adi"
    _pull(b, lambda: detail.claim.isVisible())
    assert detail.claim.text().startswith("Ditangani oleh kel.adi sejak ")
    consoles.close_all()


def test_the_take_over_key_is_listed_with_the_shortcuts():
    from console.views.actions import ACTIONS

    (spec,) = [s for s in ACTIONS if s.name == "act_take_claim"]
    assert spec.shortcut == "K" and spec.scope == "queue"
    assert len({s.shortcut for s in ACTIONS if s.shortcut}) == len(
        [s for s in ACTIONS if s.shortcut])  # no key twice
