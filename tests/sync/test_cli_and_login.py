"""Login and the token in the (test) keyring; the headless command and its exit codes."""

from __future__ import annotations

import io

import pytest

from console.store.db import open_database
from console.sync import cli, state
from console.sync.errors import AuthRequired
from console.sync.testing.live import PASSWORD
from tests.sync.helpers import KEL, open_console


def _tokens(ring) -> dict:
    """The login tokens in the keyring (the database keys live there too, issue 12)."""
    return {k: v for k, v in ring.store.items() if k[0] == "posko-sync"}


def test_token_lives_in_the_keyring_and_logout_clears_it(live, make_console, memory_keyring, tmp_path):
    c = make_console()
    (key, token), = _tokens(memory_keyring).items()
    assert key[0] == "posko-sync" and c.username in key[1] and len(token) > 20
    # Nothing secret in the database.
    meta = " ".join(v for (v,) in c.sql("SELECT value FROM meta"))
    assert token not in meta and PASSWORD not in meta
    # The token belongs to this data folder (issue 10, finding 10): a console on another
    # folder, same account and server, does not find it and must log in itself.
    other = open_console(tmp_path / "other-folder", live.url, c.username)
    try:
        assert other.engine.transport.token is None
        assert other.engine.status.state == "login"
    finally:
        other.close()
    # The same folder reopened (a restart) finds the token in the keyring.
    again = open_console(c.path, live.url, c.username)
    try:
        assert again.engine.transport.token == token
        assert again.engine.run_cycle().complete
        again.engine.logout()
        assert _tokens(memory_keyring) == {}  # the database key stays
        with pytest.raises(AuthRequired):
            again.engine.run_cycle()
        assert again.engine.status.state == "login"
    finally:
        again.close()
    # The server revoked the token: the first console must log in again too.
    with pytest.raises(AuthRequired, match="log in again"):
        c.engine.run_cycle()


def test_wrong_password_is_refused_clearly(make_console):
    c = make_console(login=False)
    with pytest.raises(AuthRequired, match="login refused"):
        c.engine.login("salah")


def _run_cli(monkeypatch, argv, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_headless_once_exit_codes(live, tmp_path, monkeypatch, capsys):
    live.add_user("kel-cli", "kelurahan", [KEL])
    data = tmp_path / "cli"
    base = ["--server", live.url, "--user", "kel-cli", "--once", "--data-dir", str(data),
            "--max-time", "20"]
    assert _run_cli(monkeypatch, base, "") == cli.EXIT_USAGE  # no password, no token
    assert "give the password" in capsys.readouterr().err
    assert _run_cli(monkeypatch, base, "salah\n") == cli.EXIT_USAGE
    assert _run_cli(monkeypatch, base, PASSWORD + "\n") == cli.EXIT_OK
    # Later runs use the token from the keyring and the server/user recorded last time.
    db = open_database(data / "posko.sqlite3")
    conn = db.raw()
    assert state.get_meta(conn, state.SERVER_URL) == live.url
    from console.operations.base import write_outbox
    from console.store.timefmt import new_id, utcnow
    from console.store.transaction import write_transaction

    with write_transaction(conn):
        write_outbox(conn, entity="note", entity_id=new_id(), op="note",
                     fields={"report_id": new_id(), "body": "untuk laporan yang tidak ada"},
                     actor="x", at=utcnow())
    conn.close()
    db.dispose()
    assert _run_cli(monkeypatch, ["--once", "--data-dir", str(data)], "") == cli.EXIT_QUARANTINE
    # Unreachable server: gives up after --max-time with exit 1.
    dead = ["--server", "http://127.0.0.1:9", "--user", "kel-cli", "--once", "--data-dir",
            str(tmp_path / "dead"), "--max-time", "2"]
    assert _run_cli(monkeypatch, dead, PASSWORD + "\n") == cli.EXIT_INCOMPLETE
    assert "could not log in" in capsys.readouterr().err


def test_cli_parser_plugs_into_the_main_command():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli.add_sync_parser(sub)
    args = parser.parse_args(["sync", "--server", "https://x", "--user", "u", "--watch"])
    assert args.command == "sync" and args.watch and not args.once
    with pytest.raises(SystemExit):
        parser.parse_args(["sync", "--once", "--watch"])
