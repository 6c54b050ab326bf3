"""A real central server on 127.0.0.1 in a background thread (uvicorn), for tests and
the bench: a fresh SQLite file, accounts made directly in its database."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "kata-sandi-uji-123"


@dataclass
class LiveServer:
    url: str
    app: Any
    server: Any
    thread: threading.Thread
    settings: Any

    @property
    def ctx(self) -> Any:
        return self.app.state.ctx

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def add_user(self, name: str, role: str = "operator", regions: list[str] | None = None,
                 password: str = PASSWORD) -> str:
        from server import auth

        return auth.create_account(self.ctx.db, name, role, password, regions=regions,
                                   profile="fast")

    def stop(self) -> None:
        # Open long polls answer now (as ``posko server run`` does at shutdown), so the
        # stop does not wait out their ``wait``.
        self.ctx.db.bell.close()
        self.server.should_exit = True
        self.thread.join(15)
        self.ctx.db.dispose()


def start_live_server(folder: Path, *, port: int = 0, **settings_kw: Any) -> LiveServer:
    """``port``: 0 for a free one; a stopped server's port to restart it in its place."""
    from server.app import create_app
    from server.inprocess import serve_in_thread
    from server.settings import Settings

    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(db_url=str(folder / "server.sqlite3"), files_dir=folder / "files",
                        password_profile="fast", **settings_kw)
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    server, thread = serve_in_thread(app, sock, name="test server", log_level="error")
    return LiveServer(f"http://127.0.0.1:{port}", app, server, thread, settings)
