"""Real server processes for tests that need more than the in-process ``live`` server:
``python -m server run …`` in a subprocess, on loopback, stopped by its own pid."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def add_user(db: str, name: str, password: str, role: str = "operator") -> None:
    subprocess.run([sys.executable, "-m", "server", "add-user", name, "--role", role,
                    "--db", db], input=password + "\n", text=True, check=True, cwd=ROOT,
                   env=server_env(), capture_output=True, timeout=60)


class ServerProcess:
    def __init__(self, args: list[str], *, preexec=None, stderr=subprocess.DEVNULL) -> None:  # noqa: ANN001
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server", "run", "--port", str(self.port),
             "--log-level", "warning", *args],
            cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL, stderr=stderr,
            preexec_fn=preexec)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the server process did not start ({args})")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
