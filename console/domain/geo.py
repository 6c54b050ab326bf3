"""Coordinate checks shared by intake (console) and the server's Open311 endpoint.

Only what both sides need to reject bad input consistently: range checks, a
city bounding box for "is this plausibly ours?", and great-circle distance for
duplicate scoring. Map projection and tiles belong to the views.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from types import MappingProxyType
from typing import Final

__all__ = ["CITY_BOUNDS", "CityBounds", "EARTH_RADIUS_M", "haversine_m", "validate_lat_lon"]

#: Mean Earth radius (IUGG); error vs. the ellipsoid is < 0.5%, fine for
#: "are these two reports about the same pothole".
EARTH_RADIUS_M: Final = 6_371_008.8


def _coordinate(value: object, name: str) -> float:
    # bool is an int subclass; True as a latitude is always a bug upstream.
    # Strings are refused too: parsing wire text is the caller's job, so a
    # malformed Open311 field fails where it can be reported as such.
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    return number


def validate_lat_lon(lat: object, lon: object) -> tuple[float, float]:
    """Return ``(lat, lon)`` as floats, or raise ValueError saying what is wrong."""
    la = _coordinate(lat, "latitude")
    lo = _coordinate(lon, "longitude")
    if not -90.0 <= la <= 90.0:
        # Indonesia's longitudes (95..141) are never valid latitudes, so this is
        # almost always a swapped pair; say so.
        hint = " (latitude and longitude swapped?)" if -90.0 <= lo <= 90.0 else ""
        raise ValueError(f"latitude must be between -90 and 90, got {la}{hint}")
    if not -180.0 <= lo <= 180.0:
        raise ValueError(f"longitude must be between -180 and 180, got {lo}")
    return la, lo


@dataclass(frozen=True, slots=True)
class CityBounds:
    """An axis-aligned box around a city, for plausibility checks only.

    A box over-covers the real boundary (neighbouring kabupaten fall inside
    corners), so "inside" means "plausibly ours", never "ours".
    """

    name: str
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float
    centre: tuple[float, float]

    def __post_init__(self) -> None:
        validate_lat_lon(self.min_lat, self.min_lon)
        validate_lat_lon(self.max_lat, self.max_lon)
        if not (self.min_lat < self.max_lat and self.min_lon < self.max_lon):
            raise ValueError(f"{self.name}: min must be below max")
        if not self.contains(*self.centre):
            raise ValueError(f"{self.name}: centre {self.centre} lies outside the box")

    def contains(self, lat: float, lon: float) -> bool:
        """True if the point is inside the box (edges included); raises on invalid input."""
        la, lo = validate_lat_lon(lat, lon)
        return self.min_lat <= la <= self.max_lat and self.min_lon <= lo <= self.max_lon


# Approximate administrative bounding boxes of the two pilot cities, read off
# public maps and rounded outwards to 0.01 degree. They are NOT survey
# boundaries; region assignment must use the kelurahan polygons/codes.
CITY_BOUNDS: Final[Mapping[str, CityBounds]] = MappingProxyType(
    {
        "bandung": CityBounds("Kota Bandung", -6.97, -6.84, 107.54, 107.74, (-6.9147, 107.6098)),
        "semarang": CityBounds(
            "Kota Semarang", -7.14, -6.93, 110.27, 110.50, (-6.9667, 110.4167)
        ),
    }
)


def haversine_m(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in metres between two validated points."""
    la1, lo1 = validate_lat_lon(a_lat, a_lon)
    la2, lo2 = validate_lat_lon(b_lat, b_lon)
    p1, p2 = math.radians(la1), math.radians(la2)
    dp = p2 - p1
    dl = math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # min() guards against h creeping above 1 by rounding for antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
