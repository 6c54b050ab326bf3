"""Login, logout and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from server import auth
from server.deps import Caller, Ctx, bearer
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


@router.post("/auth/login", response_model=LoginOut, responses=ERRORS,
             summary="Log in with username and password; returns an expiring bearer token")
async def login(body: LoginIn, ctx: Ctx) -> LoginOut:
    s = ctx.settings
    try:
        result = await run_in_threadpool(auth.login, ctx.db, body.username, body.password,
                                         ttl=s.token_ttl, profile=s.password_profile)
    except auth.AuthError as exc:
        raise ApiError(401, str(exc)) from None
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
