"""Who acts at this console: the data folder's cache of accounts that logged in here, and
the operator on duty.

The actor of every operation is an account the central server authenticated, never the
OS user (issue 10, finding 2). A successful server login caches the account (username,
display name, role, regions, server, time) in the ``operator`` table together with a
password *verifier* (salted scrypt; migration 0006). Offline, or after a restart, the
operator on duty is chosen from these cached accounts and proves it with their password,
checked against the verifier, so nobody becomes another officer by typing or picking a
name. The choice is kept in ``meta`` (``console.on_duty``) of this data folder.

Qt-free: the views call these through the database worker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime

from console.operations.base import OpChanges, OperationError
from console.store.timefmt import from_db, new_id, to_db, utcnow
from console.store.transaction import write_transaction

ON_DUTY = "console.on_duty"
#: scrypt cost: ~50 ms on a small laptop; a verifier is checked once per sign-on.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


@dataclass(frozen=True)
class KnownAccount:
    username: str
    display_name: str
    role: str
    regions: tuple[str, ...]
    server_url: str | None
    last_login_at: datetime | None
    can_verify: bool  # a verifier is cached: the account can take over offline
    region_names: tuple[str, ...] = ()  # names of ``regions`` (known_accounts fills them)


def make_verifier(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64); slow on purpose — call off the GUI thread."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return (f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}$"
            f"{b64(salt).decode()}${b64(digest).decode()}")


def check_verifier(verifier: str | None, password: str) -> bool:
    try:
        kind, n, r, p, salt, digest = (verifier or "").split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), dklen=32,
                             n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


_COLUMNS = "username, display_name, role, regions, server_url, last_login_at, verifier"


def _known(row: tuple) -> KnownAccount:
    username, name, role, regions, server, last, verifier = row
    try:
        codes = tuple(json.loads(regions or "[]"))
    except ValueError:
        codes = ()
    return KnownAccount(username, name or username, role, codes, server, from_db(last),
                        bool(verifier))


def remember_login(conn: sqlite3.Connection, account: dict, server_url: str,
                   verifier: str | None, *, now: datetime | None = None) -> OpChanges:
    """Cache the account the server just authenticated and make it the operator on duty.
    ``account`` is the server's login answer (id, username, role, regions[, display_name])."""
    username = str(account.get("username") or "").strip()
    if not username:
        raise OperationError("the server's login answer names no account",
                             code="login_no_account")
    now = now or utcnow()
    regions = json.dumps(list(account.get("regions") or []))
    with write_transaction(conn):
        row = conn.execute("SELECT id, display_name FROM operator WHERE username = ?",
                           (username,)).fetchone()
        name = str(account.get("display_name") or (row[1] if row else "") or username)
        values = (name, str(account.get("role") or "operator"), regions,
                  account.get("id"), server_url.rstrip("/"), to_db(now))
        if row is None:
            conn.execute(
                "INSERT INTO operator (id, username, display_name, role, regions, account_id,"
                " server_url, last_login_at, verifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), username, *values, verifier))
        else:
            conn.execute(
                "UPDATE operator SET display_name = ?, role = ?, regions = ?, account_id = ?,"
                " server_url = ?, last_login_at = ?, verifier = coalesce(?, verifier)"
                " WHERE id = ?", (*values, verifier, row[0]))
        _set_on_duty(conn, username)
    return OpChanges(kind="operator_login", timeline=False, outbox=False,
                     detail={"username": username})


def known_accounts(conn: sqlite3.Connection) -> list[KnownAccount]:
    """Accounts that logged in on this data folder, most recent first."""
    out = [_known(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM operator WHERE last_login_at IS NOT NULL"
        " ORDER BY last_login_at DESC, username")]
    codes = sorted({c for a in out for c in a.regions})
    names = dict(conn.execute(
        f"SELECT code, name FROM region WHERE code IN ({','.join('?' * len(codes))})",
        codes).fetchall()) if codes else {}
    return [replace(a, region_names=tuple(names.get(c, c) for c in a.regions)) for a in out]


def account(conn: sqlite3.Connection, username: str) -> KnownAccount | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM operator WHERE username = ?"
                       " AND last_login_at IS NOT NULL", (username,)).fetchone()
    return _known(row) if row else None


def take_duty(conn: sqlite3.Connection, username: str, password: str) -> KnownAccount:
    """A cached account takes over the console offline, proven by its password."""
    with write_transaction(conn):
        row = conn.execute(f"SELECT {_COLUMNS} FROM operator WHERE username = ?"
                           " AND last_login_at IS NOT NULL", (username,)).fetchone()
        if row is None:
            raise OperationError(f"{username!r} has never logged in on this console",
                                 code="never_logged_in", username=username)
        if not check_verifier(row[6], password):
            raise WrongPassword(username)
        _set_on_duty(conn, username)
    return _known(row)


def verify(conn: sqlite3.Connection, username: str, password: str) -> KnownAccount:
    """Check a cached account's password without changing who is on duty (e.g. the
    signature of a handover)."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM operator WHERE username = ?"
                       " AND last_login_at IS NOT NULL", (username,)).fetchone()
    if row is None or not check_verifier(row[6], password):
        raise WrongPassword(username)
    return _known(row)


def on_duty(conn: sqlite3.Connection) -> KnownAccount | None:
    """The account last on duty at this data folder, if it is still cached."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (ON_DUTY,)).fetchone()
    return account(conn, row[0]) if row and row[0] else None


def leave_duty(conn: sqlite3.Connection) -> None:
    with write_transaction(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (ON_DUTY,))


def _set_on_duty(conn: sqlite3.Connection, username: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                 " SET value = excluded.value", (ON_DUTY, username))


class WrongPassword(OperationError):
    error_code = "wrong_password"

    def __init__(self, username: str) -> None:
        super().__init__(f"wrong password for {username!r}")
        self.username = username
        self.error_params = {"username": username}


#: The password of every demo account (``posko demo``; console/demo/server.py creates
#: them on the demo's own central server and prints it). Invented people, loopback only.
DEMO_PASSWORD = "posko-demo"
