"""An in-memory keyring backend for tests (never the operating system's keyring).

In-process: ``keyring.set_keyring(MemoryKeyring())``. For a child process:
``PYTHON_KEYRING_BACKEND=console.sync.testing.memkeyring.MemoryKeyring`` (an empty one), or
``child_env(folder)`` for one holding this process's entries (database keys included).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


KEYRING_FILE_ENV = "POSKO_TEST_KEYRING_FILE"


class FileKeyring(MemoryKeyring):
    """The in-memory keyring of a test's child process, loaded from (and saved back to) the
    JSON file ``$POSKO_TEST_KEYRING_FILE``: the child opens the encrypted databases the test
    made, with the same keys. Tests only; a real keyring never lives in a file."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        super().__init__()
        where = path or os.environ.get(KEYRING_FILE_ENV)
        # keyring instantiates every backend class it knows when choosing one: without a
        # file this one is just an empty in-memory keyring.
        self.path = Path(where) if where else None
        if self.path is not None and self.path.exists():
            self.store = {tuple(k.split("\n", 1)): v  # type: ignore[misc]
                          for k, v in json.loads(self.path.read_text("utf-8")).items()}

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.write_text(json.dumps({f"{s}\n{u}": v for (s, u), v in self.store.items()}),
                             "utf-8")

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password)
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        super().delete_password(service, username)
        self._save()


def adopt_child_keys(folder: str | os.PathLike) -> None:
    """Add what child processes stored in ``folder``/keyring.json (e.g. the key of a
    database a child created) to this process's in-memory keyring."""
    import keyring

    current = getattr(keyring.get_keyring(), "store", None)
    if current is not None:
        for k, v in FileKeyring(Path(folder) / "keyring.json").store.items():
            current.setdefault(k, v)


def child_env(folder: str | os.PathLike) -> dict[str, str]:
    """Environment for a child process sharing this process's in-memory keyring (its
    entries added to ``folder``/keyring.json, a FileKeyring in the child). What earlier
    children stored there stays: ``adopt_child_keys`` brings it into this process."""
    import keyring

    ring = FileKeyring(Path(folder) / "keyring.json")
    ring.store.update(getattr(keyring.get_keyring(), "store", {}))
    ring._save()
    assert ring.path is not None
    return {"PYTHON_KEYRING_BACKEND": "console.sync.testing.memkeyring.FileKeyring",
            KEYRING_FILE_ENV: str(ring.path)}
