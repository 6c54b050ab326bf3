"""The sync's sensor step (issue 15) against the real server on 127.0.0.1: gauges in scope
and the series of those with a report reach the console's database, cheaply, and a bad
answer is a clear error that loses nothing and never fails the cycle."""

from __future__ import annotations

import json

import pytest
import requests

from console.store import sensors as store
from console.sync.errors import BadResponse
from console.sync.sensors import parse_list, parse_series
from server.sensors import registry
from server.sensors.ingest import Ingest, now_ms
from server.sensors.readings import Reading
from tests.sync.helpers import KEL, KEL_OTHER, Front

MIN = 60_000


def _gauge(live, sid: str, region: str = KEL) -> None:
    registry.add_sensor(live.ctx.db, sid, kind="water_level", lat=-6.91, lon=107.59, warn=100,
                        danger=150, region=region)


def _cross(live, sid: str, minutes: int = 90) -> None:
    """``minutes`` of readings, one a minute, crossing danger 10 minutes ago."""
    now = now_ms()
    Ingest(live.ctx.db, live.ctx.ref).write_batch(
        [Reading(sid, now - m * MIN, 160.0 if m <= 10 else 90.0) for m in range(minutes, 0, -1)])


def test_a_crossing_brings_the_gauge_and_its_series(live, make_console):
    mine, other = "SYNC-A", "SYNC-B"
    _gauge(live, mine)
    _gauge(live, other, KEL_OTHER)
    _cross(live, mine)
    c = make_console()
    seen = []
    c.engine.on_changes = seen.append
    c.sync()
    assert c.sql("SELECT id, state, value, unit FROM sensor") == [(mine, "danger", 160.0, "cm")]
    (rid,) = c.sql("SELECT id FROM report WHERE channel = 'sensor'")[0]
    assert c.sql("SELECT sensor_id FROM sensor_report WHERE report_id = ?", rid) == [(mine,)]
    points = c.sql("SELECT t_ms, value FROM sensor_point WHERE sensor_id = ? ORDER BY t_ms", mine)
    assert 18 <= len(points) <= 20 and max(v for _t, v in points) == 160.0
    sensor_changes = [ch for ch in seen if ch.kind == "sensors"]
    assert sensor_changes and rid in sensor_changes[-1].detail["reports"]
    assert not sensor_changes[-1].report_ids  # the report itself did not change
    series = c.call(store.series_for_report, rid)
    assert series.id == mine and series.danger == 150 and series.points == points
    # Soon after: nothing is due, nothing is asked
    asked = c.engine.sensors.requests
    c.sync()
    assert c.engine.sensors.requests == asked
    # The list asked again with its ETag, unchanged: a bodiless 304
    c.engine.sensors._listed_at = None
    c.sync()
    assert c.engine.sensors.unchanged == 1


class Spoiler(Front):
    """An HTTP front of the real server whose /v1/sensors answer a test replaces."""

    dropped_headers = ("host", "content-length", "accept-encoding")

    def __init__(self, target: str) -> None:
        self.body: bytes | None = None
        super().__init__(target)

    def answer(self, command: str, path: str, body: bytes | None,
               headers: dict[str, str]) -> tuple[int, bytes, dict[str, str | None]]:
        if self.body is not None and path.split("?")[0] == "/v1/sensors":
            status, raw = 200, self.body
        else:
            r = requests.request(command, self.target + path, data=body, headers=headers,
                                 timeout=30)
            status, raw = r.status_code, r.content
        return status, raw, {"Content-Type": "application/json"}


GOOD = {"id": "X", "kind": "rain", "lat": -6.9, "lon": 107.6, "unit": "mm/h", "warn": 20,
        "danger": 50, "value": 3.5, "state": "normal", "at": 1, "report_id": None,
        "offline_report_id": None}


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not valid JSON"),
    (b'{"sensors": {}}', "'sensors' list"),
    (json.dumps({"sensors": [{**GOOD, "value": float("nan")}]}).encode(), "bad value"),
    (json.dumps({"sensors": [{k: v for k, v in GOOD.items() if k != "lat"}]}).encode(),
     "lacks lat"),
    (json.dumps({"sensors": [{**GOOD, "lat": 123.0}]}).encode(), "off the globe"),
    (json.dumps({"sensors": [{**GOOD, "state": "<b>x</b>"}]}).encode(), "unknown state"),
    (json.dumps({"sensors": [GOOD, GOOD]}).encode(), "twice"),
])
def test_a_bad_sensor_list_is_a_clear_error_and_loses_nothing(live, make_console, body, words):
    sid = "SYNC-BAD"
    _gauge(live, sid)
    _cross(live, sid, minutes=20)
    spoiler = Spoiler(live.url)
    try:
        c = make_console(spoiler.url)
        c.sync()
        before = (c.sql("SELECT * FROM sensor ORDER BY id"),
                  c.sql("SELECT * FROM sensor_point ORDER BY sensor_id, t_ms"),
                  c.sql("SELECT * FROM sensor_report ORDER BY report_id"))
        assert before[0] and before[1]
        spoiler.body = body
        c.engine.sensors._listed_at = None
        report = c.sync()  # the cycle itself goes through: reports are not held up
        assert report.complete
        assert words in c.engine.sensors.last_error
        assert (c.sql("SELECT * FROM sensor ORDER BY id"),
                c.sql("SELECT * FROM sensor_point ORDER BY sensor_id, t_ms"),
                c.sql("SELECT * FROM sensor_report ORDER BY report_id")) == before
    finally:
        spoiler.close()


@pytest.mark.parametrize("doc", [
    {"id": "X", "from": 0, "points": [[0, float("nan")]]},
    {"id": "X", "from": 0, "points": [[0, "1"]]},
    {"id": "X", "from": 0, "points": [["0", 1]]},
    {"id": "Y", "from": 0, "points": []},
    {"id": "X", "points": []},
    [],
])
def test_a_bad_series_is_refused(doc):
    with pytest.raises(BadResponse):
        parse_series(doc, "X")


def test_parse_list_keeps_text_as_data():
    # Markup in a unit or id is data here (the map escapes it); only its length is checked
    rows = parse_list({"sensors": [{**GOOD, "id": "<img src=x onerror=alert(1)>",
                                    "unit": "<b>cm"}]})
    assert rows[0]["id"].startswith("<img") and rows[0]["unit"] == "<b>cm"


def test_a_gauge_disabled_meanwhile_leaves_the_console(live, make_console):
    sid = "SYNC-OFF"
    _gauge(live, sid)
    _cross(live, sid, minutes=20)
    c = make_console()
    c.sync()
    assert c.sql("SELECT id FROM sensor WHERE id = ?", sid) == [(sid,)]
    registry.set_active(live.ctx.db, sid, False)

    def due_again(conn) -> None:  # its series wanted again (a newer reading, say)
        conn.execute("UPDATE sensor SET series_fetched_ms = NULL WHERE id = ?", (sid,))
        conn.commit()

    c.call(due_again)
    c.sync()  # the series is a 404 now: the list is asked for next time …
    assert c.engine.sensors.last_error is None
    c.sync()  # … and the gauge and its points leave
    assert c.sql("SELECT id FROM sensor WHERE id = ?", sid) == []
    assert c.sql("SELECT count(*) FROM sensor_point WHERE sensor_id = ?", sid) == [(0,)]


def test_a_login_with_another_scope_brings_that_scopes_gauges(live, make_console):
    here, there = "SYNC-S1", "SYNC-S2"
    _gauge(live, here)
    _gauge(live, there, KEL_OTHER)
    c = make_console()
    c.sync()
    ids = {r[0] for r in c.sql("SELECT id FROM sensor")}
    assert here in ids and there not in ids
    live.add_user("kel.other", "kelurahan", [KEL_OTHER])
    c.engine.config.username = "kel.other"
    from console.sync.testing.live import PASSWORD

    c.engine.login(PASSWORD)
    c.sync()  # at once, not at the list's next 2-minute turn
    ids = {r[0] for r in c.sql("SELECT id FROM sensor")}
    assert there in ids and here not in ids
