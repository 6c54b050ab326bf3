"""Attachment bytes on disk, addressed by SHA-256, uploaded in resumable chunks.

Layout under the files folder: ``ab/abcdef…`` (complete blobs), ``ab/abcdef….thumb.jpg``
(thumbnails) and ``partial/abcdef….<account>.part`` (one account's upload in progress:
its length IS that account's resume offset). A blob is moved into place only after its
hash was checked, so a file under its hash always has exactly those bytes.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from server.settings import private_dir, private_file

THUMB_SUFFIX = ".thumb.jpg"
#: Largest image a thumbnail is made of. JPEGs decode at a reduced scale (draft), so 50 MP
#: costs a few MB; other formats (PNG, WebP, GIF…) decode in full, 4 bytes a pixel at most.
MAX_PIXELS = 50_000_000
MAX_PIXELS_FULL_DECODE = 24_000_000
#: How many thumbnails are decoded at once (each may hold ~100 MB while it runs).
THUMBNAIL_WORKERS = 2
_thumbnail_slots = threading.BoundedSemaphore(THUMBNAIL_WORKERS)
log = logging.getLogger("posko.server.blobs")


class OffsetMismatch(Exception):
    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


class HashMismatch(Exception):
    pass


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def owner_key(account_id: str) -> str:
    """A file-name-safe handle of an account: each account uploads into its own partial
    file, so nobody can block or spoil another's upload of the same hash."""
    return hashlib.sha256(account_id.encode("utf-8")).hexdigest()[:16]


class BlobStore:
    def __init__(self, root: Path, thumbnail_px: int = 320) -> None:
        self.root = Path(root)
        self.thumbnail_px = thumbnail_px
        private_dir(self.root)
        private_dir(self.root / "partial")
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def lock(self, sha: str, owner: str) -> Iterator[None]:
        """Serialise the writes to one account's upload of one blob: across threads (a
        lock) and across server processes on one files folder (``flock`` on a lock file
        next to the partial upload)."""
        with self._guard:
            lock = self._locks.setdefault(f"{sha}.{owner}", threading.Lock())
        with lock:
            path = self.root / "partial" / f"{sha}.{owner}.lock"
            while True:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:  # the holder before us may have removed the file (release_lock)
                    if os.fstat(fd).st_ino == os.stat(path).st_ino:
                        break
                except FileNotFoundError:
                    pass
                os.close(fd)
            try:
                yield
            finally:
                os.close(fd)

    def release_lock(self, sha: str, owner: str) -> None:
        """Remove the lock file of a finished upload; call while holding ``lock``."""
        (self.root / "partial" / f"{sha}.{owner}.lock").unlink(missing_ok=True)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial(self, sha: str, owner: str) -> Path:
        return self.root / "partial" / f"{sha}.{owner}.part"

    def thumbnail(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}{THUMB_SUFFIX}"

    def received(self, sha: str, owner: str) -> int:
        """Bytes of ``owner``'s upload of ``sha`` held so far."""
        try:
            return self.partial(sha, owner).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, sha: str, owner: str, offset: int, data: bytes, size: int) -> int:
        """Write ``data`` at ``offset`` (which must equal the bytes held); return the new
        count. Caller holds ``lock(sha, owner)``."""
        held = self.received(sha, owner)
        if offset != held:
            raise OffsetMismatch(held)
        if held + len(data) > size:
            raise ValueError(f"the chunk ends at byte {held + len(data)}, past the declared "
                             f"size of {size} bytes")
        fd = os.open(self.partial(sha, owner), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with open(fd, "ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return held + len(data)

    def finish(self, sha: str, owner: str, username: str) -> None:
        """Check the hash of a fully received upload and move it into place (the same
        bytes may already be there: replacing them changes nothing). Who uploaded is
        written next to it first, so a crash before the database knows can be reconciled
        (``claimed_by``)."""
        part = self.partial(sha, owner)
        got = file_sha256(part)
        if got != sha:
            part.unlink(missing_ok=True)
            raise HashMismatch(got)
        claim = self.root / "partial" / f"{sha}.done"
        tmp = claim.with_name(f"{sha}.{owner}.done.tmp")
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        tmp.write_text(username, encoding="utf-8")
        os.replace(tmp, claim)
        target = self.path(sha)
        private_dir(target.parent)
        private_file(part)  # a partial made before issue 12 L4 may be 0644
        os.replace(part, target)

    def claimed_by(self, sha: str) -> str | None:
        """The account whose verified upload was moved into place, until the database
        recorded it (``forget_claim``)."""
        try:
            return (self.root / "partial" / f"{sha}.done").read_text(encoding="utf-8") or None
        except FileNotFoundError:
            return None

    def forget_claim(self, sha: str) -> None:
        (self.root / "partial" / f"{sha}.done").unlink(missing_ok=True)

    def make_thumbnail(self, sha: str, mime: str) -> bool:
        """A JPEG thumbnail for images Pillow can read; False for anything else, and for
        images too large to decode safely (the file is kept, it just has no thumbnail).

        Only the header is read before the size check; JPEGs are decoded at a reduced
        scale (``draft``); at most ``THUMBNAIL_WORKERS`` decodes run at once."""
        if not mime.startswith("image/"):
            return False
        try:
            from PIL import Image, ImageOps
        except ImportError:  # pragma: no cover - pillow is in the server extra
            return False
        with _thumbnail_slots:
            return self._thumbnail_now(sha, Image, ImageOps)

    def _thumbnail_now(self, sha: str, Image, ImageOps) -> bool:  # noqa: ANN001, N803
        tmp = self.thumbnail(sha).with_name(f"{sha}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(self.path(sha)) as img:
                    width, height = img.size
                    limit = MAX_PIXELS if img.format == "JPEG" else MAX_PIXELS_FULL_DECODE
                    if width * height > limit:
                        log.warning("no thumbnail for %s: %d x %d pixels is over the limit of "
                                    "%d for %s images", sha, width, height, limit, img.format)
                        return False
                    px = self.thumbnail_px
                    img.draft("RGB", (px, px))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
                    img = ImageOps.exif_transpose(img)
                    img.thumbnail((px, px), reducing_gap=2.0)
                    if img.mode not in ("RGB", "L"):
                        img = img.convert("RGB")
                    img.save(tmp, "JPEG", quality=80, optimize=True)
                    private_file(tmp)
            os.replace(tmp, self.thumbnail(sha))
            return True
        except Exception:  # noqa: BLE001 - not an image we can read: no thumbnail, no error
            tmp.unlink(missing_ok=True)
            return False

    def read(self, path: Path, offset: int, length: int | None) -> bytes:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(-1 if length is None else length)
