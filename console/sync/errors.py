"""What can go wrong while syncing, sorted by what the engine does about it.

Every error carries an English sentence for logs and the command line (``str(exc)``) and,
for the operator, a stable ``error_code`` with ``error_params`` that
console/views/messages.py turns into Indonesian (a class names its default code; a raise
may name a more precise one with ``code=``). ``transient`` errors are
retried with jittered exponential back-off and lose nothing: the outbox and the cursor only
move in the transaction that records a confirmed result.
"""

from __future__ import annotations

from console.domain.errors import CodedError


class SyncError(CodedError):
    """Base class. ``transient``: retry later; ``state``: what the status bar shows."""

    transient = True
    state = "offline"
    error_code = "sync"


class Offline(SyncError):
    """No answer: connection refused, reset, timed out, DNS, TLS handshake cut."""

    error_code = "offline"


class TlsError(SyncError):
    """The server's certificate did not verify (wrong clock, interception, self-signed)."""

    state = "degraded"
    error_code = "tls"


class BadResponse(SyncError):
    """An answer that is not what the protocol promises: truncated or corrupt gzip,
    malformed JSON, a wrong shape. Usually a flaky link or a proxy in the way."""

    state = "degraded"
    error_code = "bad_response"


class CaptivePortal(BadResponse):
    """An HTML page instead of JSON: a hotel/office Wi-Fi login page or a proxy error."""

    error_code = "captive_portal"


class ServerError(SyncError):
    """HTTP 5xx: the server is up but failing; try again later."""

    state = "degraded"
    error_code = "server_trouble"

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message, status=status)
        self.status = status


class AuthRequired(SyncError):
    """401: no token, or it expired or was revoked. Needs a login; not retried blindly."""

    transient = False
    state = "login"
    error_code = "login_required"


class CursorAhead(SyncError):
    """409 cursor_ahead: the server database was replaced; the pull restarts from 0."""

    error_code = "cursor_ahead"


class Refused(SyncError):
    """A 4xx for a whole request (not one mutation): 413 too large, 422 malformed."""

    transient = False
    state = "degraded"
    error_code = "request_refused"

    def __init__(self, message: str, status: int, code: str | None = None,
                 details: object = None) -> None:
        super().__init__(message, status=status)  # ``code`` here is the server's, not ours
        self.status = status
        self.code = code
        self.details = details


class LocalStoreError(SyncError):
    """The local database refused the write (disk full, locked, read-only). The
    transaction was rolled back as a whole; retried after back-off."""

    state = "degraded"
    error_code = "local_store"


class BadServerAddress(CodedError, ValueError):
    """The server address typed at login is not an http(s) URL (a setting, not a link
    problem: a ValueError, never retried)."""

    error_code = "invalid_server_address"


class Cancelled(SyncError):
    """The console is closing: the cycle stopped between two steps (nothing half-done)."""

    transient = False
    error_code = "cancelled"
