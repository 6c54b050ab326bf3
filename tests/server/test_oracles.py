"""Issue 12 L1: no existence oracles in the push path.

A hostile console (a kelurahan login) must not learn from a push answer that a report
outside its regions exists, nor read another account's results by replaying its
mutation ids.
"""

from __future__ import annotations

from tests.server.helpers import KEL_A1, create_mut, patch_mut, push, uid

KEL_B = "3273-2484-30965"  # another kecamatan


def test_create_with_an_out_of_scope_id_answers_like_an_unknown_report(live):
    center = live.account("operator")
    kel = live.account("kelurahan", [KEL_A1])
    hidden = create_mut(region=KEL_B)
    assert push(center, hidden)[0]["status"] == "applied"
    # The kelurahan office guesses the id and tries to create a report with it, in its own
    # region: the answer must be the one an unknown id gets, not "already exists".
    probe = create_mut(region=KEL_A1, id=hidden["entity_id"])
    (res,) = push(kel, probe)
    unknown = push(kel, patch_mut(uid(), 1, title="x"))[0]
    assert res["status"] == "rejected" and res["code"] == 404, res
    assert "already exists" not in res["message"]
    assert res["code"] == unknown["code"]
    # Inside the caller's scope an existing id is still a plain 409.
    mine = create_mut(region=KEL_A1)
    assert push(kel, mine)[0]["status"] == "applied"
    again = create_mut(region=KEL_A1, id=mine["entity_id"])
    (res,) = push(kel, again)
    assert res["code"] == 409 and "already exists" in res["message"]


def test_replaying_another_accounts_mutation_id_reveals_nothing(live):
    center = live.account("operator")
    kel = live.account("kelurahan", [KEL_A1])
    secret = create_mut(region=KEL_B, title="Rahasia di Antapani")
    (first,) = push(center, secret)
    assert first["status"] == "applied"
    # The same id and the same payload from another account: not a "duplicate" with the
    # first result (message with the ticket, revision), but a refusal of the id.
    (res,) = push(kel, secret)
    assert res["status"] == "rejected" and res["code"] == 409, res
    assert "already used" in res["message"]
    assert first["ticket"] not in res["message"] and "revision" not in res
    assert "original_status" not in res and "fields" not in res
    # The owner still gets the idempotent duplicate.
    (own,) = push(center, secret)
    assert own["status"] == "duplicate" and own["revision"] == 1
