"""Helpers shared by the demo tests (a module of its own, not imported from a conftest)."""

from __future__ import annotations

import socket


def port_refuses(port: int) -> bool:
    """Nothing listens on 127.0.0.1:``port`` any more (the demo's server stopped)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True
