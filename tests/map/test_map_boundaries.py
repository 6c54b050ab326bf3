"""Importing region boundaries from GeoJSON: good features in, bad ones explained."""

from __future__ import annotations

import json

import pytest

from console.map.boundaries import BoundaryFileError, import_boundaries, validate_geometry
from console.map.data import boundary_collection


def square(lon, lat, d=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d],
                                                [lon, lat + d], [lon, lat]]]}  # fmt: skip


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def regions(conn, level, limit=3):
    return conn.execute(
        "SELECT code, name FROM region WHERE level = ? AND code LIKE '3273-%' ORDER BY code "
        "LIMIT ?",
        (level, limit),
    ).fetchall()


def test_import_matches_codes_and_names_and_explains_the_rest(conn):
    (k1, n1), (k2, n2), (k3, n3) = regions(conn, "kecamatan")
    kel_code, kel_name = regions(conn, "kelurahan", 1)[0]
    kec_of_kel = conn.execute("SELECT p.name FROM region r JOIN region p ON p.code = r.parent_code "
                              "WHERE r.code = ?", (kel_code,)).fetchone()[0]  # fmt: skip
    bowtie = {"type": "Polygon", "coordinates": [[[107.6, -6.9], [107.62, -6.88], [107.62, -6.9],
                                                  [107.6, -6.88], [107.6, -6.9]]]}  # fmt: skip
    doc = {"type": "FeatureCollection", "features": [
        feature({"code": k1}, square(107.60, -6.92)),
        feature({"KECAMATAN": f"Kecamatan {n2.upper()}"}, square(107.62, -6.92)),
        feature({"WADMKD": kel_name, "WADMKC": kec_of_kel}, square(107.60, -6.90, 0.005)),
        feature({"nama": n3}, bowtie),  # crosses itself
        feature({"code": k3}, {"type": "Polygon", "coordinates": [[[107.6, -6.9], [107.61, -6.9]]]}),
        feature({"code": k3}, {"type": "Point", "coordinates": [107.6, -6.9]}),
        feature({"code": k3}, square(-6.9, 107.6)),  # latitude and longitude swapped
        feature({"nama": "Kecamatan Atlantis"}, square(107.7, -6.9)),
        feature({"code": k1}, square(107.60, -6.92)),  # the same region twice
        "not a feature",
    ]}  # fmt: skip
    result = import_boundaries(conn, json.dumps(doc), city_code="3273")
    assert result.total == 10
    assert [code for code, _n, _l in result.imported] == [k1, k2, kel_code]
    reasons = [(i.index, i.reason) for i in result.issues]
    assert reasons == [(4, "self_intersection"), (5, "ring_short"), (6, "type"), (7, "swapped"),
                       (8, "no_region"), (9, "duplicate"), (10, "not_feature")]  # fmt: skip
    fc = boundary_collection(conn)
    assert {f["properties"]["code"] for f in fc["features"]} == {k1, k2, kel_code}
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in fc["features"]}
    assert levels[kel_code] == "kelurahan"
    # The file's own properties never reach the page; only our code, name and level.
    assert all(set(f["properties"]) == {"code", "name", "level"} for f in fc["features"])


def test_hostile_property_text_stays_a_label(conn):
    doc = {"type": "FeatureCollection",
           "features": [feature({"nama": "<script>alert(1)</script>"}, square(107.6, -6.9))]}  # fmt: skip
    result = import_boundaries(conn, json.dumps(doc))
    assert result.issues[0].reason == "no_region"
    assert result.issues[0].label == "<script>alert(1)</script>"  # shown as plain text


@pytest.mark.parametrize(
    "data, kind",
    [(b"\x00\x01garbage", "not_json"), (b'{"type": "Topology"}', "not_geojson"), (b"[]", "not_geojson")],
)  # fmt: skip
def test_unusable_files(conn, data, kind):
    with pytest.raises(BoundaryFileError) as info:
        import_boundaries(conn, data)
    assert info.value.kind == kind


def test_geometry_rules():
    clean = validate_geometry({"type": "Polygon", "coordinates": [[[107.6, -6.9], [107.61, -6.9],
                                                                   [107.61, -6.89]]]})  # fmt: skip
    assert clean["coordinates"][0][0] == clean["coordinates"][0][-1]  # closed for us
    multi = validate_geometry({"type": "MultiPolygon",
                               "coordinates": [square(107.6, -6.9)["coordinates"],
                                               square(107.7, -6.9)["coordinates"]]})  # fmt: skip
    assert len(multi["coordinates"]) == 2
    for bad in (
        None,
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[["a", 1], [1, 2], [2, 2], ["a", 1]]]},
        {"type": "Polygon", "coordinates": [[[1, 1], [1, 1], [1, 1], [1, 1]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[float("nan"), 0], [1, 1], [2, 0], [0, 0]]]},
        {"type": "MultiPolygon", "coordinates": []},
    ):
        with pytest.raises(ValueError):
            validate_geometry(bad)
