"""One process per data folder: an OS lock on ``posko.lock`` inside the folder.

A console, ``posko demo`` and ``posko sync`` hold their data folder for as long as they
run; a second one is refused with the holder's PID, host and start time instead of
writing into a database another process is about to replace.

Why an OS lock and not "does the file exist": the kernel drops the lock when the holder
dies, ``kill -9`` and power cuts included, so a lock file left behind never blocks the
next start. POSIX uses ``flock`` (per open file, so closing some other descriptor of the
file in this process does not drop it, unlike ``lockf``); Windows locks one byte far past
the holder text with ``msvcrt.locking``, because Windows byte locks are mandatory and the
text must stay readable for the refusal message.

Why per process and not inside ``open_database``: one process opens several workers on
one database (the console's read worker, the tests' desks), and ``posko demo`` seeds the
folder and then opens the console on it. So a hold is shared inside the process: holding
a folder this process already holds just counts one more user. The lock file is never
deleted (deleting it would let a second process lock a fresh inode while the first still
holds the old one); a released lock leaves it empty.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILENAME = "posko.lock"
_WINDOWS_LOCK_OFFSET = 1 << 30  # far past any holder text


@dataclass(frozen=True)
class Holder:
    """Who holds a folder, as written into its lock file."""

    pid: int | None
    host: str
    since: str  # UTC, ISO 8601
    command: str

    def since_utc(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.since).astimezone(UTC)
        except (TypeError, ValueError):
            return None

    def describe(self) -> str:
        when = self.since_utc()
        since = when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "an unknown time"
        return (f"PID {self.pid if self.pid is not None else '?'} on {self.host or '?'}, "
                f"since {since} ({self.command or 'posko'})")


class FolderInUse(RuntimeError):
    """Another process holds the data folder. ``holder`` is None when it has not written
    its details yet (it is starting this very moment)."""

    def __init__(self, folder: Path, holder: Holder | None) -> None:
        self.folder = folder
        self.holder = holder
        who = holder.describe() if holder else "another Posko process that is just starting"
        super().__init__(
            f"the data folder {folder} is in use by {who}; Posko opens a data folder in "
            "one program at a time. Close that one first, or use another --data-dir.")


def lock_path(folder: Path | str) -> Path:
    return Path(folder) / LOCK_FILENAME


def read_holder(folder: Path | str) -> Holder | None:
    """The details in the folder's lock file, or None (no file, empty, unreadable)."""
    try:
        text = lock_path(folder).read_text(encoding="utf-8").strip()
        data = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    return Holder(pid=pid if isinstance(pid, int) else None, host=str(data.get("host") or ""),
                  since=str(data.get("since") or ""), command=str(data.get("command") or ""))


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _write(fd: int, text: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, text.encode("utf-8"))
    os.fsync(fd)


class _Lease:
    """The one OS lock this process has on a folder, shared by every FolderHold."""

    def __init__(self, folder: Path, fd: int, holder: Holder) -> None:
        self.folder, self.fd, self.holder, self.users = folder, fd, holder, 0


_leases: dict[Path, _Lease] = {}
_guard = threading.Lock()


class FolderHold:
    """This process's hold on a data folder; release it (or use ``with``) when done."""

    def __init__(self, lease: _Lease) -> None:
        self._lease: _Lease | None = lease
        self.folder = lease.folder
        self.holder = lease.holder

    def release(self) -> None:
        with _guard:
            lease, self._lease = self._lease, None
            if lease is None:
                return
            lease.users -= 1
            if lease.users > 0:
                return
            _leases.pop(lease.folder, None)
            try:
                _write(lease.fd, "")  # free: an empty file names nobody
                _unlock(lease.fd)
            finally:
                os.close(lease.fd)

    def __enter__(self) -> FolderHold:
        return self

    def __exit__(self, *_exc) -> None:
        self.release()


def hold_data_folder(folder: Path | str, command: str = "posko") -> FolderHold:
    """Hold ``folder`` (created if missing) for this process, or raise FolderInUse.

    ``command`` says what holds it (``posko``, ``posko demo``, ``posko sync``), for the
    message another process shows."""
    folder = Path(folder).resolve()
    with _guard:
        lease = _leases.get(folder)
        if lease is None:
            if not folder.exists():  # ours: personal data, the user's alone (0700)
                folder.mkdir(parents=True, exist_ok=True)
                os.chmod(folder, 0o700)
            fd = os.open(lock_path(folder), os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                raise FolderInUse(folder, read_holder(folder))
            holder = Holder(pid=os.getpid(), host=socket.gethostname(),
                            since=datetime.now(UTC).isoformat(timespec="seconds"),
                            command=command)
            try:
                _write(fd, json.dumps(holder.__dict__) + "\n")
            except OSError:
                _unlock(fd)
                os.close(fd)
                raise
            lease = _leases[folder] = _Lease(folder, fd, holder)
        lease.users += 1
        return FolderHold(lease)
