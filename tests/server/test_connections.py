"""Connection hygiene of ``posko server run`` (issue 12 M4), with raw sockets against a real
server process: slow headers, trickled bodies and idle sockets do not hold it hostage.
Loopback only; every loop is bounded."""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.server.procs import ServerProcess
from tests.server.rawhttp import response

LIMITS = ["--header-timeout", "1", "--body-timeout", "2", "--keep-alive-timeout", "1"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conn")
    s = ServerProcess(["--db", str(folder / "s.sqlite3"), *LIMITS])
    yield s
    s.stop()


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    return sock


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> tuple[bool, bytes]:
    """Send ``trickle`` a byte at a time (every 0.25 s) until the server closes the socket
    or ``seconds`` pass. Returns (closed, what the server sent)."""
    got = b""
    sock.settimeout(0.25)
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        try:
            if trickle:
                sock.send(trickle[i % len(trickle):i % len(trickle) + 1])
                i += 1
            data = sock.recv(65536)
            if not data:
                return True, got
            got += data
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True, got
    return False, got


@pytest.mark.slow
def test_slow_headers_are_cut_off(server):
    sock = _connect(server.port)
    sock.sendall(b"GET /v1/time HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    closed, _ = _closed_within(sock, 8, trickle=b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    assert closed and time.monotonic() - started < 4
    sock.close()


def test_idle_sockets_are_closed(server):
    fresh = _connect(server.port)
    assert _closed_within(fresh, 6)[0]
    fresh.close()
    # Keep-alive: one complete request, then silence.
    kept = _connect(server.port)
    kept.sendall(b"GET /v1/time HTTP/1.1\r\nHost: x\r\n\r\n")
    closed, got = _closed_within(kept, 6)
    assert got.startswith(b"HTTP/1.1 200") and closed
    kept.close()


def test_a_trickled_body_answers_408(server):
    sock = _connect(server.port)
    sock.sendall(b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 200\r\n\r\n{")
    closed, got = _closed_within(sock, 8, trickle=b" ")
    assert got.startswith(b"HTTP/1.1 408"), got[:200]
    assert closed
    sock.close()


@pytest.mark.slow
def test_legitimate_requests_succeed_while_idle_sockets_exhaust_the_fd_limit(tmp_path):
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as err:
        s = ServerProcess(["--db", str(tmp_path / "s.sqlite3"), *LIMITS], stderr=err)
        idle = []
        try:
            # Leave the running server 20 file descriptors to spare: 50 idle sockets take
            # them all, and more wait in the listen backlog.
            in_use = len(list((Path("/proc") / str(s.proc.pid) / "fd").iterdir()))
            _soft, hard = resource.prlimit(s.proc.pid, resource.RLIMIT_NOFILE)
            resource.prlimit(s.proc.pid, resource.RLIMIT_NOFILE, (in_use + 20, hard))
            idle = [_connect(s.port) for _ in range(50)]
            time.sleep(0.5)
            ok = 0
            for _ in range(3):
                try:
                    ok += httpx.get(s.url + "/v1/time", timeout=10).status_code == 200
                except httpx.TimeoutException:
                    pass
            assert ok == 3
        finally:
            for sock in idle:
                sock.close()
            s.stop()
    lines = log.read_bytes().count(b"\n")
    assert lines < 60, f"the server logged {lines} lines of errors"


def test_a_refusal_before_the_body_is_read_still_reaches_the_client(server):
    """A push whose token is refused (or whose login check meets a database blip: 503) is
    answered before its body is read. The console must read that answer, not a connection
    reset it would take for a network fault and retry as one; the connection stays open."""
    body = b'{"mutations": [' + b",".join([b'{"x": "' + b"a" * 900 + b'"}'] * 400) + b"]}"
    for _ in range(5):
        sock = _connect(server.port)
        sock.settimeout(5)
        sock.sendall(b"POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer not-a-token\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        time.sleep(0.2)  # the server answers while the body is still on its way
        sock.sendall(body)
        got = response(sock)
        assert got.startswith(b"HTTP/1.1 401"), got[:200]
        # The body was read, not left in the socket: the connection stays usable (on a
        # 500 ms link a new TLS connection costs seconds) and no reset races the answer.
        sock.sendall(b"GET /v1/time HTTP/1.1\r\nHost: x\r\n\r\n")
        again = response(sock)
        assert again.startswith(b"HTTP/1.1 200"), again[:200]
        sock.close()
