"""The shift report's map drawn from data (console/map/render.py, console/export/map_image.py):
pixels where reports project, the chosen region only, the base map from MBTiles, the
kelurahan focus for picking, and the headless ``posko export shift`` PDF carrying it."""

from __future__ import annotations

import argparse
import io
import json
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from map_helpers import add_report, make_mbtiles, png_bytes
from PIL import Image

from console.export.map_image import shift_map
from console.map.boundaries import import_boundaries
from console.map.focus import region_focus
from console.map.render import MapPoint, Projection, _world, render_png
from console.palette import PRIORITY_COLORS

P1 = tuple(int(PRIORITY_COLORS[1][i:i + 2], 16) for i in (1, 3, 5))
P4 = tuple(int(PRIORITY_COLORS[4][i:i + 2], 16) for i in (1, 3, 5))
EXTENT = (-6.95, 107.55, -6.88, 107.66)
SIZE = (800, 500)


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _near(img: Image.Image, x: float, y: float, colour, r: int = 2) -> bool:
    """The colour is at (x, y) or within r pixels (the dot's centre pixel)."""
    return any(img.getpixel((round(x) + dx, round(y) + dy)) == colour
               for dx in range(-r, r + 1) for dy in range(-r, r + 1))


def test_points_land_where_they_project_in_their_priority_colour():
    p1, p4 = MapPoint(-6.91, 107.60, 1), MapPoint(-6.93, 107.63, 4)
    png, drawn = render_png([p4, p1], EXTENT, size=SIZE)
    img = _image(png)
    assert img.size == SIZE and drawn == 2
    proj = Projection.fit(EXTENT, *SIZE)
    assert _near(img, *proj.pixel(p1.lat, p1.lon), P1)
    assert _near(img, *proj.pixel(p4.lat, p4.lon), P4)
    assert not _near(img, *proj.pixel(p1.lat, p1.lon), P4)
    # Where no report is there is no marker colour at all.
    assert not _near(img, *proj.pixel(-6.945, 107.56), P1, r=6)


def test_p1_is_drawn_on_top_of_a_lower_priority_at_the_same_spot():
    spot = (-6.915, 107.605)
    png, _n = render_png([MapPoint(*spot, 1), MapPoint(*spot, 3)], EXTENT, size=SIZE)
    proj = Projection.fit(EXTENT, *SIZE)
    assert _near(_image(png), *proj.pixel(*spot), P1, r=0)


def test_base_map_comes_from_the_local_mbtiles(tmp_path):
    from console.map.mbtiles import MBTilesReader

    green = (40, 160, 90)
    path = tmp_path / "base.mbtiles"
    tiles = {}
    for z in (12, 13):
        n = 1 << z
        x0, y0 = (int(v * n) for v in _world(EXTENT[2], EXTENT[1]))
        x1, y1 = (int(v * n) for v in _world(EXTENT[0], EXTENT[3]))
        tiles.update({(z, x, y): png_bytes(green) for x in range(x0 - 2, x1 + 3)
                      for y in range(y0 - 2, y1 + 3)})
    make_mbtiles(path, tiles, extra_meta={"attribution": "© Uji"})
    reader = MBTilesReader(path)
    try:
        png, _n = render_png([], EXTENT, size=SIZE, tiles=reader)
    finally:
        reader.close()
    img = _image(png)
    assert img.getpixel((SIZE[0] // 2, SIZE[1] // 2)) == green
    plain, _n = render_png([], EXTENT, size=SIZE)
    assert _image(plain).getpixel((SIZE[0] // 2, SIZE[1] // 2)) != green


def _window():
    start = datetime.now(UTC) - timedelta(hours=6)
    return start, start + timedelta(hours=12)


def _kecamatan(conn, n: int = 2) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT code FROM region WHERE level = 'kecamatan' AND parent_code = '3273' "
        "ORDER BY code LIMIT ?", (n,))]


def test_shift_map_shows_the_regions_reports_only(conn):
    kec_a, kec_b = _kecamatan(conn)
    add_report(conn, 1, -6.910, 107.600, priority=1, region=kec_a)
    add_report(conn, 2, -6.920, 107.610, priority=2, region=kec_a)
    add_report(conn, 3, -6.915, 107.606, priority=1, region=kec_b)   # another region
    add_report(conn, 4, None, None, priority=1, region=kec_a)         # no coordinates
    conn.commit()
    start, end = _window()
    result = shift_map(conn, start, end, kec_a)
    assert (result.drawn, result.without_coords, result.basemap) == (2, 1, False)
    img = _image(result.png)
    # The same fit as the module: the extent of kec_a's reports (home_bounds).
    from console.export.map_image import SIZE as MAP_SIZE
    from console.map.data import home_bounds

    proj = Projection.fit(home_bounds([-6.910, -6.920], [107.600, 107.610], [kec_a] * 2),
                          *MAP_SIZE)
    assert _near(img, *proj.pixel(-6.910, 107.600), P1)
    x, y = proj.pixel(-6.915, 107.606)
    assert proj.inside(x, y)  # it would be in the picture …
    assert not _near(img, x, y, P1, r=4)  # … but it is filed under another region
    everything = shift_map(conn, start, end, None)
    assert everything.drawn == 3


def _square(lon: float, lat: float, d: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d],
                                                [lon, lat + d], [lon, lat]]]}


def test_shift_map_is_fitted_to_the_imported_region_boundary(conn):
    (kec,) = _kecamatan(conn, 1)
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": kec}, "geometry": _square(107.58, -6.94, 0.04)}]}
    assert [c for c, _n, _l in import_boundaries(conn, json.dumps(doc)).imported] == [kec]
    add_report(conn, 1, -6.92, 107.60, priority=1, region=kec)
    conn.commit()
    result = shift_map(conn, *_window(), kec)
    from console.export.map_image import SIZE as MAP_SIZE

    proj = Projection.fit((-6.94, 107.58, -6.90, 107.62), *MAP_SIZE)
    img = _image(result.png)
    assert _near(img, *proj.pixel(-6.92, 107.60), P1)
    # The boundary's west edge is drawn (dark), halfway up.
    x, y = proj.pixel(-6.92, 107.58)
    assert any(sum(img.getpixel((round(x) + dx, round(y)))) < 300 for dx in range(-3, 4))


def test_nothing_to_place_means_no_map(conn):
    (kec,) = _kecamatan(conn, 1)
    add_report(conn, 1, None, None, region=kec)
    conn.commit()
    assert shift_map(conn, *_window(), kec) is None


def test_pick_focus_boundary_then_earlier_reports_then_city(conn):
    kel, kel2 = [r[0] for r in conn.execute(
        "SELECT code FROM region WHERE level = 'kelurahan' AND code LIKE '3273-%' "
        "ORDER BY code LIMIT 2")]
    focus = region_focus(conn, kel)
    assert focus.source == "city"  # areaid has no coordinates below the kota
    s, w, n, e = focus.bounds
    assert s < -6.9147 < n and w < 107.6098 < e
    add_report(conn, 1, -6.901, 107.611, region=kel)
    add_report(conn, 2, -6.903, 107.613, region=kel)
    focus = region_focus(conn, kel)
    assert focus.source == "reports"
    s, w, n, e = focus.bounds
    assert s <= -6.903 and n >= -6.901 and w <= 107.611 and e >= 107.613 and n - s < 0.01
    conn.commit()
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": kel2}, "geometry": _square(107.62, -6.93, 0.01)}]}
    import_boundaries(conn, json.dumps(doc))
    focus = region_focus(conn, kel2)
    assert focus.source == "boundary"
    assert focus.bounds == pytest.approx((-6.93, 107.62, -6.92, 107.63))
    assert region_focus(conn, None) is None and region_focus(conn, "nope") is None


def test_headless_export_pdf_carries_a_map_drawn_from_data(db, conn, tmp_path, capsys):
    from console.export.cli import add_export_parser

    (kec,) = _kecamatan(conn, 1)
    add_report(conn, 1, -6.910, 107.600, priority=1, region=kec)
    add_report(conn, 2, -6.930, 107.620, priority=4, region=kec)
    add_report(conn, 3, None, None, priority=2, region=kec)
    conn.commit()
    parser = argparse.ArgumentParser(prog="posko")
    add_export_parser(parser.add_subparsers(dest="command"))
    start, end = _window()
    out = tmp_path / "shift.pdf"
    args = parser.parse_args([
        "export", "shift", "--data-dir", str(db.path.parent), "--from", start.isoformat(),
        "--to", end.isoformat(), "--region", kec, "--out", str(out)])
    assert args.func(args) == 0, capsys.readouterr().err
    reader = pypdf.PdfReader(out)
    images = [im for page in reader.pages for im in page.images]
    assert images, "the PDF has no map image"
    img = images[0].image.convert("RGB")
    colours = {c for _n, c in img.getcolors(maxcolors=1 << 24)}
    assert P1 in colours and P4 in colours
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Peta sebaran laporan" in text
    assert "2 laporan dalam periode dan wilayah ini di peta" in text
    assert "1 laporan tanpa koordinat tidak tampil di peta." in text
