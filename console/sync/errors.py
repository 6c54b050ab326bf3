"""What can go wrong while syncing, sorted by what the engine does about it.

Every error carries a sentence for the operator (``str(exc)``). ``transient`` errors are
retried with jittered exponential back-off and lose nothing: the outbox and the cursor only
move in the transaction that records a confirmed result.
"""

from __future__ import annotations


class SyncError(Exception):
    """Base class. ``transient``: retry later; ``state``: what the status bar shows."""

    transient = True
    state = "offline"


class Offline(SyncError):
    """No answer: connection refused, reset, timed out, DNS, TLS handshake cut."""


class TlsError(SyncError):
    """The server's certificate did not verify (wrong clock, interception, self-signed)."""

    state = "degraded"


class BadResponse(SyncError):
    """An answer that is not what the protocol promises: truncated or corrupt gzip,
    malformed JSON, a wrong shape. Usually a flaky link or a proxy in the way."""

    state = "degraded"


class CaptivePortal(BadResponse):
    """An HTML page instead of JSON: a hotel/office Wi-Fi login page or a proxy error."""


class ServerError(SyncError):
    """HTTP 5xx: the server is up but failing; try again later."""

    state = "degraded"

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


class AuthRequired(SyncError):
    """401: no token, or it expired or was revoked. Needs a login; not retried blindly."""

    transient = False
    state = "login"


class CursorAhead(SyncError):
    """409 cursor_ahead: the server database was replaced; the pull restarts from 0."""


class Refused(SyncError):
    """A 4xx for a whole request (not one mutation): 413 too large, 422 malformed."""

    transient = False
    state = "degraded"

    def __init__(self, message: str, status: int, code: str | None = None,
                 details: object = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details


class LocalStoreError(SyncError):
    """The local database refused the write (disk full, locked, read-only). The
    transaction was rolled back as a whole; retried after back-off."""

    state = "degraded"


class Cancelled(SyncError):
    """The console is closing: the cycle stopped between two steps (nothing half-done)."""

    transient = False
