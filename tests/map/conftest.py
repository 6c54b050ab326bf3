"""Fixtures for the map tests: reports with coordinates in a real database, tiny MBTiles
files, a loopback tile server, and a running MapPanel (QtWebEngine, offscreen)."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


from map_helpers import png_bytes, populate  # noqa: E402


@pytest.fixture
def filled(conn):
    """The shared ``conn`` fixture's database with the map's test reports."""
    return populate(conn)


# ------------------------------------------------------------------- tile server


class _TileHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.server.requests.append((self.path, self.headers.get("User-Agent")))
        if self.path.startswith("/tiles/"):
            body = self.server.tile
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server():
    """A tile server on 127.0.0.1 serving one PNG at /tiles/{z}/{x}/{y}.png."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TileHandler)
    server.requests = []
    server.tile = png_bytes((30, 120, 200))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png"
    yield server
    server.shutdown()
    server.server_close()


# -------------------------------------------------------------------------- panel


@pytest.fixture
def make_panel(qtbot, bridge, ui_settings, tmp_path):
    """make_panel(**kw) -> a shown MapPanel whose first markers have been painted."""
    from console.views.map_panel import MapPanel

    panels = []

    def make(flt=None, wait=True, **kw):
        panel = MapPanel(bridge=bridge, settings=ui_settings, cache_dir=tmp_path / "cache",
                         flt=flt, autostart=False, **kw)  # fmt: skip
        qtbot.addWidget(panel)
        panel.resize(900, 640)
        panels.append(panel)
        events = []
        panel.ready.connect(lambda: events.append("ready"))
        panel.painted.connect(lambda kind, *_: events.append(kind))
        panel.show()
        panel.start()
        if wait:
            qtbot.waitUntil(lambda: "ready" in events and "load" in events, timeout=30_000)
        return panel

    yield make
    from PySide6.QtCore import QCoreApplication, QEvent

    for panel in panels:
        panel.shutdown()
        panel.close()
        panel.deleteLater()
    # Delete them now (page before profile), not at interpreter exit.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class JS:
    """Run page scripts synchronously from a test."""

    def __init__(self, qtbot, panel) -> None:
        self.qtbot = qtbot
        self.panel = panel

    def __call__(self, expr: str, timeout: int = 10_000):
        """The JSON-able value of a page expression."""
        box = {}
        script = (
            "(() => { const __v = (" + expr + "); "
            "return JSON.stringify(__v === undefined ? null : __v); })()"
        )
        self.panel.run_js(script, lambda result: box.setdefault("r", result))
        self.qtbot.waitUntil(lambda: "r" in box, timeout=timeout)
        return json.loads(box["r"]) if isinstance(box["r"], str) else box["r"]

    def run(self, statements: str, timeout: int = 10_000) -> None:
        box = {}
        self.panel.run_js(statements + "\n;true", lambda result: box.setdefault("r", result))
        self.qtbot.waitUntil(lambda: "r" in box, timeout=timeout)

    def wait_true(self, expr: str, timeout: int = 10_000) -> None:
        def check():
            assert self(expr) is True

        self.qtbot.waitUntil(check, timeout=timeout)

    def await_(self, promise_expr: str, timeout: int = 10_000):
        """Value of a Promise expression (kept in a page global until read)."""
        self.run(
            "window.__t = {done: false}; Promise.resolve(" + promise_expr + ")"
            ".then(v => { window.__t = {done: true, v: v}; },"
            " e => { window.__t = {done: true, v: 'error: ' + e}; });"
        )
        self.wait_true("window.__t.done", timeout)
        return self("window.__t.v")


@pytest.fixture
def js(qtbot):
    return lambda panel: JS(qtbot, panel)
