"""The key that encrypts a data folder's database lives in the operating system's keyring.

A key belongs to one data folder: the keyring entry is service ``posko-db``, user
``folder:<id>``, where the id is a random name kept in the folder's ``.posko-folder-id`` file
(not a secret). A folder moved or renamed whole (another disk, a new path) keeps its id and
so opens with its key; entries of older versions, named by the folder's path, are taken
over on first use. The key is 32
random bytes written as 64 hex digits and given to SQLCipher as a raw key (no passphrase
derivation on every connection). It is never written to the data folder or anywhere
else: without a usable keyring there is no key that survives a restart, so the database
stays plain and Posko says so once (see ``console/store/db.py``).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("posko.store")

SERVICE = "posko-db"
_KEY_RE = re.compile(r"^[0-9a-f]{64}$")
_warned_unavailable = False


class KeyringUnavailable(RuntimeError):
    """The keyring cannot be read or written; the message says why."""


ID_FILE = ".posko-folder-id"
_ID_RE = re.compile(r"^[0-9a-f]{32}$")
_unavailable_reason: str | None = None


def folder_id(folder: Path | str, *, create: bool = False) -> str | None:
    """The keyring user naming this folder's key: ``folder:<id>`` from its id file (made
    when ``create``), None when the folder has no id yet."""
    path = Path(folder) / ID_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if _ID_RE.match(text):
            return f"folder:{text}"
    except (OSError, UnicodeDecodeError):
        pass
    if not create:
        return None
    new = secrets.token_hex(16)
    tmp = path.with_name(ID_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the folder's files are private
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(new + "\n")
    tmp.replace(path)  # atomic: a crash never leaves half an id
    return f"folder:{new}"


def legacy_id(folder: Path | str) -> str:
    """How versions before the id file named a folder's key: its resolved path."""
    return str(Path(folder).resolve())


def _read(user: str | None) -> str | None:
    if user is None:
        return None
    try:
        key = keyring.get_password(SERVICE, user)
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable(str(exc) or type(exc).__name__) from exc
    if key is not None and not _KEY_RE.match(key):
        return None  # not one of ours: treat as absent, never as a key
    return key


def get_key(folder: Path | str) -> str | None:
    """The folder's key, None if the keyring has none; KeyringUnavailable if unusable."""
    key = _read(folder_id(folder))
    if key is not None:
        return key
    key = _read(legacy_id(folder))
    if key is not None:  # an older version's entry: name it by the folder's id from now on
        try:
            user = folder_id(folder, create=True)
            keyring.set_password(SERVICE, user, key)
        except (OSError, KeyringError, RuntimeError) as exc:
            log.info("kept the key under the folder's path (%s)", exc)
    return key


def ensure_key(folder: Path | str) -> str | None:
    """The folder's key, made and stored if it has none; None without a usable keyring.

    A new key counts only once the keyring gives it back: a backend that accepts a
    password and loses it would leave a database nobody can open."""
    try:
        key = get_key(folder)
        if key is not None:
            return key
        key = secrets.token_hex(32)
        keyring.set_password(SERVICE, folder_id(folder, create=True), key)
        if get_key(folder) != key:
            raise KeyringUnavailable("the keyring did not keep the key it was given")
        return key
    except (KeyringUnavailable, KeyringError, RuntimeError, OSError) as exc:
        warn_unavailable(str(exc))
        return None


def copy_key(source: Path | str, target: Path | str) -> bool:
    """Give the folder ``target`` the key of ``source`` (a data folder copied or moved
    whole: the key is per folder); False if ``source`` has none or no keyring is usable."""
    try:
        key = get_key(source)
        if key is None:
            return False
        keyring.set_password(SERVICE, folder_id(target, create=True), key)
        return get_key(target) == key
    except (KeyringUnavailable, KeyringError, RuntimeError, OSError):
        return False


def unavailable_reason() -> str | None:
    """Why no key could be kept (the keyring's own words), None while none failed: the
    console's window says so for as long as it runs (console/views/storage_badge.py)."""
    return _unavailable_reason


def warn_unavailable(why: str) -> None:
    global _warned_unavailable, _unavailable_reason
    _unavailable_reason = why or "no usable keyring"
    if not _warned_unavailable:
        _warned_unavailable = True
        log.warning("keyring unavailable: the database is not encrypted (%s)", why)
