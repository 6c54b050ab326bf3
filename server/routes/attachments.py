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

import logging
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import bindparam, select, update

from server.bell import note_changes
from server.blobs import HashMismatch, OffsetMismatch, file_sha256, owner_key
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
log = logging.getLogger("posko.server.attachments")
_NS = uuid.UUID("6f1d3c52-2b7e-4d0e-9a51-3c1f0b7d9e21")


@dataclass
class View:
    """What the caller may know of one blob."""

    blob: Any  # the blob row
    readable: bool  # complete and granted by a proven attachment row the caller can see
    own: Any | None  # the caller's latest registration of this hash (size, mime), if any
    first: Any  # the earliest registration the caller can see


def _view(ctx: Context, who: Principal, sha: str, *, reconciled: bool = False) -> View:
    """The caller's view of a blob attached to a report in its scope; else 404.

    Knowing a hash is not owning the file: the bytes are readable only through an
    attachment row that is ``proven`` (its account uploaded them, or could already read
    them when it registered). Anyone else sees the blob as if nobody had uploaded it yet:
    their own registration's size and their own upload's progress."""
    a, b, r = Attachment.__table__, Blob.__table__, Report.__table__
    q = (select(a.c.by, a.c.size, a.c.mime, a.c.proven, a.c.seq)
         .join(r, r.c.id == a.c.report_id).where(a.c.sha256 == sha).order_by(a.c.seq))
    cond = who.scope.where(r.c.region_code)
    if cond is not None:
        q = q.where(cond)
    with ctx.db.read() as conn:
        rows = conn.execute(q).all()
        blob = conn.execute(select(b).where(b.c.sha256 == sha)).first() if rows else None
    if blob is None:
        raise ApiError(404, f"no attachment {sha} on a report in your regions "
                            f"({who.scope.describe()})")
    if not blob.complete and not reconciled and reconcile(ctx, sha):
        return _view(ctx, who, sha, reconciled=True)
    own = [x for x in rows if x.by == who.username]
    return View(blob, bool(blob.complete) and any(x.proven for x in rows),
                own[-1] if own else None, rows[0])


def _status(ctx: Context, who: Principal, view: View) -> UploadStatus:
    b = view.blob
    if view.readable:
        return UploadStatus(sha256=b.sha256, size=b.size, received=b.size, complete=True,
                            has_thumbnail=b.has_thumbnail)
    size = (view.own or view.first).size
    received = ctx.blobs.received(b.sha256, owner_key(who.account_id)) if view.own else 0
    return UploadStatus(sha256=b.sha256, size=size, received=min(received, size),
                        complete=False, has_thumbnail=False)


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
    return _status(ctx, who, _view(ctx, who, body.sha256))


@router.get("/{sha256}", response_model=UploadStatus, responses=ERRORS,
            summary="Upload status: size, bytes received, complete, thumbnail")
def status(sha256: Sha, ctx: Ctx, who: Caller) -> UploadStatus:
    return _status(ctx, who, _view(ctx, who, sha256))


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
    view = await run_in_threadpool(_view, ctx, who, sha256)
    if view.readable:
        return _status(ctx, who, view)
    if view.own is None:
        raise ApiError(409, "register the file on one of your reports (POST /v1/attachments) "
                            "before uploading its bytes", code="not_registered")
    data = await request.body()
    return await run_in_threadpool(_store_chunk, ctx, who, view, offset, data)


def _store_chunk(ctx: Context, who: Principal, view: View, offset: int,
                 data: bytes) -> UploadStatus:
    """Append to the caller's own upload; after the last byte check the hash, put the
    blob in place and mark the caller's registrations proven. Sizes are per registration
    until the bytes verify: the first complete upload sets the blob's size."""
    sha, size, mime = view.blob.sha256, view.own.size, view.own.mime
    owner = owner_key(who.account_id)
    with ctx.blobs.lock(sha, owner):
        try:
            received = ctx.blobs.append(sha, owner, offset, data, size)
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
            ctx.blobs.finish(sha, owner, who.username)
        except HashMismatch as exc:
            raise ApiError(422, f"the uploaded bytes hash to {exc}, not {sha}; the upload was "
                                "discarded, start again at offset 0") from None
        blob = _complete(ctx, sha, size, mime, who.username)
        ctx.blobs.forget_claim(sha)
        ctx.blobs.release_lock(sha, owner)
    return UploadStatus(sha256=sha, size=blob.size, received=blob.size, complete=True,
                        has_thumbnail=blob.has_thumbnail)


def _complete(ctx: Context, sha: str, size: int, mime: str, username: str | None):  # noqa: ANN202
    """The bytes under the hash path are verified: the first completion sets the blob's
    size, thumbnail and uploader; ``username``'s registrations become proven and get new
    sequence numbers, so its consoles learn (through pull) that the bytes can be fetched."""
    b = Blob.__table__
    with ctx.db.read() as conn:
        blob = conn.execute(select(b).where(b.c.sha256 == sha)).first()
    thumb = bool(blob.has_thumbnail) if blob.complete else ctx.blobs.make_thumbnail(sha, mime)
    with ctx.db.write() as conn:
        conn.execute(update(b).where(b.c.sha256 == sha, b.c.complete.is_(False))
                     .values(complete=True, size=size, has_thumbnail=thumb,
                             uploaded_by=username, completed_at=utcnow()))
        if username is not None:
            _prove(conn, sha, username)
        return conn.execute(select(b).where(b.c.sha256 == sha)).first()


def reconcile(ctx: Context, sha: str) -> bool:
    """A crash between moving verified bytes into place and recording it leaves a file
    under its hash path while the blob row says incomplete. The file is checked again
    (a file there whose bytes do not hash right is removed) and the blob completed: the
    account named in the claim left by ``finish`` gets its registrations proven."""
    path = ctx.blobs.path(sha)
    if not path.is_file():
        return False
    if file_sha256(path) != sha:
        log.warning("removing %s: its bytes do not match their hash", path)
        path.unlink(missing_ok=True)
        return False
    username = ctx.blobs.claimed_by(sha)
    a, b = Attachment.__table__, Blob.__table__
    with ctx.db.read() as conn:
        mime = conn.execute(select(a.c.mime).where(a.c.sha256 == sha, a.c.by == username)
                            .order_by(a.c.seq.desc()).limit(1)).scalar()
        mime = mime or conn.execute(select(b.c.mime).where(b.c.sha256 == sha)).scalar() or ""
    _complete(ctx, sha, path.stat().st_size, mime, username)
    ctx.blobs.forget_claim(sha)
    log.info("reconciled %s: its bytes were in place, now marked complete", sha)
    return True


def reconcile_all(ctx: Context) -> int:
    """At start: complete every blob whose verified bytes are in place (see reconcile)."""
    b = Blob.__table__
    with ctx.db.read() as conn:
        shas = [r[0] for r in conn.execute(select(b.c.sha256).where(b.c.complete.is_(False)))]
    return sum(reconcile(ctx, sha) for sha in shas if ctx.blobs.path(sha).is_file())


def _prove(conn, sha: str, username: str) -> None:  # noqa: ANN001
    a, counter = Attachment.__table__, Counter.__table__
    ids = [r[0] for r in conn.execute(select(a.c.id).where(
        a.c.sha256 == sha, a.c.by == username, a.c.proven.is_(False)).order_by(a.c.seq))]
    if not ids:
        return
    seq = conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar()
    rows = [{"b_id": i, "b_seq": seq + n + 1} for n, i in enumerate(ids)]
    # origin NULL: the server made this change, every console in scope hears it.
    conn.execute(update(a).where(a.c.id == bindparam("b_id"))
                 .values(seq=bindparam("b_seq"), origin=None, proven=True), rows)
    conn.execute(update(counter).where(counter.c.name == "seq").values(value=seq + len(ids)))
    note_changes(conn, seq, seq + len(ids), None)  # rare: every long poll re-checks


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
    view = _view(ctx, who, sha256)
    if not view.readable:
        raise ApiError(404, f"no readable attachment {sha256} on a report in your regions: "
                            "not uploaded completely yet, or not by whoever attached it")
    row = view.blob
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
    view = _view(ctx, who, sha256)
    row = view.blob
    if not view.readable or not row.has_thumbnail:
        raise ApiError(404, "this attachment has no thumbnail (not an image, or not uploaded)")
    data = ctx.blobs.thumbnail(sha256).read_bytes()
    return Response(data, media_type="image/jpeg",
                    headers={"Cache-Control": "private, max-age=31536000, immutable"})
