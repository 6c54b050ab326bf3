"""Writing an export file so that it is either complete or absent.

The bytes go to a hidden temporary file in the destination folder (``.name.XXXX.part``),
are flushed and fsynced, and only then ``os.replace`` d onto the final name: atomic on
the same file system on Windows and POSIX. An unwritable folder, a full disk, a crash or a
cancel leave no file that looks like a finished report; a previous file of the same name
stays as it was until the new one is complete.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from console.export.i18n import Words


class ExportError(RuntimeError):
    """An export that cannot be done; ``str()`` is the message in the request's language,
    ready to show. ``key`` identifies the reason for code and tests."""

    def __init__(self, key: str, lang: str = "id", **params: object) -> None:
        self.key = key
        self.params = params
        self.lang = lang
        super().__init__(Words(lang)(f"err.{key}", **params))

    def message(self, lang: str) -> str:
        return Words(lang)(f"err.{self.key}", **self.params)


class ExportCancelled(ExportError):
    def __init__(self, lang: str = "id") -> None:
        super().__init__("cancelled", lang)


def os_error(exc: OSError, path: Path, lang: str, *, replacing: bool = False) -> ExportError:
    """A clear message for what went wrong on disk."""
    shown = str(path)
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return ExportError("disk_full", lang, path=shown)
    if code == errno.EROFS:
        return ExportError("read_only", lang, path=shown)
    if code == errno.EISDIR:
        return ExportError("is_directory", lang, path=shown)
    if code == errno.ENOENT:
        return ExportError("folder_missing", lang, path=str(path.parent))
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        # On Windows, replacing a file Excel holds open is a sharing violation (EACCES).
        if replacing and path.exists():
            return ExportError("locked", lang, path=shown)
        return ExportError("not_writable", lang, path=shown)
    return ExportError("io", lang, path=shown, detail=exc.strerror or exc.__class__.__name__)


def check_destination(path: Path, lang: str) -> None:
    """Fail early, before any work, on a destination that cannot be written."""
    if path.is_dir():
        raise ExportError("is_directory", lang, path=str(path))
    if not path.parent.is_dir():
        raise ExportError("folder_missing", lang, path=str(path.parent))


@contextmanager
def atomic_output(
    path: Path | str, lang: str = "id", *, before_replace: Callable[[str], None] | None = None,
) -> Iterator[BinaryIO]:
    """Yield a binary file; on normal exit it becomes ``path``, on any error it vanishes.

    ``before_replace(sha256_hex)`` runs after the bytes are safely on disk and before the
    rename (the export records its audit entry there: if that fails, no file appears; if
    the rename fails after it, the audit says more went out than did, never less)."""
    path = Path(path)
    check_destination(path, lang)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise os_error(exc, path, lang) from exc
    tmp = Path(tmp_name)
    try:
        try:
            with os.fdopen(fd, "w+b") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
                digest = _sha256(f)
        except OSError as exc:
            raise os_error(exc, path, lang) from exc
        if before_replace is not None:
            before_replace(digest)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise os_error(exc, path, lang, replacing=True) from exc
        _fsync_dir(path.parent)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - nothing better to do; the name says .part
            pass
        raise


def _sha256(f: BinaryIO) -> str:
    h = hashlib.sha256()
    f.seek(0)
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
