"""Issue 12 M5: one Open311 key (embedded in a citizen app, so anyone can pull it out)
filed 100 fire reports in 0.4 s, all priority 1, alarming every console. Filing is now
limited per key and per client address, in counters every server process shares, and a
filed report never starts as priority 1."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import httpx
import pytest

from server import auth
from tests.server.helpers import KEL_A1, head, pull_all, start_server

URL = "/open311/v2/requests.json"


@pytest.fixture
def limits(live):
    """Tight limits on the shared server for one test (the routes read ctx.settings)."""
    before = live.ctx.settings

    def set_(**kw) -> None:
        live.ctx.settings = before.with_(**kw)

    yield set_
    live.ctx.settings = before


def from_addr(base_url: str, last: int) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=30,
                        transport=httpx.HTTPTransport(local_address=f"127.0.0.{last}"))


def fire(client: httpx.Client, key: str, url: str = URL) -> httpx.Response:
    return client.post(url, data={"api_key": key, "service_code": "kebakaran",
                                  "lat": "-6.91", "long": "107.60",
                                  "description": "Kebakaran rumah", "attribute[region_code]": KEL_A1})


def test_one_key_cannot_flood_from_many_addresses(live, limits):
    limits(open311_posts_per_key=5, open311_posts_per_address=1000)
    key = auth.create_api_key(live.ctx.db, "Aplikasi Bocor")
    answers = []
    for i in range(8):
        with from_addr(live.base_url, 30 + i) as c:
            answers.append(fire(c, key))
    assert [r.status_code for r in answers] == [201] * 5 + [429] * 3
    r = answers[-1]
    assert r.json() == [{"code": 429, "description": r.json()[0]["description"]}]
    assert "try again" in r.json()[0]["description"]
    assert 0 < int(r.headers["retry-after"]) <= 600
    # Another app's key is not affected.
    with from_addr(live.base_url, 40) as c:
        assert fire(c, auth.create_api_key(live.ctx.db, "Aplikasi Lain")).status_code == 201


def test_one_address_cannot_flood_with_many_keys(live, limits):
    limits(open311_posts_per_key=1000, open311_posts_per_address=4)
    keys = [auth.create_api_key(live.ctx.db, f"Kunci {i}") for i in range(6)]
    with from_addr(live.base_url, 41) as c:
        codes = [fire(c, k).status_code for k in keys]
        assert codes == [201] * 4 + [429] * 2
        r = fire(c, keys[0], URL.replace(".json", ".xml"))  # the XML error format too
        assert r.status_code == 429 and "Retry-After" in r.headers
        assert ET.fromstring(r.content).findtext("error/code") == "429"
        # Wrong keys count against the address as well (guessing keys is filing too).
        assert fire(c, "psk_guess").status_code == 429
    with from_addr(live.base_url, 42) as c:
        assert fire(c, keys[0]).status_code == 201


def test_counters_hold_across_server_processes(live, limits):
    limits(open311_posts_per_key=4, open311_posts_per_address=1000)
    app2, server2, thread2, url2 = start_server(live.ctx.settings)
    try:
        key = auth.create_api_key(live.ctx.db, "Aplikasi Dua Proses")
        codes = []
        for i in range(6):
            with from_addr(live.base_url if i % 2 else url2, 50 + i) as c:
                codes.append(fire(c, key).status_code)
        assert codes == [201] * 4 + [429] * 2
    finally:
        server2.should_exit = True
        thread2.join(15)
        app2.state.ctx.db.dispose()


def test_filed_emergencies_start_at_priority_2(live):
    center = live.account("operator")
    cursor = head(center)
    key = auth.create_api_key(live.ctx.db, "Aplikasi Warga")
    with from_addr(live.base_url, 60) as c:
        assert fire(c, key).status_code == 201
        r = c.post(URL, data={"api_key": key, "service_code": "sampah", "lat": "-6.91",
                              "long": "107.60", "description": "Sampah"})
        assert r.status_code == 201
    rows, _ = pull_all(center, cursor)
    by_category = {x["category_code"]: x["priority"] for x in rows["report"]}
    assert by_category == {"kebakaran": 2, "sampah": 3}
