"""The sync API: pull (change feed), push (mutations), and fetching one report."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import and_, select

from server import changes
from server.deps import Caller, Ctx, check_token
from server.errors import ApiError
from server.metrics import count_pull, count_push
from server.models import Attachment, Blob, Conflict, Dispatch, History, Note, Report, utcnow
from server.push import push
from server.schemas import ErrorOut, PushOut
from server.scope import Principal
from server.validation import UUID_PATTERN, iso, parse_json

router = APIRouter(prefix="/v1", tags=["sync"])
ERRORS = {401: {"model": ErrorOut}, 422: {"model": ErrorOut}}

PULL_DOC = """Changes after `cursor` in the caller's scope, oldest first, at most `limit` rows.

The body is gzip-compressed when the request accepts gzip (it normally does) and the
page has rows (an empty page comes plain), and is streamed. Shape: `{"cursor", "next_cursor", "more", "head", "count", "server_time",
"tables": {"report": {"cols": [...], "rows": [[...], ...]}, "note": ..., "dispatch": ...,
"attachment": ..., "conflict": ..., "gone": ...}}`. Times are integer milliseconds since
the Unix epoch (UTC); trailing nulls of a row are omitted. Store `next_cursor` with the rows
and pull again while `more` is true. With `wait=S` (a long poll) an empty page is held
up to S seconds and answered as soon as a change in the caller's scope commits, so an
idle console hears of a new report within a second. See docs/sync-protocol.md."""

#: Longest long poll (``wait``): below common proxies' 60 s idle timeouts.
MAX_WAIT_S = 55

PULL_RESPONSES = {
    200: {"description": "a page of changes (JSON, usually gzip-compressed)",
          "content": {"application/json": {"schema": {"type": "object"}}}},
    401: {"model": ErrorOut}, 409: {"model": ErrorOut}, 422: {"model": ErrorOut},
}


@router.get("/pull", summary="Changes since a cursor (compressed, streamed)",
            description=PULL_DOC, responses=PULL_RESPONSES, response_class=StreamingResponse)
async def pull(
    request: Request,
    ctx: Ctx,
    who: Caller,
    cursor: Annotated[int, Query(ge=0, le=2**62, description="last next_cursor stored; 0 at first")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="most rows to return")] = None,
    priority: Annotated[int | None, Query(
        ge=1, le=4, description="the priority lane: only reports of this priority or more "
        "urgent (1-2 for P1/P2), no children; keep its next_cursor apart from the main "
        "feed's (the main feed leaves them out when given `lane`)")] = None,
    lane: Annotated[int | None, Query(
        ge=0, le=2**62, description="on a main page: your priority lane's cursor. P1/P2 "
        "reports up to it are left out (the lane sent them); P1/P2 reports after this page "
        "and the lane come along as table `urgent` (at most 50), and `lane_cursor` says "
        "how far the lane then reaches")] = None,
    wait: Annotated[int, Query(
        ge=0, le=MAX_WAIT_S, description="long poll: when the page would be empty, wait up "
        "to this many seconds for a change in your scope and answer as soon as one commits "
        "(then the page has it); after `wait` seconds the empty page as without it. 0 (the "
        "default): answer at once. Works with `priority` and `lane`. An expired or revoked "
        "token ends the wait with 401")] = 0,
) -> StreamingResponse:
    s = ctx.settings
    limit = min(limit or s.default_pull_limit, s.max_pull_limit)

    def read(caller: Principal) -> changes.Page:
        try:
            return changes.pull(ctx.db, caller, cursor, limit, max_priority=priority, lane=lane)
        except changes.CursorAhead as exc:
            raise ApiError(409, str(exc), code="cursor_ahead") from None

    page = None
    if not (wait and ctx.db.bell.quiet(cursor, who.scope)):
        # (A long poll the bell knows has nothing new yet skips this read: an idle console
        # polling again after each answer costs the database nothing until a change.)
        if wait:  # long polls take turns reading (server/bell.py READS_AT_ONCE)
            async with ctx.db.bell.reads:
                page = await run_in_threadpool(read, who)
        else:
            page = await run_in_threadpool(read, who)
    if page is None or (wait and not page.count and not page.more):
        page = await _long_poll(request, ctx, who, read, page, cursor, wait)
        if page is None:  # the client left: nobody to answer
            return Response(status_code=204)
    count_pull(page.count)
    chunks = changes.encode_chunks(page)
    # Few headers: an idle console asks this every `wait` seconds, on a 64 kbit/s link.
    headers = {"X-Next-Cursor": str(page.next_cursor), "Cache-Control": "no-store"}
    if page.more:
        headers["X-More"] = "1"
    # gzip makes an empty page larger (its frame outweighs what it saves on ~100 bytes):
    # the answer an idle console gets every `wait` seconds goes plain.
    if page.count and "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        body = changes.gzip_stream(chunks)
    else:
        body = changes.plain_stream(chunks)
    return StreamingResponse(body, media_type="application/json", headers=headers)


async def _until_disconnect(request: Request) -> None:
    """Returns when the client closes the connection (a GET's body is already read, so
    the next message is the disconnect)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _long_poll(request: Request, ctx, who: Principal, read,  # noqa: ANN001
                     page: changes.Page | None, cursor: int,
                     wait: float) -> changes.Page | None:
    """Wait on the bell (server/bell.py) holding no thread and no database connection;
    on each wake that may concern the caller, check the token again and read the page
    again. The empty page when ``wait`` runs out; None when the client went away.
    ``page`` None: not read yet (the bell said nothing after ``cursor`` concerns us)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    bell = ctx.db.bell
    gone = asyncio.ensure_future(_until_disconnect(request))
    bell.waiting += 1
    try:
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            checked = cursor if page is None else page.head
            rang = asyncio.ensure_future(bell.wait(checked, who.scope, remaining))
            done, _ = await asyncio.wait({rang, gone}, return_when=asyncio.FIRST_COMPLETED)
            if gone in done:
                rang.cancel()
                return None
            if not rang.result():
                break
            async with bell.reads:
                who = await run_in_threadpool(check_token, ctx.db, token)
                page = await run_in_threadpool(read, who)
            if page.count or page.more:
                return page
            bell.idle_reads += 1  # woken for nothing (metrics: the wake filter's misses)
        # Answered empty: still a valid token? (A revoked one ends here with 401.)
        who = await run_in_threadpool(check_token, ctx.db, token)
        if page is None or bell.head > page.head:
            # Changes outside the scope committed: read again, so the cursor moves past
            # them (as a pull without wait would) and the next poll starts after them.
            page = await run_in_threadpool(read, who)
        return page
    finally:
        bell.waiting -= 1
        gone.cancel()


PUSH_DOC = """A batch of outbox mutations, applied in order. Every mutation gets its own
result (`applied`, `duplicate`, `conflict` or `rejected`, with an HTTP-like `code` and a
`message`); one bad mutation never fails the batch. Re-sending a mutation is harmless: the
same id with the same payload answers `duplicate` with the first result; the same id with
a different payload is `rejected` with code 409. A 503 (with Retry-After) means the
database failed for the moment and nothing of the batch was stored: send it again. The body may be gzip-compressed
(`Content-Encoding: gzip`; send it so): it is inflated up to the body limit (413 past it,
without inflating the rest), corrupt gzip is a 400, another encoding a 415. The reply is
gzip when the request accepts it. See docs/sync-protocol.md."""


@router.post(
    "/push", response_model=PushOut, response_model_exclude_none=True, summary="Apply a batch of mutations", description=PUSH_DOC,
    responses={**ERRORS, 400: {"model": ErrorOut}, 413: {"model": ErrorOut},
               415: {"model": ErrorOut}, 503: {"model": ErrorOut}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/PushIn"}}}}},
)
async def push_route(request: Request, ctx: Ctx, who: Caller) -> PushOut:
    s = ctx.settings
    try:
        data = parse_json(await request.body())
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("mutations"), list):
        raise ApiError(422, "the body must be a JSON object {\"mutations\": [...]}")
    extra = sorted(set(data) - {"mutations"})
    if extra:
        raise ApiError(422, f"unknown field(s) {', '.join(map(repr, extra))[:200]}; "
                            "the body holds only 'mutations'")
    items = data["mutations"]
    if len(items) > s.max_push_batch:
        raise ApiError(413, f"{len(items)} mutations in one push; send at most "
                            f"{s.max_push_batch} per request")
    results = await run_in_threadpool(
        push, ctx.db, ctx.ref, who, items, tz=s.tz, enforce_bounds=s.enforce_city_bounds,
        max_attachment=s.max_attachment_bytes)
    count_push(results)
    return PushOut(results=[r.as_dict() for r in results], server_time=iso(utcnow()))


def _iso_row(row) -> dict:  # noqa: ANN001
    out = {}
    for k, v in row._mapping.items():
        out[k] = iso(v) if hasattr(v, "tzinfo") else v
    return out


@router.get("/reports/{report_id}", summary="One report with its notes, dispatches, "
            "attachments, open conflicts and history",
            responses={**ERRORS, 404: {"model": ErrorOut}},
            response_description="the report; times are ISO 8601 UTC")
def get_report(
    ctx: Ctx, who: Caller,
    report_id: Annotated[str, Path(pattern=UUID_PATTERN, description="report UUID")],
) -> dict:
    r = Report.__table__
    with ctx.db.read() as conn:
        row = conn.execute(select(r).where(r.c.id == report_id)).first()
        if row is None or not who.scope.contains(row.region_code):
            raise ApiError(404, f"report {report_id} does not exist or is outside your regions "
                                f"({who.scope.describe()})")
        report = _iso_row(row)
        report["field_revs"] = json.loads(report["field_revs"] or "{}")
        children = {}
        for name, model, order in (("notes", Note, "seq"), ("dispatches", Dispatch, "seq"),
                                   ("conflicts", Conflict, "seq"), ("history", History, "id")):
            t = model.__table__
            rows = conn.execute(select(t).where(t.c.report_id == report_id)
                                .order_by(t.c[order])).all()
            children[name] = [_iso_row(x) for x in rows]
        a, b = Attachment.__table__, Blob.__table__
        readable = and_(b.c.complete, a.c.proven)  # see routes/attachments.py _view
        rows = conn.execute(select(a, readable.label("complete"),
                                   and_(readable, b.c.has_thumbnail).label("has_thumbnail"))
                            .join(b, b.c.sha256 == a.c.sha256)
                            .where(a.c.report_id == report_id).order_by(a.c.seq)).all()
        children["attachments"] = [_iso_row(x) for x in rows]
    for c in children["conflicts"]:
        for k in ("server_value", "client_value"):
            c[k] = json.loads(c[k]) if c[k] is not None else None
    for h in children["history"]:
        for k in ("old_value", "new_value"):
            h[k] = json.loads(h[k]) if h[k] is not None else None
    return {"report": report, **children}
