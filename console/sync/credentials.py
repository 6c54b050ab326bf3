"""The login token lives in the operating system's keyring (``keyring``), never in plain
settings or the database. Without a usable keyring the token is kept in memory only (the
operator logs in again after a restart) and the status says so.
"""

from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("posko.sync")

SERVICE = "posko-sync"


def _key(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


class TokenStore:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._memory: dict[str, str] = {}
        self.keyring_error: str | None = None

    def get(self, server_url: str, username: str) -> str | None:
        key = _key(server_url, username)
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
        key = _key(server_url, username)
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
        key = _key(server_url, username)
        self._memory.pop(key, None)
        try:
            keyring.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass
        except (KeyringError, RuntimeError) as exc:
            log.warning("keyring unavailable: %s", exc)
