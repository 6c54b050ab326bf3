"""The region registry: Kota → kecamatan → kelurahan, seeded from the ``areaid`` package.

``areaid`` ships the name and postal code of every kecamatan and kelurahan in Indonesia,
keyed by its own stable numeric ids, but no Kemendagri codes below the kota and no
coordinates. So (see ``console.store.models.Region``):

- a kota's code is its Kemendagri code without the dot (``3273`` Kota Bandung);
- a kecamatan is ``<kota>-<areaid kecamatan id>`` (``3273-2483``, Andir);
- a kelurahan is ``<kecamatan code>-<areaid kelurahan id>`` (``3273-2483-30959``, Campaka);

so all reports of a kecamatan are one prefix range of ``region_code``. Only the kota gets a
centre point; kecamatan and kelurahan coordinates stay NULL rather than invented. Names are
kept exactly as ``areaid`` spells them (e.g. ``Antapani (Cicadas)``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypedDict

import areaid

from console.store.transaction import joined_transaction

__all__ = [
    "CITIES",
    "City",
    "RegionRow",
    "iter_regions",
    "kelurahan_codes",
    "region_rows",
    "seed_regions",
]


@dataclass(frozen=True, slots=True)
class City:
    key: str  # short key used in settings and on the command line
    kemendagri: str  # Kemendagri kota code without the dot: the region code of the kota
    name: str  # as areaid spells it ("Kota Bandung")
    province_file: str  # areaid data file ("jawa barat")
    ticket_prefix: str  # BSNI-style code used in ticket numbers
    lat: float  # city centre (alun-alun / city hall area)
    lon: float


CITIES: dict[str, City] = {
    "bandung": City("bandung", "3273", "Kota Bandung", "jawa barat", "BDG", -6.9147, 107.6098),
    "semarang": City(
        "semarang", "3374", "Kota Semarang", "jawa tengah", "SMG", -6.9667, 110.4167
    ),
}


class RegionRow(TypedDict):
    code: str
    name: str
    level: str
    parent_code: str | None
    postal_code: str | None
    lat: float | None
    lon: float | None


def city(key: str) -> City:
    try:
        return CITIES[key]
    except KeyError:
        raise KeyError(f"unknown city {key!r}; known: {', '.join(CITIES)}") from None


@lru_cache(maxsize=8)
def _kota_record(key: str) -> dict[str, Any]:
    c = city(key)
    for prov in areaid.buka_data(c.province_file):
        for kab in prov["kabupaten"]:
            if kab["kab_kota"] == c.name:
                return kab
    raise LookupError(f"{c.name} not found in areaid data file {c.province_file!r}")


def _postal(value: Any) -> str | None:
    if value in (None, "", 0):
        return None
    text = str(value).strip()
    return text.zfill(5) if text.isdigit() else None


@lru_cache(maxsize=8)
def _rows(key: str) -> tuple[RegionRow, ...]:
    c = city(key)
    kab = _kota_record(key)
    out: list[RegionRow] = [
        RegionRow(code=c.kemendagri, name=c.name, level="kota", parent_code=None,
                  postal_code=None, lat=c.lat, lon=c.lon)
    ]
    for kec in sorted(kab["kecamatan"], key=lambda k: k["id"]):
        kec_code = f"{c.kemendagri}-{kec['id']}"
        out.append(RegionRow(code=kec_code, name=kec["kec"], level="kecamatan",
                             parent_code=c.kemendagri, postal_code=None, lat=None, lon=None))
        for kel in sorted(kec["kelurahan"], key=lambda k: k["id"]):
            out.append(RegionRow(code=f"{kec_code}-{kel['id']}", name=kel["kelu"],
                                 level="kelurahan", parent_code=kec_code,
                                 postal_code=_postal(kel.get("pos")), lat=None, lon=None))
    return tuple(out)


def iter_regions(city_key: str) -> Iterator[RegionRow]:
    """The kota, then each kecamatan followed by its kelurahan (parents before children).

    Each item is a fresh dict with the columns of ``region`` (boundary_geojson aside)."""
    for row in _rows(city_key):
        yield RegionRow(**row)


def region_rows(city_key: str) -> tuple[RegionRow, ...]:
    """All rows of a city, cached (do not mutate)."""
    return _rows(city_key)


def kelurahan_codes(city_key: str) -> tuple[str, ...]:
    return tuple(r["code"] for r in _rows(city_key) if r["level"] == "kelurahan")


_INSERT = (
    "INSERT OR IGNORE INTO region (code, name, level, parent_code, postal_code, lat, lon) "
    "VALUES (:code, :name, :level, :parent_code, :postal_code, :lat, :lon)"
)


def seed_regions(conn: sqlite3.Connection, cities: Iterable[str] = ("bandung", "semarang")) -> int:
    """Insert the regions of ``cities``; existing codes are left alone. Returns rows added.

    Runs in the caller's transaction if one is open; otherwise in its own."""
    keys = list(cities)
    for k in keys:
        city(k)  # unknown keys fail before anything is written
    before = conn.total_changes
    with joined_transaction(conn):
        for k in keys:
            conn.executemany(_INSERT, _rows(k))
    return conn.total_changes - before
