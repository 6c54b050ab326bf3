"""Which links a console may use to reach its server (issue 12, H4).

Passwords and 12-hour tokens cross kelurahan links: plain HTTP is refused to any server
that is not on this computer (loopback), unless the data folder explicitly allows it (a
test network: ``posko sync --allow-http`` records that for the folder). Certificates are
always verified: against the system's authorities, or a city's own authority given as a
CA bundle (``posko sync --ca-bundle FILE``, also recorded for the folder, so the console
on that folder uses it too). Sync settings live with the database they sync.
"""

from __future__ import annotations

import ipaddress
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from console.store.transaction import write_transaction
from console.sync import state
from console.sync.errors import SyncError

ALLOW_HTTP = "sync.allow_http"
CA_BUNDLE = "sync.ca_bundle"


class InsecureLink(SyncError):
    """A setting to fix, not a link problem: never retried."""

    transient = False
    state = "login"
    error_code = "plain_http"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(url: str, *, allow_http: bool) -> None:
    if urlsplit(url).scheme == "http" and not allow_http and not is_loopback(url):
        raise InsecureLink(
            f"{url} is plain HTTP: passwords and tokens would cross the network unencrypted. "
            "Use the server's https:// address (or, on a test network only, allow HTTP for "
            "this data folder: posko sync --allow-http)", code="plain_http", url=url)


def load(conn: sqlite3.Connection) -> tuple[bool, bool | str]:
    """(HTTP allowed, what ``requests`` verifies certificates with) for this folder."""
    bundle = state.get_meta(conn, CA_BUNDLE)
    return state.get_meta(conn, ALLOW_HTTP) == "1", bundle if bundle else True


def save(conn: sqlite3.Connection, *, allow_http: bool | None = None,
         ca_bundle: Path | None = None) -> None:
    with write_transaction(conn):
        if allow_http is not None:
            state.set_meta(conn, ALLOW_HTTP, "1" if allow_http else None)
        if ca_bundle is not None:
            state.set_meta(conn, CA_BUNDLE, str(ca_bundle.resolve()))
