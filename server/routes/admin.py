"""Clock, health, and admin-only account listing."""

from __future__ import annotations

import json

from fastapi import APIRouter
from sqlalchemy import select

from server.db import current_revision
from server.deps import Caller, Ctx
from server.errors import ApiError
from server.models import Account, utcnow
from server.schemas import AccountOut, ErrorOut, HealthOut, TimeOut
from server.validation import epoch_ms, iso

router = APIRouter(prefix="/v1", tags=["admin"])


@router.get("/time", response_model=TimeOut,
            summary="Server clock, for consoles to measure their skew (no login needed)")
def server_time() -> TimeOut:
    now = utcnow()
    return TimeOut(server_time=iso(now), epoch_ms=epoch_ms(now))


@router.get("/health", response_model=HealthOut, summary="Liveness and database check")
def health(ctx: Ctx) -> HealthOut:
    return HealthOut(status="ok", database=ctx.db.engine.dialect.name, city=ctx.settings.city,
                     schema_revision=current_revision(ctx.db.engine))


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
