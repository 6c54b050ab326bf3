"""Who acts (issue 10, findings 2 and 10): the logged-in account is the actor of every
operation on the console and on the server, never the OS user; before any login the
console asks who is on duty from the accounts this data folder has seen; shift sign-in
and out and the two-supervisor handover sign-off work with real accounts; the server URL
and the last account live with the database they sync.

Each test drives the real main window with key presses and clicks, against the real
central server on 127.0.0.1, and checks what the operator sees, what the data folder's
database holds and what the server stored."""

from __future__ import annotations

import getpass
import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from console.sync.testing.live import PASSWORD
from tests.e2e.helpers import KEL, close_desk, make_consoles, open_desk

CALL_112 = "Penelepon melaporkan asap dari rumah di Gg. Cibadak"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
OS_USER = getpass.getuser()


@pytest.fixture
def consoles(qtbot, qloop, tmp_path):
    """Consoles with nobody on duty and the sync attached; tests end with ``close_all()``."""
    open_ = make_consoles(qtbot, qloop, tmp_path)
    yield open_
    open_.close_all()


# --- driving modal dialogs ------------------------------------------------------------------

def run_modal(qtbot, name: str, handler, trigger) -> None:
    """``trigger()`` opens the modal dialog ``name`` (its exec() blocks); ``handler(dialog)``
    drives it meanwhile, as an operator would. A failing handler closes the dialog and
    its error is raised here."""
    errors: list[BaseException] = []

    def step() -> None:
        try:
            qtbot.waitUntil(lambda: getattr(QApplication.activeModalWidget(), "objectName",
                                            lambda: "")() == name, timeout=10000)
            handler(QApplication.activeModalWidget())
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                dialog.reject()

    QTimer.singleShot(0, step)
    trigger()
    if errors:
        raise errors[0]


def login(desk, live, username: str, password: str = PASSWORD) -> None:
    """Ctrl+L, type server, user and password, press Enter; wait until accepted."""
    qtbot = desk.qtbot

    def fill(dialog) -> None:
        dialog.server.selectAll()
        qtbot.keyClicks(dialog.server, live.url)
        dialog.username.selectAll()
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)

    desk.activate()
    run_modal(qtbot, "login_dialog", fill, lambda: desk.key(Qt.Key.Key_L, CTRL))
    qtbot.waitUntil(lambda: desk.window.operator.username == username, timeout=10000)


def type_password(qtbot, password: str):
    """A handler for the signature's password prompt: type it, press Enter."""
    from PySide6.QtWidgets import QLineEdit

    def handler(dialog) -> None:
        edit = dialog.findChild(QLineEdit)
        qtbot.keyClicks(edit, password)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    return handler


def click_row(desk, report_id: str) -> None:
    w = desk.window
    desk.qtbot.waitUntil(lambda: w.queue.model.row_of(report_id) is not None, timeout=10000)
    index = w.queue.model.index(w.queue.model.row_of(report_id), 4)
    w.queue.table.scrollTo(index)
    desk.qtbot.mouseClick(w.queue.table.viewport(), Qt.MouseButton.LeftButton,
                          pos=w.queue.table.visualRect(index).center())
    # Current: Detail shows it and the queue's highlighted row is it (keys act on it).
    desk.qtbot.waitUntil(lambda: desk.current_id() == report_id and getattr(
        w.queue.current_row(), "id", None) == report_id, timeout=10000)
    desk.wait_idle()


def triage_emergency(desk, report_id: str) -> None:
    """Click the report in the queue and press 1 (emergency), as an operator does."""
    desk.activate()  # shortcuts need the active window (after a dialog closed, too)
    click_row(desk, report_id)
    desk.key(Qt.Key.Key_1, widget=desk.window.queue.table)
    desk.wait_idle()


def sync_until_sent(desk, timeout: int = 30000) -> None:
    desk.window.sync.sync_now()
    desk.qtbot.waitUntil(
        lambda: desk.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'") == 0,
        timeout=timeout)


def server(live, sql: str, **params) -> list[tuple]:
    with live.ctx.db.read() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def add_officers(live) -> None:
    """kel.adi and kel.bima: two kelurahan officers of KEL, for two desks on one server."""
    live.add_user("kel.adi", "kelurahan", [KEL])
    live.add_user("kel.bima", "kelurahan", [KEL])


def adi_triages_the_call(consoles, live) -> tuple:
    """Desk "adi" opened, logged in as kel.adi, its seeded 112 call triaged as an emergency
    (key 1: P1, and the desk's claim), not synced yet: (desk, call id)."""
    a = consoles("adi")
    login(a, live, "kel.adi")
    call = a.seeded[CALL_112]
    triage_emergency(a, call)
    return a, call


def timeline_actors(desk) -> list[str]:
    tree = desk.window.detail.timeline
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        out.append(item.text(1))
        out += [item.child(j).text(1) for j in range(item.childCount())]
    return out


# --- the tests ------------------------------------------------------------------------------

def test_login_is_the_actor_of_everything_on_console_and_server(consoles, live):
    live.add_user("op.sari", "operator", [KEL])
    desk = consoles("sari")
    w = desk.window
    call = desk.seeded[CALL_112]

    # Nobody on duty: the console says so and is read-only; the OS user is never an actor.
    assert "Belum ada petugas bertugas" in w.operator_label.text()
    triage_emergency(desk, call)
    desk.qtbot.waitUntil(lambda: "Belum ada petugas" in w.notice.label.text(), timeout=5000)
    assert desk.scalar("SELECT triage FROM report WHERE id = ?", call) is None
    assert desk.scalar("SELECT count(*) FROM report_event WHERE actor IN ('', ?)", OS_USER) == 0

    login(desk, live, "op.sari")
    assert w.operator_label.text().startswith("op.sari (operator)")
    assert "disamarkan" in w.operator_label.text()  # an operator sees personal data masked
    # The account is cached in this data folder, with a verifier (never the password).
    name, role, regions, last, verifier = desk.sql(
        "SELECT display_name, role, regions, last_login_at, verifier FROM operator"
        " WHERE username = 'op.sari'")[0]
    assert (role, json.loads(regions)) == ("operator", [KEL]) and last is not None
    assert verifier and PASSWORD not in verifier

    triage_emergency(desk, call)
    assert desk.scalar("SELECT triage FROM report WHERE id = ?", call) == "emergency"
    # What the operator did is op.sari's. The sync, which runs once logged in, may already
    # have sent the call and noted the server's ticket number: that line is the server's.
    actors = desk.sql("SELECT kind, actor FROM report_event WHERE report_id = ? AND at > ?",
                      call, last)
    assert {a for (k, a) in actors if k != "sync"} == {"op.sari"}
    assert {a for (k, a) in actors if k == "sync"} <= {"server"}
    assert {json.loads(p)["actor"] for (p,) in desk.sql(
        "SELECT payload FROM outbox WHERE entity_id = ? AND op = 'patch'", call)} == {"op.sari"}
    click_row(desk, call)  # 1 moved on to the next report; back to the call's timeline
    desk.qtbot.waitUntil(lambda: "op.sari" in timeline_actors(desk), timeout=10000)
    assert OS_USER not in timeline_actors(desk) or OS_USER == "op.sari"

    sync_until_sent(desk)
    # The server stored the authenticated account, not the names the console sent (the
    # seeded reports claim created_by 'op.seed').
    assert server(live, "SELECT created_by FROM report WHERE id = :r", r=call) == [("op.sari",)]
    assert {b for (b,) in server(live, "SELECT by FROM history WHERE report_id = :r", r=call)} \
        == {"op.sari"}
    assert server(live, "SELECT count(*) FROM report WHERE created_by != 'op.sari'") == [(0,)]
    # The server and account are kept with the database, not in per-user settings.
    assert desk.scalar("SELECT value FROM meta WHERE key = 'sync.server_url'") == live.url
    assert desk.scalar("SELECT value FROM meta WHERE key = 'sync.username'") == "op.sari"
    w.settings.sync()
    assert not [k for k in w.settings.allKeys() if k.startswith("sync/")]
    consoles.close_all()


def test_shift_and_handover_signed_off_by_two_supervisors(consoles, live):
    from console.views.shift_panel import ShiftPanel

    live.add_user("spv.budi", "supervisor", [KEL])
    live.add_user("spv.ratih", "supervisor", [KEL])
    desk = consoles("handover")
    qtbot = desk.qtbot
    w = desk.window

    login(desk, live, "spv.budi")
    assert w.operator_label.text() == "spv.budi (supervisor)"  # a supervisor sees unmasked

    def budi_hands_over(dialog) -> None:
        panel = dialog.findChild(ShiftPanel)
        qtbot.waitUntil(panel.sign_in_button.isEnabled, timeout=10000)
        qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(panel.sign_out_button.isEnabled, timeout=10000)
        assert "spv.budi" in panel.staff.item(0, 0).text()
        panel.note.setFocus()
        qtbot.keyClicks(panel.note, "Pompa banjir Jl. Garuda dipantau tiap jam")
        qtbot.mouseClick(panel.sign_out_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.handovers.count() == 1, timeout=10000)
        assert "Pompa banjir" in panel.pack.toPlainText()
        assert not panel.sign_incoming_button.isEnabled()  # not one's own handover
        run_modal(qtbot, "sign_password_dialog", type_password(qtbot, PASSWORD),
                  lambda: qtbot.mouseClick(panel.sign_outgoing_button, Qt.MouseButton.LeftButton))
        qtbot.waitUntil(lambda: "disahkan" in panel.status.text(), timeout=10000)
        dialog.reject()

    desk.activate()
    run_modal(qtbot, "shift_dialog", budi_hands_over, lambda: desk.key(Qt.Key.Key_H, CTRL_SHIFT))
    (hid, out_name, out_signed, in_id), = desk.sql(
        "SELECT h.id, o.username, h.outgoing_signed_at, h.incoming_operator_id FROM handover h"
        " JOIN operator o ON o.id = h.outgoing_operator_id")
    assert out_name == "spv.budi" and out_signed is not None and in_id is None
    assert desk.sql("SELECT o.username, s.ended_at IS NOT NULL FROM shift s JOIN operator o"
                    " ON o.id = s.operator_id") == [("spv.budi", 1)]

    login(desk, live, "spv.ratih")  # the incoming supervisor logs in at the same desk
    assert w.operator_label.text() == "spv.ratih (supervisor)"

    def ratih_takes_over(dialog) -> None:
        panel = dialog.findChild(ShiftPanel)
        qtbot.waitUntil(panel.sign_in_button.isEnabled, timeout=10000)
        qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(panel.sign_incoming_button.isEnabled, timeout=10000)
        assert not panel.sign_outgoing_button.isEnabled()
        # Being on duty is not enough: a wrong password signs nothing.
        run_modal(qtbot, "sign_password_dialog", type_password(qtbot, "bukan-sandinya"),
                  lambda: qtbot.mouseClick(panel.sign_incoming_button, Qt.MouseButton.LeftButton))
        qtbot.waitUntil(lambda: panel.status.text() != "", timeout=10000)
        assert "disahkan" not in panel.status.text()
        assert desk.scalar("SELECT incoming_signed_at FROM handover WHERE id = ?", hid) is None
        run_modal(qtbot, "sign_password_dialog", type_password(qtbot, PASSWORD),
                  lambda: qtbot.mouseClick(panel.sign_incoming_button, Qt.MouseButton.LeftButton))
        qtbot.waitUntil(lambda: "disahkan" in panel.status.text(), timeout=10000)
        qtbot.waitUntil(lambda: panel.handovers.count() == 0, timeout=10000)
        dialog.reject()

    desk.activate()
    run_modal(qtbot, "shift_dialog", ratih_takes_over, lambda: desk.key(Qt.Key.Key_H, CTRL_SHIFT))
    assert desk.sql("SELECT i.username, h.incoming_signed_at IS NOT NULL FROM handover h"
                    " JOIN operator i ON i.id = h.incoming_operator_id WHERE h.id = ?", hid) \
        == [("spv.ratih", 1)]
    assert desk.sql("SELECT o.username FROM shift s JOIN operator o ON o.id = s.operator_id"
                    " WHERE s.ended_at IS NULL") == [("spv.ratih",)]
    consoles.close_all()


def test_first_start_asks_who_is_on_duty_from_the_accounts_seen_here(consoles, live, qloop):
    live.add_user("kel.dewi", "kelurahan", [KEL])
    first = consoles("dewi")
    login(first, live, "kel.dewi")
    call = first.seeded[CALL_112]
    folder = first.folder
    consoles.close(first)

    # A restart of the same data folder (the server need not answer): nobody is on duty
    # until a cached account proves itself with its password.
    desk = consoles("dewi", seed=False)
    assert desk.folder == folder
    w = desk.window
    assert "Belum ada petugas bertugas" in w.operator_label.text()
    qtbot = desk.qtbot

    def choose(dialog) -> None:
        assert dialog.list.count() == 1
        offered = dialog.list.item(0).text()
        assert "kel.dewi" in offered and "kelurahan" in offered and "Campaka" in offered
        assert OS_USER not in offered
        qtbot.keyClicks(dialog.password, "salah-sandi")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "salah" in dialog.message.text().lower(), timeout=10000)
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    assert w.operator.username == ""  # the wrong password changed nothing yet
    run_modal(qtbot, "on_duty_dialog", choose, w.choose_on_duty)
    assert w.operator_label.text().startswith("kel.dewi (kelurahan)")
    triage_emergency(desk, call)
    assert desk.scalar("SELECT triage FROM report WHERE id = ?", call) == "emergency"
    # The triage's actor (the server's own 'sync' entries, e.g. a ticket it renumbered
    # when the seeded call was pushed, are not the operator's actions).
    assert desk.scalar("SELECT actor FROM report_event WHERE report_id = ? AND kind != 'sync'"
                       " ORDER BY at DESC LIMIT 1", call) == "kel.dewi"
    consoles.close_all()


def test_a_folder_no_account_has_seen_offers_the_login_and_stays_read_only(consoles):
    desk = consoles("nobody")
    w = desk.window
    call = desk.seeded[CALL_112]
    qtbot = desk.qtbot

    def later(dialog) -> None:
        assert "Belum ada akun" in dialog.intro.text()
        assert dialog.list.isHidden() and dialog.password.isHidden()
        assert dialog.login_button.isVisible()
        qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)

    run_modal(qtbot, "on_duty_dialog", later, w.choose_on_duty)
    assert "hanya baca" in w.operator_label.text()
    triage_emergency(desk, call)
    assert desk.scalar("SELECT triage FROM report WHERE id = ?", call) is None
    assert desk.scalar("SELECT count(*) FROM outbox WHERE json_extract(payload, '$.actor')"
                       " NOT IN ('op.seed')") == 0
    consoles.close_all()


def test_two_consoles_on_one_server_see_each_others_account(consoles, own_server):
    live = own_server
    add_officers(live)
    a, call = adi_triages_the_call(consoles, live)
    sync_until_sent(a)
    assert a.scalar("SELECT count(*) FROM outbox WHERE state = 'quarantined'") == 0

    b = consoles("bima", seed=False)
    login(b, live, "kel.bima")  # a login syncs at once
    b.qtbot.waitUntil(lambda: b.scalar("SELECT count(*) FROM report WHERE id = ?", call) == 1,
                      timeout=30000)
    assert b.scalar("SELECT created_by FROM report WHERE id = ?", call) == "kel.adi"
    assert b.scalar("SELECT triage FROM report WHERE id = ?", call) == "emergency"
    b.qtbot.waitUntil(lambda: b.window.queue.model.row_of(call) is not None, timeout=10000)
    # The two data folders keep their own login: separate keyring entries and records.
    assert a.scalar("SELECT value FROM meta WHERE key = 'sync.username'") == "kel.adi"
    assert b.scalar("SELECT value FROM meta WHERE key = 'sync.username'") == "kel.bima"
    consoles.close_all()


def test_posko_sync_uses_the_login_kept_in_the_data_folder(consoles, live, qloop, monkeypatch,
                                                           capsys, tmp_path):
    """`posko sync --data-dir X` finds the server, the account and the token the console
    logged in with on X; another folder has none of them (finding 10)."""
    import io

    from console.sync import cli

    live.add_user("kel.sinta", "kelurahan", [KEL])
    desk = consoles("sinta", seed=False)
    login(desk, live, "kel.sinta")
    folder = desk.folder
    consoles.close_all()

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no password: the stored token
    assert cli.main(["--once", "--data-dir", str(folder), "--max-time", "20"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "pushed" in err and "give --server" not in err
    other = tmp_path / "other-folder"
    assert cli.main(["--once", "--data-dir", str(other)]) == cli.EXIT_USAGE
    assert "no earlier login is recorded in this database" in capsys.readouterr().err
    # Same server and account named explicitly: still no token for this folder.
    assert cli.main(["--once", "--data-dir", str(other), "--server", live.url,
                     "--user", "kel.sinta"]) == cli.EXIT_USAGE
    assert "not logged in as kel.sinta" in capsys.readouterr().err


def test_demo_officers_take_duty_with_the_demo_password(qtbot, tmp_path, capsys):
    """The demo's desk 1 logged in to the demo server as its supervisor and operator:
    both are offered as cached accounts and take duty (offline too) with the password the
    demo prints. The kelurahan account belongs to desk 2, not here."""
    from console import cli as posko
    from console.operations.accounts import DEMO_PASSWORD

    folder = tmp_path / "demo"
    assert posko.main(["demo", "--no-gui", "--reports", "30", "--data-dir", str(folder)]) == 0
    assert repr(DEMO_PASSWORD) in capsys.readouterr().out
    desk = open_desk(qtbot, folder, seed=False, operator=None)
    try:
        w = desk.window

        def take(dialog) -> None:
            names = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(dialog.list.count())]
            assert set(names) == {"spv.hendra", "op.rina"}
            assert names[0] == "op.rina"  # the last login, on duty: offered first
            assert OS_USER not in names
            dialog.list.setCurrentRow(names.index("spv.hendra"))
            desk.qtbot.keyClicks(dialog.password, DEMO_PASSWORD)
            desk.qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
            desk.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

        run_modal(qtbot, "on_duty_dialog", take, w.choose_on_duty)
        assert w.operator_label.text().startswith("Hendra Gunawan · spv.hendra (supervisor)")
    finally:
        close_desk(desk)


def test_the_officer_who_takes_duty_is_the_one_the_server_hears(consoles, live, qloop):
    """Two officers logged in on one desk; after a restart the one who takes duty offline
    is the account the sync pushes as (their own token of this data folder), and logging
    out leaves the console read-only."""
    from server import auth

    auth.create_account(live.ctx.db, "kel.tono", "kelurahan", PASSWORD, regions=[KEL],
                        display_name="Tono Sugiarto", profile="fast")
    live.add_user("kel.uci", "kelurahan", [KEL])
    first = consoles("tono-uci", seed=False)
    login(first, live, "kel.tono")
    login(first, live, "kel.uci")
    consoles.close(first)

    desk = consoles("tono-uci")  # restart; the seeded reports are new local work
    w = desk.window
    assert w.sync.username == "kel.uci"  # the last login, from the data folder
    qtbot = desk.qtbot

    def tono(dialog) -> None:
        names = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(dialog.list.count())]
        assert names == ["kel.uci", "kel.tono"]  # most recent first, preselected
        dialog.list.setCurrentRow(1)
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    run_modal(qtbot, "on_duty_dialog", tono, w.choose_on_duty)
    assert w.operator.username == "kel.tono" and w.sync.username == "kel.tono"
    # The name the server knows, cached at the login.
    assert w.operator_label.text().startswith("Tono Sugiarto · kel.tono (kelurahan)")
    call = desk.seeded[CALL_112]
    triage_emergency(desk, call)
    sync_until_sent(desk)
    assert server(live, "SELECT DISTINCT by FROM history WHERE report_id = :r", r=call) \
        == [("kel.tono",)]

    desk.activate()
    w.act_logout.trigger()
    assert "hanya baca" in w.operator_label.text()
    pothole = desk.seeded["Lubang besar di Jl. Garuda dekat halte"]
    before = desk.scalar("SELECT revision FROM report WHERE id = ?", pothole)
    click_row(desk, pothole)
    desk.key(Qt.Key.Key_V, widget=w.queue.table)  # verify: refused, nobody on duty
    desk.wait_idle()
    qtbot.waitUntil(lambda: "Belum ada petugas" in w.notice.label.text(), timeout=5000)
    assert desk.scalar("SELECT revision FROM report WHERE id = ?", pothole) == before
    consoles.close_all()
