"""The attachment lane: photos and files travel by content hash (SHA-256), after the
outbox and the change feed, thumbnails before full files, in resumable chunks.

- Upload: a file attached here is copied into the blob folder and registered by an outbox
  mutation (so the registration travels in order with the text changes). Once the server
  confirmed it, the bytes go up in chunks from the offset the server holds; a broken
  connection resumes from there. Between chunks the lane gives way as soon as the outbox
  has something: a large photo never delays a text update by more than one chunk.
- Download: thumbnails first (priority 1-2 reports first), then full files, in ranged
  requests appended to a ``.part`` file that survives restarts; the hash is checked
  before the file is used.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from console.operations.base import OpChanges, write_event, write_outbox
from console.operations.reports import load_report
from console.store.executor import DbExecutor
from console.store.timefmt import new_id, to_db, utcnow
from console.store.transaction import write_transaction
from console.sync.errors import BadResponse, Refused
from console.sync.transport import Transport

MIN_CHUNK = 16 * 1024
MAX_CHUNK = 1024 * 1024
MAX_ATTEMPTS = 5


#: A content hash as the server names files: it becomes a file name here, so anything else
#: (``../``, a slash, a NUL) is refused before a path is built.
SHA256_RE = re.compile(r"[0-9a-f]{64}")


def check_sha(sha: object) -> str:
    if not isinstance(sha, str) or not SHA256_RE.fullmatch(sha):
        raise BadResponse(f"not a SHA-256 hash (64 lowercase hex digits): {str(sha)[:80]!r}")
    return sha


def blob_path(blob_dir: Path, sha: str) -> Path:
    check_sha(sha)
    return Path(blob_dir) / sha[:2] / sha


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def attach_file(conn: sqlite3.Connection, actor: str, report_id: str, path: Path | str, *,
                blob_dir: Path, mime: str | None = None, filename: str | None = None) -> OpChanges:
    """Operation: attach a file to a report. The bytes are copied into the blob folder
    first; the attachment row, its sync_blob entry, the timeline event and the outbox
    registration then land in one transaction."""
    path = Path(path)
    sha, size = file_sha256(path)
    target = blob_path(blob_dir, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    mime = mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    name = (filename or path.name)[:200]
    now = utcnow()
    attachment_id = new_id()
    with write_transaction(conn):
        load_report(conn, report_id)
        conn.execute(
            "INSERT INTO attachment (id, report_id, filename, mime, size, sha256, created_at,"
            " has_thumbnail, local_path) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (attachment_id, report_id, name, mime, size, sha, to_db(now), str(target)))
        conn.execute(
            "INSERT INTO sync_blob (sha256, size, mime, priority, local_path, upload, complete,"
            " has_thumbnail, attempts, updated_at) VALUES (?, ?, ?, 3, ?, 1, 0, 0, 0, ?)"
            " ON CONFLICT(sha256) DO UPDATE SET local_path = excluded.local_path,"
            " upload = CASE WHEN complete THEN 0 ELSE 1 END", (sha, size, mime, str(target), to_db(now)))
        write_event(conn, report_id, actor, "attachment", at=now, new=name,
                    detail={"sha256": sha, "size": size, "mime": mime})
        write_outbox(conn, entity="attachment", entity_id=attachment_id, op="create",
                     fields={"report_id": report_id, "sha256": sha, "filename": name,
                             "mime": mime, "size": size}, actor=actor, at=now)
    return OpChanges(kind="attachment", report_ids=frozenset({report_id}))


class AttachmentLane:
    def __init__(self, transport: Transport, db: DbExecutor, blob_dir: Path, *,
                 download_files: bool = True, progress: Callable[[str], None] | None = None) -> None:
        self.transport = transport
        self.db = db
        self.blob_dir = Path(blob_dir)
        self.download_files = download_files
        self.chunk = 256 * 1024
        self.progress = progress or (lambda _msg: None)

    def _chunk_size(self, *, up: bool) -> int:
        budget = self.transport.link.budget_bytes(up=up) // 2
        return max(MIN_CHUNK, min(self.chunk, MAX_CHUNK, budget))

    def run(self, should_yield: Callable[[], bool]) -> bool:
        """Work through uploads, thumbnails, then files. Returns True when nothing is left,
        False when it gave way to the outbox (or left failed items for later)."""
        done = True
        for sha, size, path in self.db.call(_uploads_ready):
            if should_yield():
                return False
            done &= self._upload(sha, size, path, should_yield)
        for sha in self.db.call(_thumbnails_wanted):
            if should_yield():
                return False
            self._thumbnail(sha)
        if self.download_files:
            for sha, size in self.db.call(_files_wanted):
                if should_yield():
                    return False
                done &= self._download(sha, size, should_yield)
        return done

    def _upload(self, sha: str, size: int, path: str, should_yield: Callable[[], bool]) -> bool:
        status = self.transport.attachment_status(sha)
        received = status["received"]
        self.progress(f"upload {sha[:8]} {received}/{size}")
        try:
            with open(path, "rb") as f:
                while not status["complete"]:
                    if should_yield():
                        return False
                    f.seek(received)
                    data = f.read(self._chunk_size(up=True))
                    if not data:
                        raise BadResponse(f"the server expects more bytes of {sha[:12]} than the file has")
                    try:
                        status = self.transport.upload_chunk(sha, received, data)
                    except Refused as exc:
                        if exc.status == 409 and isinstance(exc.details, dict) \
                                and type(exc.details.get("received")) is int:
                            received = exc.details["received"]
                            continue
                        if exc.status == 413 and self.chunk > MIN_CHUNK:
                            self.chunk = max(MIN_CHUNK, self.chunk // 2)
                            continue
                        self.db.call(_blob_failed, sha, str(exc))
                        return False
                    received = status["received"]
        except OSError as exc:
            self.db.call(_blob_failed, sha, f"cannot read {path}: {exc}")
            return False
        self.db.call(_upload_done, sha, bool(status.get("has_thumbnail")))
        return True

    def _thumbnail(self, sha: str) -> None:
        check_sha(sha)
        try:
            data, _total = self.transport.download(sha, thumbnail=True)
        except Refused as exc:
            self.db.call(_blob_failed, sha, str(exc), thumbnail=True)
            return
        target = self.blob_dir / "thumbs" / f"{sha}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        self.db.call(_thumbnail_done, sha, str(target))

    def _download(self, sha: str, size: int, should_yield: Callable[[], bool]) -> bool:
        part = self.blob_dir / "partial" / f"{check_sha(sha)}.part"
        part.parent.mkdir(parents=True, exist_ok=True)
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        while have < size:
            if should_yield():
                return False
            length = min(self._chunk_size(up=False), size - have)
            try:
                data, _total = self.transport.download(sha, offset=have, length=length)
            except Refused as exc:
                self.db.call(_blob_failed, sha, str(exc))
                return False
            if not data:
                raise BadResponse(f"the server sent no bytes of {sha[:12]} at offset {have}")
            with open(part, "ab") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            have += len(data)
        got, _n = file_sha256(part)
        if got != sha:
            part.unlink()
            self.db.call(_blob_failed, sha, "the downloaded bytes do not match their hash; "
                                            "downloading again")
            return False
        target = blob_path(self.blob_dir, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(part, 0o600)
        os.replace(part, target)
        self.db.call(_download_done, sha, str(target))
        return True


# --- database steps (run on the database worker) -------------------------------------------

def _uploads_ready(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """Blobs to upload whose registration the server has confirmed (no outbox row left)."""
    return conn.execute(
        "SELECT b.sha256, b.size, b.local_path FROM sync_blob b WHERE b.upload = 1"
        f" AND b.local_path IS NOT NULL AND b.attempts < {MAX_ATTEMPTS} AND NOT EXISTS ("
        "  SELECT 1 FROM outbox o WHERE o.entity = 'attachment'"
        "  AND json_extract(o.payload, '$.fields.sha256') = b.sha256)"
        " ORDER BY b.priority, b.size").fetchall()


def _thumbnails_wanted(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT sha256 FROM sync_blob WHERE complete = 1 AND has_thumbnail = 1 AND upload = 0"
        f" AND thumb_path IS NULL AND local_path IS NULL AND attempts < {MAX_ATTEMPTS}"
        " ORDER BY priority, size")]


def _files_wanted(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return conn.execute(
        "SELECT sha256, size FROM sync_blob WHERE complete = 1 AND upload = 0 AND local_path IS NULL"
        f" AND attempts < {MAX_ATTEMPTS} ORDER BY priority, size").fetchall()


def _upload_done(conn: sqlite3.Connection, sha: str, thumb: bool) -> None:
    with write_transaction(conn):
        conn.execute("UPDATE sync_blob SET upload = 0, complete = 1, has_thumbnail = ?,"
                     " last_error = NULL, updated_at = ? WHERE sha256 = ?",
                     (int(thumb), to_db(utcnow()), sha))


def _thumbnail_done(conn: sqlite3.Connection, sha: str, path: str) -> None:
    with write_transaction(conn):
        conn.execute("UPDATE sync_blob SET thumb_path = ?, updated_at = ? WHERE sha256 = ?",
                     (path, to_db(utcnow()), sha))


def _download_done(conn: sqlite3.Connection, sha: str, path: str) -> None:
    with write_transaction(conn):
        conn.execute("UPDATE sync_blob SET local_path = ?, last_error = NULL, updated_at = ?"
                     " WHERE sha256 = ?", (path, to_db(utcnow()), sha))
        conn.execute("UPDATE attachment SET local_path = ? WHERE sha256 = ?", (path, sha))


def _blob_failed(conn: sqlite3.Connection, sha: str, message: str, *, thumbnail: bool = False) -> None:
    with write_transaction(conn):
        conn.execute("UPDATE sync_blob SET attempts = attempts + 1, last_error = ?, updated_at = ?"
                     " WHERE sha256 = ?", (message[:500], to_db(utcnow()), sha))
        if thumbnail:  # no thumbnail after all: do not ask again
            conn.execute("UPDATE sync_blob SET has_thumbnail = 0 WHERE sha256 = ?", (sha,))
