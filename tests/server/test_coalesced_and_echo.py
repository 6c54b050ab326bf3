"""Issue 11 on the server: coalesced mutations (a trail of earlier values kept in the
history), no echo of a session's own pushes, and the priority lane of the change feed.
Real HTTP against the real server, both backends."""

from __future__ import annotations

from tests.server.helpers import (
    create_mut,
    head,
    note_mut,
    own_ticket,
    patch_mut,
    pull_all,
    push,
)


def _history(client, report_id: str) -> list[tuple]:
    data = client.get(f"/v1/reports/{report_id}").json()
    return [(h["field"], h["old_value"], h["new_value"]) for h in data["history"]]


def test_coalesced_create_keeps_every_status_in_the_history(live, op):
    m = create_mut(status="resolved", verified_at="2026-11-28 10:05:00.000000",
                   dispatched_at="2026-11-28 10:10:00.000000",
                   resolved_at="2026-11-28 11:00:00.000000", assigned_agency="pupr")
    m["trail"] = {"status": ["new", "verified", "dispatched", "in_progress"]}
    (r,) = push(op, m)
    assert r["status"] == "applied" and r["revision"] == 1, r
    report = op.get(f"/v1/reports/{m['entity_id']}").json()["report"]
    assert report["status"] == "resolved" and report["assigned_agency"] == "pupr"
    assert _history(op, m["entity_id"]) == [
        ("status", 'new', 'verified'), ("status", 'verified', 'dispatched'),
        ("status", 'dispatched', 'in_progress'), ("status", 'in_progress', 'resolved')]
    # The same mutation again is a duplicate, not a second report.
    (again,) = push(op, m)
    assert again["status"] == "duplicate" and again["original_status"] == "applied"


def test_a_coalesced_path_must_follow_the_workflow(op):
    skip = create_mut(status="closed")
    skip["trail"] = {"status": ["new", "closed"]}  # new → closed is no action
    not_new = create_mut(status="verified")
    not_new["trail"] = {"status": ["dispatched"]}
    no_trail = create_mut(status="verified")
    stray = create_mut()
    stray["trail"] = {"title": ["lama"]}  # a trail of a field it does not carry... it does
    stray["fields"].pop("title")
    results = push(op, skip, not_new, no_trail, stray)
    assert [r["status"] for r in results] == ["rejected"] * 4, results
    assert "from 'new' to 'closed'" in results[0]["message"]
    assert "starts with 'new'" in results[1]["message"]
    assert "trail" in results[2]["message"]
    for m in (skip, not_new, no_trail):
        assert op.get(f"/v1/reports/{m['entity_id']}").status_code == 404


def test_coalesced_patch_keeps_intermediate_values_and_merges(op):
    m = create_mut()
    push(op, m)
    rid = m["entity_id"]
    p = patch_mut(rid, 1, status="in_progress", title="Jalan amblas di Jl. Cihampelas")
    p["trail"] = {"status": ["verified", "dispatched"]}
    (r,) = push(op, p)
    assert r["status"] == "applied" and r["revision"] == 2, r
    assert sorted(_history(op, rid)) == [
        ("status", "dispatched", "in_progress"), ("status", "new", "verified"),
        ("status", "verified", "dispatched"),
        ("title", "Jalan berlubang di Jl. Cihampelas", "Jalan amblas di Jl. Cihampelas")]


def test_a_session_is_not_sent_back_its_own_pushes(live):
    desk = live.account("kelurahan", ["3273-2483-30959"])
    other = live.other_desk(desk)
    start = head(desk)
    mine = create_mut()
    push(desk, mine, note_mut(mine["entity_id"]))
    theirs = create_mut()
    push(other, theirs)
    rows, cursor = pull_all(desk, start)
    assert [r["id"] for r in rows["report"]] == [theirs["entity_id"]]
    assert "note" not in rows
    assert cursor == head(desk)  # the cursor still passes the skipped rows
    rows, _ = pull_all(other, start)
    assert {r["id"] for r in rows["report"]} == {mine["entity_id"]}
    assert len(rows["note"]) == 1
    # Another session's later change of my report comes to me, with its new values.
    push(other, patch_mut(mine["entity_id"], 1, priority=2))
    rows, _ = pull_all(desk, cursor)
    (row,) = rows["report"]
    assert row["id"] == mine["entity_id"] and row["priority"] == 2 and row["revision"] == 2


def test_a_change_with_a_conflict_is_sent_back_to_show_the_kept_value(live, op):
    other = live.other_desk(op)
    m = create_mut()
    push(op, m)
    rid = m["entity_id"]
    push(other, patch_mut(rid, 1, title="Judul dari meja lain"))
    cursor = head(op)
    # Made against revision 1: title conflicts, priority merges.
    (r,) = push(op, patch_mut(rid, 1, title="Judul saya", priority=2))
    assert r["status"] == "conflict"
    rows, _ = pull_all(op, cursor)
    (row,) = rows["report"]
    assert row["title"] == "Judul dari meja lain" and row["priority"] == 2


def test_the_push_answer_names_the_values_the_server_made(live):
    desk = live.account("kelurahan", ["3273-2483-30959"])
    m = create_mut(created_by="someone-else")  # and a ticket of no station of theirs
    (r,) = push(desk, m)
    assert r["fields"] == {"created_by": desk.username, "ticket": r["ticket"]}
    assert r["ticket"] != m["fields"]["ticket"]
    (again,) = push(desk, m)  # a lost answer: the duplicate names them too
    assert again["status"] == "duplicate" and again["fields"] == r["fields"]
    own = create_mut(created_by=desk.username, ticket=own_ticket(desk))
    (r,) = push(desk, own)
    assert "fields" not in r


def test_the_priority_lane_sends_only_urgent_reports(live, op):
    other = live.other_desk(op)
    start = head(op)
    calm = [create_mut(priority=3) for _ in range(5)]
    fire = create_mut(priority=1, category_code="kebakaran", channel="phone_112")
    push(other, *calm, fire, note_mut(calm[0]["entity_id"]))
    r = op.get("/v1/pull", params={"cursor": start, "limit": 50, "priority": 2})
    page = r.json()
    assert [row[0] for row in page["tables"]["report"]["rows"]] == [fire["entity_id"]]
    assert set(page["tables"]) == {"report"} and page["next_cursor"] == page["head"]
    # The main feed still sends everything, the urgent report in its turn.
    rows, _ = pull_all(op, start)
    assert len(rows["report"]) == 6 and len(rows["note"]) == 1
    assert op.get("/v1/pull", params={"cursor": start, "priority": 0}).status_code == 422


def test_the_lane_rides_on_main_pages_and_nothing_travels_twice(live, op):
    other = live.other_desk(op)
    start = head(op)
    early = [create_mut(priority=2) for _ in range(3)]
    push(other, *early)
    lane = op.get("/v1/pull", params={"cursor": start, "priority": 2}).json()
    assert len(lane["tables"]["report"]["rows"]) == 3
    lane_cursor = lane["next_cursor"]
    calm = [create_mut(priority=3) for _ in range(6)]
    late = [create_mut(priority=1, category_code="kebakaran", channel="phone_112")
            for _ in range(2)]
    push(other, *calm[:3], *late, *calm[3:])
    # A main page of two rows from the start: the early P2 reports are left out (the
    # lane sent them), the two fires beyond the page ride along as `urgent`.
    page = op.get("/v1/pull", params={"cursor": start, "limit": 2, "lane": lane_cursor}).json()
    ids = [r[0] for r in page["tables"]["report"]["rows"]]
    assert ids == [m["entity_id"] for m in calm[:2]]
    assert [r[0] for r in page["tables"]["urgent"]["rows"]] == [m["entity_id"] for m in late]
    assert page["lane_cursor"] == page["head"]
    # The next pages with the new lane cursor: the fires are not sent again.
    seen, cursor = list(ids), page["next_cursor"]
    while True:
        page = op.get("/v1/pull", params={"cursor": cursor, "limit": 2,
                                          "lane": page["lane_cursor"]}).json()
        seen += [r[0] for r in page.get("tables", {}).get("report", {"rows": []})["rows"]]
        assert "urgent" not in page["tables"]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert seen == [m["entity_id"] for m in calm]
