"""Login, logout and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from server import auth, throttle
from server.deps import Caller, Context, Ctx, bearer
from server.errors import ApiError
from server.schemas import AccountOut, ErrorOut, LoginIn, LoginOut
from server.scope import Principal
from server.validation import iso

router = APIRouter(prefix="/v1", tags=["auth"])
ERRORS = {401: {"model": ErrorOut}, 422: {"model": ErrorOut}}


def account_out(p: Principal, display_name: str | None = None) -> AccountOut:
    return AccountOut(id=p.account_id, username=p.username, display_name=display_name,
                      role=p.role,
                      regions=list(p.scope.codes),
                      scope="city" if p.scope.everything else "regions")


def _login_limits(ctx: Context, username: str, address: str) -> list[throttle.Limit]:
    s = ctx.settings
    # Unknown names count like real ones: a lockout only real accounts got would itself
    # tell which names exist.
    return [throttle.Limit(f"login:user:{username.casefold()}", s.login_failures_per_account,
                           s.login_window),
            throttle.Limit(f"login:addr:{address}", s.login_failures_per_address,
                           s.login_window)]


def _too_many(wait: int) -> ApiError:
    minutes = max(1, round(wait / 60))
    return ApiError(429, f"too many failed logins for this account or from this address; "
                         f"try again in {minutes} minute(s)", code="too_many",
                    details={"retry_after": wait}, headers={"Retry-After": str(wait)})


@router.post("/auth/login", response_model=LoginOut,
             responses={**ERRORS, 403: {"model": ErrorOut}, 429: {"model": ErrorOut}},
             summary="Log in with username and password; returns an expiring bearer token")
async def login(body: LoginIn, request: Request, ctx: Ctx) -> LoginOut:
    """Failed logins are counted per account name and per client address (in the
    database, so every server process shares them): past the limit every login of that
    name or from that address answers 429 with Retry-After until the window ends, the right
    password included. Password hashes are computed a few at a time."""
    s = ctx.settings
    limits = _login_limits(ctx, body.username, request.client.host if request.client else "?")
    wait = await run_in_threadpool(throttle.retry_after, ctx.db, limits)
    if wait:
        raise _too_many(wait)
    async with ctx.hash_slots:
        # Again: the failures of the logins this one waited behind count too.
        wait = await run_in_threadpool(throttle.retry_after, ctx.db, limits)
        if wait:
            raise _too_many(wait)
        try:
            result = await run_in_threadpool(auth.login, ctx.db, body.username, body.password,
                                             ttl=s.token_ttl, profile=s.password_profile)
        except auth.AccountDisabled as exc:
            raise ApiError(403, str(exc), code="account_disabled") from None
        except auth.AuthError as exc:
            await run_in_threadpool(throttle.hit, ctx.db, limits)
            raise ApiError(401, str(exc)) from None
    await run_in_threadpool(throttle.clear, ctx.db, limits[0].key)
    return LoginOut(token=result.token, expires_at=iso(result.expires_at),
                    account=account_out(result.principal, result.display_name or None))


@router.post("/auth/logout", status_code=204, responses=ERRORS,
             summary="Revoke the token used for this request")
def logout(ctx: Ctx, who: Caller,
           creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    auth.logout(ctx.db, creds.credentials)


@router.get("/me", response_model=AccountOut, response_model_exclude_none=True,
            responses=ERRORS, summary="The account behind the token, with its role and regions")
def me(who: Caller) -> AccountOut:
    return account_out(who)
