"""Issue 12 M10: the anonymous Open311 reads. They answered up to 1,000 rows (3.5 MB) at
once, uncached and unlimited (10 anonymous clients kept the CPU at 100 %), and published
the description, address and exact coordinates of every non-emergency report of every
channel. Now: pages, a short cache, a limit per address, and only what a citizen portal
should show - tested as an anonymous client."""

from __future__ import annotations

import time

import httpx
import pytest

from server import auth
from server.public_reads import PublicReads
from tests.server.helpers import KEL_A1, create_mut, own_ticket, patch_mut, push

URL = "/open311/v2/requests.json"


def anon(live, last: int) -> httpx.Client:
    return live.client(transport=httpx.HTTPTransport(local_address=f"127.0.0.{last}"))


def test_answers_come_in_pages(live):
    center = live.account("operator")
    muts = [create_mut(category_code="drainase", ticket=own_ticket(center),
                       created_at=f"2026-11-28 10:{i:02d}:00.000000") for i in range(60)]
    assert {x["status"] for x in push(center, *muts)} == {"applied"}
    c = anon(live, 80)
    params = {"service_code": "drainase", "start_date": "2026-11-01T00:00:00Z"}
    r = c.get(URL, params=params)
    assert r.status_code == 200 and len(r.json()) == 50  # the default page size
    assert 'rel="next"' in r.headers["link"] and "page=2" in r.headers["link"]
    seen = []
    page = 1
    while True:
        r = c.get(URL, params={**params, "page": page, "page_size": 25})
        assert r.status_code == 200
        seen += [x["service_request_id"] for x in r.json()]
        if "link" not in r.headers:
            break
        page += 1
    tickets = [m["fields"]["ticket"] for m in reversed(muts)]  # newest first, no gaps
    assert seen == tickets and page == 3
    r = c.get(URL, params={**params, "page_size": 201})
    assert r.status_code == 422 and r.json()[0]["code"] == 422


def test_only_what_a_citizen_portal_should_show(live):
    center = live.account("operator")
    phone = create_mut(category_code="jalan_rusak", lat=-6.91234, lon=107.60987,
                       ticket=own_ticket(center),
                       title="Jalan rusak depan rumah Pak Budi",
                       description="Lubang di depan rumah Pak Budi, Gg. Melati 5")
    call112 = create_mut(category_code="jalan_rusak", channel="phone_112",
                         ticket=own_ticket(center))
    prank = create_mut(category_code="jalan_rusak", ticket=own_ticket(center))
    push(center, phone, call112, prank)
    (res,) = push(center, patch_mut(prank["entity_id"], 1, status="prank"))
    assert res["status"] == "applied", res
    key = auth.create_api_key(live.ctx.db, "Aplikasi Warga")
    filed = live.client().post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "jalan_rusak", "lat": "-6.91234", "long": "107.60987",
        "description": "Jalan berlubang dekat pasar", "address_string": "Jl. Pasar 1",
        "first_name": "Sari", "phone": "0812999888", "attribute[region_code]": KEL_A1})
    filed_ticket = filed.json()[0]["service_request_id"]

    r = anon(live, 81).get(URL, params={"service_code": "jalan_rusak", "page_size": 200})
    body = r.text
    for secret in ("Ibu Sari", "081234567890", "Pak Budi", "Gg. Melati", "Jl. Cihampelas",
                   "Sari", "0812999888"):
        assert secret not in body, secret
    by_ticket = {x["service_request_id"]: x for x in r.json()}
    assert call112["fields"]["ticket"] not in by_ticket
    assert prank["fields"]["ticket"] not in by_ticket
    told = by_ticket[phone["fields"]["ticket"]]  # told to the city, not published
    assert told["description"] == told["service_name"] and told["address"] is None
    assert (told["lat"], told["long"]) == (-6.91, 107.61) and told["media_url"] is None
    own = by_ticket[filed_ticket]  # what the citizen filed publicly
    assert own["description"] == "Jalan berlubang dekat pasar"
    assert own["address"] == "Jl. Pasar 1" and (own["lat"], own["long"]) == (-6.91234, 107.60987)
    one = anon(live, 81).get(f"/open311/v2/requests/{phone['fields']['ticket']}.json").json()
    assert one == [told]
    for hidden in (call112, prank):
        r = anon(live, 81).get(f"/open311/v2/requests/{hidden['fields']['ticket']}.json")
        assert r.status_code == 404


@pytest.fixture
def fresh_public(live):
    before = live.ctx.public, live.ctx.settings
    yield live.ctx
    live.ctx.public, live.ctx.settings = before


def test_anonymous_reads_are_limited_per_address(live, fresh_public):
    fresh_public.public = PublicReads(ttl=10)
    fresh_public.settings = live.settings.with_(open311_reads_per_address=5)
    c = anon(live, 82)
    codes = [c.get(URL, params={"page": i + 1}).status_code for i in range(5)]
    assert codes == [200] * 5
    r = c.get(URL)  # cached or not, a read is a read
    assert r.status_code == 429 and r.json()[0]["code"] == 429
    assert 0 < int(r.headers["retry-after"]) <= 60
    assert c.get("/open311/v2/requests/NOPE.json").status_code == 429
    assert anon(live, 83).get(URL).status_code == 200  # another address


def test_answers_are_cached_briefly(live, fresh_public):
    fresh_public.public = PublicReads(ttl=0.5)
    center = live.account("operator")
    c = anon(live, 84)
    params = {"service_code": "sampah", "page_size": 200}
    first = c.get(URL, params=params).json()
    push(center, create_mut(category_code="sampah"))
    assert c.get(URL, params=params).json() == first  # served from the cache
    time.sleep(0.6)
    assert len(c.get(URL, params=params).json()) == len(first) + 1
