"""Clock, health, and admin-only account listing."""

from __future__ import annotations

import functools
import json

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select

from server.db import current_revision, head_revision
from server.deps import Caller, Ctx
from server.errors import ApiError
from server.models import Account, utcnow
from server.schemas import AccountOut, ErrorOut, HealthOut, LiveOut, ReadyOut, TimeOut
from server.validation import epoch_ms, iso

router = APIRouter(prefix="/v1", tags=["admin"])
#: The migration scripts do not change under a running process: read them once.
_head = functools.cache(head_revision)


@router.get("/time", response_model=TimeOut,
            summary="Server clock, for consoles to measure their skew (no login needed)")
def server_time() -> TimeOut:
    now = utcnow()
    return TimeOut(server_time=iso(now), epoch_ms=epoch_ms(now))


@router.get("/health", response_model=HealthOut, summary="Liveness and database check")
def health(ctx: Ctx) -> HealthOut:
    return HealthOut(status="ok", database=ctx.db.engine.dialect.name, city=ctx.settings.city,
                     schema_revision=current_revision(ctx.db.engine))


@router.get("/health/live", response_model=LiveOut,
            summary="Liveness: this process answers (touches nothing else; no login needed)")
def live() -> LiveOut:
    return LiveOut(status="ok")


@router.get("/health/ready", response_model=ReadyOut, responses={503: {"model": ReadyOut}},
            summary="Readiness: the database answers and its schema is at this server's "
                    "migration head (503 with a reason otherwise; no login needed)")
def ready(ctx: Ctx) -> JSONResponse:
    # A load balancer polls this every few seconds: one cheap query, no personal data.
    head = _head()
    try:
        revision = current_revision(ctx.db.engine)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with its reason
        reason = f"database unreachable: {type(exc).__name__}"
        return JSONResponse(ReadyOut(status="unavailable", reason=reason, schema_revision=None,
                                     head_revision=head).model_dump(), status_code=503)
    if revision != head:
        reason = f"database schema at {revision}, this server needs {head}: run the migration"
        return JSONResponse(ReadyOut(status="unavailable", reason=reason,
                                     schema_revision=revision, head_revision=head).model_dump(),
                            status_code=503)
    return JSONResponse(ReadyOut(status="ok", reason=None, schema_revision=revision,
                                 head_revision=head).model_dump())


@router.get("/admin/accounts", response_model=list[AccountOut],
            responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
            summary="All accounts (admin role only)")
def accounts(ctx: Ctx, who: Caller) -> list[AccountOut]:
    if who.role != "admin":
        raise ApiError(403, "only an admin account may list accounts")
    t = Account.__table__
    with ctx.db.read() as conn:
        rows = conn.execute(select(t).order_by(t.c.username)).all()
    out = []
    for r in rows:
        regions = json.loads(r.regions or "[]")
        out.append(AccountOut(id=r.id, username=r.username, role=r.role, regions=regions,
                              scope="regions" if regions else "city"))
    return out
