"""What this data folder's desk usually does, kept in its own database (the ``meta``
table), so it travels with the folder and not with the OS user. No Qt.

The intake channel: a kelurahan counter takes walk-ins, a command center's complaint
line takes phone calls, a 112 desk takes 112 calls. Telepon 112 starts a 5-minute
dispatch clock and a high priority, so it is never the default by accident: it is
the desk's default only when the desk was set up as a 112 desk (its explicit default
channel), and a 112 call taken at another desk is not remembered as its usual channel.
"""

from __future__ import annotations

import sqlite3

__all__ = ["DESK_CHANNEL", "LAST_CHANNEL", "role_channel", "remember_channel", "usual_channel"]

DESK_CHANNEL = "desk.intake_channel"  # set on purpose: this desk's default channel
LAST_CHANNEL = "desk.last_channel"  # the last channel a report was taken with here
HOTLINE = "phone_112"


def _get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def role_channel(role: str) -> str:
    """With nothing remembered: walk-in at a kelurahan office, the phone line elsewhere."""
    return "walk_in" if role == "kelurahan" else "phone"


def usual_channel(conn: sqlite3.Connection, role: str = "operator") -> str:
    """The channel a new report starts with at this desk: its set default, else the
    last (non-112) channel taken here, else by role: walk-in at a kelurahan office,
    the phone line elsewhere."""
    chosen = _get(conn, DESK_CHANNEL)
    if chosen:
        return chosen
    last = _get(conn, LAST_CHANNEL)
    if last and last != HOTLINE:
        return last
    return role_channel(role)


def remember_channel(conn: sqlite3.Connection, channel: str, *,
                     make_default: bool = False) -> None:
    """After a report was taken with ``channel``; ``make_default``: the operator made
    it this desk's default (the only way a desk becomes a 112 desk)."""
    with conn:
        if make_default:
            _set(conn, DESK_CHANNEL, channel)
        if channel != HOTLINE:
            _set(conn, LAST_CHANNEL, channel)
