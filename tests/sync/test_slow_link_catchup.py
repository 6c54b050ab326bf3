"""Issue 11: a kelurahan office back after days offline, over 64 kbit/s each way with
500 ms round trips and every connection reset every 30 seconds. Afterwards the server and
the console hold the same reports, fields, notes, dispatches and history; nothing lost,
nothing twice. Real server, real console engine, the shaping proxy.

Slow by nature (about a minute): the link, not the machine, sets its pace."""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from console.operations import reports
from console.operations.intake import NewReport, create_report
from console.store.timefmt import to_db, utcnow
from console.sync.errors import SyncError
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import KEL
from tests.sync.test_exactly_once import sync_until_complete

pytestmark = pytest.mark.slow

WORDS = (
    "warga mengeluhkan sampah menumpuk dekat pasar selokan mampet banjir setinggi lutut "
    "jalan berlubang lampu mati sejak kemarin malam anak sekolah pengendara motor terjatuh "
    "mohon segera ditindaklanjuti sudah dilaporkan ke RT belum ada respon bau menyengat "
    "pohon tumbang menutup separuh jalan kabel listrik menjuntai rawan tersengat air PDAM "
    "keruh tidak mengalir tiga hari pedagang kaki lima trotoar parkir liar macet panjang "
    "gang sempit ambulans sulit masuk tembok retak rumah warga longsor kecil tebing "
    "genangan nyamuk demam berdarah fogging posyandu puskesmas masjid musala balai RW "
    "saluran irigasi tanggul bocor pintu air rusak drainase tersumbat plastik ranting"
).split()
NAMES = ("Asep Sunandar", "Euis Rohaeni", "Dedi Mulyadi", "Siti Aminah", "Ujang Kosasih",
         "Rina Wulandari", "Budi Santoso", "Nining Kurniasih", "Agus Salim", "Tati Suryati")
STREETS = ("Jl. Cibadak", "Jl. Garuda", "Jl. Ciroyom", "Jl. Rajawali", "Jl. Kebon Jati",
           "Jl. Arjuna", "Gg. Sukaresmi", "Jl. Pajajaran", "Jl. Waringin", "Gg. Babakan")
CATEGORIES = ("sampah", "jalan_rusak", "drainase", "lampu_jalan", "banjir")
COMPARED = ("ticket", "channel", "category_code", "priority", "status", "title", "description",
            "reporter_name", "reporter_phone", "lat", "lon", "address", "region_code",
            "assigned_agency", "verified_at", "dispatched_at", "resolved_at", "closed_at",
            "sla_due_at")


def _complaint(rng: random.Random, i: int) -> NewReport:
    street = rng.choice(STREETS)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60)))
    return NewReport(
        channel=rng.choice(("phone", "whatsapp", "walk_in", "sms")),
        category_code=rng.choice(CATEGORIES),
        title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} di {street} ({i})",
        description=f"{text}. Lokasi {street} No. {rng.randint(1, 240)} RT {rng.randint(1, 12):02d}"
                    f"/RW {rng.randint(1, 9):02d}.",
        reporter_name=rng.choice(NAMES), reporter_phone=f"08{rng.randint(100_000_000, 999_999_999)}",
        lat=round(-6.92 + rng.random() * 0.02, 6), lon=round(107.58 + rng.random() * 0.02, 6),
        address=f"{street} No. {rng.randint(1, 240)}", region_code=KEL)


def _ms(value):
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, str) and len(value) == 26 and value[19] == ".":
        return round(datetime.fromisoformat(value + "+00:00").timestamp() * 1000)
    return value


def _server_state(live, ids: set[str]):
    from server.models import Dispatch, History, Note, Report

    r, d, n, h = (m.__table__ for m in (Report, Dispatch, Note, History))
    with live.ctx.db.read() as conn:
        rows = {x.id: tuple(_ms(getattr(x, c)) for c in COMPARED)
                for x in conn.execute(select(r).where(r.c.region_code == KEL))}
        dispatches = {(x.id, x.report_id, x.agency_code) for x in conn.execute(select(d))}
        notes = {(x.id, x.report_id, x.body) for x in conn.execute(select(n))}
        statuses: dict[str, list] = {}
        for x in conn.execute(select(h).where(h.c.field == "status").order_by(h.c.id)):
            if x.report_id in ids:
                statuses.setdefault(x.report_id, []).append(json.loads(x.new_value))
    return rows, dispatches, notes, statuses


def _console_state(console, ids: set[str]):
    cols = ", ".join(("id", *COMPARED))
    rows = {x[0]: tuple(_ms(v) for v in x[1:]) for x in console.sql(f"SELECT {cols} FROM report")}
    dispatches = set(console.sql("SELECT id, report_id, agency_code FROM dispatch"))
    notes = set(console.sql("SELECT id, report_id, body FROM note"))
    statuses: dict[str, list] = {}
    for rid, new in console.sql("SELECT report_id, new_value FROM report_event WHERE"
                                " kind = 'status' ORDER BY at, rowid"):
        if rid in ids:
            statuses.setdefault(rid, []).append(new)
    return rows, dispatches, notes, statuses


@pytest.mark.slow
def test_days_offline_caught_up_through_resets_every_30_s(live, make_console):
    rng = random.Random(30)
    city = make_console(role="operator", regions=())
    kel = make_console()
    city.sync()
    kel.sync()
    # Days apart. On the server: 2,000 new complaints and edits of older ones.
    server_ids = [city.call(lambda c, i=i: create_report(c, city.username, _complaint(rng, i))
                            ).created for i in range(2000)]
    server_ids = [next(iter(x)) for x in server_ids]
    for rid in server_ids[:150]:
        city.call(reports.verify, city.username, rid)
    for rid in server_ids[150:250]:
        city.call(reports.add_note, city.username, rid, " ".join(rng.choice(WORDS) for _ in range(12)))
    sync_until_complete(city)  # the city's link is not under test: timeouts are retried
    # In the office: 80 complaints, each taken through its workflow as offices do.
    local = []
    for i in range(80):
        (rid,) = kel.call(create_report, kel.username, _complaint(rng, 10_000 + i)).created
        local.append(rid)
        path = rng.choice((("verify", "dispatch", "start", "resolve", "close"),
                           ("verify", "dispatch"), ("reject",), ("verify", "start", "resolve")))
        for step in path:
            if step == "dispatch":
                kel.call(reports.dispatch, kel.username, rid, [rng.choice(("pupr", "dlh", "pdam"))])
            else:
                kel.call(reports.apply_action, kel.username, rid, step)
        if i % 4 == 0:
            kel.call(reports.add_note, kel.username, rid, "Sudah dicek petugas kelurahan.")
    old = to_db(utcnow() - timedelta(days=2))
    kel.call(lambda c: c.execute("UPDATE outbox SET created_at = ?", (old,)) and c.commit())

    shape = LinkShape(rate_bps=64_000, latency_s=0.25, reset_every_s=30.0)
    with ProxyThread("127.0.0.1", live.port, shape, seed=30) as proxy:
        kel.engine.transport.base_url = proxy.url
        kel.engine.pull_lane().base_url = proxy.url
        started, failures = time.monotonic(), 0
        while True:
            try:
                if kel.engine.run_cycle().complete:
                    break
            except SyncError as exc:
                failures += 1
                time.sleep(kel.engine.retry_delay(exc))
            assert time.monotonic() - started < 600, "the catch-up did not finish"
        resets = proxy.stats.resets
    assert resets >= 1, "the catch-up should have lived through at least one reset"
    # No wait longer than 10 s while progress was being made.
    assert max((r.delay for r in kel.engine.retries), default=0) <= 10, kel.engine.retries

    ids = set(local)
    s_rows, s_disp, s_notes, s_status = _server_state(live, ids)
    c_rows, c_disp, c_notes, c_status = _console_state(kel, ids)
    assert set(c_rows) == set(s_rows) and len(s_rows) >= 2080
    for rid, row in s_rows.items():
        assert c_rows[rid] == row, (rid, dict(zip(COMPARED, zip(row, c_rows[rid], strict=True), strict=True)))
    assert c_disp == s_disp and c_notes == s_notes
    # The server's history holds every status each local report passed through, in order.
    assert {rid: s_status.get(rid, []) for rid in ids} == {rid: c_status.get(rid, []) for rid in ids}
    assert kel.scalar("SELECT count(*) FROM outbox") == 0
