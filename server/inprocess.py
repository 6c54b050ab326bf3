"""Serve an app from a thread of this process: the demo's embedded server and the tests'
real servers on 127.0.0.1 (``posko server run`` runs uvicorn itself, with its guards)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


def serve_in_thread(app: Any, sock: socket.socket, *, name: str, log_level: str = "warning",
                    keep_alive: int = 60) -> tuple[Any, threading.Thread]:
    """Start uvicorn on the listening ``sock`` in a daemon thread; return (server, thread)
    once it accepts. RuntimeError (the socket closed) if it has not started in 20 s."""
    import uvicorn

    config = uvicorn.Config(app, log_level=log_level, lifespan="off", access_log=False,
                            timeout_keep_alive=keep_alive)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=name)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"the {name} did not start")
        time.sleep(0.02)
    return server, thread
