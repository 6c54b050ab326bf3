"""The shift report's map, drawn from the report's own data: the reports created in the
window inside the chosen region, coloured by priority, over the region's boundary (when
imported) and the local base map (when an MBTiles file is given). No Qt, no screen: the
console's export dialog and the headless ``posko export shift`` make the same map.

The view is the region's boundary when it has one (or the boundaries of the regions
below it); otherwise where the window's reports are (1st–99th percentile, so one
mistyped coordinate does not shrink the city to a dot). Reports filed under another
region are not drawn, wherever their coordinates are.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from console.map.boundaries import geometry_bounds
from console.map.data import home_bounds
from console.map.render import MapPoint, render_png
from console.store.report_queries import region_filter
from console.store.timefmt import to_db

log = logging.getLogger(__name__)

__all__ = ["ShiftMap", "shift_map"]

SIZE = (1600, 1000)
MAX_POINTS = 200_000  # a shift report never holds more; bounds the memory of one export


@dataclass(frozen=True)
class ShiftMap:
    png: bytes
    drawn: int           # reports drawn on the map
    without_coords: int  # reports of the window that have no coordinates
    basemap: bool        # tiles from the MBTiles file were drawn


def _boundaries(conn: sqlite3.Connection, region: str | None) -> list[dict]:
    """The region's own boundary, else those of the regions directly below it that have
    one (a kota with only its kecamatan imported). Nothing without a region."""
    if not region:
        return []
    rows = conn.execute(
        "SELECT boundary_geojson FROM region WHERE code = ? AND boundary_geojson IS NOT NULL",
        (region,)).fetchall()
    if not rows:
        rows = conn.execute(
            "SELECT boundary_geojson FROM region WHERE parent_code = ? "
            "AND boundary_geojson IS NOT NULL ORDER BY code", (region,)).fetchall()
    out = []
    for (text,) in rows:
        try:
            out.append(json.loads(text))
        except ValueError:
            continue  # written by boundaries.import_boundaries, so only if edited by hand
    return out


def _open_tiles(path: Path | str | None):
    if not path:
        return None
    from console.map.mbtiles import MBTilesError, MBTilesReader

    try:
        return MBTilesReader(path)
    except MBTilesError as exc:
        # No base map is still a useful map; the reports and the boundary are what count.
        log.warning("shift map without base map: %s", exc)
        return None


def shift_map(conn: sqlite3.Connection, start, end, region: str | None, *,
              mbtiles: Path | str | None = None, north: str = "U") -> ShiftMap | None:
    """The map of the reports created in [start, end) under ``region``; None when there is
    nothing to place (no report with coordinates and no boundary)."""
    where, params = region_filter(region)
    rows = conn.execute(
        "SELECT r.lat, r.lon, r.priority, r.region_code FROM report r "
        "WHERE r.created_at >= ? AND r.created_at < ?" + where,
        (to_db(start.astimezone(UTC)), to_db(end.astimezone(UTC)), *params)).fetchall()
    points, regions, without = [], [], 0
    for lat, lon, priority, code in rows:
        if lat is None or lon is None:
            without += 1
        elif len(points) < MAX_POINTS:
            points.append(MapPoint(lat, lon, priority or 4))
            regions.append(code)
    shapes = _boundaries(conn, region)
    extent = None
    if shapes:
        boxes = [geometry_bounds(g) for g in shapes]
        extent = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                  max(b[2] for b in boxes), max(b[3] for b in boxes))
    elif points:
        extent = home_bounds([p.lat for p in points], [p.lon for p in points], regions)
    if extent is None:
        return None
    tiles = _open_tiles(mbtiles)
    try:
        png, drawn = render_png(points, extent, size=SIZE, boundaries=shapes, tiles=tiles,
                                north=north)
        basemap = tiles is not None
    finally:
        if tiles is not None:
            tiles.close()
    return ShiftMap(png, drawn, without, basemap)
