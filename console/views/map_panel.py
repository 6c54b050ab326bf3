"""The map dock: reports on an offline Leaflet map inside QtWebEngine.

The page (built with folium, see ``console/map/page.py``) is loaded by URL from the
``posko://`` scheme (``map_scheme.py``); Leaflet and its plugins come from installed
packages, never from a CDN, and a request guard blocks anything that is not ``posko:``.
Markers arrive as one compact JSON document and are drawn on a canvas with grid
clustering, so 100,000 reports cost one fetch and no DOM nodes per report.

Two-way selection and live changes go through QWebChannel (``map_bridge.py``):

- clicking a report on the map emits :attr:`MapPanel.reportClicked` (its id);
- :meth:`MapPanel.select_report` pans to a report and rings it;
- drawing a rectangle or polygon emits :attr:`MapPanel.areaFilterChanged` with a
  :class:`console.map.data.Area` (or None when cleared);
- :meth:`MapPanel.apply_changes` re-reads the given reports and updates their markers
  (new, changed, removed) without reloading the page.

All database work runs on the database worker through :class:`DbBridge`; tiles are read
(and fetched, when an online source is configured) on a small thread pool of their own.
"""

from __future__ import annotations

import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.geo import validate_lat_lon
from console.map import data as mapdata
from console.map.boundaries import BoundaryFileError, BoundaryImport, import_boundaries
from console.map.focus import region_focus
from console.map.mbtiles import MBTilesCache, MBTilesError, MBTilesReader
from console.map.page import PAGE_URL, build_page, tile_url
from console.map.tiles import MAX_PARALLEL, OnlineSource, TileService
from console.palette import PRIORITY_COLORS, STATUS_COLORS
from console.store.queue import ALL_STATUSES, QueueFilter
from console.store.timefmt import from_db
from console.views import labels, map_scheme, messages

# Importing map_scheme registers posko:// with QtWebEngine, which must happen before the
# QApplication exists; main_window imports this module at start-up, so it does.
from console.views import settings as prefs
from console.views.map_selection import MapSelection

log = logging.getLogger(__name__)

__all__ = ["MapPanel"]

COUNTS_DEBOUNCE_MS = 800
NOTE_MS = 15_000
_TILE_PATH = re.compile(r"^/tiles/(base|online)/(\d{1,2})/(\d{1,8})/(\d{1,8})$")
_DEFAULT = object()


class _OnlineSourceDialog(QDialog):
    def __init__(self, parent, url: str, attribution: str, enabled: bool) -> None:
        super().__init__(parent)
        self.setObjectName("map_online_dialog")
        self.setWindowTitle(self.tr("Sumber peta daring"))
        self.url = QLineEdit(url, self)
        self.url.setPlaceholderText("https://tiles.example.go.id/{z}/{x}/{y}.png")
        self.attribution = QLineEdit(attribution, self)
        self.enabled = QCheckBox(self.tr("Ambil ubin dari sumber daring bila ada jaringan"), self)
        self.enabled.setChecked(enabled)
        note = QLabel(
            self.tr(
                "Ubin yang diambil disimpan di komputer ini dan tetap tampil saat luring. "
                "Posko meminta paling banyak 4 ubin per detik. Pakai hanya sumber yang "
                "mengizinkan penggunaan ini, dan isi atribusinya."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Alamat ubin"), self.url)
        form.addRow(self.tr("Atribusi"), self.attribution)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.enabled)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def _accept(self) -> None:
        url = self.url.text().strip()
        if url:
            try:
                OnlineSource(url, self.attribution.text().strip())
            except ValueError:
                self.error.setText(
                    self.tr("Alamat ubin tidak sah: harus diawali http:// atau https:// dan "
                            "memuat {z}, {x} dan {y}.")
                )  # fmt: skip
                return
        self.accept()


class MapPanel(QWidget):
    """The map dock. Without a ``bridge`` it only shows a note (as before this issue);
    with one, the map starts on first show (or :meth:`start`)."""

    #: A report was clicked on the map: its id. Select it in the queue and detail.
    reportClicked = Signal(str)  # noqa: N815
    #: The drawn area changed: a console.map.data.Area, or None when cleared.
    areaFilterChanged = Signal(object)  # noqa: N815
    #: A region boundary was clicked: its region code.
    regionClicked = Signal(str)  # noqa: N815
    #: start_pick() ended with a click: (latitude, longitude) for the intake form.
    locationPicked = Signal(float, float)  # noqa: N815
    #: start_pick() was cancelled (Esc).
    pickCancelled = Signal()  # noqa: N815
    #: The page painted: (kind "load" | "delta", generation or delta token, markers).
    painted = Signal(str, int, int)
    #: The page is loaded and the bridge connected.
    ready = Signal()
    #: The note above the map changed (empty when none).
    messageChanged = Signal(str)  # noqa: N815

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        bridge=None,
        settings: QSettings | None = None,
        lang: str = "id",
        cache_dir: Path | str | None = None,
        flt: QueueFilter | None = _DEFAULT,  # type: ignore[assignment]
        autostart: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("map_panel")
        self._bridge = bridge
        self._settings = settings
        self._lang = lang
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._filter = QueueFilter.open_queue() if flt is _DEFAULT else flt
        self._autostart = autostart
        self._started = False
        self._page_ready = False
        self._js_queue: list[str] = []
        self._gen = 0
        self._payload: tuple[int, bytes] | None = None
        self._waiting: list[tuple[int, object]] = []
        self._regions: bytes | None = None
        self._region_codes: list[str] = []
        self._waiting_regions: list = []
        self._pending_ids: set[str] = set()
        self._tokens = count(1)
        self._next_token = 0
        self.delta_started: dict[int, float] = {}
        self._categories: list[tuple[str, str]] = []
        self._area: mapdata.Area | None = None
        self._shown = 0
        self._without = 0
        self._base_error = ""
        self._notes: dict[str, str] = {}
        self.selection = MapSelection(self)
        self.pick_focus = None  # where the last pick centred the map (console.map.focus)
        self.view = None
        self.page = None
        self.guard = None
        self.tiles: TileService | None = None
        self._tile_pool: ThreadPoolExecutor | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.message = QLabel(self)
        self.message.setObjectName("map_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if bridge is None:
            self.message.setText(
                self.tr(
                    "Peta luring belum tersedia di versi ini.\n"
                    "Lokasi laporan tetap tercantum di panel Detail."
                )
            )
            layout.addWidget(self.message)
            return

        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.message.setStyleSheet(
            "QLabel#map_message { background: #fff8e1; color: #4e342e; padding: 4px 8px; "
            "border-bottom: 1px solid #ffe082; }"
        )
        self.message.hide()
        self._build_toolbar()
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.body, 1)

        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DEBOUNCE_MS)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self._delta_timer = QTimer(self)
        self._delta_timer.setSingleShot(True)
        self._delta_timer.setInterval(0)
        self._delta_timer.timeout.connect(self._flush_deltas)

    # ------------------------------------------------------------------- settings

    def _setting(self, key: str):
        return prefs.read(self._settings, f"map/{key}")

    def _store(self, key: str, value) -> None:
        prefs.write(self._settings, f"map/{key}", value)

    # -------------------------------------------------------------------- toolbar

    def _build_toolbar(self) -> None:
        bar = QToolBar(self)
        bar.setObjectName("map_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(bar.iconSize())
        self.toolbar = bar

        bar.addWidget(QLabel(self.tr("Warna:"), self))
        self.color_by = QComboBox(self)
        self.color_by.setObjectName("map_color_by")
        self.color_by.setAccessibleName(self.tr("Warna penanda menurut"))
        self.color_by.addItem(self.tr("Prioritas"), "priority")
        self.color_by.addItem(self.tr("Status"), "status")
        idx = self.color_by.findData(self._setting("color_by"))
        self.color_by.setCurrentIndex(max(idx, 0))
        self.color_by.currentIndexChanged.connect(lambda _i: self._options_changed())
        bar.addWidget(self.color_by)

        self.category_button = QToolButton(self)
        self.category_button.setObjectName("map_categories")
        self.category_button.setText(self.tr("Kategori"))
        self.category_button.setToolTip(self.tr("Tampilkan atau sembunyikan kategori"))
        self.category_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.category_menu = QMenu(self)
        self.category_button.setMenu(self.category_menu)
        bar.addWidget(self.category_button)
        self._hidden = set(self._setting("hidden_categories"))
        self._category_actions: dict[str, QAction] = {}

        self.act_heat = QAction(self.tr("Peta panas"), self)
        self.act_heat.setObjectName("map_act_heat")
        self.act_heat.setCheckable(True)
        self.act_heat.setChecked(self._setting("heat"))
        self.act_heat.setToolTip(self.tr("Tampilkan kepadatan laporan sebagai peta panas"))
        self.act_heat.toggled.connect(lambda _on: self._options_changed())

        self.act_choropleth = QAction(self.tr("Jumlah per wilayah"), self)
        self.act_choropleth.setObjectName("map_act_choropleth")
        self.act_choropleth.setCheckable(True)
        self.act_choropleth.setChecked(self._setting("choropleth"))
        self.act_choropleth.setToolTip(
            self.tr("Warnai wilayah menurut jumlah laporan (perlu batas wilayah)")
        )
        self.act_choropleth.toggled.connect(lambda _on: self._options_changed())
        self.layers_button = QToolButton(self)
        self.layers_button.setObjectName("map_layers")
        self.layers_button.setText(self.tr("Lapisan"))
        self.layers_button.setToolTip(self.tr("Peta panas dan jumlah laporan per wilayah"))
        self.layers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layers = QMenu(self)
        layers.addAction(self.act_heat)
        layers.addAction(self.act_choropleth)
        self.layers_button.setMenu(layers)
        bar.addWidget(self.layers_button)

        self.act_area_rect = QAction(self.tr("Gambar persegi"), self)
        self.act_area_rect.setObjectName("map_act_area_rect")
        self.act_area_rect.setToolTip(self.tr("Gambar persegi di peta untuk menyaring antrean"))
        self.act_area_rect.triggered.connect(lambda: self.start_area("rect"))
        self.act_area_polygon = QAction(self.tr("Gambar poligon"), self)
        self.act_area_polygon.setObjectName("map_act_area_polygon")
        self.act_area_polygon.setToolTip(self.tr("Gambar poligon di peta untuk menyaring antrean"))
        self.act_area_polygon.triggered.connect(lambda: self.start_area("polygon"))
        self.act_area_clear = QAction(self.tr("Hapus area"), self)
        self.act_area_clear.setObjectName("map_act_area_clear")
        self.act_area_clear.setEnabled(False)
        self.act_area_clear.triggered.connect(self.clear_area)
        self.area_button = QToolButton(self)
        self.area_button.setObjectName("map_area")
        self.area_button.setText(self.tr("Area"))
        self.area_button.setToolTip(self.tr("Saring antrean dengan area yang digambar di peta"))
        self.area_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        area_menu = QMenu(self)
        for act in (self.act_area_rect, self.act_area_polygon, self.act_area_clear):
            area_menu.addAction(act)
        self.area_button.setMenu(area_menu)
        bar.addWidget(self.area_button)

        self.base_button = QToolButton(self)
        self.base_button.setObjectName("map_base_menu")
        self.base_button.setText(self.tr("Peta dasar"))
        self.base_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.act_open_mbtiles = menu.addAction(self.tr("Buka berkas MBTiles…"))
        self.act_open_mbtiles.triggered.connect(self._choose_mbtiles)
        self.act_drop_mbtiles = menu.addAction(self.tr("Lepas berkas MBTiles"))
        self.act_drop_mbtiles.triggered.connect(lambda: self.set_mbtiles(None))
        self.act_online = menu.addAction(self.tr("Sumber peta daring…"))
        self.act_online.triggered.connect(self._edit_online_source)
        menu.addSeparator()
        self.act_import = menu.addAction(self.tr("Impor batas wilayah (GeoJSON)…"))
        self.act_import.triggered.connect(self._choose_geojson)
        menu.addSeparator()
        self.act_snapshot = menu.addAction(self.tr("Simpan gambar peta…"))
        self.act_snapshot.triggered.connect(self._save_snapshot)
        self.base_button.setMenu(menu)
        bar.addWidget(self.base_button)

        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("map_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.count_label)

    def _rebuild_category_menu(self) -> None:
        menu = self.category_menu
        menu.clear()
        self._category_actions = {}
        show_all = menu.addAction(self.tr("Tampilkan semua"))
        show_all.triggered.connect(lambda: self.set_hidden_categories(set()))
        hide_all = menu.addAction(self.tr("Sembunyikan semua"))
        hide_all.triggered.connect(
            lambda: self.set_hidden_categories({c for c, _n in self._categories})
        )
        menu.addSeparator()
        group = QActionGroup(menu)
        group.setExclusive(False)
        for code, name in self._categories:
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(code not in self._hidden)
            act.toggled.connect(lambda on, c=code: self._toggle_category(c, on))
            group.addAction(act)
            self._category_actions[code] = act
        self._update_category_button()

    def _update_category_button(self) -> None:
        hidden = len(self._hidden & {c for c, _n in self._categories})
        if hidden:
            self.category_button.setText(
                self.tr("Kategori ({hidden} disembunyikan)").format(hidden=hidden)
            )
        else:
            self.category_button.setText(self.tr("Kategori"))

    def _toggle_category(self, code: str, on: bool) -> None:
        hidden = set(self._hidden)
        if on:
            hidden.discard(code)
        else:
            hidden.add(code)
        self.set_hidden_categories(hidden)

    # ----------------------------------------------------------------------- start

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._bridge is not None and self._autostart and not self._started:
            # After this paint: the rest of the window shows first, the map follows.
            QTimer.singleShot(0, self.start)

    def start(self) -> None:
        """Create the web view and load the map (once)."""
        if self._started or self._bridge is None:
            return
        self._started = True
        if not map_scheme.scheme_registered():
            self._note("fatal", self.tr(
                "Peta luring tidak dapat dimulai: skema posko:// harus didaftarkan sebelum "
                "aplikasi dibuat (console.views.map_scheme.register_scheme)."
            ))  # fmt: skip
            return
        from PySide6.QtWebChannel import QWebChannel
        from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings
        from PySide6.QtWebEngineWidgets import QWebEngineView

        from console.views.map_bridge import MapBridge

        self.view = QWebEngineView(self)
        self.view.setObjectName("map_view")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.profile = QWebEngineProfile(self)  # off the record: nothing written to disk
        self.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        self.guard = map_scheme.MapRequestGuard(self.profile)
        self.profile.setUrlRequestInterceptor(self.guard)
        self.scheme = map_scheme.MapSchemeHandler(self.profile)
        self.scheme.routes.update(
            page=self._serve_page, data=self._serve_data, tiles=self._serve_tile
        )
        self.profile.installUrlSchemeHandler(map_scheme.SCHEME, self.scheme)
        self.page = map_scheme.MapPage(self.profile, self.view)
        s = self.page.settings()
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, False)
        s.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        self.map_bridge = MapBridge(self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("poskoBridge", self.map_bridge)
        self.page.setWebChannel(self.channel)
        self.view.setPage(self.page)
        self.map_bridge.ready.connect(self._on_ready)
        from console.views.map_sensors import SensorLayer

        self.sensors = SensorLayer(self)  # the city's gauges (issue 15)
        self.map_bridge.clicked.connect(self._on_clicked)
        self.map_bridge.area.connect(self._on_area)
        self.map_bridge.drawCancelled.connect(lambda: self._note("draw", ""))
        self.map_bridge.region.connect(self.regionClicked)
        self.map_bridge.picked.connect(self._on_picked)
        self.map_bridge.pickCancelled.connect(self.pickCancelled)
        self.map_bridge.painted.connect(self._on_painted)
        self.map_bridge.summariesWanted.connect(self._on_summaries_wanted)
        self.map_bridge.pageError.connect(lambda m: log.warning("map page: %s", m))
        self.page.loadFinished.connect(self._on_load_finished)
        self.body.addWidget(self.view, 1)

        self._setup_tiles()
        self._request_payload()
        self._request_regions()
        self.page.load(QUrl(PAGE_URL))

    def shutdown(self) -> None:
        """Stop tile work and close tile files (the window is closing)."""
        if self._tile_pool is not None:
            self._tile_pool.shutdown(wait=False, cancel_futures=True)
            self._tile_pool = None
        if self.tiles is not None:
            self.tiles.close()
            self.tiles = None

    # ------------------------------------------------------------------------ tiles

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
                self.tr("Peta dasar tidak dipakai: {reason}").format(reason=self._base_error),
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
            "missing": self.tr("berkas {name} tidak ditemukan."),
            "not_sqlite": self.tr("berkas {name} bukan berkas MBTiles (bukan basis data SQLite)."),
            "not_mbtiles": self.tr("berkas {name} tidak berisi tabel MBTiles (metadata dan tiles)."),
            "vector": self.tr("berkas {name} berisi ubin vektor; Posko hanya menampilkan ubin gambar "
                              "(PNG, JPEG, WebP)."),
            "format": self.tr("ubin dalam berkas {name} bukan gambar PNG, JPEG atau WebP."),
            "empty": self.tr("berkas {name} tidak berisi ubin."),
            "unwritable": self.tr("cache ubin {name} tidak dapat ditulis; ubin daring tidak disimpan."),
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
                self._note("online", self.tr(
                    "Sumber peta daring tidak terjangkau; memakai ubin yang tersimpan."
                ))  # fmt: skip
            elif not paused and service.last_error is None:
                self._note("online", "")

    # ------------------------------------------------------------------------- page

    def _labels(self) -> dict:
        return {
            "priority": self.tr("Prioritas"),
            "status": self.tr("Status"),
            "category": self.tr("Kategori"),
            "region": self.tr("Wilayah"),
            "address": self.tr("Alamat"),
            "created": self.tr("Dibuat"),
            "clusterTitle": self.tr("Laporan di titik ini: {n}"),
            "clusterTooltip": self.tr("Laporan: {n} · klik untuk memperbesar"),
            "more": self.tr("… dan {n} lainnya"),
            "regionCount": self.tr("Laporan: {n}"),
            "legendPriority": self.tr("Prioritas"),
            "legendStatus": self.tr("Status"),
            "legendChoropleth": self.tr("Laporan per wilayah"),
            "legendToggle": self.tr("Klik untuk membuka atau melipat legenda"),
            "legendHeat": self.tr("Kepadatan laporan"),
            "legendHeatScale": self.tr("jarang → padat"),
            "drawRectHint": self.tr("Seret untuk menggambar persegi · Esc untuk batal"),
            "pickHint": self.tr("Klik lokasi laporan di peta · Esc untuk batal"),
            "drawPolygonHint": self.tr(
                "Klik untuk menambah titik, klik dua kali untuk selesai · Esc untuk batal"
            ),
            # Names of stored codes, from the shared label tables.
            "priorityNames": {p: labels.priority_label(p) for p in (1, 2, 3, 4)},
            "statusNames": {s: labels.status_label(s) for s in ALL_STATUSES},
        }

    def _page_config(self) -> dict:
        return {
            "labels": self._labels(),
            "colors": {"priority": PRIORITY_COLORS, "status": STATUS_COLORS},
            "options": self._options(),
            "tiles": self._tile_config,
            "gen": self._gen,
        }

    def _serve_page(self, req) -> None:
        req.reply(build_page(self._page_config()).encode(), "text/html; charset=utf-8")

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            self._note("page", self.tr("Peta gagal dimuat."))

    def _on_ready(self) -> None:
        self._page_ready = True
        queued, self._js_queue = self._js_queue, []
        for script in queued:
            self.page.runJavaScript(script)
        self._update_no_tiles_note()
        self.ready.emit()

    def _js(self, script: str, callback=None) -> None:
        if self.page is None:
            return
        if not self._page_ready:
            if callback is None:
                self._js_queue.append(script)
            return
        if callback is None:
            self.page.runJavaScript(script)
        else:
            self.page.runJavaScript(script, 0, callback)

    def run_js(self, script: str, callback=None) -> None:
        """Run a script in the page now (tests, benchmarks). Prefer the methods."""
        if self.page is not None:
            if callback is None:
                self.page.runJavaScript(script)
            else:
                self.page.runJavaScript(script, 0, callback)

    # ------------------------------------------------------------------------- data

    def _request_payload(self) -> None:
        gen, flt, lang = self._gen, self._filter, self._lang

        def job(conn):
            payload = mapdata.marker_payload(conn, flt, lang=lang)
            return payload.as_json(gen), len(payload), payload.without_coords, payload.categories

        self._bridge.submit(
            job, channel=f"map-payload-{id(self)}",
            on_result=lambda r, g=gen: self._on_payload(g, r),
            on_error=lambda e: self._note("data", self.tr("Data peta tidak dapat dibaca: {error}").format(error=e)),
        )  # fmt: skip

    def _on_payload(self, gen: int, result) -> None:
        body, shown, without, cats = result
        if gen != self._gen:
            return
        self._payload = (gen, body)
        self._shown, self._without = shown, without
        if [c for c, _n in cats] != [c for c, _n in self._categories]:
            self._categories = list(cats)
            self._rebuild_category_menu()
        self._update_count()
        waiting, self._waiting = self._waiting, []
        for g, req in waiting:
            if g == gen:
                req.reply(body, "application/json")
            elif g < gen:
                req.fail()
            else:
                self._waiting.append((g, req))
        self._counts_timer.start()

    def _serve_data(self, req) -> None:
        name = req.path.rsplit("/", 1)[-1]
        if name == "reports.json":
            try:
                gen = int(req.query.get("gen", "-1"))
            except ValueError:
                req.fail()
                return
            if self._payload is not None and self._payload[0] == gen:
                req.reply(self._payload[1], "application/json")
            elif gen == self._gen:
                self._waiting.append((gen, req))
            else:
                req.fail()
        elif name == "regions.json":
            if self._regions is not None:
                req.reply(self._regions, "application/json")
            else:
                self._waiting_regions.append(req)
        else:
            req.fail()

    def _request_regions(self) -> None:
        def job(conn):
            fc = mapdata.boundary_collection(conn)
            return mapdata.encode_json(fc), [f["properties"]["code"] for f in fc["features"]]

        self._bridge.submit(job, channel=f"map-regions-{id(self)}", on_result=self._on_regions)

    def _on_regions(self, result) -> None:
        body, codes = result
        first = self._regions is None
        self._regions, self._region_codes = body, codes
        waiting, self._waiting_regions = self._waiting_regions, []
        for req in waiting:
            req.reply(body, "application/json")
        if not first:
            self._js(f"PoskoMap.setRegions({body.decode()})")
        self._update_no_tiles_note()
        self._counts_timer.start()

    def _refresh_counts(self) -> None:
        if not self._region_codes or self._bridge is None:
            return
        codes, flt = list(self._region_codes), self._filter
        self._bridge.submit(
            mapdata.region_counts, codes, flt, channel=f"map-counts-{id(self)}",
            on_result=lambda counts: self._js(
                f"PoskoMap.setCounts({mapdata.encode_json(counts).decode()})"
            ),
        )  # fmt: skip

    def _update_count(self) -> None:
        text = self.tr("%Ln laporan di peta", "", self._shown)
        if self._without:
            text += " · " + self.tr("%Ln tanpa koordinat", "", self._without)
        self.count_label.setText(text)
        self.count_label.setToolTip(
            self.tr("Laporan tanpa koordinat tidak tampil di peta; lihat antrean.")
            if self._without else ""
        )  # fmt: skip

    def _update_no_tiles_note(self) -> None:
        has_tiles = bool(getattr(self, "_tile_config", None))
        has_regions = bool(self._region_codes)
        if has_tiles or has_regions or self._base_error:
            self._note("empty", "")
        else:
            self._note("empty", self.tr(
                "Tanpa peta dasar: buka berkas MBTiles atau impor batas wilayah (menu Peta dasar)."
            ))  # fmt: skip

    # ------------------------------------------------------------------- public API

    def set_filter(self, flt: QueueFilter | None) -> None:
        """Show the reports ``flt`` matches (None: all). Free-text search is not applied
        to the map. Reloads the markers, not the page."""
        if flt == self._filter:
            return
        self._filter = flt
        self._gen += 1
        self._payload = None
        if self._started:
            self._request_payload()
            self._js(f"PoskoMap.reload({self._gen})")

    def current_filter(self) -> QueueFilter | None:
        return self._filter

    def reload(self) -> None:
        """Read every marker again (F5)."""
        self._gen += 1
        self._payload = None
        if self._started:
            self._request_payload()
            self._js(f"PoskoMap.reload({self._gen})")
            self._request_regions()

    def apply_changes(self, report_ids) -> int:
        """Reports were created, changed or removed: update their markers (live, without
        reloading the page). Calls within one event-loop turn are batched. Returns the
        delta token the ``painted("delta", token, n)`` signal will carry."""
        ids = {i for i in (report_ids or ()) if isinstance(i, str)}
        if not ids or not self._started:
            return 0
        self._pending_ids |= ids
        if not self._next_token:
            self._next_token = next(self._tokens)
            self.delta_started[self._next_token] = time.perf_counter()
        if not self._delta_timer.isActive():
            self._delta_timer.start()
        return self._next_token

    def _flush_deltas(self) -> None:
        ids, self._pending_ids = sorted(self._pending_ids), set()
        token, self._next_token = self._next_token, 0
        gen, flt, lang = self._gen, self._filter, self._lang
        if not ids:
            return

        def done(delta: dict) -> None:
            self._js(f"PoskoMap.applyDelta({mapdata.encode_json(delta).decode()}, {gen}, {token})")
            cats = [tuple(c) for c in delta["cats"]]
            if [c for c, _n in cats] != [c for c, _n in self._categories]:
                self._categories = cats
                self._rebuild_category_menu()

        self._bridge.submit(mapdata.marker_delta, ids, flt, lang=lang, on_result=done)
        self._counts_timer.start()

    def remove_reports(self, report_ids) -> None:
        """Reports were deleted: same as :meth:`apply_changes` (missing ones go)."""
        self.apply_changes(report_ids)

    def select_report(self, report_id: str | None) -> None:
        """Ring this report's marker and pan to it if it is off screen (None: clear); a
        note says why when it is not drawn (see map_selection.py)."""
        self.selection.select(report_id)

    def show_report(self, row) -> None:
        """Queue selection (a QueueRow or None): ring its marker (compatible slot)."""
        self.select_report(getattr(row, "id", None) if row is not None else None)

    def start_area(self, kind: str = "rect") -> None:
        """Start drawing an area on the map: ``rect`` or ``polygon``."""
        if kind not in ("rect", "polygon"):
            raise ValueError(kind)
        if self.view is not None:
            self.view.setFocus()
        self._js(f"PoskoMap.startDraw('{kind}')")

    def start_pick(self, region_code: str | None = None) -> None:
        """Let the operator click a location (for the intake form): emits
        locationPicked(lat, lon), or pickCancelled on Esc. With ``region_code`` (the
        kelurahan chosen in the form) the map first shows that region (focus.py)."""
        self.start()
        if self.view is not None:
            self.view.setFocus()
        self._js("PoskoMap.startPick()")
        self._note("pick", "")
        if region_code and self._bridge is not None:
            self._bridge.submit(region_focus, region_code, on_result=self._focus_pick)

    def _focus_pick(self, focus) -> None:
        if focus is None:
            return
        self.pick_focus = focus
        self._js("PoskoMap.fitBounds({}, {}, {}, {})".format(*focus.bounds))
        if focus.source in ("parent", "city"):
            self._note("pick", self.tr(
                "Batas kelurahan {name} belum diimpor dan belum ada laporan berkoordinat di "
                "sana: peta menunjukkan perkiraan ({where})."
            ).format(name=focus.name, where=self.tr("kecamatannya") if focus.source == "parent"
                     else self.tr("pusat kota")))  # fmt: skip

    def cancel_pick(self) -> None:
        """The intake form closed: stop picking and remove the picked-location pin."""
        self._note("pick", "")
        self._js("PoskoMap.cancelPick(true); PoskoMap.clearPick()")

    def _on_picked(self, lat: float, lon: float) -> None:
        try:
            lat, lon = validate_lat_lon(lat, lon)
        except ValueError:
            return
        self._note("pick", "")
        self.locationPicked.emit(lat, lon)

    def clear_area(self) -> None:
        """Remove the drawn area (emits areaFilterChanged(None) if there was one)."""
        self._js("PoskoMap.cancelDraw(true); PoskoMap.clearArea()")
        self._area_shown(False)
        if self._area is not None:
            self._area = None
            self.areaFilterChanged.emit(None)

    def set_area(self, area: mapdata.Area | None) -> None:
        """Show ``area`` as the drawn area (e.g. restored from a saved filter); no signal."""
        self._area = area
        self._area_shown(area is not None)
        pts = "null" if area is None else mapdata.encode_json(area.as_json()).decode()
        self._js(f"PoskoMap.setArea({pts})")

    def area(self) -> mapdata.Area | None:
        return self._area

    def set_color_by(self, mode: str) -> None:
        idx = self.color_by.findData(mode)
        if idx < 0:
            raise ValueError(mode)
        self.color_by.setCurrentIndex(idx)

    def set_heat(self, on: bool) -> None:
        self.act_heat.setChecked(bool(on))

    def set_choropleth(self, on: bool) -> None:
        self.act_choropleth.setChecked(bool(on))

    def set_hidden_categories(self, codes) -> None:
        self._hidden = set(codes)
        for code, act in self._category_actions.items():
            act.blockSignals(True)
            act.setChecked(code not in self._hidden)
            act.blockSignals(False)
        self._update_category_button()
        self._options_changed()

    def _options(self) -> dict:
        return {
            "colorBy": self.color_by.currentData() or "priority",
            "heat": self.act_heat.isChecked(),
            "choropleth": self.act_choropleth.isChecked(),
            "hidden": sorted(self._hidden),
        }

    def _options_changed(self) -> None:
        opts = self._options()
        self._store("color_by", opts["colorBy"])
        self._store("heat", opts["heat"])
        self._store("choropleth", opts["choropleth"])
        self._store("hidden_categories", opts["hidden"])
        if opts["choropleth"] and not self._region_codes and self._regions is not None:
            self._note("choropleth", self.tr(
                "Belum ada batas wilayah: impor berkas GeoJSON lewat menu Peta dasar."
            ))  # fmt: skip
        else:
            self._note("choropleth", "")
        self._js(f"PoskoMap.options({mapdata.encode_json(opts).decode()})")
        self.selection.recheck()

    def snapshot_png(self) -> bytes:
        """A PNG of the map as it is on screen now (for shift reports)."""
        widget = self.view if self.view is not None else self
        image = widget.grab().toImage()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        buf.close()
        return bytes(data.data())

    # ------------------------------------------------------------------ page events

    def _on_clicked(self, report_id: str) -> None:
        self._note("select", "")
        self.reportClicked.emit(report_id)

    def _on_area(self, points_json: str) -> None:
        try:
            area = mapdata.Area.from_json(points_json)
        except (ValueError, TypeError):
            self._note(
                "draw", self.tr("Area tidak sah; gambar ulang dengan sedikitnya tiga titik.")
            )
            return
        self._note("draw", "")
        self._area = area
        self._area_shown(True)
        self.areaFilterChanged.emit(area)

    def _area_shown(self, on: bool) -> None:
        self.act_area_clear.setEnabled(on)
        self.area_button.setText(self.tr("Area (aktif)") if on else self.tr("Area"))

    def _on_painted(self, kind: str, token: int, markers: int) -> None:
        if kind == "delta" and markers >= 0:
            self._shown = markers
            self._update_count()
        self.painted.emit(kind, token, markers)
        self.selection.recheck()

    def _on_summaries_wanted(self, req: int, ids: list) -> None:
        lang = self._lang

        def answer(rows: list[dict]) -> None:
            for row in rows:
                try:
                    row["created_local"] = labels.format_local(from_db(row.get("created_at")))
                except (TypeError, ValueError):
                    row["created_local"] = row.get("created_at") or ""
            if self.map_bridge is not None:
                self.map_bridge.summaries.emit(req, mapdata.encode_json(rows).decode())

        self._bridge.submit(mapdata.report_summaries, ids, lang=lang, on_result=answer)

    # ---------------------------------------------------------------------- notes

    def _note(self, key: str, text: str) -> None:
        if text:
            self._notes[key] = text
        else:
            self._notes.pop(key, None)
        joined = "\n".join(self._notes.values())
        if self._bridge is None:
            return
        self.message.setText(joined)
        self.message.setVisible(bool(joined))
        self.messageChanged.emit(joined)

    def notes(self) -> str:
        return "\n".join(self._notes.values())

    # -------------------------------------------------------------------- dialogs

    def _choose_mbtiles(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Buka berkas MBTiles"), "",
            self.tr("MBTiles (*.mbtiles);;Semua berkas (*)"),
        )  # fmt: skip
        if path:
            self.set_mbtiles(path)

    def _edit_online_source(self) -> None:
        dialog = _OnlineSourceDialog(
            self, str(self._setting("online_url") or ""),
            str(self._setting("online_attribution") or ""),
            bool(self._setting("online_enabled")),
        )  # fmt: skip
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_online_source(
                dialog.url.text().strip() or None, dialog.attribution.text().strip(),
                dialog.enabled.isChecked(),
            )  # fmt: skip

    def _choose_geojson(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Impor batas wilayah"), "",
            self.tr("GeoJSON (*.geojson *.json);;Semua berkas (*)"),
        )  # fmt: skip
        if path:
            self.import_boundaries_file(path, show_dialog=True)

    def import_boundaries_file(self, path: Path | str, *, show_dialog: bool = False,
                               on_done=None) -> None:  # fmt: skip
        """Import region boundaries from a GeoJSON file (on the database worker). The
        summary appears above the map (and in a dialog if ``show_dialog``); ``on_done``
        gets the BoundaryImport, or the exception."""
        path = Path(path)

        def job(conn):
            return import_boundaries(conn, path.read_bytes())

        def ok(result: BoundaryImport) -> None:
            text, detail = self._import_summary(result)
            self._note("import", text)
            if not result.issues:  # nothing to act on: let the note go after a while
                QTimer.singleShot(NOTE_MS, self, lambda: self._notes.get("import") == text
                                  and self._note("import", ""))  # fmt: skip
            if show_dialog:
                box = QMessageBox(
                    QMessageBox.Icon.Information if not result.issues else QMessageBox.Icon.Warning,
                    self.tr("Impor batas wilayah"), text, parent=self,
                )  # fmt: skip
                if detail:
                    box.setDetailedText(detail)
                box.open()
            self._request_regions()
            if on_done:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BoundaryFileError):
                reason = {
                    "not_json": self.tr("berkas bukan JSON yang sah."),
                    "not_geojson": self.tr("berkas bukan GeoJSON FeatureCollection."),
                    "too_large": self.tr("berkas terlalu besar."),
                }.get(exc.kind, messages.error_text(exc))
            elif isinstance(exc, OSError):
                reason = self.tr("berkas tidak dapat dibaca ({error}).").format(
                    error=exc.strerror or exc
                )
            else:
                reason = messages.error_text(exc)
            text = self.tr("Batas wilayah tidak diimpor: {reason}").format(reason=reason)
            self._note("import", text)
            if show_dialog:
                QMessageBox.warning(self, self.tr("Impor batas wilayah"), text)
            if on_done:
                on_done(exc)

        self._bridge.submit(job, on_result=ok, on_error=failed)

    def _import_summary(self, result: BoundaryImport) -> tuple[str, str]:
        text = self.tr("{ok} dari {total} batas wilayah diimpor.").format(
            ok=len(result.imported), total=result.total
        )
        if not result.issues:
            return text, ""
        reasons = {
            "no_geometry": self.tr("tanpa geometri"),
            "type": self.tr("jenis geometri tidak didukung (hanya Polygon dan MultiPolygon)"),
            "coordinates": self.tr("koordinat tidak sah"),
            "range": self.tr("koordinat di luar jangkauan"),
            "swapped": self.tr("lintang dan bujur tertukar?"),
            "ring_short": self.tr("poligon kurang dari tiga titik"),
            "self_intersection": self.tr("garis batas berpotongan sendiri"),
            "zero_area": self.tr("luas poligon nol"),
            "too_large": self.tr("terlalu banyak titik"),
            "no_region": self.tr("wilayah tidak dikenal"),
            "ambiguous": self.tr("nama wilayah ganda; tambahkan nama kecamatan atau kode"),
            "not_feature": self.tr("bukan Feature GeoJSON"),
            "duplicate": self.tr("wilayah ini sudah ada di berkas"),
        }
        text += " " + self.tr("%n fitur dilewati; lihat rinciannya.", "", len(result.issues))
        lines = []
        for issue in result.issues[:200]:
            reason = reasons.get(issue.reason, issue.reason)
            lines.append(
                self.tr("Fitur {index} ({label}): {reason}").format(
                    index=issue.index, label=issue.label or "—", reason=reason
                )
            )
        if len(result.issues) > 200:
            lines.append(self.tr("… dan {n} lainnya").format(n=len(result.issues) - 200))
        return text, "\n".join(lines)

    def _save_snapshot(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("Simpan gambar peta"), "peta.png", self.tr("Gambar PNG (*.png)")
        )
        if not path:
            return
        try:
            Path(path).write_bytes(self.snapshot_png())
        except OSError as exc:
            QMessageBox.warning(
                self, self.tr("Simpan gambar peta"),
                self.tr("Gambar peta tidak dapat disimpan: {error}").format(error=exc.strerror or exc),
            )  # fmt: skip
