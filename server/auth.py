"""Accounts, passwords, login tokens and Open311 API keys.

- Passwords: argon2id through argon2-cffi (RFC 9106 low-memory profile by default),
  rehashed on login when the parameters change.
- Login tokens and API keys: 256-bit random values from ``secrets``; only their SHA-256
  is stored, so a copy of the database gives nobody a working token. A slow hash is
  pointless for values with that much entropy and would cost every request.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import insert, select, update

from server.db import Database
from server.models import ROLES, Account, ApiKey, AuthToken, Region, new_id, utcnow
from server.scope import CITY_WIDE_ROLES, Principal

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


class AccountError(ValueError):
    """Invalid account data; the message says what to fix."""


class AuthError(Exception):
    """Authentication failed; the message is safe to show the caller."""


class AccountDisabled(AuthError):
    """The account was disabled by an administrator (``posko server disable-user``): its
    tokens stop working and it cannot log in. Error code ``account_disabled``."""

    def __init__(self) -> None:
        super().__init__("this account is disabled; ask the server administrator")


def hasher(profile: str = "default") -> PasswordHasher:
    if profile == "fast":  # tests only
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_account(
    db: Database, username: str, role: str, password: str, *, regions: list[str] | None = None,
    display_name: str | None = None, profile: str = "default",
) -> str:
    """Create an account and return its id; AccountError for anything invalid."""
    regions = list(dict.fromkeys(regions or []))
    if not USERNAME_RE.match(username or ""):
        raise AccountError(
            "username must be 1-64 characters: letters, digits and . _ @ - "
            "(starting with a letter or digit)")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
    if not regions and role not in CITY_WIDE_ROLES:
        raise AccountError(f"a {role} account needs at least one --region")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    pw_hash = hasher(profile).hash(password)
    region_t, account_t = Region.__table__, Account.__table__
    with db.write() as conn:
        if regions:
            known = {r[0] for r in conn.execute(
                select(region_t.c.code).where(region_t.c.code.in_(regions)))}
            unknown = [r for r in regions if r not in known]
            if unknown:
                raise AccountError(f"unknown region code(s): {', '.join(unknown)}")
        exists = conn.execute(
            select(account_t.c.id).where(account_t.c.username == username)).first()
        if exists:
            raise AccountError(f"an account named {username!r} already exists")
        account_id = new_id()
        conn.execute(insert(account_t).values(
            id=account_id, username=username, display_name=display_name or username, role=role,
            regions=json.dumps(regions), password_hash=pw_hash, active=True, created_at=utcnow()))
    return account_id


_DUMMY_HASHES: dict[str, str] = {}
_DUMMY_LOCK = threading.Lock()


def dummy_hash(profile: str = "default") -> str:
    """A hash of a password nobody has, made once per profile: an unknown username is
    checked against it, so it costs one verify like a known one (never a hash as well,
    which made unknown names answer twice as slowly)."""
    found = _DUMMY_HASHES.get(profile)
    if found is None:
        with _DUMMY_LOCK:
            found = _DUMMY_HASHES.get(profile)
            if found is None:
                found = _DUMMY_HASHES[profile] = hasher(profile).hash(secrets.token_hex(16))
    return found


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime
    principal: Principal
    display_name: str = ""  # the console shows it next to the username


def login(db: Database, username: str, password: str, *, ttl: timedelta,
          profile: str = "default") -> LoginResult:
    ph = hasher(profile)
    account_t = Account.__table__
    with db.read() as conn:
        row = conn.execute(select(account_t).where(account_t.c.username == username)).first()
    if row is None:
        # Spend the same time as a real check so timing does not reveal usernames.
        try:
            ph.verify(dummy_hash(profile), password)
        except VerificationError:
            pass
        raise AuthError("wrong username or password")
    try:
        ph.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthError("wrong username or password") from None
    if not row.active:  # said only to whoever knows the password
        raise AccountDisabled()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + ttl
    with db.write() as conn:
        conn.execute(insert(AuthToken.__table__).values(
            token_hash=token_hash(token), account_id=row.id, created_at=now, expires_at=expires))
        if ph.check_needs_rehash(row.password_hash):
            conn.execute(update(account_t).where(account_t.c.id == row.id)
                         .values(password_hash=ph.hash(password)))
    return LoginResult(token, expires, Principal.from_row(row.id, row.username, row.role,
                                                          row.regions), row.display_name or "")


def authenticate(db: Database, token: str) -> Principal:
    if not token or len(token) > 200:
        raise AuthError("missing or malformed token; log in at POST /v1/auth/login")
    tok, acc = AuthToken.__table__, Account.__table__
    with db.read() as conn:
        row = conn.execute(
            select(tok.c.expires_at, tok.c.revoked_at, acc.c.id, acc.c.username, acc.c.role,
                   acc.c.regions, acc.c.active)
            .join(acc, acc.c.id == tok.c.account_id)
            .where(tok.c.token_hash == token_hash(token))
        ).first()
    if row is None:
        raise AuthError("unknown token; log in again")
    if row.revoked_at is not None:
        raise AuthError("this token was logged out; log in again")
    if row.expires_at <= utcnow():
        raise AuthError("token expired; log in again")
    if not row.active:
        raise AccountDisabled()
    # The first 16 hex digits of the token's hash name the session: enough to tell the
    # sessions apart, and useless for logging in (the token itself is never stored).
    return Principal.from_row(row.id, row.username, row.role, row.regions,
                              session=token_hash(token)[:16])


def logout(db: Database, token: str) -> None:
    tok = AuthToken.__table__
    with db.write() as conn:
        conn.execute(update(tok).where(tok.c.token_hash == token_hash(token))
                     .values(revoked_at=utcnow()))


def new_api_key() -> str:
    return "psk_" + secrets.token_urlsafe(32)


def create_api_key(db: Database, name: str) -> str:
    """A new Open311 API key (returned once; only its hash is stored)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise AccountError("an API key needs a name of 1-100 characters")
    key = new_api_key()
    with db.write() as conn:
        conn.execute(insert(ApiKey.__table__).values(
            id=new_id(), name=name, key_hash=token_hash(key), created_at=utcnow(), active=True))
    return key


def check_api_key(db: Database, key: str | None) -> tuple[str, str]:
    """``(id, name)`` of the active API key ``key``; AuthError otherwise."""
    if not key:
        raise AuthError("api_key is required")
    t = ApiKey.__table__
    with db.read() as conn:
        row = conn.execute(select(t.c.id, t.c.name, t.c.active)
                           .where(t.c.key_hash == token_hash(key))).first()
    if row is None or not row.active:
        raise AuthError("invalid api_key")
    return row.id, row.name
