"""Attachments: register, upload in resumable chunks, download, thumbnails.

1. ``POST /v1/attachments`` registers a file on a report (id, report_id, sha256, filename,
   mime, size); it answers the upload status: how many bytes the server already holds.
2. ``PUT /v1/attachments/{sha256}/content?offset=N`` appends one chunk at byte N (N must
   equal ``received``; otherwise 409 tells the right offset). After the last byte the hash
   is checked, the blob becomes complete and, for images, a thumbnail is made.
3. ``GET /v1/attachments/{sha256}/content?offset=N&length=M`` reads (a range of) it;
   ``GET …/thumbnail`` the JPEG thumbnail.

Every endpoint checks that a report in the caller's scope has this blob attached.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import bindparam, select, update

from server.blobs import HashMismatch, OffsetMismatch
from server.deps import Caller, Context, Ctx
from server.errors import ApiError
from server.models import Attachment, Blob, Counter, Report, utcnow
from server.push import push
from server.schemas import AttachmentIn, ErrorOut, UploadStatus
from server.scope import Principal
from server.validation import SHA256_PATTERN

router = APIRouter(prefix="/v1/attachments", tags=["attachments"])
ERRORS = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}
Sha = Annotated[str, Path(pattern=SHA256_PATTERN, description="SHA-256 of the file, lowercase hex")]
_NS = uuid.UUID("6f1d3c52-2b7e-4d0e-9a51-3c1f0b7d9e21")


def _blob_for(ctx: Context, who: Principal, sha: str):  # noqa: ANN202
    """The blob row if a report in the caller's scope has it attached; else 404."""
    a, b, r = Attachment.__table__, Blob.__table__, Report.__table__
    q = (select(b).join(a, a.c.sha256 == b.c.sha256).join(r, r.c.id == a.c.report_id)
         .where(b.c.sha256 == sha))
    cond = who.scope.where(r.c.region_code)
    if cond is not None:
        q = q.where(cond)
    with ctx.db.read() as conn:
        row = conn.execute(q.limit(1)).first()
    if row is None:
        raise ApiError(404, f"no attachment {sha} on a report in your regions "
                            f"({who.scope.describe()})")
    return row


def _status(ctx: Context, row) -> UploadStatus:  # noqa: ANN001
    return UploadStatus(sha256=row.sha256, size=row.size,
                        received=ctx.blobs.received(row.sha256, row.size) if not row.complete
                        else row.size, complete=row.complete, has_thumbnail=row.has_thumbnail)


@router.post("", response_model=UploadStatus, status_code=201,
             responses={**ERRORS, 409: {"model": ErrorOut}, 413: {"model": ErrorOut}},
             summary="Register an attachment on a report; answers its upload status")
async def register(body: AttachmentIn, ctx: Ctx, who: Caller) -> UploadStatus:
    item = {"id": str(uuid.uuid5(_NS, body.id)), "entity": "attachment", "entity_id": body.id,
            "op": "create", "actor": who.username, "at": "",
            "fields": {"report_id": body.report_id, "sha256": body.sha256,
                       "filename": body.filename, "mime": body.mime, "size": body.size}}
    s = ctx.settings
    (result,) = await run_in_threadpool(push, ctx.db, ctx.ref, who, [item], tz=s.tz,
                                        enforce_bounds=s.enforce_city_bounds,
                                        max_attachment=s.max_attachment_bytes)
    if result.status == "rejected":
        if result.code == 409 and "already exists" in result.message:
            raise ApiError(409, f"attachment {body.id} is already registered with other details")
        raise ApiError(result.code, result.message)
    return _status(ctx, _blob_for(ctx, who, body.sha256))


@router.get("/{sha256}", response_model=UploadStatus, responses=ERRORS,
            summary="Upload status: size, bytes received, complete, thumbnail")
def status(sha256: Sha, ctx: Ctx, who: Caller) -> UploadStatus:
    return _status(ctx, _blob_for(ctx, who, sha256))


@router.put(
    "/{sha256}/content", response_model=UploadStatus,
    responses={**ERRORS, 409: {"model": ErrorOut}, 413: {"model": ErrorOut}},
    summary="Append one chunk at `offset` (resumable upload)",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def upload(
    request: Request, sha256: Sha, ctx: Ctx, who: Caller,
    offset: Annotated[int, Query(ge=0, le=2**40, description="must equal `received`")] = 0,
) -> UploadStatus:
    row = await run_in_threadpool(_blob_for, ctx, who, sha256)
    if row.complete:
        return _status(ctx, row)
    data = await request.body()
    return await run_in_threadpool(_store_chunk, ctx, row, offset, data)


def _store_chunk(ctx: Context, row, offset: int, data: bytes) -> UploadStatus:  # noqa: ANN001
    sha, size = row.sha256, row.size
    with ctx.blobs.lock(sha):
        try:
            received = ctx.blobs.append(sha, offset, data, size)
        except OffsetMismatch as exc:
            raise ApiError(409, f"the server holds {exc.received} bytes of this file; send the "
                                f"chunk at offset {exc.received}", code="offset_mismatch",
                           details={"received": exc.received}) from None
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None
        if received < size:
            return UploadStatus(sha256=sha, size=size, received=received, complete=False,
                                has_thumbnail=False)
        try:
            ctx.blobs.finish(sha)
        except HashMismatch as exc:
            raise ApiError(422, f"the uploaded bytes hash to {exc}, not {sha}; the upload was "
                                "discarded, start again at offset 0") from None
        thumb = ctx.blobs.make_thumbnail(sha, row.mime)
        _mark_complete(ctx, sha, thumb)
    return UploadStatus(sha256=sha, size=size, received=size, complete=True, has_thumbnail=thumb)


def _mark_complete(ctx: Context, sha: str, thumb: bool) -> None:
    """Blob complete; its attachment rows get new sequence numbers so consoles in scope
    learn (through pull) that the bytes can be fetched."""
    b, a, counter = Blob.__table__, Attachment.__table__, Counter.__table__
    with ctx.db.write() as conn:
        conn.execute(update(b).where(b.c.sha256 == sha)
                     .values(complete=True, has_thumbnail=thumb, completed_at=utcnow()))
        ids = [r[0] for r in conn.execute(select(a.c.id).where(a.c.sha256 == sha)
                                          .order_by(a.c.seq))]
        if ids:
            seq = conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar()
            rows = [{"b_id": i, "b_seq": seq + n + 1} for n, i in enumerate(ids)]
            # origin NULL: the server made this change, every console in scope hears it.
            conn.execute(update(a).where(a.c.id == bindparam("b_id"))
                         .values(seq=bindparam("b_seq"), origin=None), rows)
            conn.execute(update(counter).where(counter.c.name == "seq")
                         .values(value=seq + len(ids)))


@router.get(
    "/{sha256}/content", responses={**ERRORS, 409: {"model": ErrorOut},
                                    200: {"content": {"application/octet-stream": {}}}},
    response_class=Response, summary="Download the file, or a range of it (resumable)",
)
def download(
    sha256: Sha, ctx: Ctx, who: Caller,
    offset: Annotated[int, Query(ge=0, le=2**40)] = 0,
    length: Annotated[int | None, Query(ge=1, le=2**40)] = None,
) -> Response:
    row = _blob_for(ctx, who, sha256)
    if not row.complete:
        raise ApiError(409, "the file has not been uploaded completely yet", code="incomplete")
    if offset > row.size:
        raise ApiError(416, f"offset {offset} is past the end of the file ({row.size} bytes)")
    data = ctx.blobs.read(ctx.blobs.path(sha256), offset, length)
    headers = {"X-Total-Size": str(row.size), "X-Offset": str(offset),
               "Cache-Control": "private, max-age=31536000, immutable"}
    return Response(data, media_type=row.mime, headers=headers)


@router.get("/{sha256}/thumbnail", response_class=Response,
            responses={**ERRORS, 200: {"content": {"image/jpeg": {}}}},
            summary="JPEG thumbnail (images only)")
def thumbnail(sha256: Sha, ctx: Ctx, who: Caller) -> Response:
    row = _blob_for(ctx, who, sha256)
    if not row.has_thumbnail:
        raise ApiError(404, "this attachment has no thumbnail (not an image, or not uploaded)")
    data = ctx.blobs.thumbnail(sha256).read_bytes()
    return Response(data, media_type="image/jpeg",
                    headers={"Cache-Control": "private, max-age=31536000, immutable"})
