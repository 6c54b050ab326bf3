"""Issue 13 (3): the soft claim on the server. The holder is the pushing account (a name
the client sends is ignored), it travels to every console in scope in the change feed,
a stale claim is not shown as held, a take-over replaces the holder, scope applies, and
hostile input gets a clear 4xx per mutation. Real HTTP, both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from server.models import Claim
from tests.server.helpers import (
    BANDUNG,
    KEL_A1,
    create_mut,
    head,
    now_iso,
    own_ticket,
    patch_mut,
    pull_all,
    push,
    uid,
)

KEL_OTHER = "3273-2485"  # another kecamatan of Bandung


def claim_mut(report_id: str, op: str = "take", **over) -> dict:
    m = {"id": uid(), "entity": "claim", "entity_id": report_id, "op": op,
         "fields": {"report_id": report_id}, "actor": "mallory", "at": now_iso(),
         "base_revision": None, "meta": {}}
    m.update(over)
    return m


@pytest.fixture(scope="module")
def desks(live):
    return live.account("operator"), live.account("operator")


def _report(client, region: str = KEL_A1) -> str:
    m = create_mut(region, ticket=own_ticket(client), priority=1)
    (r,) = push(client, m)
    assert r["status"] == "applied", r
    return m["entity_id"]


def _claims(client, cursor: int = 0) -> dict[str, dict]:
    tables, _ = pull_all(client, cursor)
    return {c["report_id"]: c for c in tables.get("claim", [])}


def _stored(live, report_id: str):
    with live.ctx.db.engine.connect() as conn:
        return conn.execute(select(Claim.__table__).where(
            Claim.__table__.c.report_id == report_id)).first()


def test_a_claim_records_the_token_account_and_reaches_the_other_desk(live, desks):
    a, b = desks
    rid = _report(a)
    before = head(b)
    (r,) = push(a, claim_mut(rid))  # actor says "mallory": ignored
    assert r["status"] == "applied" and r["code"] == 200 and "taken" in r["message"], r
    row = _stored(live, rid)
    assert row.holder == a.username
    assert timedelta(minutes=14) < row.expires_at - row.since <= timedelta(minutes=15)
    seen = _claims(b, before)[rid]
    assert seen["holder"] == a.username
    assert seen["expires_at"] - seen["since"] == 15 * 60 * 1000
    # A renewal keeps ``since`` and moves the expiry on.
    (r,) = push(a, claim_mut(rid))
    assert "renewed" in r["message"], r
    again = _stored(live, rid)
    assert again.since == row.since and again.expires_at >= row.expires_at


def test_a_sent_holder_field_is_refused_not_believed(live, desks):
    a, _ = desks
    rid = _report(a)
    (r,) = push(a, claim_mut(rid, fields={"report_id": rid, "holder": "boss"}))
    assert r["status"] == "rejected" and r["code"] == 422 and "holder" in r["message"], r
    assert _stored(live, rid) is None


def test_a_take_over_replaces_the_holder_and_a_release_only_lets_go_of_ones_own(live, desks):
    a, b = desks
    rid = _report(a)
    push(a, claim_mut(rid))
    first = _stored(live, rid)
    (r,) = push(b, claim_mut(rid))
    assert r["status"] == "applied" and f"taken over from {a.username}" in r["message"], r
    row = _stored(live, rid)
    assert row.holder == b.username and row.since >= first.since
    assert _claims(a, 0)[rid]["holder"] == b.username
    (r,) = push(a, claim_mut(rid, op="release"))  # A no longer holds it: nothing changes
    assert r["status"] == "applied" and "nothing changed" in r["message"], r
    assert _stored(live, rid).holder == b.username
    cursor = head(a)
    (r,) = push(b, claim_mut(rid, op="release"))
    assert "released" in r["message"], r
    assert _stored(live, rid).holder is None
    assert _claims(a, cursor)[rid]["holder"] is None


def test_a_stale_claim_is_not_shown_as_held_and_is_taken_fresh(live, desks):
    a, b = desks
    rid = _report(a)
    push(a, claim_mut(rid))
    past = datetime.now(UTC) - timedelta(minutes=1)
    t = Claim.__table__
    with live.ctx.db.write() as conn:  # the console went away 16 minutes ago
        conn.execute(update(t).where(t.c.report_id == rid).values(
            since=past - timedelta(minutes=15), expires_at=past))
    assert _claims(b, 0)[rid]["holder"] is None
    (r,) = push(b, claim_mut(rid))
    assert r["message"].endswith("taken"), r  # not "taken over": nobody held it any more
    assert _stored(live, rid).since > past


def test_a_kelurahan_account_cannot_claim_outside_its_scope(live, desks):
    a, _ = desks
    kel = live.account("kelurahan", [KEL_A1])
    outside = _report(a, KEL_OTHER)
    inside = _report(a, KEL_A1)
    (r,) = push(kel, claim_mut(outside))
    assert r["status"] == "rejected" and r["code"] == 404, r
    assert _stored(live, outside) is None
    (r,) = push(kel, claim_mut(inside))
    assert r["status"] == "applied", r
    # ...and never sees claims on reports outside its regions.
    push(a, claim_mut(outside))
    assert outside not in _claims(kel, 0)
    assert _claims(kel, 0)[inside]["holder"] == kel.username
    assert BANDUNG  # the city-wide desk sees both
    assert {outside, inside} <= set(_claims(a, 0))


@pytest.mark.parametrize("over, code, words", [
    (lambda rid: {"entity_id": uid(), "fields": {}}, 404, "does not exist"),
    (lambda rid: {"fields": {"report_id": uid()}}, 422, "differs"),
    (lambda rid: {"fields": {"report_id": rid, "since": "2020-01-01T00:00:00Z"}}, 422, "since"),
    (lambda rid: {"fields": {"report_id": rid, "x" * 5000: 1}}, 422, "cannot have"),
    (lambda rid: {"base_revision": 3}, 422, "base_revision"),
    (lambda rid: {"trail": {"holder": ["a"]}}, 422, "trail"),
    (lambda rid: {"op": "patch"}, 422, "not supported"),
    (lambda rid: {"op": "grab"}, 422, "op"),
    (lambda rid: {"entity_id": "not-a-uuid"}, 422, "entity_id"),
    (lambda rid: {"actor": "x" * 5000}, 422, "actor"),
])
def test_hostile_claims_get_a_clear_4xx_each(live, desks, over, code, words):
    a, _ = desks
    rid = _report(a)
    good = claim_mut(rid)
    (r, ok) = push(a, claim_mut(rid, **over(rid)), good)
    assert r["status"] == "rejected" and r["code"] == code and words in r["message"], r
    assert ok["status"] == "applied", ok  # one bad claim never fails its batch


def test_a_report_moved_into_a_region_brings_its_claim_along(live, desks):
    a, _ = desks
    kel = live.account("kelurahan", [KEL_A1])
    rid = _report(a, KEL_OTHER)
    push(a, claim_mut(rid))
    cursor = head(kel)
    (r,) = push(a, patch_mut(rid, 1, region_code=KEL_A1))
    assert r["status"] == "applied", r
    assert _claims(kel, cursor)[rid]["holder"] == a.username
