"""Open311 GeoReport v2: services, filing a request, reading requests; round trip to pull."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import httpx
import pytest

from server import auth
from tests.server.helpers import KEL_A1, head, pull_all

BASE = "/open311/v2"


@pytest.fixture(scope="module")
def api_key(live):
    return auth.create_api_key(live.ctx.db, "Aplikasi Warga")


def _file(live, api_key, **over):
    form = {"api_key": api_key, "service_code": "sampah", "lat": "-6.91", "long": "107.60",
            "description": "Sampah menumpuk di pinggir jalan\nsudah 3 hari",
            "address_string": "Jl. Pajajaran, Bandung", "first_name": "Budi",
            "phone": "0812000111", "attribute[region_code]": KEL_A1}
    form.update(over)
    return live.client().post(f"{BASE}/requests.json", data={k: v for k, v in form.items()
                                                             if v is not None})


def test_services(live):
    c = live.client()
    services = c.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services}
    assert {"sampah", "jalan_rusak", "kebakaran"} <= codes
    assert all(s["type"] == "realtime" for s in services)
    r = c.get(f"{BASE}/services.xml")
    assert r.headers["content-type"].startswith("text/xml")
    assert ET.fromstring(r.content).find("service/service_code") is not None
    d = c.get(f"{BASE}/services/sampah.json").json()
    assert d["service_code"] == "sampah" and d["attributes"][0]["code"] == "region_code"
    assert c.get(f"{BASE}/services/sampah.xml").status_code == 200
    r = c.get(f"{BASE}/services/nope.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404


def test_filed_request_reaches_consoles_in_scope(live, api_key):
    kel = live.account("kelurahan", [KEL_A1])
    other = live.account("kelurahan", ["3273-2484"])
    center = live.account("operator")
    cursors = {c: head(c) for c in (kel, other, center)}
    r = _file(live, api_key)
    assert r.status_code == 201, r.text
    (created,) = r.json()
    ticket = created["service_request_id"]
    assert ticket.startswith("BDG-")
    rows, _ = pull_all(kel, cursors[kel])
    (rep,) = rows["report"]
    assert rep["ticket"] == ticket and rep["channel"] == "app" and rep["source"] == "open311"
    assert rep["region_code"] == KEL_A1 and rep["reporter_name"] == "Budi"
    assert rep["title"] == "Sampah menumpuk di pinggir jalan"
    assert rep["sla_due_at"] is not None and rep["priority"] == 3
    rows, _ = pull_all(center, cursors[center])
    assert ticket in {x["ticket"] for x in rows["report"]}
    rows, _ = pull_all(other, cursors[other])
    assert "report" not in rows
    # ... and can be read back through Open311 without personal data.
    one = live.client().get(f"{BASE}/requests/{ticket}.json").json()[0]
    assert one["service_request_id"] == ticket and one["status"] == "open"
    assert "Budi" not in str(one) and "0812000111" not in str(one)
    assert one["lat"] == -6.91 and one["zipcode"] == "40184"
    x = live.client().get(f"{BASE}/requests/{ticket}.xml")
    assert ET.fromstring(x.content).find("request/service_request_id").text == ticket


def test_region_from_postal_code_or_city(live, api_key):
    kec = live.account("supervisor", ["3273-2483"])
    cases = [("Jl. Ciroyom, Bandung 40182", "3273-2483-30960"),  # one kelurahan has 40182
             ("Jl. Sudirman, Bandung 40184", "3273-2483"),  # three share it: their kecamatan
             ]
    for address, region in cases:
        cursor = head(kec)
        r = _file(live, api_key, **{"attribute[region_code]": None, "address_string": address})
        assert r.status_code == 201
        rows, _ = pull_all(kec, cursor)
        assert rows["report"][0]["region_code"] == region
    center = live.account("operator")
    cursor = head(center)
    r = _file(live, api_key, **{"attribute[region_code]": None, "address_string": "Bandung"})
    rows, _ = pull_all(center, cursor)
    assert rows["report"][0]["region_code"] == "3273"
    rows, _ = pull_all(kec, cursor)
    assert "report" not in rows


def test_find_requests_with_filters(live, api_key):
    c = live.client()
    t1 = _file(live, api_key, service_code="jalan_rusak").json()[0]["service_request_id"]
    t2 = _file(live, api_key, service_code="drainase").json()[0]["service_request_id"]
    got = {x["service_request_id"] for x in c.get(f"{BASE}/requests.json",
                                                 params={"service_code": "jalan_rusak"}).json()}
    assert t1 in got and t2 not in got
    got = c.get(f"{BASE}/requests.json", params={"service_request_id": f"{t1},{t2}"}).json()
    assert {x["service_request_id"] for x in got} == {t1, t2}
    assert c.get(f"{BASE}/requests.json", params={"status": "closed",
                                                 "service_code": "drainase"}).json() == []
    got = c.get(f"{BASE}/requests.json", params={"start_date": "2000-01-01T00:00:00Z",
                                                 "end_date": "2001-01-01T00:00:00Z"}).json()
    assert got == []
    r = c.get(f"{BASE}/requests.json", params={"start_date": "yesterday"})
    assert r.status_code == 400 and "start_date" in r.json()[0]["description"]
    r = c.get(f"{BASE}/requests.json", params={"status": "maybe"})
    assert r.status_code == 422 and r.json()[0]["code"] == 422
    assert c.get(f"{BASE}/requests/NOPE-1.json").status_code == 404


def test_emergencies_are_not_public(live, api_key):
    t = _file(live, api_key, service_code="kebakaran").json()[0]["service_request_id"]
    assert live.client().get(f"{BASE}/requests/{t}.json").status_code == 404


def test_bad_requests(live, api_key):
    r = _file(live, "wrong")
    assert r.status_code == 403 and r.json() == [{"code": 403, "description": "invalid api_key"}]
    r = _file(live, api_key, service_code="nope")
    assert r.status_code == 404
    r = _file(live, api_key, lat="52.37", long="4.89")
    assert r.status_code == 400 and "outside Kota Bandung" in r.json()[0]["description"]
    r = _file(live, api_key, lat="95", long="107.6")
    assert r.status_code == 400 and "latitude" in r.json()[0]["description"]
    r = _file(live, api_key, lat="abc")
    assert r.status_code == 422 and "lat" in r.json()[0]["description"]
    r = _file(live, api_key, lat="nan")
    assert r.status_code == 422
    r = _file(live, api_key, lat=None, long=None, address_string=None)
    assert r.status_code == 400 and "location" in r.json()[0]["description"]
    r = _file(live, api_key, colour="red")
    assert r.status_code == 422 and "colour" in r.json()[0]["description"]
    r = _file(live, api_key, **{"attribute[region_code]": "9999"})
    assert r.status_code == 400
    r = live.client().post(f"{BASE}/requests.xml", data={"service_code": "sampah"})
    assert r.status_code == 422 and ET.fromstring(r.content).find("error/code").text == "422"
    # Form bytes that are not UTF-8.
    r = live.client().post(f"{BASE}/requests.json",
                           content=b"api_key=" + api_key.encode() + b"&service_code=sampah"
                                   b"&lat=-6.91&long=107.6&description=%ff%fe",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422 and "UTF-8" in r.json()[0]["description"], r.text


def test_html_in_description_is_escaped_in_xml(live, api_key):
    r = live.client().post(f"{BASE}/requests.xml", data={
        "api_key": api_key, "service_code": "sampah", "lat": "-6.91", "long": "107.6",
        "description": "<script>alert('x')</script>"})
    assert r.status_code == 201
    ticket = ET.fromstring(r.content).find("request/service_request_id").text
    x = live.client().get(f"{BASE}/requests/{ticket}.xml")
    assert b"<script>" not in x.content
    assert ET.fromstring(x.content).find("request/description").text == "<script>alert('x')</script>"


def test_xml_feed_survives_a_control_character_stored_before_the_refusal(live, api_key):
    """Issue 12 M9: a row holding U+000B (stored before control characters were refused)
    made requests.xml unparseable for every reader of the public feed."""
    from sqlalchemy import update

    from server.models import Report

    ticket = _file(live, api_key).json()[0]["service_request_id"]
    r_t = Report.__table__
    with live.ctx.db.write() as conn:
        conn.execute(update(r_t).where(r_t.c.ticket == ticket)
                     .values(description="Banjir\x0bsetinggi lutut\x01", address="Jl.\x1bA"))
    for url in (f"{BASE}/requests.xml", f"{BASE}/requests/{ticket}.xml"):
        r = live.client().get(url)
        assert r.status_code == 200
        root = ET.fromstring(r.content)
        mine = [el for el in root.iter("request")
                if el.findtext("service_request_id") == ticket]
        assert mine and mine[0].findtext("description") == "Banjir\ufffdsetinggi lutut\ufffd"
    # JSON carries the text as stored (JSON can escape anything).
    r = live.client().get(f"{BASE}/requests/{ticket}.json")
    assert r.json()[0]["description"] == "Banjir\x0bsetinggi lutut\x01"


def test_a_bug_under_open311_is_answered_in_its_format_and_logged_once(live, monkeypatch,
                                                                        caplog):
    """Open311 is its own mounted application: a bug in one of its routes answers 500 in
    the GeoReport error format, and the server's log says so once (the outer application
    sees the same exception after the answer has gone)."""
    import logging

    from server.routes import open311

    def boom(ctx, code):  # noqa: ANN001, ANN202
        raise RuntimeError("a bug")

    monkeypatch.setattr(open311, "_service", boom)
    with caplog.at_level(logging.ERROR):
        r = httpx.get(live.base_url + "/open311/v2/services.json", timeout=10)
    assert r.status_code == 500
    assert r.json() == [{"code": 500,
                         "description": "internal server error; the change was not stored"}]
    assert len([x for x in caplog.records if "unhandled error" in x.getMessage()]) == 1
