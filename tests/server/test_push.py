"""Push over real HTTP: create, field-level merge, conflicts, history, idempotency."""

from __future__ import annotations

import threading

from tests.server.helpers import (
    KEL_A1,
    create_mut,
    note_mut,
    own_ticket,
    patch_mut,
    pull_all,
    push,
    uid,
)


def _report(client, report_id):
    r = client.get(f"/v1/reports/{report_id}")
    assert r.status_code == 200, r.text
    return r.json()


def test_create_patch_note_dispatch(op):
    m = create_mut(ticket=own_ticket(op))
    rid = m["entity_id"]
    (res,) = push(op, m)
    assert res["status"] == "applied" and res["code"] == 201 and res["revision"] == 1
    assert res["ticket"] == m["fields"]["ticket"]
    results = push(
        op,
        patch_mut(rid, 1, status="verified", verified_at="2026-11-28T10:05:00+00:00"),
        note_mut(rid),
        {"id": uid(), "entity": "dispatch", "entity_id": uid(), "op": "dispatch",
         "fields": {"report_id": rid, "agency_code": "pupr", "note": None, "expected_at": None},
         "actor": "op1", "at": "2026-11-28T10:06:00+00:00", "base_revision": None, "meta": {}},
        patch_mut(rid, 2, status="dispatched", assigned_agency="pupr"),
    )
    assert [r["status"] for r in results] == ["applied"] * 4, results
    data = _report(op, rid)
    assert data["report"]["status"] == "dispatched"
    assert data["report"]["revision"] == 3
    assert data["report"]["verified_at"] == "2026-11-28T10:05:00Z"
    assert len(data["notes"]) == 1 and data["notes"][0]["author"] == op.username
    assert [d["agency_code"] for d in data["dispatches"]] == ["pupr"]
    assert {(h["field"], h["old_value"], h["new_value"]) for h in data["history"]} >= {
        ("status", "new", "verified"), ("status", "verified", "dispatched")}


def test_non_overlapping_edits_merge(op):
    m = create_mut()
    rid = m["entity_id"]
    push(op, m)
    # Two consoles edit revision 1: one the priority, the other the address.
    a, b = push(op, patch_mut(rid, 1, priority=2), patch_mut(rid, 1, address="Jl. Baru 5"))
    assert a["status"] == "applied" and b["status"] == "applied", (a, b)
    assert b["revision"] == 3
    rep = _report(op, rid)["report"]
    assert rep["priority"] == 2 and rep["address"] == "Jl. Baru 5"
    assert rep["field_revs"] == {"priority": 2, "address": 3}


def test_overlapping_edit_is_a_conflict_keeping_both_values(live, op):
    m = create_mut()
    rid = m["entity_id"]
    push(op, m)
    other = live.account("supervisor")
    (first,) = push(other, patch_mut(rid, 1, title="Jalan rusak parah", priority=2))
    assert first["status"] == "applied"
    (second,) = push(op, patch_mut(rid, 1, title="Lubang di jalan", description="Sudah 2 minggu"))
    assert second["status"] == "conflict" and second["code"] == 409, second
    assert second["revision"] == 3  # the description merged, the title did not
    (c,) = second["conflicts"]
    assert c["field"] == "title"
    assert c["server_value"] == "Jalan rusak parah" and c["client_value"] == "Lubang di jalan"
    data = _report(op, rid)
    assert data["report"]["title"] == "Jalan rusak parah"
    assert data["report"]["description"] == "Sudah 2 minggu"
    (stored,) = data["conflicts"]
    assert stored["client_value"] == "Lubang di jalan" and stored["base_revision"] == 1
    # Nothing silently overwritten: the first title is in the history.
    assert ("title", "Jalan berlubang di Jl. Cihampelas", "Jalan rusak parah") in {
        (h["field"], h["old_value"], h["new_value"]) for h in data["history"]}
    # The conflict flows to consoles in scope through pull.
    rows, _ = pull_all(other)
    assert any(x["id"] == c["conflict_id"] and x["client_value"] == "Lubang di jalan"
               for x in rows["conflict"])


def test_same_value_is_not_a_conflict(op):
    m = create_mut()
    rid = m["entity_id"]
    push(op, m)
    push(op, patch_mut(rid, 1, priority=1))
    (res,) = push(op, patch_mut(rid, 1, priority=1))
    assert res["status"] == "applied" and res["revision"] == 2


def test_resend_same_payload_is_duplicate_with_original_result(op):
    m = create_mut()
    (first,) = push(op, m)
    (again,) = push(op, m)
    assert again["status"] == "duplicate"
    assert again["original_status"] == "applied" and again["revision"] == first["revision"]
    p = patch_mut(m["entity_id"], 1, priority=2)
    push(op, p)
    (again,) = push(op, p)
    assert again["status"] == "duplicate" and again["revision"] == 2


def test_same_id_different_payload_is_409(op):
    m = create_mut()
    push(op, m)
    p = patch_mut(m["entity_id"], 1, priority=2)
    push(op, p)
    changed = {**p, "fields": {"priority": 4}}
    (res,) = push(op, changed)
    assert res["status"] == "rejected" and res["code"] == 409
    assert "different" in res["message"]
    assert _report(op, m["entity_id"])["report"]["priority"] == 2


def test_one_bad_mutation_never_fails_its_batch(op):
    good1, good2 = create_mut(), create_mut()
    bad_coords = create_mut(lat=48.85, lon=2.35)  # Paris: on Earth, not in Bandung
    bad_world = create_mut(lat=123.0, lon=107.6)
    bad_type = create_mut(priority="1")
    unknown = create_mut()
    unknown["fields"]["colour"] = "red"
    not_object = "hello"
    missing = {"id": uid(), "entity": "report"}
    results = push(op, good1, bad_coords, bad_world, bad_type, unknown, not_object, missing, good2)
    statuses = [r["status"] for r in results]
    assert statuses == ["applied", "rejected", "rejected", "rejected", "rejected", "rejected",
                        "rejected", "applied"], results
    assert "outside Kota Bandung" in results[1]["message"]
    assert "latitude" in results[2]["message"]
    assert "priority" in results[3]["message"]
    assert "colour" in results[4]["message"]
    assert all(r["code"] == 422 for r in results[1:7])
    for m in (bad_coords, bad_world, bad_type, unknown):  # nothing partly written
        assert op.get(f"/v1/reports/{m['entity_id']}").status_code == 404


def test_workflow_is_enforced(op):
    m = create_mut()
    rid = m["entity_id"]
    push(op, m)
    (res,) = push(op, patch_mut(rid, 1, status="closed", priority=1))
    assert res["status"] == "rejected" and res["code"] == 422
    assert "from 'new'" in res["message"] and "verified" in res["message"]
    rep = _report(op, rid)["report"]
    assert rep["status"] == "new" and rep["priority"] == 3  # the whole mutation refused
    (res,) = push(op, patch_mut(rid, 1, status="verified"))
    assert res["status"] == "applied"


def test_patch_rules(op):
    m = create_mut()
    rid = m["entity_id"]
    push(op, m)
    results = push(
        op,
        patch_mut(rid, 1, ticket="X-1"),           # not patchable
        patch_mut(rid, 9, priority=2),             # base from the future
        {**patch_mut(rid, 1, priority=2), "base_revision": None},
        patch_mut(uid(), 1, priority=2),           # unknown report
        patch_mut(rid, 1, title="\u0000bad"),       # NUL in text
        patch_mut(rid, 1, title="  "),             # empty title
        patch_mut(rid, 1, lat=None),               # half a coordinate
        patch_mut(rid, 1, region_code="9999"),
        patch_mut(rid, 1),                         # empty patch
    )
    assert [r["status"] for r in results] == ["rejected"] * 9, results
    assert [r["code"] for r in results] == [422, 422, 422, 404, 422, 422, 422, 422, 422]
    assert _report(op, rid)["report"]["revision"] == 1


def test_html_is_stored_as_text(op):
    m = create_mut(title="<script>alert(1)</script>", description="<b>bold</b> & 'x'")
    push(op, m)
    rep = _report(op, m["entity_id"])["report"]
    assert rep["title"] == "<script>alert(1)</script>"
    assert rep["description"] == "<b>bold</b> & 'x'"


def test_server_assigns_ticket_when_missing(op):
    m = create_mut()
    del m["fields"]["ticket"]
    (res,) = push(op, m)
    assert res["status"] == "applied" and res["ticket"].startswith("BDG-")


def test_a_taken_ticket_gets_a_server_number_instead_of_a_refusal(op):
    a = create_mut(ticket=own_ticket(op))
    b = create_mut(ticket=a["fields"]["ticket"])
    ra, rb = push(op, a, b)
    assert ra["status"] == rb["status"] == "applied"
    assert ra["ticket"] == a["fields"]["ticket"] and "ticket" not in ra["fields"]
    assert rb["ticket"] != ra["ticket"] and rb["fields"]["ticket"] == rb["ticket"]


def test_ticket_squatting_cannot_block_another_desk(live):
    """Issue 12 H1: a kelurahan account pushes reports numbered with the command center's
    next tickets. They get server numbers; the center's own reports keep theirs."""
    center = live.account("operator")
    squatter = live.account("kelurahan", [KEL_A1])
    day = "261207"
    stolen = [create_mut(ticket=f"{center.station}-{day}-{n:05d}") for n in range(1, 31)]
    results = push(squatter, *stolen)
    assert all(r["status"] == "applied" for r in results)
    assert not any(r["ticket"].startswith(center.station) for r in results)
    fire = create_mut(ticket=f"{center.station}-{day}-00001", priority=1,
                      category_code="kebakaran", channel="phone_112")
    (r,) = push(center, fire)
    assert r["status"] == "applied" and r["ticket"] == f"{center.station}-{day}-00001", r


def test_concurrent_duplicate_sends_apply_once(live):
    """Two threads send the same batch at once (a console retrying over a flaky link)."""
    # One account (two logins, as a console retrying on a new connection): another
    # account replaying the ids is refused instead (issue 12 L1, test_oracles.py).
    first = live.account("operator")
    clients = [first, live.other_desk(first)]
    batch = [create_mut() for _ in range(20)]
    batch += [note_mut(batch[0]["entity_id"])]
    results: list[list[dict]] = [[], []]
    barrier = threading.Barrier(2)

    def send(i: int) -> None:
        barrier.wait()
        results[i] = push(clients[i], *batch)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for n in range(len(batch)):
        pair = sorted(results[i][n]["status"] for i in range(2))
        assert pair == ["applied", "duplicate"], (n, pair)
    data = _report(clients[0], batch[0]["entity_id"])
    assert len(data["notes"]) == 1


def test_bad_bodies_are_4xx_with_a_message(live, op):
    cases = [
        (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
        (b'{"mutations": [\xff\xfe]}', {"content-type": "application/json"}, 400, "UTF-8"),
        (b'{"mutations": {}}', {"content-type": "application/json"}, 422, "mutations"),
        (b'{"mutations": [], "x": 1}', {"content-type": "application/json"}, 422, "'x'"),
        (b'{"mutations": [NaN]}', {"content-type": "application/json"}, 400, "NaN"),
        (b"[" * 100_000, {"content-type": "application/json"}, 400, "nested"),
    ]
    for body, headers, status, needle in cases:
        r = op.post("/v1/push", content=body, headers=headers)
        assert r.status_code == status, (body[:30], r.text)
        assert needle in r.json()["message"], r.text
    big = b'{"mutations": ["' + b"x" * (live.settings.max_body_bytes + 10) + b'"]}'
    r = op.post("/v1/push", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["message"]

    def chunked():
        for _ in range(live.settings.max_body_bytes // 65536 + 2):
            yield b" " * 65536

    r = op.post("/v1/push", content=chunked(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    r = op.post("/v1/push", json={"mutations": [create_mut()] * (live.settings.max_push_batch + 1)})
    assert r.status_code == 413 and "at most" in r.json()["message"]


def test_lone_surrogate_text_refused(op):
    body = ('{"mutations": [' + __import__("json").dumps(create_mut())[:-1]
            + ', "actor": "\\ud800"}]}').encode()
    # The duplicate "actor" key takes the last value: a lone surrogate.
    r = op.post("/v1/push", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200
    (res,) = r.json()["results"]
    assert res["status"] == "rejected" and "Unicode" in res["message"]


def test_kelurahan_region_is_required_for_creates(live):
    kel = live.account("kelurahan", [KEL_A1])
    (res,) = push(kel, create_mut(region=None))
    assert res["status"] == "rejected" and res["code"] == 403


def test_unforeseen_database_error_fails_only_its_mutation(live, op):
    """If the bulk write fails (a constraint the checks did not foresee), the batch is
    replayed one mutation per savepoint: only the bad one is refused."""
    from server.push import push as apply_push
    from server.scope import Principal, Scope

    ctx = live.ctx
    ctx.ref.regions["3273-0000"] = {"level": "kecamatan", "parent_code": "3273",
                                   "postal_code": None}  # known to the cache, not the table
    try:
        good, bad, good2 = create_mut(), create_mut(region="3273-0000"), create_mut()
        who = Principal("0" * 36, "tester", "operator", Scope(True))
        results = apply_push(ctx.db, ctx.ref, who, [good, bad, good2], tz="Asia/Jakarta",
                             enforce_bounds=True)
    finally:
        del ctx.ref.regions["3273-0000"]
    assert [r.status for r in results] == ["applied", "rejected", "applied"]
    assert "database refused" in results[1].message
    assert op.get(f"/v1/reports/{good2['entity_id']}").status_code == 200
    assert op.get(f"/v1/reports/{bad['entity_id']}").status_code == 404


def test_server_made_tickets_do_not_count_the_reports_in_between(op):
    """Issue 12 L1: sequential server numbers told anyone holding two of them how many
    reports (hidden 112 calls included) came in between."""
    results = push(op, *[create_mut() for _ in range(30)])  # numbers of no station of ours
    assert {r["status"] for r in results} == {"applied"}, results[:2]
    codes = [r["ticket"].rsplit("-S", 1)[1] for r in results]
    assert len(set(codes)) == 30 and all(len(c) == 6 for c in codes)
    assert codes != sorted(codes)  # not in filing order (30! orders; one is sorted)
