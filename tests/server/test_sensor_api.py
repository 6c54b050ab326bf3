"""The console's sensor endpoints (issue 15) over real HTTP, SQLite and PostgreSQL: scope
from the login only, a compact 24 h series, and hostile requests answered 4xx, never 5xx."""

from __future__ import annotations

import pytest

from server.sensors import registry
from server.sensors.ingest import Ingest, now_ms
from server.sensors.readings import Reading
from server.sensors.rollup import BUCKET_MS
from tests.server.helpers import KEL_A1
from tests.server.sensorkit import sensor_id

KEL_B = "3273-2484-30965"  # Antapani Kidul, another kecamatan
MIN = 60_000


@pytest.fixture(scope="module")
def gauges(live):
    """Three gauges: one in KEL_A1, one in KEL_B, one city-wide (no region); the first has
    a day of readings, one a minute, and crossed danger."""
    ids = {"a": sensor_id("API-A"), "b": sensor_id("API-B"), "city": sensor_id("API-C")}
    for key, region in (("a", KEL_A1), ("b", KEL_B), ("city", None)):
        registry.add_sensor(live.ctx.db, ids[key], kind="water_level", lat=-6.91, lon=107.59,
                            warn=100, danger=150, region=region, city_code=None)
    ing = Ingest(live.ctx.db, live.ctx.ref)
    now = now_ms()
    # 30 h back, so the window's cut is exercised; a bump to 170 two hours ago
    readings = [Reading(ids["a"], now - m * MIN, 80.0 + (90.0 if m == 120 else 0.0))
                for m in range(30 * 60, 0, -1)]
    ing.write_batch(readings)
    ing.write_batch([Reading(ids["b"], now - MIN, 20.0)])
    return ids


def test_a_kelurahan_account_sees_only_its_gauges(live, gauges):
    kel = live.account("kelurahan", regions=[KEL_A1])
    city = live.account("operator")
    r = kel.get("/v1/sensors")
    assert r.status_code == 200, r.text
    mine = {s["id"]: s for s in r.json()["sensors"]}
    assert gauges["a"] in mine and gauges["b"] not in mine and gauges["city"] not in mine
    a = mine[gauges["a"]]
    assert (a["kind"], a["unit"], a["warn"], a["danger"], a["lat"], a["lon"]) == (
        "water_level", "cm", 100, 150, -6.91, 107.59)
    # the last reading (one minute ago) is 80: back below warn after the bump
    assert a["value"] == 80.0 and a["state"] == "normal" and isinstance(a["at"], int)
    assert a["report_id"] is not None  # the bump made a report
    everything = {s["id"] for s in city.get("/v1/sensors").json()["sensors"]}
    assert {gauges["a"], gauges["b"], gauges["city"]} <= everything
    never = {s["id"]: s for s in city.get("/v1/sensors").json()["sensors"]}[gauges["city"]]
    assert never["value"] is None and never["at"] is None and never["state"] == "normal"


def test_an_unchanged_list_is_a_bodiless_304(live, gauges):
    kel = live.account("kelurahan", regions=[KEL_A1])
    first = kel.get("/v1/sensors")
    etag = first.headers["etag"]
    again = kel.get("/v1/sensors", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    Ingest(live.ctx.db, live.ctx.ref).write_batch([Reading(gauges["a"], now_ms(), 120.0)])
    changed = kel.get("/v1/sensors", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert {s["id"]: s for s in changed.json()["sensors"]}[gauges["a"]]["state"] == "warn"


def test_series_is_24_hours_of_5_minute_maxima(live, gauges):
    kel = live.account("kelurahan", regions=[KEL_A1])
    r = kel.get(f"/v1/sensors/{gauges['a']}/series", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200, r.text
    assert r.headers.get("content-encoding") == "gzip"  # small on a slow link
    doc = r.json()
    points = doc["points"]
    assert doc["bucket_ms"] == BUCKET_MS and 280 <= len(points) <= 288
    assert all(t % BUCKET_MS == 0 for t, _v in points)
    assert [t for t, _v in points] == sorted(t for t, _v in points)
    assert points[0][0] >= doc["to"] - 24 * 3600_000
    assert max(v for _t, v in points) == 170.0  # the bump survives downsampling
    # since: only the buckets from the one holding it
    tail = kel.get(f"/v1/sensors/{gauges['a']}/series",
                   params={"since": points[-3][0] + 1}).json()["points"]
    assert tail == points[-3:] or tail[:2] == points[-3:-1]


@pytest.mark.parametrize("path, params", [
    ("/v1/sensors/{b}/series", {}),                 # another kelurahan's gauge
    ("/v1/sensors/{city}/series", {}),              # a city-wide gauge
    ("/v1/sensors/NOPE-123/series", {}),            # nobody
])
def test_other_scope_and_unknown_ids_are_the_same_404(live, gauges, path, params):
    kel = live.account("kelurahan", regions=[KEL_A1])
    r = kel.get(path.format(**gauges), params=params)
    assert r.status_code == 404, r.text
    assert "does not exist or is outside your regions" in r.json()["message"]


@pytest.mark.parametrize("path, params", [
    ("/v1/sensors/{a}/series", {"hours": 0}),
    ("/v1/sensors/{a}/series", {"hours": 25}),
    ("/v1/sensors/{a}/series", {"hours": "a day"}),
    ("/v1/sensors/{a}/series", {"since": -1}),
    ("/v1/sensors/{a}/series", {"since": "1e400"}),
    ("/v1/sensors/{a}/series", {"since": 2**70}),
    ("/v1/sensors/%3Cscript%3Ealert(1)%3C%2Fscript%3E/series", {}),
    ("/v1/sensors/" + "x" * 65 + "/series", {}),
    ("/v1/sensors/'%20OR%201=1--/series", {}),
])
def test_bad_parameters_are_4xx(live, gauges, path, params):
    kel = live.account("kelurahan", regions=[KEL_A1])
    r = kel.get(path.format(**gauges), params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)


def test_without_a_valid_token_401(live, gauges):
    assert live.client().get("/v1/sensors").status_code == 401
    assert live.client("not-a-token").get(f"/v1/sensors/{gauges['a']}/series").status_code == 401
