"""Where on the map a region is, for centring the map when the operator picks a location
for a report in a chosen kelurahan. Plain function over ``sqlite3``; no Qt.

``areaid`` gives kelurahan names and postal codes but no coordinates, and Posko never
invents them (see ``console/store/regions.py``). So, best first:

1. ``boundary`` — the region's imported boundary (Peta dasar → Impor batas wilayah);
2. ``reports`` — where earlier reports filed under that kelurahan were placed (the
   middle 90 % of them, so one mistyped coordinate does not widen the view);
3. ``parent`` — the same two for its kecamatan;
4. ``city`` — the centre of its kota (the only region with a stored point).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from console.map.boundaries import geometry_bounds

__all__ = ["Focus", "region_focus"]

_MIN_SPAN = 0.004  # degrees (~450 m): a single earlier report still gives a street view
_CITY_SPAN = 0.06


@dataclass(frozen=True)
class Focus:
    bounds: tuple[float, float, float, float]  # south, west, north, east
    source: str  # boundary | reports | parent | city
    name: str


def _pad(south: float, west: float, north: float, east: float, span: float):
    cy, cx = (south + north) / 2, (west + east) / 2
    half_lat, half_lon = max(north - south, span) / 2, max(east - west, span) / 2
    return cy - half_lat, cx - half_lon, cy + half_lat, cx + half_lon


def _own(conn: sqlite3.Connection, code: str) -> tuple[tuple, str] | None:
    row = conn.execute("SELECT boundary_geojson FROM region WHERE code = ?", (code,)).fetchone()
    if row and row[0]:
        try:
            return _pad(*geometry_bounds(json.loads(row[0])), _MIN_SPAN), "boundary"
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    pts = conn.execute(
        "SELECT lat, lon FROM report WHERE (region_code = ? OR (region_code >= ? AND "
        "region_code < ?)) AND lat IS NOT NULL AND lon IS NOT NULL "
        "ORDER BY created_at DESC LIMIT 2000", (code, code + "-", code + ".")).fetchall()
    if not pts:
        return None
    lats, lons = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    lo, hi = int(len(pts) * 0.05), max(int(len(pts) * 0.95) - 1, 0)
    lo = min(lo, hi)
    return _pad(lats[lo], lons[lo], lats[hi], lons[hi], _MIN_SPAN), "reports"


def region_focus(conn: sqlite3.Connection, code: str | None) -> Focus | None:
    """Where to centre the map for region ``code`` (see the module doc), or None."""
    if not code:
        return None
    row = conn.execute("SELECT name, parent_code FROM region WHERE code = ?", (code,)).fetchone()
    if row is None:
        return None
    name, parent = row
    found = _own(conn, code)
    if found is not None:
        return Focus(found[0], found[1], name)
    if parent:
        found = _own(conn, parent)
        if found is not None:
            return Focus(found[0], "parent", name)
    kota = conn.execute(
        "SELECT lat, lon FROM region WHERE code = ? AND lat IS NOT NULL",
        (code.split("-", 1)[0],)).fetchone()
    if kota is None:
        return None
    lat, lon = kota
    return Focus(_pad(lat, lon, lat, lon, _CITY_SPAN), "city", name)
