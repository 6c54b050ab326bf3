"""Raw HTTP/1.1 over a socket, for tests that must see what a client library hides:
whether the server kept a keep-alive connection open, answered before a body was read…"""

from __future__ import annotations

import socket


def connect(port: int, timeout: float = 5) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def response(sock: socket.socket) -> bytes:
    """One whole HTTP response (headers and a Content-Length body); b"" if the server
    closed the connection before sending one."""
    got = b""
    while b"\r\n\r\n" not in got:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return b""
        if not data:
            return b""
        got += data
    head, _, body = got.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        data = sock.recv(65536)
        assert data, got
        body += data
    return head + b"\r\n\r\n" + body
