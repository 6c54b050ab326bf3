"""The server records the authenticated account as the actor of everything it applies,
never a name the client sends (issue 10, finding 2): a hostile or confused console that
claims ``created_by`` or ``actor`` for someone else is stored as itself."""

from __future__ import annotations

from sqlalchemy import text

from tests.server.helpers import create_mut, note_mut, patch_mut, push, uid


def _rows(live, sql: str, **params) -> list[tuple]:
    with live.ctx.db.read() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def test_claimed_names_are_ignored_the_login_is_recorded(live):
    me = live.account("operator")
    forged = {"actor": "admin"}
    create = {**create_mut(created_by="someone-else"), **forged}
    rid = create["entity_id"]
    results = push(
        me, create,
        {**patch_mut(rid, 1, priority=2), **forged},
        {**note_mut(rid, "Warga sudah dihubungi"), **forged},
        {"id": uid(), "entity": "dispatch", "entity_id": uid(), "op": "dispatch",
         "fields": {"report_id": rid, "agency_code": "pupr", "note": None, "expected_at": None},
         "actor": "admin", "at": "2026-11-28T10:06:00+00:00", "base_revision": None, "meta": {}},
    )
    assert [r["status"] for r in results] == ["applied"] * 4, results
    assert _rows(live, "SELECT created_by FROM report WHERE id = :r", r=rid) == [(me.username,)]
    assert _rows(live, "SELECT DISTINCT by FROM history WHERE report_id = :r", r=rid) \
        == [(me.username,)]
    assert _rows(live, "SELECT author FROM note WHERE report_id = :r", r=rid) == [(me.username,)]
    assert _rows(live, "SELECT by FROM dispatch WHERE report_id = :r", r=rid) == [(me.username,)]
    # What other consoles pull says the same.
    data = me.get(f"/v1/reports/{rid}").json()
    assert data["report"]["created_by"] == me.username
    assert {n["author"] for n in data["notes"]} == {me.username}
    everything = repr(_rows(live, "SELECT * FROM report WHERE id = :r", r=rid))
    assert "someone-else" not in everything and "'admin'" not in everything
    # The claim is kept apart, next to the account that really sent each mutation.
    assert _rows(live, "SELECT a.username, m.claimed_actor FROM applied_mutation m JOIN"
                       " account a ON a.id = m.account_id WHERE m.id = :i", i=create["id"]) \
        == [(me.username, "admin")]
