"""Scope is enforced by the server from the login, on every endpoint."""

from __future__ import annotations

import hashlib

import pytest

from server import auth
from tests.server.helpers import (
    KEC_A,
    KEL_A1,
    PASSWORD,
    create_mut,
    head,
    note_mut,
    patch_mut,
    pull_all,
    push,
    uid,
)

KEL_A2 = "3273-2483-30960"  # Ciroyom, same kecamatan (Andir)
KEL_B = "3273-2484-30965"  # Antapani Kidul, another kecamatan
PNG_SHA = hashlib.sha256(b"x").hexdigest()


@pytest.fixture(scope="module")
def world(live):
    """A command-center operator, a kelurahan office (A1), a kecamatan office (A), and
    reports in A1, A2 and B, each with a note."""
    center = live.account("operator")
    kel = live.account("kelurahan", [KEL_A1])
    kec = live.account("supervisor", [KEC_A])
    start = head(center)
    reports = {code: create_mut(region=code) for code in (KEL_A1, KEL_A2, KEL_B)}
    push(center, *reports.values(), *[note_mut(m["entity_id"]) for m in reports.values()])
    att = {"id": uid(), "report_id": reports[KEL_B]["entity_id"], "sha256": PNG_SHA,
           "filename": "b.png", "mime": "image/png", "size": 1}
    assert center.post("/v1/attachments", json=att).status_code == 201
    return {"center": center, "center_desk": live.other_desk(center), "kel": kel, "kec": kec,
            "start": start,
            "ids": {code: m["entity_id"] for code, m in reports.items()}}


@pytest.mark.slow
def test_pull_returns_only_rows_in_scope(world):
    ids = world["ids"]
    rows, _ = pull_all(world["kel"], world["start"])
    assert {r["id"] for r in rows["report"]} == {ids[KEL_A1]}
    assert {n["report_id"] for n in rows["note"]} == {ids[KEL_A1]}
    assert "attachment" not in rows
    rows, _ = pull_all(world["kec"], world["start"])
    assert {r["id"] for r in rows["report"]} == {ids[KEL_A1], ids[KEL_A2]}
    # Another desk of the center's account: a session is not sent back its own pushes.
    rows, _ = pull_all(world["center_desk"], world["start"])
    assert {r["id"] for r in rows["report"]} >= set(ids.values())
    assert rows["attachment"][0]["report_id"] == ids[KEL_B]


def test_full_pull_never_leaks(world):
    """From cursor 0, over everything every other test wrote too."""
    for client in (world["kel"], world["kec"]):
        me = client.get("/v1/me").json()
        rows, _ = pull_all(client, 0, limit=50)
        report_regions = {r["id"]: r["region_code"] for r in rows["report"]}
        assert all(any(code == c or code.startswith(c + "-") for c in me["regions"])
                   for code in report_regions.values())
        for table in ("note", "dispatch", "attachment", "conflict"):
            assert all(x["report_id"] in report_regions for x in rows.get(table, []))


def test_report_fetch_is_scoped(world):
    ids = world["ids"]
    assert world["kel"].get(f"/v1/reports/{ids[KEL_A1]}").status_code == 200
    r = world["kel"].get(f"/v1/reports/{ids[KEL_B]}")
    assert r.status_code == 404 and "outside your regions" in r.json()["message"]
    r = world["kel"].get(f"/v1/reports/{uid()}")
    assert r.status_code == 404  # the same answer for ids that do not exist at all


def test_push_outside_scope_is_refused(world):
    kel, ids = world["kel"], world["ids"]
    outside = create_mut(region=KEL_B)
    results = push(
        kel,
        outside,
        patch_mut(ids[KEL_B], 1, priority=1),
        note_mut(ids[KEL_B]),
        patch_mut(ids[KEL_A1], 1, region_code=KEL_B),  # moving a report out of the scope
        create_mut(region=KEL_A1),
    )
    assert [r["status"] for r in results] == ["rejected"] * 4 + ["applied"], results
    assert [r["code"] for r in results[:4]] == [403, 404, 404, 403]
    center = world["center"]
    assert center.get(f"/v1/reports/{outside['entity_id']}").status_code == 404
    b = center.get(f"/v1/reports/{ids[KEL_B]}").json()
    assert b["report"]["priority"] == 3 and len(b["notes"]) == 1


def test_attachments_are_scoped(world):
    kel, center, ids = world["kel"], world["center"], world["ids"]
    assert center.get(f"/v1/attachments/{PNG_SHA}").status_code == 200
    for path in ("", "/content", "/thumbnail"):
        r = kel.get(f"/v1/attachments/{PNG_SHA}{path}")
        assert r.status_code == 404, (path, r.text)
    r = kel.put(f"/v1/attachments/{PNG_SHA}/content", params={"offset": 0}, content=b"x")
    assert r.status_code == 404
    att = {"id": uid(), "report_id": ids[KEL_B], "sha256": PNG_SHA, "filename": "x.png",
           "mime": "image/png", "size": 1}
    assert kel.post("/v1/attachments", json=att).status_code == 404


def test_moving_a_report_tells_both_sides(world):
    center, kel = world["center"], world["kel"]
    m = create_mut(region=KEL_B)
    push(center, m)
    push(center, note_mut(m["entity_id"], "catatan sebelum pindah"))
    cursor = head(kel)
    (res,) = push(center, patch_mut(m["entity_id"], 1, region_code=KEL_A1))
    assert res["status"] == "applied"
    rows, cursor = pull_all(kel, cursor)
    assert [r["id"] for r in rows["report"]] == [m["entity_id"]]
    # The note written before the move arrives too.
    assert [n["body"] for n in rows["note"]] == ["catatan sebelum pindah"]
    (res,) = push(center, patch_mut(m["entity_id"], 2, region_code=KEL_B))
    rows, _ = pull_all(kel, cursor)
    assert rows["gone"] == [{"report_id": m["entity_id"], "seq": rows["gone"][0]["seq"]}]
    assert "report" not in rows


def test_accounts_and_roles(live):
    with pytest.raises(auth.AccountError, match="needs at least one --region"):
        auth.create_account(live.ctx.db, "kel-without-region", "kelurahan", PASSWORD,
                            profile="fast")
    with pytest.raises(auth.AccountError, match="unknown region"):
        auth.create_account(live.ctx.db, "kel-bad", "kelurahan", PASSWORD, regions=["3273-9"],
                            profile="fast")
    kel = live.account("kelurahan", [KEL_A1])
    assert kel.get("/v1/admin/accounts").status_code == 403
    admin = live.account("admin")
    names = {a["username"] for a in admin.get("/v1/admin/accounts").json()}
    assert kel.username in names
    me = kel.get("/v1/me").json()
    assert me["role"] == "kelurahan" and me["regions"] == [KEL_A1] and me["scope"] == "regions"
