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
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from console.domain.geo import validate_lat_lon
from console.map import data as mapdata
from console.map.boundaries import BoundaryImport
from console.map.focus import region_focus
from console.map.page import PAGE_URL, build_page
from console.map.tiles import TileService
from console.palette import PRIORITY_COLORS, STATUS_COLORS
from console.store.queue import ALL_STATUSES, QueueFilter
from console.store.timefmt import from_db
from console.views import labels, map_scheme

# Importing map_scheme registers posko:// with QtWebEngine, which must happen before the
# QApplication exists; main_window imports this module at start-up, so it does.
from console.views import settings as prefs
from console.views.map_dialogs import MapDialogs
from console.views.map_selection import MapSelection
from console.views.map_tiles import MapTiles
from console.views.map_toolbar import MapToolbar

log = logging.getLogger(__name__)

__all__ = ["MapPanel"]

COUNTS_DEBOUNCE_MS = 800
_DEFAULT = object()


class MapPanel(MapToolbar, MapTiles, MapDialogs, QWidget):
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
