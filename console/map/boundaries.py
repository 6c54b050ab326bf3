"""Region boundaries from a GeoJSON file the admin imports.

``areaid`` names every kecamatan and kelurahan but has no coordinates, so the polygons come
from a file (e.g. the kelurahan layer of the national base map, exported as GeoJSON in
WGS 84). :func:`import_boundaries` matches each feature to a region of the registry, checks
its geometry, and stores the good ones in ``region.boundary_geojson``; a feature it cannot
use is listed with the reason (an :class:`Issue`) and the others are still imported.

Matching, in order: a property holding a Posko region code (``code``, ``kode``,
``region_code``); else the name (``name``/``nama``, ``kelurahan``/``desa``/``WADMKD``,
``kecamatan``/``WADMKC``, ``NAMOBJ``), compared without case, punctuation, a leading
"Kelurahan"/"Kecamatan"/"Desa", or a parenthesised alias (``Antapani (Cicadas)`` is also
``Antapani``); a name found in several places is narrowed by the kecamatan name when the
feature has one, and otherwise reported as ambiguous rather than guessed.

Geometry rules: Polygon or MultiPolygon, positions ``[longitude, latitude]`` of finite
numbers in range, rings of at least four positions (an unclosed ring is closed), no ring
that crosses itself, a non-zero area. Coordinates are stored rounded to 6 decimals.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from console.store.transaction import write_transaction

__all__ = [
    "BoundaryFileError",
    "BoundaryImport",
    "Issue",
    "geometry_bounds",
    "import_boundaries",
    "parse_features",
    "validate_geometry",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_VERTICES = 2_000_000

CODE_KEYS = ("code", "kode", "region_code", "posko_code")
KELURAHAN_KEYS = ("kelurahan", "desa", "wadmkd", "nama_kelurahan", "nama_desa", "kel", "desa_kel")
KECAMATAN_KEYS = ("kecamatan", "wadmkc", "nama_kecamatan", "kec")
NAME_KEYS = ("name", "nama", "namobj", "nama_wilayah")
LEVEL_KEYS = ("level", "tingkat")


class BoundaryFileError(ValueError):
    """The whole file is unusable. ``kind``: ``too_large``, ``not_json``, ``not_geojson``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}{': ' + detail if detail else ''}")


class GeometryError(ValueError):
    """``reason``: ``no_geometry``, ``type``, ``coordinates``, ``range``, ``swapped``,
    ``ring_short``, ``self_intersection``, ``zero_area``, ``too_large``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}{': ' + detail if detail else ''}")


@dataclass(frozen=True)
class Issue:
    """One feature that was not imported: its number in the file (1-based), a label to
    recognise it by (its name or code as found), a reason code and a detail."""

    index: int
    label: str
    reason: str  # a GeometryError reason, or no_region / ambiguous / not_feature / duplicate
    detail: str = ""


@dataclass
class BoundaryImport:
    total: int = 0
    imported: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, level
    issues: list[Issue] = field(default_factory=list)


# --------------------------------------------------------------------------- geometry


def _position(pos, counter: list[int]) -> list[float]:
    if not isinstance(pos, list | tuple) or len(pos) < 2:
        raise GeometryError("coordinates", "a position is not [longitude, latitude]")
    lon, lat = pos[0], pos[1]
    for v in (lon, lat):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise GeometryError("coordinates", f"not a number: {str(v)[:20]}")
    counter[0] += 1
    if counter[0] > MAX_VERTICES:
        raise GeometryError("too_large")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        if -90 <= lon <= 90 and -180 <= lat <= 180:
            raise GeometryError("swapped", f"[{lon}, {lat}]")
        raise GeometryError("range", f"[{lon}, {lat}]")
    return [round(float(lon), 6), round(float(lat), 6)]


def _segments_cross(a, b, c, d) -> bool:
    """Do segments ab and cd properly intersect (touching at shared endpoints excluded)?"""

    def orient(p, q, r) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True

    def on_segment(p, q, r) -> bool:  # r collinear with pq: is it strictly inside?
        return (min(p[0], q[0]) <= r[0] <= max(p[0], q[0])
                and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])
                and r != p and r != q)  # fmt: skip

    return (
        (d1 == 0 and on_segment(c, d, a)) or (d2 == 0 and on_segment(c, d, b))
        or (d3 == 0 and on_segment(a, b, c)) or (d4 == 0 and on_segment(a, b, d))
    )  # fmt: skip


def _ring_self_intersects(ring: list[list[float]]) -> bool:
    """Sweep over x: compare each edge with the edges whose x-range overlaps it. Adjacent
    edges share a vertex and are skipped."""
    n = len(ring) - 1  # edges (the ring is closed)
    edges = sorted(range(n), key=lambda i: min(ring[i][0], ring[i + 1][0]))
    active: list[int] = []
    for i in edges:
        a, b = ring[i], ring[i + 1]
        xmin = min(a[0], b[0])
        active = [j for j in active if max(ring[j][0], ring[j + 1][0]) >= xmin]
        for j in active:
            if abs(i - j) in (1, n - 1):
                continue  # neighbours
            if _segments_cross(a, b, ring[j], ring[j + 1]):
                return True
        active.append(i)
    return False


def _ring(coords, counter: list[int]) -> list[list[float]]:
    if not isinstance(coords, list):
        raise GeometryError("coordinates", "a ring is not a list of positions")
    ring = [_position(p, counter) for p in coords]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    # Drop consecutive duplicates (they are harmless but break the crossing test).
    cleaned = [ring[0]] if ring else []
    for p in ring[1:]:
        if p != cleaned[-1]:
            cleaned.append(p)
    if len(cleaned) < 4:
        raise GeometryError("ring_short", f"{len(coords)} positions")
    if _ring_self_intersects(cleaned):
        raise GeometryError("self_intersection")
    return cleaned


def _area(ring: list[list[float]]) -> float:
    return abs(sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
                   for i in range(len(ring) - 1))) / 2  # fmt: skip


def validate_geometry(geometry) -> dict:
    """A clean copy of a Polygon/MultiPolygon geometry, or GeometryError saying why not."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise GeometryError("no_geometry")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    counter = [0]
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeometryError("coordinates", "no polygons")
        polygons = coords
    else:
        raise GeometryError("type", str(kind)[:40])
    clean = []
    for poly in polygons:
        if not isinstance(poly, list) or not poly:
            raise GeometryError("coordinates", "a polygon without rings")
        rings = [_ring(r, counter) for r in poly]
        if _area(rings[0]) <= 0:
            raise GeometryError("zero_area")
        clean.append(rings)
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def geometry_bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a stored Polygon/MultiPolygon (outer rings)."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    lons = [p[0] for poly in polys for p in poly[0]]
    lats = [p[1] for poly in polys for p in poly[0]]
    return min(lats), min(lons), max(lats), max(lons)


# --------------------------------------------------------------------------- matching


_PREFIX = re.compile(r"^(kelurahan|kecamatan|desa|kel|kec|ds)\.?\s+", re.IGNORECASE)


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).casefold().strip()
    text = _PREFIX.sub("", text)
    return "".join(ch for ch in text if ch.isalnum())


def _name_keys(name: str) -> set[str]:
    keys = {normalise_name(name)}
    stripped = re.sub(r"\(.*?\)", " ", name)
    keys.add(normalise_name(stripped))
    for alias in re.findall(r"\((.*?)\)", name):
        keys.add(normalise_name(alias))
    return {k for k in keys if k}


@dataclass
class _Registry:
    by_code: dict[str, tuple[str, str, str | None]]  # code -> (name, level, parent)
    by_name: dict[str, list[str]]  # normalised name -> codes

    @classmethod
    def load(cls, conn: sqlite3.Connection, city_code: str | None) -> _Registry:
        by_code: dict[str, tuple[str, str, str | None]] = {}
        by_name: dict[str, list[str]] = {}
        for code, name, level, parent in conn.execute(
            "SELECT code, name, level, parent_code FROM region"
        ):
            if city_code and not (code == city_code or code.startswith(city_code + "-")):
                continue
            by_code[code] = (name, level, parent)
            for key in _name_keys(name):
                by_name.setdefault(key, []).append(code)
        return cls(by_code, by_name)


def _props(feature: dict) -> dict[str, object]:
    props = feature.get("properties")
    if not isinstance(props, dict):
        return {}
    return {str(k).casefold(): v for k, v in props.items()}


def _first(props: dict[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = props.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def _match(props: dict[str, object], reg: _Registry) -> tuple[str | None, str, str]:
    """(region code or None, reason if None, label)."""
    code = _first(props, CODE_KEYS)
    kel = _first(props, KELURAHAN_KEYS)
    kec = _first(props, KECAMATAN_KEYS)
    name = _first(props, NAME_KEYS)
    label = code or kel or name or kec or ""
    if code and code in reg.by_code:
        return code, "", label
    level_hint = (_first(props, LEVEL_KEYS) or "").casefold() or None
    if kel:
        target, level = kel, "kelurahan"
    elif name:
        target, level = name, level_hint
    elif kec:
        target, level = kec, "kecamatan"
    else:
        return None, "no_region", label
    candidates = set()
    for key in _name_keys(target):
        candidates.update(reg.by_name.get(key, ()))
    if level in ("kota", "kecamatan", "kelurahan"):
        candidates = {c for c in candidates if reg.by_code[c][1] == level}
    if len(candidates) > 1 and kec and target is not kec:
        parents = set()
        for key in _name_keys(kec):
            parents.update(reg.by_name.get(key, ()))
        candidates = {c for c in candidates if reg.by_code[c][2] in parents}
    if len(candidates) > 1 and level is None:
        # A bare name shared by a kecamatan and one of its kelurahan: ask for a level.
        return None, "ambiguous", label
    if not candidates:
        return None, "no_region", label
    if len(candidates) > 1:
        return None, "ambiguous", label
    return candidates.pop(), "", label


# ----------------------------------------------------------------------------- import


def parse_features(data: bytes | str) -> list:
    """The features of a GeoJSON FeatureCollection (or a single Feature)."""
    if len(data) > MAX_FILE_BYTES:
        raise BoundaryFileError("too_large", f"{len(data)} bytes")
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BoundaryFileError("not_json", str(exc)[:200]) from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
        if isinstance(features, list):
            return features
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc]
    raise BoundaryFileError("not_geojson")


def import_boundaries(
    conn: sqlite3.Connection, data: bytes | str, *, city_code: str | None = None
) -> BoundaryImport:
    """Import the usable features of a GeoJSON file into ``region.boundary_geojson`` (one
    transaction; a region imported again gets the new outline). ``city_code`` limits
    name matching to one kota. Raises BoundaryFileError when the file as a whole is not
    GeoJSON; per-feature problems are returned as issues."""
    features = parse_features(data)
    reg = _Registry.load(conn, city_code)
    result = BoundaryImport(total=len(features))
    updates: dict[str, str] = {}
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.issues.append(Issue(index, "", "not_feature"))
            continue
        props = _props(feature)
        code, reason, label = _match(props, reg)
        label = label[:80]
        if code is None:
            result.issues.append(Issue(index, label, reason))
            continue
        try:
            geometry = validate_geometry(feature.get("geometry"))
        except GeometryError as exc:
            result.issues.append(Issue(index, label, exc.reason, exc.detail))
            continue
        if code in updates:
            result.issues.append(Issue(index, label, "duplicate", code))
            continue
        updates[code] = json.dumps(geometry, separators=(",", ":"))
        name, level, _parent = reg.by_code[code]
        result.imported.append((code, name, level))
    if updates:
        with write_transaction(conn):
            conn.executemany(
                "UPDATE region SET boundary_geojson = ? WHERE code = ?",
                [(text, code) for code, text in updates.items()],
            )
    return result
