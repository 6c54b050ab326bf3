"""The login token lives in the operating system's keyring (``keyring``), never in plain
settings or the database. Without a usable keyring the token is kept in memory only (the
operator logs in again after a restart) and the status says so.

A token belongs to one data folder: the keyring key names the folder as well as the
account and the server, so two data folders (a real console and a demo, say) never share
a login, even for the same account on the same server (issue 10, finding 10).
"""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("posko.sync")

SERVICE = "posko-sync"


def _key(server_url: str, username: str, folder: str) -> str:
    return f"{username}@{server_url.rstrip('/')} {folder}"


class TokenStore:
    """``TokenStore(folder)``: the tokens of the data folder ``folder``."""

    def __init__(self, folder: Path | str, service: str = SERVICE) -> None:
        self.service = service
        self.folder = str(Path(folder).resolve())
        self._memory: dict[str, str] = {}
        self.keyring_error: str | None = None

    def get(self, server_url: str, username: str) -> str | None:
        key = _key(server_url, username, self.folder)
        if key in self._memory:
            return self._memory[key]
        try:
            return keyring.get_password(self.service, key)
        except (KeyringError, RuntimeError) as exc:
            self.keyring_error = str(exc)
            log.warning("keyring unavailable: %s", exc)
            return None

    def set(self, server_url: str, username: str, token: str) -> bool:
        """Store the token; False if only in memory (no usable keyring)."""
        key = _key(server_url, username, self.folder)
        try:
            keyring.set_password(self.service, key, token)
            self._memory.pop(key, None)
            return True
        except (KeyringError, RuntimeError) as exc:
            self.keyring_error = str(exc)
            log.warning("keyring unavailable, the token stays in memory only: %s", exc)
            self._memory[key] = token
            return False

    def delete(self, server_url: str, username: str) -> None:
        key = _key(server_url, username, self.folder)
        self._memory.pop(key, None)
        try:
            keyring.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass
        except (KeyringError, RuntimeError) as exc:
            log.warning("keyring unavailable: %s", exc)
