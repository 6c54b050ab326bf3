"""A map drawn from data, without Qt: reports as points coloured by priority over an
optional base map from a local MBTiles file, region boundaries, a scale bar and a north
arrow, into a PNG (Pillow).

The shift report's map is made here (``console/export/map_image.py``), so the PDF shows
the reports of the exported window and region, whatever the operator's map widget shows
at that moment — and the headless ``posko export shift`` gets the same map.

Projection: Web Mercator, like the tiles and the live map. The view is fitted to an
extent (south, west, north, east) at a fractional zoom; tiles are read at the nearest
integer zoom the file has and scaled.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from console.palette import PRIORITY_COLORS
from console.paths import resource

__all__ = ["MapPoint", "Projection", "render_png"]

TILE = 256
MAX_TILES = 80  # a PDF map needs a few dozen tiles; more means the zoom is too deep
_BACKGROUND = (244, 241, 234)
_BOUNDARY = (38, 50, 56)
_FONT_FILES = (
    resource("fonts", "DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    priority: int


def _world(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator position in 0..1 (x east, y south)."""
    lat = max(min(lat, 85.0511), -85.0511)
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


@dataclass(frozen=True)
class Projection:
    """Where a (lat, lon) lands in an image of ``width`` × ``height`` fitted to an extent."""

    width: int
    height: int
    zoom: float  # fractional
    x0: float    # world pixels (at ``zoom``) of the image's top-left corner
    y0: float

    @classmethod
    def fit(cls, extent: Sequence[float], width: int, height: int, margin: int = 24,
            max_zoom: float = 17.0) -> Projection:
        south, west, north, east = extent
        ax, ay = _world(north, west)
        bx, by = _world(south, east)
        span_x, span_y = max(bx - ax, 1e-9), max(by - ay, 1e-9)
        zoom = math.log2(min((width - 2 * margin) / (span_x * TILE),
                             (height - 2 * margin) / (span_y * TILE)))
        zoom = min(zoom, max_zoom)  # one report alone: a street-level view, not a pixel
        scale = TILE * 2 ** zoom
        cx, cy = (ax + bx) / 2 * scale, (ay + by) / 2 * scale
        return cls(width, height, zoom, cx - width / 2, cy - height / 2)

    def pixel(self, lat: float, lon: float) -> tuple[float, float]:
        wx, wy = _world(lat, lon)
        scale = TILE * 2 ** self.zoom
        return wx * scale - self.x0, wy * scale - self.y0

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def metres_per_pixel(self) -> float:
        lat = self._centre_lat()
        return 156_543.03392 * math.cos(math.radians(lat)) / 2 ** self.zoom

    def _centre_lat(self) -> float:
        scale = TILE * 2 ** self.zoom
        wy = (self.y0 + self.height / 2) / scale
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _font(size: int):
    from PIL import ImageFont

    for path in _FONT_FILES:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _draw_tiles(img, proj: Projection, tiles) -> bool:
    """Paint the base map from an MBTiles reader (``tile(z, x, y)``, ``info``). Returns
    whether any tile was drawn. Where the file has no tile at the view's zoom (a city
    file made to zoom 14 under a street-level view, or metadata promising more than
    the file holds), coarser zooms are tried: a blurrier base map beats none."""
    info = tiles.info
    z = max(info.min_zoom, min(info.max_zoom, round(proj.zoom)))
    for zoom in range(z, max(info.min_zoom, z - 6) - 1, -1):
        if _draw_tiles_at(img, proj, tiles, zoom):
            return True
    return False


def _draw_tiles_at(img, proj: Projection, tiles, z: int) -> bool:
    from PIL import Image

    info = tiles.info
    while True:
        f = 2 ** (z - proj.zoom)  # image pixels → world pixels at tile zoom z
        left, top = proj.x0 * f, proj.y0 * f
        right, bottom = left + proj.width * f, top + proj.height * f
        tx0, ty0 = int(left // TILE), int(top // TILE)
        tx1, ty1 = int(right // TILE), int(bottom // TILE)
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= MAX_TILES or z <= info.min_zoom:
            break
        z -= 1
    mosaic = Image.new("RGB", ((tx1 - tx0 + 1) * TILE, (ty1 - ty0 + 1) * TILE), _BACKGROUND)
    n = 1 << z
    drawn = False
    for tx in range(tx0, tx1 + 1):
        for ty in range(ty0, ty1 + 1):
            if not (0 <= ty < n):
                continue
            data = tiles.tile(z, tx % n, ty)
            if not data:
                continue
            try:
                tile = Image.open(io.BytesIO(data)).convert("RGB")
            except (OSError, ValueError):
                continue  # a broken tile is a missing tile
            if tile.size != (TILE, TILE):
                tile = tile.resize((TILE, TILE))
            mosaic.paste(tile, ((tx - tx0) * TILE, (ty - ty0) * TILE))
            drawn = True
    if drawn:
        box = (left - tx0 * TILE, top - ty0 * TILE, right - tx0 * TILE, bottom - ty0 * TILE)
        img.paste(mosaic.resize((proj.width, proj.height), Image.Resampling.BILINEAR, box=box))
    return drawn


def _rings(geometry: dict) -> Iterable[list]:
    kind = geometry.get("type")
    polys = [geometry.get("coordinates") or []] if kind == "Polygon" else (
        geometry.get("coordinates") or [] if kind == "MultiPolygon" else [])
    for poly in polys:
        yield from poly


def _draw_boundaries(img, proj: Projection, geometries: Iterable[dict]) -> None:
    from PIL import Image, ImageDraw

    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for geometry in geometries:
        for ring in _rings(geometry):
            pts = [proj.pixel(lat, lon) for lon, lat, *_ in ring]
            if len(pts) >= 3:
                draw.polygon(pts, fill=(38, 50, 56, 18), outline=(*_BOUNDARY, 230), width=3)
    img.paste(overlay, (0, 0), overlay)


def _nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``metres``."""
    k = 10 ** math.floor(math.log10(metres))
    for m in (5, 2, 1):
        if m * k <= metres:
            return m * k
    return k


def _draw_furniture(img, proj: Projection, north: str, attribution: str) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(img)
    small = _font(max(12, proj.width // 90))
    # Scale bar, bottom left: about a fifth of the width.
    length_m = _nice_length(proj.metres_per_pixel() * proj.width / 5)
    bar = length_m / proj.metres_per_pixel()
    x, y = 20, proj.height - 28
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    draw.rectangle((x - 6, y - 24, x + bar + 8, y + 12), fill=(255, 255, 255))
    draw.line((x, y, x + bar, y), fill=(0, 0, 0), width=4)
    for tick in (x, x + bar):
        draw.line((tick, y - 8, tick, y + 6), fill=(0, 0, 0), width=2)
    draw.text((x + 4, y - 22), label, fill=(0, 0, 0), font=small)
    # North arrow, top right.
    cx, top = proj.width - 36, 14
    draw.rectangle((cx - 20, top - 4, cx + 20, top + 58), fill=(255, 255, 255))
    draw.polygon([(cx, top), (cx - 11, top + 30), (cx, top + 23), (cx + 11, top + 30)],
                 fill=(0, 0, 0))
    big = _font(max(14, proj.width // 70))
    draw.text((cx, top + 44), north, fill=(0, 0, 0), font=big, anchor="mm")
    if attribution:
        text = attribution[:120]
        w = draw.textlength(text, font=small)
        draw.rectangle((proj.width - w - 12, proj.height - 22, proj.width, proj.height),
                       fill=(255, 255, 255))
        draw.text((proj.width - w - 6, proj.height - 20), text, fill=(60, 60, 60), font=small)


def render_png(
    points: Iterable[MapPoint],
    extent: Sequence[float],
    *,
    size: tuple[int, int] = (1600, 1000),
    boundaries: Iterable[dict] = (),
    tiles=None,
    north: str = "U",
    radius: int = 7,
) -> tuple[bytes, int]:
    """The PNG of ``points`` in ``extent`` (south, west, north, east), and how many points
    were drawn (those inside the image). ``boundaries`` are GeoJSON Polygon/MultiPolygon
    geometries; ``tiles`` an open :class:`~console.map.mbtiles.MBTilesReader` (or None);
    ``north`` the letter under the north arrow ("U" for utara)."""
    from PIL import Image, ImageDraw

    width, height = size
    proj = Projection.fit(extent, width, height)
    img = Image.new("RGB", size, _BACKGROUND)
    attribution = ""
    if tiles is not None and _draw_tiles(img, proj, tiles):
        attribution = tiles.info.attribution or tiles.info.name
    _draw_boundaries(img, proj, boundaries)
    draw = ImageDraw.Draw(img)
    # P4 first, P1 last: the most urgent on top where points overlap. All white halos go
    # under all dots, so a dense cluster stays coloured instead of turning white.
    placed = []
    for p in sorted(points, key=lambda p: -(p.priority or 4)):
        x, y = proj.pixel(p.lat, p.lon)
        if proj.inside(x, y):
            placed.append((x, y, _rgb(PRIORITY_COLORS.get(p.priority, PRIORITY_COLORS[4]))))
    halo = radius + 2
    for x, y, _c in placed:
        draw.ellipse((x - halo, y - halo, x + halo, y + halo), fill=(255, 255, 255))
    for x, y, colour in placed:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    drawn = len(placed)
    _draw_furniture(img, proj, north, attribution)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue(), drawn
