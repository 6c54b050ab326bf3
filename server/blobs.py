"""Attachment bytes on disk, addressed by SHA-256, uploaded in resumable chunks.

Layout under the files folder: ``ab/abcdef…`` (complete blobs), ``ab/abcdef….thumb.jpg``
(thumbnails) and ``partial/abcdef….part`` (uploads in progress: their length IS the
resume offset). A blob is moved into place only after its hash was checked, so a file
under its hash always has exactly those bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import warnings
from pathlib import Path

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


class BlobStore:
    def __init__(self, root: Path, thumbnail_px: int = 320) -> None:
        self.root = Path(root)
        self.thumbnail_px = thumbnail_px
        (self.root / "partial").mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, sha: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(sha, threading.Lock())

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial(self, sha: str) -> Path:
        return self.root / "partial" / f"{sha}.part"

    def thumbnail(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}{THUMB_SUFFIX}"

    def received(self, sha: str, size: int) -> int:
        if self.path(sha).exists():
            return size
        try:
            return self.partial(sha).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, sha: str, offset: int, data: bytes, size: int) -> int:
        """Write ``data`` at ``offset`` (which must equal the bytes held); return the new
        count. Caller holds ``lock(sha)``."""
        held = self.received(sha, size)
        if offset != held:
            raise OffsetMismatch(held)
        if held + len(data) > size:
            raise ValueError(f"the chunk ends at byte {held + len(data)}, past the declared "
                             f"size of {size} bytes")
        with open(self.partial(sha), "ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return held + len(data)

    def finish(self, sha: str) -> None:
        """Check the hash of a fully received upload and move it into place."""
        part = self.partial(sha)
        digest = hashlib.sha256()
        with open(part, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha:
            part.unlink(missing_ok=True)
            raise HashMismatch(digest.hexdigest())
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)

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
            os.replace(tmp, self.thumbnail(sha))
            return True
        except Exception:  # noqa: BLE001 - not an image we can read: no thumbnail, no error
            tmp.unlink(missing_ok=True)
            return False

    def read(self, path: Path, offset: int, length: int | None) -> bytes:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(-1 if length is None else length)
