"""Where map tiles come from: a local MBTiles file, and an optional online source whose
tiles are kept in an MBTiles cache so they are there when the link is down.

The map has two tile layers (see ``posko-map.js``): ``base`` (the local file) and, above
it, ``online`` (cache first, then the network). Offline, ``online`` tiles that are not
cached are simply missing and the base map (or the plain background) shows through.

Being polite to a tile server (e.g. the OpenStreetMap tile usage policy): an honest
User-Agent, at most :attr:`OnlineSource.max_per_second` requests a second and
:data:`MAX_PARALLEL` at a time, no bulk prefetching (only the tiles the operator looks
at), every fetched tile cached and never fetched again, and after a failure (no link,
429, 5xx) a pause that doubles up to five minutes instead of retrying at once.

Qt-free and blocking: the console calls :meth:`TileService.get` from a small thread pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from console.map.mbtiles import MIME, MBTilesCache, MBTilesReader, image_type, valid_tile

__all__ = [
    "MAX_PARALLEL",
    "OnlineSource",
    "RateLimiter",
    "Tile",
    "TileService",
    "USER_AGENT",
]

USER_AGENT = "Posko/0.1 (offline-first operator console; tiles cached locally)"
MAX_PARALLEL = 2
MAX_TILE_BYTES = 2 * 1024 * 1024
BACKOFF_START_S = 15.0
BACKOFF_MAX_S = 300.0


@dataclass(frozen=True)
class Tile:
    data: bytes
    mime: str
    source: str  # base | cache | online


@dataclass(frozen=True)
class OnlineSource:
    """An XYZ tile URL such as ``https://tile.example.org/{z}/{x}/{y}.png``. Raises
    ValueError for anything else (other schemes, missing or unknown placeholders)."""

    url: str
    attribution: str = ""
    max_zoom: int = 19
    max_per_second: float = 4.0

    def __post_init__(self) -> None:
        url = (self.url or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("the tile URL must start with http:// or https://")
        for needed in ("{z}", "{x}", "{y}"):
            if needed not in url:
                raise ValueError(f"the tile URL needs {needed}")
        leftover = url.replace("{z}", "").replace("{x}", "").replace("{y}", "")
        if "{" in leftover or "}" in leftover:
            raise ValueError("the tile URL may only use {z}, {x} and {y}")
        if not 0 < self.max_per_second <= 20:
            raise ValueError("max_per_second must be in (0, 20]")
        object.__setattr__(self, "url", url)

    def tile_url(self, z: int, x: int, y: int) -> str:
        return self.url.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


class RateLimiter:
    """At most ``per_second`` acquisitions a second, spaced evenly; thread-safe."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:  # fmt: skip
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


class TileService:
    """Answers tile requests for the map's two layers. Thread-safe."""

    def __init__(
        self,
        base: MBTilesReader | None = None,
        cache: MBTilesCache | None = None,
        online: OnlineSource | None = None,
        *,
        session=None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = base
        self.cache = cache
        self.online = online
        self._clock = clock
        self._session = session
        self._limiter = RateLimiter(online.max_per_second if online else 1.0, clock=clock)
        self._parallel = threading.Semaphore(MAX_PARALLEL)
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self._backoff = BACKOFF_START_S
        self.fetched = 0  # tiles fetched from the network (for tests and the status line)
        self.last_error: str | None = None

    # ------------------------------------------------------------------------ state

    @property
    def online_paused(self) -> bool:
        with self._lock:
            return self._clock() < self._paused_until

    def _fail(self, reason: str) -> None:
        with self._lock:
            self._paused_until = self._clock() + self._backoff
            self._backoff = min(self._backoff * 2, BACKOFF_MAX_S)
            self.last_error = reason

    def _ok(self) -> None:
        with self._lock:
            self._backoff = BACKOFF_START_S
            self.last_error = None

    def _http(self):
        if self._session is None:
            import requests

            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            self._session = session
        return self._session

    # ----------------------------------------------------------------------- lookup

    def get(self, layer: str, z: int, x: int, y: int,
            cancelled: Callable[[], bool] = lambda: False) -> Tile | None:  # fmt: skip
        """The tile of ``layer`` (``base`` or ``online``) at XYZ z/x/y, or None."""
        if not valid_tile(z, x, y):
            return None
        if layer == "base":
            if self.base is None:
                return None
            data = self.base.tile(z, x, y)
            return Tile(data, MIME[self.base.info.format], "base") if data else None
        if layer != "online":
            return None
        if self.cache is not None:
            data = self.cache.tile(z, x, y)
            if data:
                return Tile(data, MIME.get(image_type(data) or "", "image/png"), "cache")
        if self.online is None or z > self.online.max_zoom or self.online_paused:
            return None
        return self._fetch(z, x, y, cancelled)

    def _fetch(self, z: int, x: int, y: int, cancelled: Callable[[], bool]) -> Tile | None:
        assert self.online is not None
        with self._parallel:
            if cancelled() or self.online_paused:
                return None
            self._limiter.acquire()
            if cancelled():
                return None
            try:
                resp = self._http().get(
                    self.online.tile_url(z, x, y), timeout=(5, 15),
                    headers={"User-Agent": USER_AGENT}, stream=True,
                )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - any network failure: pause, say why
                self._fail(type(exc).__name__)
                return None
            try:
                if resp.status_code == 404:
                    self._ok()
                    return None
                if resp.status_code != 200:
                    self._fail(f"HTTP {resp.status_code}")
                    return None
                data = resp.raw.read(MAX_TILE_BYTES + 1, decode_content=True)
            except Exception as exc:  # noqa: BLE001
                self._fail(type(exc).__name__)
                return None
            finally:
                resp.close()
        kind = image_type(data)
        if len(data) > MAX_TILE_BYTES or kind not in MIME:
            self._fail("not an image tile")
            return None
        self._ok()
        self.fetched += 1
        if self.cache is not None:
            try:
                self.cache.put(z, x, y, data)
            except Exception:  # noqa: BLE001 - a full disk must not break the map
                pass
        return Tile(data, MIME[kind], "online")

    def close(self) -> None:
        for src in (self.base, self.cache):
            if src is not None:
                src.close()
        if self._session is not None:
            self._session.close()
