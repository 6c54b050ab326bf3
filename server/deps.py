"""What every route needs: the server context and the authenticated caller."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.auth import AccountDisabled, AuthError, authenticate
from server.blobs import BlobStore
from server.db import Database, is_transient
from server.errors import ApiError, Unavailable, db_reason
from server.public_reads import PublicReads
from server.reference import Reference
from server.scope import Principal
from server.settings import Settings


@dataclass
class Context:
    settings: Settings
    db: Database
    ref: Reference
    blobs: BlobStore
    #: Bounds the password hashes computed at once (Settings.login_hash_slots).
    hash_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))
    #: The anonymous Open311 reads' cache and per-address counts.
    public: PublicReads = field(default_factory=PublicReads)


def context(request: Request) -> Context:
    return request.app.state.ctx


bearer = HTTPBearer(auto_error=False, description="the token from POST /v1/auth/login")


def principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if creds is None:
        raise ApiError(401, "log in first: send 'Authorization: Bearer <token>' "
                            "(token from POST /v1/auth/login)",
                       headers={"WWW-Authenticate": "Bearer"})
    return check_token(context(request).db, creds.credentials)


def check_token(db: Database, token: str) -> Principal:
    """The caller of ``token``, or the ApiError a route answers (401, 403, 503). Blocking:
    an async route (the long poll re-checking on wake) runs it in the threadpool."""
    try:
        return authenticate(db, token)
    except AccountDisabled as exc:
        raise ApiError(403, str(exc), code="account_disabled") from None
    except AuthError as exc:
        raise ApiError(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None
    except Exception as exc:
        if is_transient(exc):  # a database blip while checking the token: retry, not a crash
            raise Unavailable(db_reason(exc)) from None
        raise


Ctx = Annotated[Context, Depends(context)]
Caller = Annotated[Principal, Depends(principal)]
