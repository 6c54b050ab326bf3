"""The map panel in QtWebEngine (offscreen): offline loading, two-way selection, live
deltas, tiles, escaping, areas, snapshot."""

from __future__ import annotations

import json

import pytest
from map_helpers import (
    BANDUNG,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    add_report,
    grid_position,
    make_mbtiles,
    png_bytes,
    report_id,
)
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from console.map.data import Area
from console.store.queue import QueueFilter

pytestmark = pytest.mark.usefixtures("filled")


def mouse(widget, kind, pos: QPoint, button=Qt.MouseButton.LeftButton, buttons=None):
    types = {"press": QEvent.Type.MouseButtonPress, "release": QEvent.Type.MouseButtonRelease,
             "move": QEvent.Type.MouseMove}  # fmt: skip
    if buttons is None:
        buttons = button if kind != "release" else Qt.MouseButton.NoButton
    event = QMouseEvent(
        types[kind], QPointF(pos), QPointF(widget.mapToGlobal(pos)),
        button if kind != "move" else Qt.MouseButton.NoButton, buttons,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def input_widget(panel):
    return panel.view.focusProxy() or panel.view


def test_page_loads_offline_with_markers(make_panel, js, filled, qtbot):
    panel = make_panel()
    page = js(panel)
    stats = page("PoskoMap.stats()")
    assert stats["count"] == filled["with_coords"]
    assert stats["points"] + stats["inClusters"] > 0
    assert panel.count_label.text() == "42 laporan di peta · 2 tanpa koordinat"
    # Every request the page made stayed on posko:// (the guard records them all).
    seen = list(panel.guard.seen)
    assert any(u.endswith("/assets/leaflet/leaflet.js") for u in seen)
    assert any("/data/reports.json" in u for u in seen)
    assert all(u.startswith("posko://map/") for u in seen), seen
    assert panel.guard.blocked == []
    # No tiles, no boundaries: the operator is told, the map still works.
    assert "Tanpa peta dasar" in panel.notes()
    assert page("document.querySelector('.leaflet-container').classList.contains('pk-no-tiles')")
    assert not [c for c in panel.page.console if c[0] >= 2], panel.page.console  # no errors
    # Anything remote is refused by the page's Content-Security-Policy before a request
    # exists; the guard would block what got past it.
    page.run(
        "fetch('http://127.0.0.1:9/x').catch(() => 0); new Image().src = 'https://example.org/t.png';"
    )
    qtbot.waitUntil(lambda: sum("Content Security Policy" in c[1] for c in panel.page.console) >= 2,
                    timeout=5000)  # fmt: skip
    assert all(u.startswith("posko://map/") for u in panel.guard.seen)


class _FakeInfo:
    def __init__(self, url):
        self.url = QUrl(url)
        self.blocked = False

    def requestUrl(self):  # noqa: N802
        return self.url

    def block(self, on):
        self.blocked = on


def test_request_guard_blocks_everything_but_posko():
    from console.views.map_scheme import MapRequestGuard

    guard = MapRequestGuard()
    verdicts = {}
    for url in (
        "posko://map/index.html",
        "data:image/png;base64,AA==",
        "https://cdn.example/x.js",
        "http://127.0.0.1:8080/t.png",
        "file:///etc/passwd",
        "ws://127.0.0.1/",
    ):
        info = _FakeInfo(url)
        guard.interceptRequest(info)
        verdicts[url] = info.blocked
    assert [u for u, blocked in verdicts.items() if not blocked] == [
        "posko://map/index.html",
        "data:image/png;base64,AA==",
    ]
    assert len(guard.seen) == 6 and len(guard.blocked) == 4


def test_marker_click_selects_and_queue_selection_pans(make_panel, js, qtbot):
    panel = make_panel()
    page = js(panel)
    target = report_id(5)
    lat, lon = grid_position(5)
    page(f"PoskoMap.setView({lat}, {lon}, 18)")
    qtbot.waitUntil(lambda: page("PoskoMap.stats().zoom") == 18)
    x, y = page(f"PoskoMap.screenPoint('{target}')")
    assert page(f"PoskoMap.itemAt({x}, {y})") == {"kind": "point", "id": target}
    # A real mouse click on the marker's pixel.
    widget = input_widget(panel)
    with qtbot.waitSignal(panel.reportClicked, timeout=5000) as blocker:
        mouse(widget, "press", QPoint(round(x), round(y)))
        mouse(widget, "release", QPoint(round(x), round(y)))
    assert blocker.args == [target]
    assert page("PoskoMap.stats().selected") == target
    page.wait_true("!!document.querySelector('.pk-popup .pk-ticket')")
    assert page("document.querySelector('.pk-popup .pk-ticket').textContent") == "BDG-TEST-00005"

    # The queue selects another report far away: the map pans there and rings it.
    other = report_id(202)
    page(f"PoskoMap.setView({BANDUNG[0] + 0.05}, {BANDUNG[1] + 0.05}, 16)")
    panel.select_report(other)
    qtbot.waitUntil(lambda: page("PoskoMap.stats().selected") == other)
    x, y = page(f"PoskoMap.screenPoint('{other}')")
    assert 0 < x < panel.view.width() and 0 < y < panel.view.height()
    # A report without coordinates cannot be shown: said, not silently ignored.
    with qtbot.waitSignal(panel.messageChanged, timeout=5000):
        panel.select_report(report_id(101))
    assert "tidak tampil di peta" in panel.notes()
    panel.show_report(None)
    qtbot.waitUntil(lambda: page("PoskoMap.stats().selected") is None)


def test_live_deltas_add_change_and_remove(make_panel, js, conn, qtbot):
    panel = make_panel(flt=QueueFilter.open_queue())
    page = js(panel)
    before = page("PoskoMap.stats().count")
    reloads = len([u for u in panel.guard.seen if u.endswith("index.html")])

    new = add_report(conn, 500, BANDUNG[0] + 0.001, BANDUNG[1] + 0.001, title="Banjir baru")
    conn.commit()
    with qtbot.waitSignal(panel.painted, timeout=10_000,
                          check_params_cb=lambda kind, *_: kind == "delta") as blocker:  # fmt: skip
        token = panel.apply_changes([new])
    assert blocker.args == ["delta", token, before + 1]
    assert page(f"PoskoMap.has('{new}')")

    # Closed: no longer in the open queue, so it leaves the map; moved: follows.
    conn.execute("UPDATE report SET status = 'closed' WHERE id = ?", (new,))
    conn.execute("UPDATE report SET lat = lat + 0.01 WHERE id = ?", (report_id(1),))
    conn.commit()
    old_point = page(f"PoskoMap.screenPoint('{report_id(1)}')")
    with qtbot.waitSignal(panel.painted, timeout=10_000,
                          check_params_cb=lambda kind, *_: kind == "delta"):  # fmt: skip
        panel.apply_changes([new, report_id(1)])
    assert not page(f"PoskoMap.has('{new}')")
    assert page(f"PoskoMap.screenPoint('{report_id(1)}')") != old_point
    assert page("PoskoMap.stats().count") == before
    assert panel.count_label.text().startswith(f"{before} laporan")
    # Never a page reload.
    assert len([u for u in panel.guard.seen if u.endswith("index.html")]) == reloads


def test_filter_change_reloads_markers_not_the_page(make_panel, js, qtbot):
    panel = make_panel()
    page = js(panel)
    with qtbot.waitSignal(panel.painted, timeout=10_000,
                          check_params_cb=lambda kind, gen, n: kind == "load" and gen == 1):  # fmt: skip
        panel.set_filter(QueueFilter(priorities=(1,)))
    p1 = len([n for n in range(1, 41) if 1 + n % 4 == 1]) + 2  # + the two hostile ones
    assert page("PoskoMap.stats().count") == p1
    assert len([u for u in panel.guard.seen if u.endswith("index.html")]) == 1


def test_report_text_is_escaped_in_popups_and_tooltips(make_panel, js, qtbot):
    panel = make_panel()
    page = js(panel)
    before_scripts = page("document.scripts.length")
    for rid, title in ((report_id(201), HOSTILE_IMG), (report_id(202), HOSTILE_SCRIPT)):
        assert page(f"PoskoMap.clickReport('{rid}')")
        page.wait_true("(document.querySelector('.pk-popup .pk-title') || {}).textContent === "
                       + json.dumps(title))  # fmt: skip
        assert page("document.querySelector('.pk-popup .pk-title').textContent") == title
        assert page("document.querySelectorAll('.pk-popup img, .pk-popup script').length") == 0
    # The hover tooltip builds text nodes the same way.
    page(f"PoskoMap.setView({BANDUNG[0] + 0.03}, {BANDUNG[1] + 0.03}, 18)")
    x, y = page(f"PoskoMap.screenPoint('{report_id(201)}')")
    mouse(input_widget(panel), "move", QPoint(round(x), round(y)))
    page.wait_true("!!document.querySelector('.pk-tooltip .pk-title')")
    assert page("document.querySelector('.pk-tooltip .pk-title').textContent") == HOSTILE_IMG
    qtbot.wait(300)  # give a would-be onerror handler time to fire
    assert page("typeof window.__pwned") == "undefined"
    assert page("document.scripts.length") == before_scripts
    assert not [u for u in panel.guard.seen if u.rstrip("/").endswith("/x")]


def test_drawn_rectangle_becomes_an_area_filter(make_panel, js, qtbot):
    panel = make_panel()
    page = js(panel)
    page(f"PoskoMap.setView({BANDUNG[0]}, {BANDUNG[1]}, 15)")
    qtbot.waitUntil(lambda: page("PoskoMap.stats().zoom") == 15)
    panel.start_area("rect")
    qtbot.waitUntil(lambda: page("PoskoMap.stats().drawing") == "rect")
    widget = input_widget(panel)
    a, b = QPoint(300, 200), QPoint(600, 450)
    with qtbot.waitSignal(panel.areaFilterChanged, timeout=5000) as blocker:
        mouse(widget, "press", a)
        for t in (0.25, 0.5, 0.75, 1.0):
            p = a + (b - a) * t
            mouse(widget, "move", p, buttons=Qt.MouseButton.LeftButton)
        mouse(widget, "release", b)
    area = blocker.args[0]
    assert isinstance(area, Area) and len(area.points) == 4
    south, west, north, east = area.bbox()
    assert south < BANDUNG[0] < north and west < BANDUNG[1] < east
    assert page("PoskoMap.stats().area") is True
    with qtbot.waitSignal(panel.areaFilterChanged, timeout=5000) as cleared:
        panel.clear_area()
    assert cleared.args == [None]
    assert page("PoskoMap.stats().area") is False

    # Polygon: clicks add vertices, Enter finishes.
    panel.start_area("polygon")
    qtbot.waitUntil(lambda: page("PoskoMap.stats().drawing") == "polygon")
    with qtbot.waitSignal(panel.areaFilterChanged, timeout=5000) as poly:
        for p in (QPoint(300, 200), QPoint(600, 220), QPoint(450, 450)):
            mouse(widget, "press", p)
            mouse(widget, "release", p)
            qtbot.wait(400)  # slower than a double click
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert len(poly.args[0].points) == 3


def test_picking_a_location_for_intake(make_panel, js, qtbot):
    panel = make_panel()
    page = js(panel)
    panel.start_pick()
    qtbot.waitUntil(lambda: page("PoskoMap.stats().drawing") == "pick")
    expected = page("PoskoMap.latLngAt(450, 320)")
    widget = input_widget(panel)
    with qtbot.waitSignal(panel.locationPicked, timeout=5000) as picked:
        mouse(widget, "press", QPoint(450, 320))
        mouse(widget, "release", QPoint(450, 320))
    assert picked.args == pytest.approx(expected, abs=1e-5)
    assert page("PoskoMap.stats().drawing") is None
    panel.start_pick()
    qtbot.waitUntil(lambda: page("PoskoMap.stats().drawing") == "pick")
    with qtbot.waitSignal(panel.pickCancelled, timeout=5000):
        qtbot.keyClick(widget, Qt.Key.Key_Escape)


def test_mbtiles_tile_is_served_and_broken_file_is_explained(make_panel, js, ui_settings,
                                                             tmp_path, qtbot):  # fmt: skip
    tiles = {(z, x, y): png_bytes((40, 160, 90)) for z in (12, 13)
             for x in range(1 << z) if abs(x - ((107.61 + 180) / 360 * (1 << z))) < 3
             for y in range(1 << z) if abs(y - 0.5174 * (1 << z)) < 3}  # fmt: skip
    good = tmp_path / "bandung.mbtiles"
    make_mbtiles(good, tiles, extra_meta={"attribution": "<b>Peta</b> uji", "maxzoom": "13"})
    ui_settings.setValue("map/mbtiles", str(good))
    panel = make_panel()
    page = js(panel)
    assert page("PoskoMap.stats().tiles") == 1
    z, x, y = next(iter(tiles))
    size = page.await_(f"fetch('posko://map/tiles/base/{z}/{x}/{y}').then(r => r.arrayBuffer())"
                       ".then(b => b.byteLength)")  # fmt: skip
    assert size == len(png_bytes((40, 160, 90)))
    assert page.await_("fetch('posko://map/tiles/base/3/0/0').then(r => r.status)") != 200
    # Leaflet itself asked for tiles of the view, through the scheme - of the city's view
    # only: the tiles come after the first view is known, not for folium's Indonesia (z 5)
    qtbot.waitUntil(lambda: any("/tiles/base/" in u for u in panel.guard.seen), timeout=10_000)
    zooms = {int(u.split("/tiles/base/")[1].split("/")[0]) for u in panel.guard.seen
             if "/tiles/base/" in u and "/tiles/base/3/0/0" not in u}
    assert zooms and min(zooms) >= 10, sorted(zooms)
    # The attribution is shown as text, not HTML.
    assert page("document.querySelector('.leaflet-control-attribution').textContent").endswith(
        "<b>Peta</b> uji"
    )
    assert "Tanpa peta dasar" not in panel.notes()

    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"PK\x03\x04 this is a zip file, not MBTiles" * 50)
    assert panel.set_mbtiles(broken) is False
    assert "bukan berkas MBTiles" in panel.notes()
    page.wait_true("PoskoMap.stats().tiles === 0")
    assert page("PoskoMap.stats().count") > 0  # the markers are all still there


def test_online_tiles_are_fetched_by_python_and_cached(make_panel, js, tile_server, qtbot,
                                                       tmp_path):  # fmt: skip
    panel = make_panel()
    page = js(panel)
    panel.set_online_source(tile_server.url, "© Uji Daring")
    page.wait_true("PoskoMap.stats().tiles === 1")
    qtbot.waitUntil(lambda: panel.tiles is not None and panel.tiles.fetched > 0, timeout=15_000)
    assert "© Uji Daring" in page(
        "document.querySelector('.leaflet-control-attribution').textContent"
    )
    # The page only ever asked posko://; the tile server saw Python's polite requests.
    assert all(u.startswith("posko://") for u in panel.guard.seen)
    assert all(agent.startswith("Posko/") for _path, agent in tile_server.requests)
    assert (tmp_path / "cache" / "tile-cache.mbtiles").exists()


def test_boundaries_import_draws_regions_and_counts(make_panel, js, conn, filled, tmp_path, qtbot):
    panel = make_panel()
    page = js(panel)
    kec0, kec1 = filled["kecamatan"]
    lat, lon = BANDUNG
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": kec0},
         "geometry": {"type": "Polygon", "coordinates": [[[lon - 0.02, lat - 0.02], [lon, lat - 0.02],
                                                          [lon, lat + 0.02], [lon - 0.02, lat + 0.02]]]}},
        {"type": "Feature", "properties": {"code": kec1},
         "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 1, lat + 1], [lon + 1, lat],
                                                          [lon, lat + 1], [lon, lat]]]}},
    ]}  # fmt: skip
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(doc))
    results = []
    panel.import_boundaries_file(path, on_done=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert [c for c, _n, _l in results[0].imported] == [kec0]
    assert "1 dari 2 batas wilayah diimpor" in panel.notes()
    page.wait_true("PoskoMap.stats().regions.length === 1")
    panel.set_choropleth(True)
    page.wait_true("document.querySelectorAll('.pk-legend .pk-square').length > 0", timeout=15_000)
    assert page("PoskoMap.stats().regionFeatures") == 1

    bad = tmp_path / "rusak.geojson"
    bad.write_text("{not json")
    panel.import_boundaries_file(bad, on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10_000)
    assert "bukan JSON" in panel.notes()


def test_options_heat_categories_and_snapshot(make_panel, js, ui_settings, qtbot):
    panel = make_panel()
    page = js(panel)
    total = page("PoskoMap.stats().count")
    panel.set_color_by("status")
    panel.set_heat(True)
    page.wait_true("PoskoMap.stats().heat === true")
    assert page("document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1
    panel.set_heat(False)
    page.wait_true("PoskoMap.stats().heat === false")
    assert page("PoskoMap.stats().shown") == total
    panel.set_hidden_categories({"banjir"})
    banjir = len([n for n in range(1, 41) if n % 2]) + 2  # populate(): odd n, and 201/202
    page.wait_true(f"PoskoMap.stats().shown === {total - banjir}")
    assert page("PoskoMap.stats().count") == total  # hidden, not removed
    assert ui_settings.value("map/color_by") == "status"
    assert panel.category_button.text() == "Kategori (1 disembunyikan)"
    png = panel.snapshot_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_panel_without_bridge_is_the_old_placeholder(qtbot):
    from console.views.map_panel import MapPanel

    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_report(None)
    panel.select_report("x")
    assert panel.view is None
    assert "belum tersedia" in panel.message.text()
