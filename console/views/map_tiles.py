"""The map dock's tiles: the offline MBTiles base map, the cache and the online source,
served to the page through the ``posko://`` scheme.

A part of :class:`console.views.map_panel.MapPanel` (a mixin: it runs on the panel and
uses its state); its words are the panel's ("MapPanel" context)."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QTimer,
)

from console.map import data as mapdata
from console.map.mbtiles import MBTilesCache, MBTilesError, MBTilesReader
from console.map.page import tile_url
from console.map.tiles import MAX_PARALLEL, OnlineSource, TileService

# Importing map_scheme registers posko:// with QtWebEngine, which must happen before the
# QApplication exists; main_window imports this module at start-up, so it does.

log = logging.getLogger('console.views.map_panel')
# The page asks for tiles as posko://…/tiles/<base|online>/z/x/y.
_TILE_PATH = re.compile(r"^/tiles/(base|online)/(\d{1,2})/(\d{1,8})/(\d{1,8})$")


class MapTiles:
    def _setup_tiles(self) -> None:
        """(Re)open the tile sources from the settings; report problems, keep going."""
        old = self.tiles
        base = cache = online = None
        self._base_error = ""
        self._note("tiles", "")
        path = str(self._setting("mbtiles") or "")
        if path:
            try:
                base = MBTilesReader(path)
            except MBTilesError as exc:
                self._base_error = self._mbtiles_message(exc)
        url = str(self._setting("online_url") or "")
        attribution = str(self._setting("online_attribution") or "")
        if url and self._setting("online_enabled"):
            try:
                online = OnlineSource(url, attribution)
            except ValueError as exc:
                log.warning("online tile source ignored: %s", exc)
        if url and self._cache_dir is not None:
            try:
                cache = MBTilesCache(
                    self._cache_dir / "tile-cache.mbtiles", attribution=attribution
                )
            except MBTilesError as exc:
                self._note("cache", self._mbtiles_message(exc))
        self.tiles = TileService(base, cache, online)
        if self._tile_pool is None:
            self._tile_pool = ThreadPoolExecutor(MAX_PARALLEL + 1, thread_name_prefix="posko-tiles")
        if old is not None:
            # Requests in flight may still read the old files: close them a bit later.
            QTimer.singleShot(5000, old.close)
        if self._base_error:
            self._note(
                "tiles",
                QCoreApplication.translate("MapPanel", "Peta dasar tidak dipakai: {reason}").format(reason=self._base_error),
            )
        self._tile_config = self._tile_layers(base, cache, online, attribution)

    def _tile_layers(self, base, cache, online, attribution: str) -> list[dict]:
        layers = []
        if base is not None:
            info = base.info
            layers.append({
                "url": tile_url("base"), "attribution": info.attribution or info.name,
                "maxNativeZoom": info.max_zoom, "minNativeZoom": info.min_zoom,
                "bounds": info.bounds,
            })  # fmt: skip
        if online is not None or cache is not None:
            layers.append(
                {"url": tile_url("online"), "attribution": attribution, "maxNativeZoom": 19}
            )
        return layers

    def _mbtiles_message(self, exc: MBTilesError) -> str:
        name = exc.path.name
        texts = {
            "missing": QCoreApplication.translate("MapPanel", "berkas {name} tidak ditemukan."),
            "not_sqlite": QCoreApplication.translate("MapPanel", "berkas {name} bukan berkas MBTiles (bukan basis data SQLite)."),
            "not_mbtiles": QCoreApplication.translate("MapPanel", "berkas {name} tidak berisi tabel MBTiles (metadata dan tiles)."),
            "vector": QCoreApplication.translate("MapPanel", "berkas {name} berisi ubin vektor; Posko hanya menampilkan ubin gambar "
                              "(PNG, JPEG, WebP)."),
            "format": QCoreApplication.translate("MapPanel", "ubin dalam berkas {name} bukan gambar PNG, JPEG atau WebP."),
            "empty": QCoreApplication.translate("MapPanel", "berkas {name} tidak berisi ubin."),
            "unwritable": QCoreApplication.translate("MapPanel", "cache ubin {name} tidak dapat ditulis; ubin daring tidak disimpan."),
        }  # fmt: skip
        return texts.get(exc.kind, texts["not_mbtiles"]).format(name=name)

    def set_mbtiles(self, path: Path | str | None) -> bool:
        """Use this MBTiles file as the base map (None: none). Returns False, with a
        message above the map, if the file cannot be used; the map keeps working."""
        self._store("mbtiles", str(path) if path else "")
        if not self._started:
            return True
        self._setup_tiles()
        self._js(f"PoskoMap.setTiles({mapdata.encode_json(self._tile_config).decode()})")
        self._update_no_tiles_note()
        return not self._base_error

    def set_online_source(
        self, url: str | None, attribution: str = "", enabled: bool = True
    ) -> None:
        """Configure the online tile source (URL with {z}/{x}/{y}); its tiles are cached
        in ``cache_dir`` and served from there when offline."""
        self._store("online_url", url or "")
        self._store("online_attribution", attribution or "")
        self._store("online_enabled", bool(enabled and url))
        if self._started:
            self._setup_tiles()
            self._js(f"PoskoMap.setTiles({mapdata.encode_json(self._tile_config).decode()})")
            self._update_no_tiles_note()

    def _serve_tile(self, req) -> None:
        m = _TILE_PATH.match(req.path)
        service, pool = self.tiles, self._tile_pool
        if m is None or service is None or pool is None:
            req.fail()
            return
        layer, z, x, y = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
        gone = {"flag": False}
        try:
            req.job.destroyed.connect(lambda *_: gone.__setitem__("flag", True))
        except (RuntimeError, AttributeError):
            pass
        was_paused = service.online_paused

        def work():
            try:
                tile = service.get(layer, z, x, y, cancelled=lambda: gone["flag"])
            except Exception:  # noqa: BLE001 - a bad tile is a missing tile
                log.exception("tile %s/%s/%s/%s failed", layer, z, x, y)
                tile = None
            self.scheme.call_soon(lambda: self._tile_done(req, tile, service, was_paused))

        try:
            pool.submit(work)
        except RuntimeError:  # shut down
            req.fail()

    def _tile_done(self, req, tile, service: TileService, was_paused: bool) -> None:
        if tile is None:
            req.fail()
        else:
            req.reply(tile.data, tile.mime)
        if service is self.tiles and service.online is not None:
            paused = service.online_paused
            if paused and not was_paused:
                self._note("online", QCoreApplication.translate("MapPanel",
                    "Sumber peta daring tidak terjangkau; memakai ubin yang tersimpan."
                ))  # fmt: skip
            elif not paused and service.last_error is None:
                self._note("online", "")
