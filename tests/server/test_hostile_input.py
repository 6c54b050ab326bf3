"""Hostile input, sent as a hostile client would (real HTTP, both backends): every bad
value is a 4xx for its own mutation - a ``rejected`` 422 verdict while the rest of the
batch lands - and a 400 on Open311; never a 5xx (issue 12 M1, H2).

A 5xx on one mutation fails its whole batch, and a console retries a failed batch
forever: one bad value would block its outbox for good.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from tests.server.helpers import create_mut, note_mut, patch_mut, push, uid

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


# --- control characters and byte limits (H2) ---------------------------------------------

CONTROLS = ["\x01", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe"]
CREATE_TEXT = ["title", "description", "reporter_name", "reporter_phone", "address", "ticket",
               "created_by"]
PATCH_TEXT = ["title", "description", "reporter_name", "reporter_phone", "address"]


@pytest.mark.parametrize("ch", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_in_every_text_field_are_rejected(live, officer, report, ch):
    text = f"Jalan{ch}rusak"
    bad = [create_mut(**{name: text}) for name in CREATE_TEXT]
    bad += [patch_mut(report, 1, **{name: text}) for name in PATCH_TEXT]
    bad.append(note_mut(report, text))
    bad.append(dispatch_mut(report, note=text))
    att = {"id": uid(), "entity": "attachment", "entity_id": uid(), "op": "create",
           "fields": {"report_id": report, "sha256": "b" * 64, "filename": f"a{ch}.jpg",
                      "mime": "image/jpeg", "size": 10},
           "actor": "op1", "at": "2026-12-01T00:00:00Z", "base_revision": None, "meta": {}}
    bad.append(att)
    actor = create_mut()
    actor["actor"] = text
    bad.append(actor)
    key = create_mut()
    key["meta"] = {text: 1}
    bad.append(key)
    results = verdicts(officer, bad)
    assert_rejected(results)
    for res in results:
        assert "control character" in res["message"], res


def test_tab_newline_and_carriage_return_are_text(live, officer):
    m = create_mut(description="Baris satu\r\nBaris dua\tdengan tab")
    (res,) = push(officer, m)
    assert res["status"] == "applied", res


def test_byte_limits(live, officer, report):
    emoji = "\U0001F600"  # four bytes in UTF-8
    bad = [create_mut(description=emoji * 20_000), create_mut(title=emoji * 200),
           note_mut(report, emoji * 10_000), create_mut(description="\x01" * 20_000)]
    results = verdicts(officer, bad)
    assert_rejected(results)
    assert all("bytes" in r["message"] for r in results[:3]), results
    # Three-byte characters fill the character limit within the byte limit.
    (res,) = push(officer, create_mut(description="\ua9b2" * 20_000))
    assert res["status"] == "applied", res


@pytest.fixture(scope="module")
def api_key(live):
    from server import auth

    return auth.create_api_key(live.ctx.db, "Aplikasi Warga")


OPEN311_FORM = {"service_code": "sampah", "lat": "-6.91", "long": "107.60",
                "description": "Sampah menumpuk", "address_string": "Jl. Pajajaran",
                "address_id": "A1", "email": "a@b.id", "device_id": "d1", "account_id": "x1",
                "first_name": "Budi", "last_name": "S", "phone": "0812000111",
                "media_url": "https://example.org/a.jpg", "jurisdiction_id": "bandung",
                "attribute[region_code]": "3273-2483-30959"}
OPEN311_QUERY = ["service_request_id", "service_code", "start_date", "end_date",
                 "jurisdiction_id"]


@pytest.mark.parametrize("ch", ["\x00", "\x01", "\x0b", "\x7f"], ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_in_every_open311_field_are_400(live, api_key, ch):
    c = live.client()
    assert c.post(f"{BASE}/requests.json", data={"api_key": api_key, **OPEN311_FORM}
                  ).status_code == 201
    for name in ["api_key", *OPEN311_FORM]:
        form = {"api_key": api_key, **OPEN311_FORM}
        form[name] = form[name][:1] + ch + form[name][1:]
        for fmt in ("json", "xml"):
            r = c.post(f"{BASE}/requests.{fmt}", data=form)
            assert r.status_code in (400, 403, 422), (name, r.status_code, r.text[:300])
            assert name == "api_key" or r.status_code != 403, (name, r.text[:300])
    for name in OPEN311_QUERY:
        for fmt in ("json", "xml"):
            r = c.get(f"{BASE}/requests.{fmt}", params={name: f"a{ch}b"})
            assert r.status_code == 400, (name, r.status_code, r.text[:300])
    r = c.get(f"{BASE}/requests/{quote(f'a{ch}b')}.json")
    assert r.status_code == 400, r.text[:300]


# --- the pull's byte budget (H2) --------------------------------------------------------

@pytest.mark.slow
def test_a_page_of_large_rows_stays_under_the_byte_budget(live):
    from server.changes import PAGE_BYTES
    from tests.server.helpers import KEL_A1

    hostile = live.account("kelurahan", regions=[KEL_A1])
    start = hostile.get("/v1/pull", params={"cursor": 0, "limit": 1}).json()["head"]
    big = "\ua9b2" * 20_000  # Javanese script: 60,000 bytes, the most a description holds
    ids = set()
    for _ in range(20):
        muts = [create_mut(KEL_A1, description=big, title="t" * 200) for _ in range(10)]
        for res in push(hostile, *muts):
            assert res["status"] == "applied", res
        ids |= {m["entity_id"] for m in muts}
    cursor, seen, pages = start, [], 0
    reader = live.other_desk(hostile)  # a session is not sent back its own pushes
    while True:
        r = reader.get("/v1/pull", params={"cursor": cursor, "limit": 5000})
        assert r.status_code == 200, r.text[:300]
        assert len(r.content) <= PAGE_BYTES, len(r.content)
        page = r.json()
        rows = page["tables"].get("report", {"rows": []})["rows"]
        assert rows, "every page carries at least one row"
        seen += [row[0] for row in rows]
        pages += 1
        if pages == 1:
            assert page["more"] is True and page["next_cursor"] < page["head"]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert pages >= 12
    assert len(seen) == len(set(seen)) and ids <= set(seen)
