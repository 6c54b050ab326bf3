"""Reference lists the dialogs and filters offer (categories, agencies, regions, channels)
and the city a region or a point belongs to. No Qt; read once per window on the worker."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from console.domain.catalog import Channel
from console.domain.geo import CITY_BOUNDS, CityBounds
from console.store.regions import CITIES

__all__ = ["Lookups", "city_bounds_for", "load_lookups"]


@dataclass
class Lookups:
    #: (code, name, default_priority, default_agency, emergency), by name
    categories: list[tuple[str, str, int, str | None, bool]] = field(default_factory=list)
    #: (code, name), by name
    agencies: list[tuple[str, str]] = field(default_factory=list)
    #: (code, name, level, parent_code, parent_name), kota → kecamatan → kelurahan by name
    regions: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    def category(self, code: str):
        return next((c for c in self.categories if c[0] == code), None)

    def kelurahan(self) -> list[tuple[str, str, str, str | None, str | None]]:
        return [r for r in self.regions if r[2] == "kelurahan"]

    def region_name(self, code: str | None) -> str | None:
        return next((r[1] for r in self.regions if r[0] == code), None)


def load_lookups(conn: sqlite3.Connection, *, lang: str = "id") -> Lookups:
    name = "name_en" if lang == "en" else "name_id"
    out = Lookups()
    out.categories = [
        (r[0], r[1], r[2], r[3], bool(r[4]))
        for r in conn.execute(
            f"SELECT code, {name}, default_priority, default_agency, emergency FROM category "
            f"ORDER BY {name}, code")
    ]
    out.agencies = [tuple(r) for r in conn.execute(
        f"SELECT code, {name} FROM agency ORDER BY {name}, code")]
    level = {"kota": 0, "kecamatan": 1, "kelurahan": 2}
    rows = conn.execute(
        "SELECT r.code, r.name, r.level, r.parent_code, p.name FROM region r "
        "LEFT JOIN region p ON p.code = r.parent_code").fetchall()
    out.regions = sorted((tuple(r) for r in rows),
                         key=lambda r: (level.get(r[2], 3), r[1].casefold(), r[0]))
    out.channels = [c.value for c in Channel]
    return out


def city_bounds_for(region_code: str | None = None, lat: float | None = None,
                    lon: float | None = None) -> CityBounds | None:
    """The bounds of the city a region code belongs to (``3273-…`` is Kota Bandung), or of
    the configured city that contains the point; None when neither tells."""
    if region_code:
        kota = region_code.split("-", 1)[0]
        for key, city in CITIES.items():
            if city.kemendagri == kota and key in CITY_BOUNDS:
                return CITY_BOUNDS[key]
    if lat is not None and lon is not None:
        for bounds in CITY_BOUNDS.values():
            try:
                if bounds.contains(lat, lon):
                    return bounds
            except ValueError:
                return None
    return None
