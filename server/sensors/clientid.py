"""A stable MQTT client id per server data directory and process slot, for persistent
sessions (mqtt.py): the broker keeps a session - the subscription and the QoS-1 readings
queued while the server is away - under its client id, so the id must be the same after a
restart, and different for every process ingesting at the same time (a broker
disconnects the older of two clients with one id, and two processes would then kick each
other off in turn).

``<data dir>/mqtt-client-id`` holds a base id made once (``posko-<host>-<random>``); a
process takes the first free slot k (an exclusive flock on ``mqtt-client-id.<k>.lock``,
released when the process ends, however it ends) and connects as ``<base>-<k>``. One
server restarted comes back as slot 0, the same session; a second server started beside
it on the same data directory gets slot 1, its own session.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import socket
from pathlib import Path

ID_FILE = "mqtt-client-id"
MAX_SLOTS = 64
#: MQTT 3.1.1 brokers must accept 1-23 characters of [0-9a-zA-Z]; most take far more
#: (Mosquitto: 65535). Keep ids plain so an ACL pattern can name them.
_PLAIN = re.compile(r"[^A-Za-z0-9_.-]")


class ClaimedId:
    """A client id and the lock that keeps it this process's; ``release`` (or the
    process ending) frees the slot."""

    def __init__(self, client_id: str, fd: int | None) -> None:
        self.client_id = client_id
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __repr__(self) -> str:
        return f"ClaimedId({self.client_id!r})"


def base_id(data_dir: Path, preferred: str | None = None) -> str:
    """The data directory's base id: ``preferred`` (``--mqtt-client-id``) when given,
    else the one kept in ID_FILE, made on first use."""
    if preferred:
        return _PLAIN.sub("-", preferred)
    path = Path(data_dir) / ID_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    made = _PLAIN.sub("-", f"posko-{socket.gethostname()[:24]}-{secrets.token_hex(4)}")
    tmp = path.with_name(f"{ID_FILE}.{os.getpid()}.tmp")
    tmp.write_text(made + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)  # first writer wins: two processes starting at once agree
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


def claim(data_dir: Path, preferred: str | None = None) -> ClaimedId:
    """The first free slot's id, ``<base>-<k>``, held until released or the process ends."""
    base = base_id(data_dir, preferred)
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(MAX_SLOTS):
        fd = os.open(folder / f"{ID_FILE}.{k}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return ClaimedId(f"{base}-{k}", fd)
    raise RuntimeError(f"{MAX_SLOTS} server processes already ingest sensor readings from "
                       f"{folder}")
