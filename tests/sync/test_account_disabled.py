"""Issue 12: an administrator disables an account (``posko server disable-user``). Its
console is told on its next sync (AuthRequired ``account_disabled``), stops trying, and
keeps its local data and its outbox for when the account is enabled again."""

from __future__ import annotations

import io
import time

import pytest

from console.sync import cli
from console.sync.errors import AuthRequired
from console.sync.testing.live import PASSWORD
from server import admin
from tests.sync.helpers import new_report


def test_a_disabled_accounts_console_stops_and_keeps_its_outbox(live, make_console):
    console = make_console()
    rid = new_report(console, title="Belum terkirim")
    assert console.scalar("SELECT count(*) FROM outbox") == 1
    admin.set_active(live.ctx.db, console.username, False)
    with pytest.raises(AuthRequired) as caught:
        console.engine.run_cycle()
    assert caught.value.error_code == "account_disabled"
    # Not transient: the scheduler (service.py) records it and waits for a login instead
    # of retrying; the status bar shows why.
    assert not caught.value.transient
    console.engine.record_failure(caught.value, None)
    assert console.engine.status.state == "login"
    assert console.engine.status.code == "account_disabled"
    assert console.scalar("SELECT count(*) FROM outbox") == 1
    assert console.scalar("SELECT title FROM report WHERE id = ?", rid) == "Belum terkirim"
    # Logging in again is refused with the same code (the password is right).
    with pytest.raises(AuthRequired) as caught:
        console.engine.login(PASSWORD)
    assert caught.value.error_code == "account_disabled"
    # Enabled again: the same console sends what it kept.
    admin.set_active(live.ctx.db, console.username, True)
    console.engine.login(PASSWORD)
    assert console.engine.run_cycle().complete
    assert console.scalar("SELECT count(*) FROM outbox") == 0


def test_headless_sync_of_a_disabled_account_gives_up_at_once(live, tmp_path, monkeypatch,
                                                              capsys):
    live.add_user("kel-off", "kelurahan", ["3273-2483-30959"])
    admin.set_active(live.ctx.db, "kel-off", False)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    t0 = time.monotonic()
    code = cli.main(["--server", live.url, "--user", "kel-off", "--once", "--data-dir",
                     str(tmp_path / "off"), "--max-time", "30"])
    assert code != cli.EXIT_OK and time.monotonic() - t0 < 10
    assert "disabled" in capsys.readouterr().err


def test_a_throttled_login_says_how_long_to_wait(make_console):
    console = make_console(login=False)
    for _ in range(10):
        with pytest.raises(AuthRequired) as caught:
            console.engine.login("salah-lagi")
        assert caught.value.error_code == "login_refused"
    with pytest.raises(AuthRequired) as caught:
        console.engine.login(PASSWORD)
    assert caught.value.error_code == "login_throttled"
    assert 1 <= caught.value.error_params["minutes"] <= 15
