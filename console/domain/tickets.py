"""Human ticket numbers, shared by console and server (no Qt, no SQL).

A ticket reads ``<station>-<yymmdd>-<counter>``: BUDI1A2-261207-00042. The station code
belongs to the account that filed the report (letters of its username and three of its
id), so the server can tell a console's own numbers from numbers it has no right to: a
ticket with another account's station code (squatting another desk's next numbers) or one
already taken is replaced by a server-made number, which the push answer names and the
console takes over (issue 12, H1). The UUID remains the identity; the ticket is for people.
"""

from __future__ import annotations

#: The station of a console before any login (its tickets are renamed at the first push).
NO_STATION = "PSK"


def station_code(username: str, account_id: str) -> str:
    """A short station code: up to six letters or digits of the username and three of the
    account id, so two accounts never number tickets alike."""
    letters = "".join(ch for ch in username.upper() if ch.isalnum())[:6] or NO_STATION
    suffix = "".join(ch for ch in account_id.upper() if ch.isalnum())[:3] or "000"
    return f"{letters}{suffix}"


def ticket_prefix_ok(ticket: str, station: str) -> bool:
    """Does ``ticket`` carry ``station``'s prefix (and nothing odd after it)?"""
    return ticket.startswith(f"{station}-") and len(ticket) <= 40
