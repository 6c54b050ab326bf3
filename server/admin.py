"""Account, token and API-key administration: ``posko server list-users`` and friends.

Whoever runs these commands administers the server database directly; that person is
not an account, so the ``audit`` table records the OS user running the command, the
command and its target (never a password or a key). Every command that changes
something writes its audit row in the same transaction as the change.

- ``disable-user``: the account's tokens stop working at once (the next request answers
  403 ``account_disabled``, so a console stops syncing and says why) and it cannot log in.
  Its tokens are kept, so ``enable-user`` lets its consoles go on; ``revoke-tokens`` ends
  them for good (a lost laptop).
- ``reset-password``: also logs the account out everywhere and lifts a login lockout.
- ``rotate-api-key``: the same key id and name with a new secret, printed once; the old
  secret stops working at once. ``revoke-api-key`` ends a key.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from collections.abc import Callable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from server import auth
from server.db import Database
from server.models import Account, ApiKey, Audit, AuthToken, Throttle, utcnow

COMMANDS = ("list-users", "disable-user", "enable-user", "reset-password", "revoke-tokens",
            "list-api-keys", "revoke-api-key", "rotate-api-key")


class AdminError(ValueError):
    """A command that cannot be done; the message says why."""


def os_user() -> str:
    try:
        return getpass.getuser()[:100]
    except Exception:  # noqa: BLE001 - no login name (a container): the uid will do
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def audit(conn: Connection, command: str, target: str | None) -> None:
    conn.execute(insert(Audit.__table__).values(at=utcnow(), os_user=os_user(),
                                                command=command, target=(target or "")[:200]))


def _account_id(conn: Connection, name: str) -> str:
    t = Account.__table__
    found = conn.execute(select(t.c.id).where(t.c.username == name)).scalar()
    if found is None:
        raise AdminError(f"no account named {name!r} (see list-users)")
    return found


def _revoke(conn: Connection, account_id: str) -> int:
    t = AuthToken.__table__
    now = utcnow()
    return conn.execute(update(t).where(t.c.account_id == account_id, t.c.revoked_at.is_(None),
                                        t.c.expires_at > now)
                        .values(revoked_at=now)).rowcount


def list_users(db: Database) -> list[dict]:
    a, tok = Account.__table__, AuthToken.__table__
    now = utcnow()
    with db.read() as conn:
        accounts = conn.execute(select(a).order_by(a.c.username)).all()
        live = {}
        for r in conn.execute(select(tok.c.account_id).where(tok.c.revoked_at.is_(None),
                                                             tok.c.expires_at > now)):
            live[r.account_id] = live.get(r.account_id, 0) + 1
    return [{"username": r.username, "role": r.role,
             "regions": json.loads(r.regions or "[]"), "active": bool(r.active),
             "sessions": live.get(r.id, 0), "created_at": r.created_at} for r in accounts]


def set_active(db: Database, name: str, active: bool) -> None:
    t = Account.__table__
    with db.write() as conn:
        account_id = _account_id(conn, name)
        conn.execute(update(t).where(t.c.id == account_id).values(active=active))
        audit(conn, "enable-user" if active else "disable-user", name)


def reset_password(db: Database, name: str, password: str, *, profile: str = "default") -> int:
    """Set a new password; returns how many sessions were logged out."""
    if not auth.MIN_PASSWORD <= len(password) <= auth.MAX_PASSWORD:
        raise AdminError(f"password must be {auth.MIN_PASSWORD} to {auth.MAX_PASSWORD} "
                         "characters")
    pw_hash = auth.hasher(profile).hash(password)
    t = Account.__table__
    with db.write() as conn:
        account_id = _account_id(conn, name)
        conn.execute(update(t).where(t.c.id == account_id).values(password_hash=pw_hash))
        ended = _revoke(conn, account_id)
        th = Throttle.__table__
        conn.execute(delete(th).where(th.c.key == f"login:user:{name.casefold()}"))
        audit(conn, "reset-password", name)
    return ended


def revoke_tokens(db: Database, name: str) -> int:
    with db.write() as conn:
        ended = _revoke(conn, _account_id(conn, name))
        audit(conn, "revoke-tokens", name)
    return ended


def list_api_keys(db: Database) -> list[dict]:
    t = ApiKey.__table__
    with db.read() as conn:
        rows = conn.execute(select(t.c.id, t.c.name, t.c.active, t.c.created_at)
                            .order_by(t.c.created_at)).all()
    return [dict(r._mapping) for r in rows]


def _key(conn: Connection, key_id: str):  # noqa: ANN202
    t = ApiKey.__table__
    row = conn.execute(select(t.c.id, t.c.name, t.c.active).where(t.c.id == key_id)).first()
    if row is None:
        raise AdminError(f"no API key with id {key_id!r} (see list-api-keys)")
    return row


def revoke_api_key(db: Database, key_id: str) -> str:
    t = ApiKey.__table__
    with db.write() as conn:
        row = _key(conn, key_id)
        conn.execute(update(t).where(t.c.id == key_id).values(active=False))
        audit(conn, "revoke-api-key", key_id)
    return row.name


def rotate_api_key(db: Database, key_id: str) -> tuple[str, str]:
    """``(name, new key)``: the key keeps its id and name; the old secret stops working."""
    t = ApiKey.__table__
    key = auth.new_api_key()
    with db.write() as conn:
        row = _key(conn, key_id)
        if not row.active:
            raise AdminError(f"API key {key_id} is revoked; make a new one with add-api-key")
        conn.execute(update(t).where(t.c.id == key_id).values(key_hash=auth.token_hash(key)))
        audit(conn, "rotate-api-key", key_id)
    return row.name, key


# --- the command line ------------------------------------------------------------------

def add_parsers(sub, db_option: Callable[[argparse.ArgumentParser], None]) -> None:  # noqa: ANN001
    def cmd(name: str, help_: str, arg: str | None = None, arg_help: str = "") -> None:
        p = sub.add_parser(name, help=help_)
        if arg:
            p.add_argument(arg, help=arg_help)
        db_option(p)

    cmd("list-users", "list accounts: role, regions, active, open sessions")
    cmd("disable-user", "disable an account: its tokens stop working, it cannot log in",
        "name", "username")
    cmd("enable-user", "enable a disabled account again", "name", "username")
    cmd("reset-password", "set a new password (read from stdin, 8-1024 characters); "
        "logs the account out everywhere", "name", "username")
    cmd("revoke-tokens", "log an account out of every console", "name", "username")
    cmd("list-api-keys", "list Open311 API keys (ids, names, active)")
    cmd("revoke-api-key", "revoke an Open311 API key", "key_id", "the key's id (list-api-keys)")
    cmd("rotate-api-key", "give an Open311 API key a new secret; prints it once",
        "key_id", "the key's id (list-api-keys)")


def run(db: Database, args: argparse.Namespace, read_password: Callable[[], str]) -> int:
    """Run one of COMMANDS; prints the outcome. AdminError for a command that cannot be done."""
    cmd = args.server_command
    if cmd == "list-users":
        for u in list_users(db):
            scope = ",".join(u["regions"]) or "whole city"
            state = "active" if u["active"] else "DISABLED"
            print(f"{u['username']}\t{u['role']}\t{scope}\t{state}\t"
                  f"{u['sessions']} session(s)")
    elif cmd in ("disable-user", "enable-user"):
        set_active(db, args.name, cmd == "enable-user")
        print(f"account {args.name} {'enabled' if cmd == 'enable-user' else 'disabled'}")
    elif cmd == "reset-password":
        ended = reset_password(db, args.name, read_password())
        print(f"password of {args.name} changed; {ended} session(s) logged out")
    elif cmd == "revoke-tokens":
        print(f"{revoke_tokens(db, args.name)} session(s) of {args.name} logged out")
    elif cmd == "list-api-keys":
        for k in list_api_keys(db):
            print(f"{k['id']}\t{k['name']}\t{'active' if k['active'] else 'REVOKED'}\t"
                  f"{k['created_at']:%Y-%m-%d}")
    elif cmd == "revoke-api-key":
        print(f"API key {args.key_id} ({revoke_api_key(db, args.key_id)}) revoked")
    elif cmd == "rotate-api-key":
        name, key = rotate_api_key(db, args.key_id)
        print(f"new Open311 API key for {name} (shown once; the old one no longer works): "
              f"{key}")
    else:  # pragma: no cover - add_parsers and COMMANDS agree
        raise AdminError(f"unknown command {cmd!r}")
    return 0
