"""The key that encrypts a data folder's database lives in the operating system's keyring.

Like the login token (console/sync/credentials.py), a key belongs to one data folder: the
keyring entry is service ``posko-db``, user the folder's resolved path. The key is 32
random bytes written as 64 hex digits and given to SQLCipher as a raw key (no passphrase
derivation on every connection). It is never written to the data folder or anywhere
else: without a usable keyring there is no key that survives a restart, so the database
stays plain and Posko says so once (see ``console/store/db.py``).
"""

from __future__ import annotations

import logging
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


def folder_id(folder: Path | str) -> str:
    return str(Path(folder).resolve())


def get_key(folder: Path | str) -> str | None:
    """The folder's key, None if the keyring has none; KeyringUnavailable if unusable."""
    try:
        key = keyring.get_password(SERVICE, folder_id(folder))
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable(str(exc) or type(exc).__name__) from exc
    if key is not None and not _KEY_RE.match(key):
        return None  # not one of ours: treat as absent, never as a key
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
        keyring.set_password(SERVICE, folder_id(folder), key)
        if get_key(folder) != key:
            raise KeyringUnavailable("the keyring did not keep the key it was given")
        return key
    except (KeyringUnavailable, KeyringError, RuntimeError) as exc:
        warn_unavailable(str(exc))
        return None


def copy_key(source: Path | str, target: Path | str) -> bool:
    """Give the folder ``target`` the key of ``source`` (a data folder copied or moved
    whole: the key is per folder); False if ``source`` has none or no keyring is usable."""
    try:
        key = get_key(source)
        if key is None:
            return False
        keyring.set_password(SERVICE, folder_id(target), key)
        return get_key(target) == key
    except (KeyringUnavailable, KeyringError, RuntimeError):
        return False


def warn_unavailable(why: str) -> None:
    global _warned_unavailable
    if not _warned_unavailable:
        _warned_unavailable = True
        log.warning("keyring unavailable: the database is not encrypted (%s)", why)
