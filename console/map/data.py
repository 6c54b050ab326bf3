"""The queries behind the map: plain functions over a ``sqlite3`` connection, run on the
database worker. No Qt.

Markers travel to the page as one compact, column-oriented JSON document
(:func:`marker_payload`): a list per field instead of an object per report, statuses and
categories as small integers into a lookup table, coordinates rounded to 6 decimals
(~0.1 m). 100,000 reports make about 5 MB, parsed by the page in tens of milliseconds.
Texts (titles, addresses) are not in it: the page asks for the few it shows
(:func:`report_summaries`), so the bulk payload carries no report text at all.

The map shows the reports a :class:`~console.store.queue.QueueFilter` matches, like the
queue; the filter's free-text search is not applied to the map (see :func:`filter_where`).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from console.domain.geo import validate_lat_lon
from console.store import slaclock
from console.store.queue import ALL_STATUSES, OPEN_STATUS_ORDER, QueueFilter
from console.store.timefmt import to_db, utcnow

__all__ = [
    "Area",
    "MarkerPayload",
    "boundary_collection",
    "categories",
    "encode_json",
    "filter_where",
    "marker_delta",
    "marker_payload",
    "marker_state",
    "region_counts",
    "report_ids_in_area",
    "report_summaries",
]

#: Marker fields, in the order of a payload's columns.
COLUMNS = ("id", "lat", "lon", "p", "s", "c")
_CHUNK = 500  # ids per IN (...) query


def encode_json(obj) -> bytes:
    """Compact JSON, ASCII only (so U+2028/2029 and friends are escaped: safe to paste into
    a script), for the page."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode()


# ----------------------------------------------------------------------------- filters


def filter_where(flt: QueueFilter | None, now: datetime | None = None) -> tuple[str, list]:
    """The structured part of ``flt`` as SQL over ``report r``: statuses, priorities,
    categories, region (prefix), channels, agencies, bounding box, creation window and
    overdue. Free-text search is a queue feature and is not applied here. An empty
    collection matches nothing."""
    if flt is None:
        return "1", []
    parts: list[str] = []
    params: list = []

    def add_in(column: str, values: Sequence | None) -> None:
        if values is None:
            return
        if not values:
            parts.append("0")
            return
        parts.append(f"{column} IN ({','.join('?' * len(values))})")
        params.extend(values)

    add_in("r.status", flt.statuses)
    add_in("r.priority", flt.priorities)
    add_in("r.category_code", flt.categories)
    add_in("r.channel", flt.channels)
    add_in("r.assigned_agency", getattr(flt, "agencies", None))
    bbox = getattr(flt, "bbox", None)
    if bbox is not None:
        parts.append("r.lat BETWEEN ? AND ? AND r.lon BETWEEN ? AND ?")
        params += [bbox[0], bbox[2], bbox[1], bbox[3]]
    if flt.region_prefix is not None:
        # Codes are digits and '-': [code, code + '.') is the code and everything below it.
        parts.append("r.region_code >= ? AND r.region_code < ?")
        params += [flt.region_prefix, flt.region_prefix + "."]
    if flt.created_from is not None:
        parts.append("r.created_at >= ?")
        params.append(to_db(flt.created_from))
    if flt.created_to is not None:
        parts.append("r.created_at < ?")
        params.append(to_db(flt.created_to))
    if flt.overdue_only:
        term, at = slaclock.overdue_term(flt.now or now or utcnow())  # the queue's rule
        parts.append(term)
        params.append(at)
        add_in("r.status", OPEN_STATUS_ORDER)
    return (" AND ".join(parts) or "1"), params


# ----------------------------------------------------------------------------- markers


def categories(conn: sqlite3.Connection, lang: str = "id") -> list[tuple[str, str]]:
    """(code, display name) of every category, in catalogue order."""
    col = "name_en" if lang == "en" else "name_id"
    return [(code, name) for code, name in conn.execute(
        f"SELECT code, {col} FROM category ORDER BY rowid"
    )]  # fmt: skip


@dataclass
class MarkerPayload:
    """What the page needs to draw the reports of one filter."""

    columns: dict[str, list]
    categories: list[tuple[str, str]]
    without_coords: int
    home: tuple[float, float, float, float] | None  # south, west, north, east

    def __len__(self) -> int:
        return len(self.columns["id"])

    def as_json(self, generation: int = 0) -> bytes:
        return encode_json({
            "v": 1,
            "gen": generation,
            "statuses": list(ALL_STATUSES),
            "cats": [list(c) for c in self.categories],
            "cols": self.columns,
            "without_coords": self.without_coords,
            "home": self.home,
        })  # fmt: skip


_MARKER_SQL = (
    "SELECT r.id, round(r.lat, 6), round(r.lon, 6), r.priority, r.status, r.category_code, "
    "r.region_code FROM report r WHERE r.lat IS NOT NULL AND r.lon IS NOT NULL AND {where}"
)


class _Encoder:
    """Turns report rows into payload columns (status and category as small ints)."""

    def __init__(self, cats: list[tuple[str, str]]) -> None:
        self.cats = list(cats)
        self.cat_index = {code: i for i, (code, _name) in enumerate(self.cats)}
        self.status_index = {code: i for i, code in enumerate(ALL_STATUSES)}
        self.columns: dict[str, list] = {name: [] for name in COLUMNS}

    def add_rows(self, rows: Iterable[tuple]) -> list[str | None]:
        ids, lats, lons = self.columns["id"], self.columns["lat"], self.columns["lon"]
        prios, stats, cats = self.columns["p"], self.columns["s"], self.columns["c"]
        status_index, cat_index = self.status_index, self.cat_index
        regions: list[str | None] = []
        for rid, lat, lon, prio, status, cat, region in rows:
            ids.append(rid)
            lats.append(lat)
            lons.append(lon)
            prios.append(prio)
            stats.append(status_index.get(status, 0))
            ci = cat_index.get(cat)
            if ci is None:  # a category the catalogue does not know (yet): still shown
                ci = cat_index[cat] = len(self.cats)
                self.cats.append((cat, cat))
            cats.append(ci)
            regions.append(region)
        return regions


def marker_payload(
    conn: sqlite3.Connection, flt: QueueFilter | None = None, *, lang: str = "id"
) -> MarkerPayload:
    """Every report ``flt`` matches that has coordinates, as payload columns, plus how many
    matching reports have none and a sensible first view (see :func:`home_bounds`)."""
    where, params = filter_where(flt)
    enc = _Encoder(categories(conn, lang))
    regions = enc.add_rows(conn.execute(_MARKER_SQL.format(where=where), params))
    without = conn.execute(
        f"SELECT count(*) FROM report r WHERE (r.lat IS NULL OR r.lon IS NULL) AND {where}",
        params,
    ).fetchone()[0]
    home = home_bounds(enc.columns["lat"], enc.columns["lon"], regions)
    return MarkerPayload(enc.columns, enc.cats, without, home)


def home_bounds(
    lats: Sequence[float], lons: Sequence[float], regions: Sequence[str | None]
) -> tuple[float, float, float, float] | None:
    """The first view: where the reports of the busiest kota are, 1st to 99th percentile
    (so one report typed with a wrong coordinate does not zoom the map out to the whole
    country). A command center's database holds one city; a demo may hold several."""
    if not lats:
        return None
    by_kota: dict[str, list[int]] = {}
    for i, region in enumerate(regions):
        by_kota.setdefault((region or "").split("-", 1)[0], []).append(i)
    busiest = max(by_kota.values(), key=len)
    la = sorted(lats[i] for i in busiest)
    lo = sorted(lons[i] for i in busiest)

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]

    south, north = pct(la, 0.01), pct(la, 0.99)
    west, east = pct(lo, 0.01), pct(lo, 0.99)
    pad_lat = max((north - south) * 0.05, 0.002)
    pad_lon = max((east - west) * 0.05, 0.002)
    return (south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)


def marker_delta(
    conn: sqlite3.Connection,
    ids: Iterable[str],
    flt: QueueFilter | None = None,
    *,
    lang: str = "id",
) -> dict:
    """The change to the map for these report ids: ``upsert`` (payload columns of those
    that exist, match ``flt`` and have coordinates; new categories appended to ``cats``)
    and ``remove`` (all the others: deleted, filtered out, or lost their coordinates)."""
    wanted = list(dict.fromkeys(i for i in ids if isinstance(i, str)))
    where, params = filter_where(flt)
    enc = _Encoder(categories(conn, lang))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        sql = _MARKER_SQL.format(where=where) + f" AND r.id IN ({','.join('?' * len(chunk))})"
        enc.add_rows(conn.execute(sql, [*params, *chunk]))
    found = set(enc.columns["id"])
    return {
        "cats": [list(c) for c in enc.cats],
        "upsert": enc.columns,
        "remove": [i for i in wanted if i not in found],
    }


def marker_state(
    conn: sqlite3.Connection, report_id: str, flt: QueueFilter | None = None, *, lang: str = "id"
) -> str:
    """Why a report may be missing from the map: ``gone`` (no such report), ``no_coords``,
    ``filtered`` (``flt`` does not match it) or ``pending`` (it belongs on the map)."""
    row = conn.execute("SELECT lat, lon FROM report WHERE id = ?", (report_id,)).fetchone()
    if row is None:
        return "gone"
    if row[0] is None or row[1] is None:
        return "no_coords"
    return "pending" if marker_delta(conn, [report_id], flt, lang=lang)["upsert"]["id"] else "filtered"


def report_summaries(
    conn: sqlite3.Connection, ids: Sequence[str], *, lang: str = "id"
) -> list[dict]:
    """What a tooltip or popup shows about each report, in the order asked. Raw text:
    the page inserts it as text, never as HTML."""
    col = "name_en" if lang == "en" else "name_id"
    ids = [i for i in ids if isinstance(i, str)][:200]
    if not ids:
        return []
    rows = conn.execute(
        f"SELECT r.id, r.ticket, r.title, r.status, r.priority, r.category_code, "
        f"c.{col}, r.address, g.name, r.created_at, r.lat, r.lon FROM report r "
        f"LEFT JOIN category c ON c.code = r.category_code "
        f"LEFT JOIN region g ON g.code = r.region_code "
        f"WHERE r.id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    by_id = {
        row[0]: {
            "id": row[0], "ticket": row[1], "title": row[2], "status": row[3],
            "priority": row[4], "category": row[5], "category_name": row[6] or row[5],
            "address": row[7], "region_name": row[8], "created_at": row[9],
            "lat": row[10], "lon": row[11],
        }
        for row in rows
    }  # fmt: skip
    return [by_id[i] for i in ids if i in by_id]


# ------------------------------------------------------------------------ regions


def boundary_collection(conn: sqlite3.Connection) -> dict:
    """The imported region boundaries as one GeoJSON FeatureCollection; each feature's
    properties are ``code``, ``name``, ``level`` (nothing from the imported file)."""
    features = []
    for code, name, level, text in conn.execute(
        "SELECT code, name, level, boundary_geojson FROM region "
        "WHERE boundary_geojson IS NOT NULL ORDER BY code"
    ):
        try:
            geometry = json.loads(text)
        except ValueError:
            continue  # written by boundaries.import_boundaries, so only if edited by hand
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": name, "level": level},
            "geometry": geometry,
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def region_counts(
    conn: sqlite3.Connection, codes: Iterable[str], flt: QueueFilter | None = None
) -> dict[str, int]:
    """How many reports ``flt`` matches in each of ``codes``, a region counting everything
    filed under it (a kecamatan includes its kelurahan). Reports without coordinates count
    too: they belong to their region all the same."""
    wanted = {c: 0 for c in codes}
    if not wanted:
        return {}
    where, params = filter_where(flt)
    rows = conn.execute(
        f"SELECT r.region_code, count(*) FROM report r WHERE r.region_code IS NOT NULL "
        f"AND {where} GROUP BY r.region_code",
        params,
    )
    for code, n in rows:
        parts = code.split("-")
        for depth in range(1, len(parts) + 1):
            prefix = "-".join(parts[:depth])
            if prefix in wanted:
                wanted[prefix] += n
    return wanted


# ---------------------------------------------------------------------------- areas


@dataclass(frozen=True)
class Area:
    """A drawn area: a polygon of (lat, lon) vertices (a rectangle is four of them).

    Equal areas compare equal and hash alike, so a filter may carry one. Raises
    ValueError for fewer than three vertices or an invalid coordinate."""

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        pts = tuple(validate_lat_lon(float(la), float(lo)) for la, lo in self.points)
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]  # a closed ring: drop the repeated vertex
        if len(set(pts)) < 3:
            raise ValueError("an area needs at least three distinct vertices")
        object.__setattr__(self, "points", pts)

    @classmethod
    def from_json(cls, text: str) -> Area:
        """From the page's ``[[lat, lon], ...]``."""
        data = json.loads(text)
        if not isinstance(data, list) or len(data) > 10_000:
            raise ValueError("an area is a list of [lat, lon] pairs")
        pts = []
        for item in data:
            if not isinstance(item, list | tuple) or len(item) != 2:
                raise ValueError("an area is a list of [lat, lon] pairs")
            pts.append((item[0], item[1]))
        return cls(tuple(pts))

    def bbox(self) -> tuple[float, float, float, float]:
        """(south, west, north, east)."""
        lats = [p[0] for p in self.points]
        lons = [p[1] for p in self.points]
        return min(lats), min(lons), max(lats), max(lons)

    def contains(self, lat: float, lon: float) -> bool:
        """True if the point is inside (even-odd rule; points on an edge may go either
        way). Plain planar test on degrees: fine at city scale."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return False
        south, west, north, east = self.bbox()
        if not (south <= lat <= north and west <= lon <= east):
            return False
        inside = False
        pts = self.points
        j = len(pts) - 1
        for i in range(len(pts)):
            yi, xi = pts[i]
            yj, xj = pts[j]
            if (yi > lat) != (yj > lat):
                x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
                if lon < x_cross:
                    inside = not inside
            j = i
        return inside

    def as_json(self) -> list[list[float]]:
        return [[la, lo] for la, lo in self.points]


def report_ids_in_area(
    conn: sqlite3.Connection, area: Area, flt: QueueFilter | None = None
) -> list[str]:
    """Ids of the reports ``flt`` matches inside ``area`` (bounding box in SQL, then the
    exact polygon test), newest first. For the queue's area filter."""
    south, west, north, east = area.bbox()
    where, params = filter_where(flt)
    rows = conn.execute(
        f"SELECT r.id, r.lat, r.lon FROM report r WHERE r.lat BETWEEN ? AND ? "
        f"AND r.lon BETWEEN ? AND ? AND {where} ORDER BY r.created_at DESC",
        [south, north, west, east, *params],
    )
    return [rid for rid, lat, lon in rows if area.contains(lat, lon)]
