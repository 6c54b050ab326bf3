"""Coordinate checks for intake and the Open311 endpoint."""

import math

import pytest

from console.domain.geo import CITY_BOUNDS, CityBounds, haversine_m, validate_lat_lon

GEDUNG_SATE = (-6.9025, 107.6188)       # Bandung
SIMPANG_LIMA = (-6.9904, 110.4229)      # Semarang


def test_valid_coordinates_come_back_as_floats():
    assert validate_lat_lon(-6.9025, 107.6188) == (-6.9025, 107.6188)
    lat, lon = validate_lat_lon(-7, 110)
    assert (lat, lon) == (-7.0, 110.0) and type(lat) is float
    assert validate_lat_lon(90, -180) == (90.0, -180.0)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (-91, 107.6, "latitude must be between -90 and 90"),
        (-6.9, 180.5, "longitude must be between -180 and 180"),
        (math.nan, 107.6, "finite"),
        (-6.9, math.inf, "finite"),
        ("-6.9", 107.6, "latitude must be a number"),
        (None, 107.6, "latitude must be a number"),
        (-6.9, True, "longitude must be a number"),
    ],
)
def test_invalid_coordinates_rejected_clearly(lat, lon, message):
    with pytest.raises(ValueError, match=message):
        validate_lat_lon(lat, lon)


def test_swapped_pair_gets_a_hint():
    with pytest.raises(ValueError, match="swapped"):
        validate_lat_lon(107.6188, -6.9025)


def test_city_boxes():
    bandung, semarang = CITY_BOUNDS["bandung"], CITY_BOUNDS["semarang"]
    assert bandung.contains(*GEDUNG_SATE) and not bandung.contains(*SIMPANG_LIMA)
    assert semarang.contains(*SIMPANG_LIMA) and not semarang.contains(*GEDUNG_SATE)
    assert bandung.contains(*bandung.centre) and semarang.contains(*semarang.centre)
    assert not bandung.contains(0.0, 0.0)  # "null island" from a GPS that had no fix
    with pytest.raises(ValueError):
        bandung.contains(math.nan, 107.6)


def test_bad_bounds_rejected():
    with pytest.raises(ValueError, match="min must be below max"):
        CityBounds("X", -6.8, -6.9, 107.5, 107.7, (-6.85, 107.6))
    with pytest.raises(ValueError, match="outside"):
        CityBounds("X", -6.9, -6.8, 107.5, 107.7, (-7.0, 107.6))


def test_haversine_known_distances():
    assert haversine_m(*GEDUNG_SATE, *GEDUNG_SATE) == 0.0
    # One degree of latitude on the mean sphere is 111.195 km.
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195, abs=1)
    d = haversine_m(*GEDUNG_SATE, *SIMPANG_LIMA)
    assert 300_000 < d < 320_000  # Bandung to Semarang, ~310 km as the crow flies
    assert d == pytest.approx(haversine_m(*SIMPANG_LIMA, *GEDUNG_SATE))
    # Two reports 0.0001 degree apart are about 11 m apart: the same pothole.
    assert haversine_m(-6.9, 107.6, -6.9001, 107.6) == pytest.approx(11.1, abs=0.1)
    assert haversine_m(0, 0, 0, 180) == pytest.approx(math.pi * 6_371_008.8)
    with pytest.raises(ValueError):
        haversine_m(-95, 0, 0, 0)
