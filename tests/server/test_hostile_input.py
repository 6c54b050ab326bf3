"""Hostile input, sent as a hostile client would (real HTTP, both backends): every bad
value is a 4xx for its own mutation - a ``rejected`` 422 verdict while the rest of the
batch lands - and a 400 on Open311; never a 5xx (issue 12 M1, H2).

A 5xx on one mutation fails its whole batch, and a console retries a failed batch
forever: one bad value would block its outbox for good.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.server.conftest import create_mut, patch_mut, push, uid

BASE = "/open311/v2"
OVERFLOW_TIMES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
BAD_TIMES = [*OVERFLOW_TIMES, "NaN", "Infinity", "-inf", "1e400", "+275760-09-13", "\x01"]
CREATE_TIMES = ["created_at", "updated_at", "sla_due_at"]
PATCH_TIMES = ["sla_due_at", "verified_at", "dispatched_at", "resolved_at", "closed_at"]
HUGE = 10**400
#: Raw JSON number text put in place of this marker string (json.dumps cannot write it).
INF_TEXT = "__1e400__"
BAD_NUMBERS = [HUGE, -HUGE, INF_TEXT, "NaN", "Infinity", "-Infinity", "1e400", "nan"]


@pytest.fixture(scope="module")
def officer(live):
    return live.account("supervisor")


@pytest.fixture(scope="module")
def report(officer):
    m = create_mut()
    (res,) = push(officer, m)
    assert res["status"] == "applied", res
    return m["entity_id"]


def verdicts(client, bad: list[dict]) -> list[dict]:
    """Push ``bad`` followed by one good create; the good one must still land."""
    good = create_mut()
    body = json.dumps({"mutations": [*bad, good]}).replace(f'"{INF_TEXT}"', "1e400")
    r = client.post("/v1/push", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:500]
    results = r.json()["results"]
    assert results[-1]["status"] == "applied", results[-1]
    return results[:-1]


def assert_rejected(results: list[dict]) -> None:
    for res in results:
        assert res["status"] == "rejected" and res["code"] == 422, res
        assert res["message"]


def dispatch_mut(report_id: str, **fields) -> dict:
    return {"id": uid(), "entity": "dispatch", "entity_id": uid(), "op": "dispatch",
            "fields": {"report_id": report_id, "agency_code": "dpu", **fields},
            "actor": "op1", "at": "2026-12-01T00:00:00Z", "base_revision": None, "meta": {}}


@pytest.mark.parametrize("value", BAD_TIMES)
def test_bad_times_are_rejected_one_by_one(live, officer, report, value):
    bad = [create_mut(**{name: value}) for name in CREATE_TIMES]
    bad += [patch_mut(report, 1, **{name: value}) for name in PATCH_TIMES]
    bad.append(dispatch_mut(report, expected_at=value))
    assert_rejected(verdicts(officer, bad))


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=lambda v: str(v)[:12])
def test_bad_numbers_are_rejected_one_by_one(live, officer, report, value):
    bad = [create_mut(lat=value), create_mut(lon=value), create_mut(lat=value, lon=value),
           create_mut(priority=value), patch_mut(report, 1, lat=value, lon=107.6),
           patch_mut(report, 1, lon=value, lat=-6.9), patch_mut(report, 1, priority=value)]
    assert_rejected(verdicts(officer, bad))


def test_huge_integers_elsewhere(live, officer, report):
    m = patch_mut(report, 1, title="x")
    m["base_revision"] = HUGE
    att = {"id": uid(), "entity": "attachment", "entity_id": uid(), "op": "create",
           "fields": {"report_id": report, "sha256": "a" * 64, "filename": "a.jpg",
                      "mime": "image/jpeg", "size": HUGE},
           "actor": "op1", "at": "2026-12-01T00:00:00Z", "base_revision": None, "meta": {}}
    assert_rejected(verdicts(officer, [m, att]))


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("param", ["start_date", "end_date"])
@pytest.mark.parametrize("value", BAD_TIMES)
def test_open311_dates_out_of_range_are_400(live, fmt, param, value):
    r = live.client().get(f"{BASE}/requests.{fmt}", params={param: value})
    assert r.status_code == 400, r.text[:300]
    if fmt == "xml":
        assert ET.fromstring(r.content).find("error/code").text == "400"
    else:
        assert r.json()[0]["code"] == 400
