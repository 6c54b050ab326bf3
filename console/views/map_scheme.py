"""The ``posko://`` URL scheme: everything the map page loads comes through here.

``posko://map/index.html`` is the page, ``/assets/…`` Leaflet and our scripts from the
installed packages, ``/qwebchannel.js`` Qt's bridge script, ``/data/…`` the reports and
region boundaries, ``/tiles/<layer>/<z>/<x>/<y>`` the map tiles. The page never talks to
anything else: :class:`MapRequestGuard` records every request the page makes and blocks
any that is not ``posko:``, ``data:`` or ``blob:``, and :class:`MapPage` refuses to
navigate away or open windows.

The scheme must be registered before the QApplication exists (:func:`register_scheme`,
called by :func:`console.views.bootstrap.bootstrap`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import parse_qs

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QFile,
    QIODevice,
    QObject,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from console.map import assets
from console.map.page import PAGE_URL

log = logging.getLogger(__name__)

__all__ = [
    "MapPage",
    "MapRequest",
    "MapRequestGuard",
    "MapSchemeHandler",
    "SCHEME",
    "register_scheme",
]

SCHEME = b"posko"
ALLOWED_SCHEMES = frozenset({"posko", "data", "blob"})


def register_scheme() -> bool:
    """Register ``posko://`` with QtWebEngine (idempotent). Must run before the
    QApplication is created; returns False if that is too late and it was not done."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == QByteArray(SCHEME):
        return True
    if QCoreApplication.instance() is not None:
        return False
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)
    return True


def scheme_registered() -> bool:
    return QWebEngineUrlScheme.schemeByName(SCHEME).name() == QByteArray(SCHEME)


_qwebchannel_js: bytes | None = None


def qwebchannel_js() -> bytes:
    """Qt's ``qwebchannel.js``, read from the QtWebChannel module's resources."""
    global _qwebchannel_js
    if _qwebchannel_js is None:
        import PySide6.QtWebChannel  # noqa: F401 - loads the module and its resources

        f = QFile(":/qtwebchannel/qwebchannel.js")
        if not f.open(QIODevice.OpenModeFlag.ReadOnly):
            raise RuntimeError("qwebchannel.js is missing from the QtWebChannel resources")
        _qwebchannel_js = bytes(f.readAll().data())
        f.close()
    return _qwebchannel_js


class MapRequest:
    """One request from the page, answered now or later (on the GUI thread)."""

    def __init__(self, job: QWebEngineUrlRequestJob) -> None:
        self.job = job
        url = job.requestUrl()
        self.url = url.toString()
        self.path = url.path()
        self.query = {k: v[-1] for k, v in parse_qs(url.query()).items()}
        self.done = False

    def reply(self, data: bytes, mime: str) -> None:
        if self.done:
            return
        self.done = True
        try:
            buf = QBuffer(self.job)  # freed with the job
            buf.setData(QByteArray(data))
            buf.open(QIODevice.OpenModeFlag.ReadOnly)
            self.job.reply(mime.encode(), buf)
        except RuntimeError:  # the page went away and took the job with it
            pass

    def fail(
        self, error: QWebEngineUrlRequestJob.Error = QWebEngineUrlRequestJob.Error.UrlNotFound
    ) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.job.fail(error)
        except RuntimeError:
            pass

    def alive(self) -> bool:
        if self.done:
            return False
        try:
            self.job.requestUrl()
        except RuntimeError:
            return False
        return True


Route = Callable[[MapRequest], None]


class MapSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves ``posko://map/…``. Static files are answered here; ``index.html``,
    ``data/…`` and ``tiles/…`` go to the routes the map panel sets."""

    _call = Signal(object)  # any thread → GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.routes: dict[str, Route] = {}
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self.served = 0

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread (callable from any thread)."""
        self._call.emit(fn)

    @Slot(object)
    def _run(self, fn) -> None:
        fn()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt name
        url: QUrl = job.requestUrl()
        if url.host() != "map" or bytes(job.requestMethod().data()) != b"GET":
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        req = MapRequest(job)
        self.served += 1
        path = req.path.lstrip("/")
        head, _, rest = path.partition("/")
        try:
            if head == "assets":
                found = assets.read_asset(rest)
                if found is None:
                    req.fail()
                else:
                    req.reply(*found)
            elif path == "qwebchannel.js":
                req.reply(qwebchannel_js(), "text/javascript")
            elif path == "index.html" and "page" in self.routes:
                self.routes["page"](req)
            elif head in ("data", "tiles") and head in self.routes:
                self.routes[head](req)
            else:
                req.fail()
        except Exception:  # noqa: BLE001 - never leave the page waiting
            log.exception("map request %s failed", req.url)
            req.fail(QWebEngineUrlRequestJob.Error.RequestFailed)


class MapRequestGuard(QWebEngineUrlRequestInterceptor):
    """Records every URL the page requests; blocks any that would leave the machine."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self.seen: list[str] = []
        self.blocked: list[str] = []

    def interceptRequest(self, info) -> None:  # noqa: N802 - Qt name
        url = info.requestUrl()
        text = url.toString()
        with self._lock:
            if len(self.seen) < 10_000:
                self.seen.append(text)
            if url.scheme() not in ALLOWED_SCHEMES:
                self.blocked.append(text)
                info.block(True)


class MapPage(QWebEnginePage):
    """The map's page: stays on the map, opens no windows, logs script messages."""

    def __init__(self, profile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.console: list[tuple[int, str]] = []

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        return is_main_frame and url.toString().split("?")[0] == PAGE_URL

    def createWindow(self, _type):  # noqa: N802 - Qt name
        return None

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
        entry = (
            int(level.value) if hasattr(level, "value") else int(level),
            f"{source}:{line}: {message}",
        )
        if len(self.console) < 500:
            self.console.append(entry)
        log.debug("map page: %s", entry[1])
